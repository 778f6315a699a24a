/** The attribution lightweight-charts' licence asks for, under every panel that draws with it. */
export function ChartCredit() {
  return (
    <div className="chart-credit">
      Charts:{' '}
      <a href="https://www.tradingview.com/" target="_blank" rel="noreferrer">
        TradingView Lightweight Charts™
      </a>
    </div>
  );
}

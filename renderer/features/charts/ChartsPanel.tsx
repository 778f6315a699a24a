import { useEffect, useMemo, useRef, useState } from 'react';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { ChartCredit } from '../../ui/ChartCredit.tsx';
import { formatClock, formatPrice } from '../../ui/format.ts';
import { formatSignedQuantity } from '../risk/risk-format.ts';
import { pickCurrency } from '../risk/risk-view.ts';
import type { HistoryCharts, HistoryReadout } from './history-charts.ts';
import { createHistoryCharts, HISTORY_COLORS, HISTORY_LABELS } from './history-charts.ts';
import type { HistorySeriesKey } from './history-series.ts';
import { HISTORY_SERIES_KEYS } from './history-series.ts';
import './charts.css';

interface LegendGroup {
  readonly title: string;
  readonly unit: (currency: string) => string;
  readonly keys: readonly HistorySeriesKey[];
}

/** The legend follows the panes, top to bottom. */
const LEGEND: readonly LegendGroup[] = [
  { title: 'Price', unit: () => 'USD', keys: ['index', 'perpetual'] },
  { title: 'PnL', unit: () => 'USD', keys: ['pnlRealized', 'pnlUnrealized', 'pnlTotal'] },
  { title: 'Delta', unit: (currency) => currency, keys: ['delta'] },
  { title: 'Vega', unit: () => 'USD/vol pt', keys: ['vega'] },
];

function formatLegendValue(key: HistorySeriesKey, value: number | undefined): string {
  if (key === 'index' || key === 'perpetual') return formatPrice(value, 2);
  return formatSignedQuantity(value);
}

/**
 * The underlying's index and perpetual price, PnL (realized, unrealized, total), and net delta and
 * vega inventory over the last hour, from the engine's per-second history. React renders the
 * frame; the chart and the legend figures are fed outside it (history-charts.ts).
 */
export function ChartsPanel() {
  const host = useRef<HTMLDivElement>(null);
  const charts = useRef<HistoryCharts | undefined>(undefined);
  /** The underlying drawn, for a chart created after the choice was made. */
  const drawnCurrency = useRef<string | undefined>(undefined);
  const legendValues = useRef<Partial<Record<HistorySeriesKey, HTMLElement | null>>>({});
  const legendTime = useRef<HTMLSpanElement>(null);
  const [currenciesKey, setCurrenciesKey] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const preferred = useSelectionStore((selection) => selection.underlying);
  const currencies = useMemo(() => (currenciesKey === '' ? [] : currenciesKey.split(',')), [currenciesKey]);
  const currency = pickCurrency(currencies, chosen, preferred);

  useEffect(() => {
    if (!host.current) return undefined;
    const onReadout = (readout: HistoryReadout): void => {
      for (const key of HISTORY_SERIES_KEYS) {
        const element = legendValues.current[key];
        if (element) element.textContent = formatLegendValue(key, readout.values[key]);
      }
      if (legendTime.current) legendTime.current.textContent = readout.tsMs === undefined ? '' : `${readout.live ? 'latest' : 'at'} ${formatClock(readout.tsMs).slice(0, 8)}`;
    };
    const created = createHistoryCharts(host.current, { onCurrencies: (list) => setCurrenciesKey(list.join(',')), onReadout });
    charts.current = created;
    created.setCurrency(drawnCurrency.current);
    (host.current as HTMLElement & { chartsStats?: () => unknown }).chartsStats = created.stats;
    return () => {
      charts.current = undefined;
      created.dispose();
    };
  }, []);

  useEffect(() => {
    drawnCurrency.current = currency;
    charts.current?.setCurrency(currency);
  }, [currency]);

  const empty = currencies.length === 0;
  return (
    <div className="panel-column charts-panel" data-testid="charts-panel">
      <div className="charts-toolbar">
        <label className="charts-field">
          <span className="muted">Underlying</span>
          <select className="charts-select" value={currency ?? ''} disabled={empty} onChange={(event) => setChosen(event.target.value)} data-testid="charts-underlying">
            {empty ? <option value="">—</option> : null}
            {currencies.map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
        </label>
        <span className="status-spacer" />
        <span className="muted charts-time" ref={legendTime} />
      </div>
      <div className="charts-legend">
        {LEGEND.map((group) => (
          <span key={group.title} className="charts-group">
            <span className="muted">
              {group.title} <span className="charts-unit">({group.unit(currency ?? 'coin')})</span>
            </span>
            {group.keys.map((key) => (
              <span key={key} className="charts-key">
                <i className="charts-swatch" style={{ background: HISTORY_COLORS[key] }} />
                {HISTORY_LABELS[key]}{' '}
                <span
                  className="charts-value"
                  data-series={key}
                  ref={(element) => {
                    legendValues.current[key] = element;
                  }}
                >
                  —
                </span>
              </span>
            ))}
          </span>
        ))}
      </div>
      <div className="charts-host-wrap">
        <div className="charts-host" ref={host} data-testid="charts-chart" />
        {empty ? (
          <div className="charts-empty" data-testid="charts-empty">
            No history yet — the charts fill in once the engine publishes its per-second samples of prices, PnL and inventory.
          </div>
        ) : null}
      </div>
      <ChartCredit />
    </div>
  );
}

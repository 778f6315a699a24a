import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../core/backtest/params.ts';
import { buildReport } from '../core/backtest/report.ts';
import { parseReportText } from '../renderer/features/backtest/report-schema.ts';

/**
 * The backtest writes report.json (core/backtest/report.ts) and the workstation's Backtest panel
 * reads it with its own schema (the renderer may not import core/backtest). This keeps the two in
 * step: the checked-in fixture was written by the backtest, and a fresh report must read too.
 */
describe('backtest report ↔ Backtest panel', () => {
  it('reads the report the backtest writes', () => {
    const point = (tsMs: number, totalUsd: number) => ({ tsMs, totalUsd, spreadUsd: totalUsd, hedgingUsd: 0, deltaUsd: 0, vegaUsd: 0, thetaUsd: 0, gammaOtherUsd: 0, feesUsd: 0, deltaCoin: 0, gammaPerUsd: 0, vegaUsdPerVolPt: 0, thetaUsdPerDay: 0, positions: 0, grossOptionsCoin: 0, fills: 0 });
    const report = buildReport(
      {
        decisionLogHash: 'ab'.repeat(32),
        decisions: 3,
        stats: { frames: 10, marketEvents: 9, trades: 1, malformed: 0, requests: 2, ticks: 30, instruments: 1, firstTsMs: 0, lastTsMs: 3000 },
        pnl: [point(0, 0), point(1000, 10), point(2000, 4), point(3000, 12)],
        fills: [{ tsMs: 1000, instrumentName: 'BTC-27NOV26-100000-C', side: 'buy', amount: 1, price: 0.05, liquidity: 'maker', feeCoin: 0.0003, origin: 'strategy' }],
        breaches: [],
        header: undefined,
        params: DEFAULT_PARAMS,
        wallMs: 100,
        rejectedLines: 0,
      },
      'panel',
    );
    const parsed = parseReportText(JSON.stringify(report));
    expect(parsed.ok ? 'ok' : parsed).toBe('ok');
    const fixture = parseReportText(readFileSync(new URL('../renderer/features/backtest/fixtures/report.json', import.meta.url), 'utf8'));
    expect(fixture.ok ? 'ok' : fixture).toBe('ok');
  });
});

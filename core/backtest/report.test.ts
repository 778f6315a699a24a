import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, parseBacktestParams } from './params.ts';
import type { PnlPoint } from './pnl.ts';
import { buildReport, renderHtml, riskAdjusted } from './report.ts';
import type { BacktestRun } from './run.ts';

const point = (tsMs: number, totalUsd: number): PnlPoint => ({
  tsMs,
  totalUsd,
  spreadUsd: totalUsd,
  hedgingUsd: 0,
  deltaUsd: 0,
  vegaUsd: 0,
  thetaUsd: 0,
  gammaOtherUsd: 0,
  feesUsd: 0,
  deltaCoin: 0,
  gammaPerUsd: 0,
  vegaUsdPerVolPt: 0,
  thetaUsdPerDay: 0,
  positions: 0,
  grossOptionsCoin: 0,
  fills: 0,
});

const run: BacktestRun = {
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
};

describe('backtest report', () => {

  it('summarises PnL, drawdown and performance, and renders a self-contained page', () => {
    const report = buildReport(run, 'a <test>');
    expect(report.summary.totalPnlUsd).toBe(12);
    expect(report.summary.maxDrawdownUsd).toBe(6);
    expect(report.performance.speedup).toBe(30);
    const html = renderHtml(report);
    expect(html).toContain('<svg');
    expect(html).toContain('a &#60;test&#62;');
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(JSON.parse(JSON.stringify(report)).summary.fills).toBe(1);
  });

  it('computes a risk-adjusted figure that rewards steadier PnL', () => {
    const steady = riskAdjusted([0, 1, 2, 3, 4, 5].map((v, i) => point(i * 1000, v + (i % 2) * 0.1)));
    const noisy = riskAdjusted([0, 3, -1, 4, 1, 5].map((v, i) => point(i * 1000, v)));
    expect(steady.sharpeDaily).toBeGreaterThan(noisy.sharpeDaily);
  });
});

describe('backtest parameters', () => {
  it('fills in defaults, validates engine commands with the link schema, and refuses unknown keys', () => {
    const ok = parseBacktestParams({ queue: 'probabilistic', commands: [{ type: 'SetQuotingParams', commandId: 'q', currency: 'BTC', patch: { sizeCoin: 0.2 } }] });
    expect(ok.ok && ok.params.latency.orderEntry).toEqual({ kind: 'constant', ms: 5 });
    expect(ok.ok && ok.params.fees.optionMakerRate).toBe(0.0003);
    expect(parseBacktestParams({ commands: [{ type: 'Nope' }] }).ok).toBe(false);
    expect(parseBacktestParams({ queue: 'optimistic' }).ok).toBe(false);
    expect(parseBacktestParams({ extra: 1 }).ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseBacktestParams } from './params.ts';
import { buildReport, renderHtml, riskAdjusted } from './report.ts';
import { point, sampleRun } from './fixtures/sample-run.ts';

describe('backtest report', () => {

  it('summarises PnL, drawdown and performance, and renders a self-contained page', () => {
    const report = buildReport(sampleRun, 'a <test>');
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

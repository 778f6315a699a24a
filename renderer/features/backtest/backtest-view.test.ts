import { describe, expect, it } from 'vitest';
import type { BacktestSeriesKey } from './backtest-view.ts';
import { attributionTable, breachTable, chartSamples, chartSeries, formatLatency, formatPeriod, formatSeriesValue, formatSignedUsd, pnlOverDrawdown, recordingLabel, SERIES, summaryItems } from './backtest-view.ts';
import fixture from './fixtures/report.json';
import type { BacktestReportData, ReportBreach, ReportPnlPoint } from './report-schema.ts';
import { parseReport } from './report-schema.ts';

function loadFixture(): BacktestReportData {
  const parsed = parseReport(JSON.parse(JSON.stringify(fixture)));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.report;
}

const report = loadFixture();

function point(tsMs: number, totalUsd: number, extra: Partial<ReportPnlPoint> = {}): ReportPnlPoint {
  return { tsMs, totalUsd, spreadUsd: totalUsd, hedgingUsd: 0, deltaUsd: 0, vegaUsd: 0, thetaUsd: 0, gammaOtherUsd: 0, feesUsd: 0, deltaCoin: 0, vegaUsdPerVolPt: 0, grossOptionsCoin: 0, ...extra };
}

describe('backtest summary', () => {
  const items = new Map(summaryItems(report).map((item) => [item.id, item]));

  it('shows the run, its recording, period and parameters', () => {
    expect(items.get('run')?.value).toBe('fixture-tight');
    expect(items.get('recording')?.value).toBe('simulator · deribit · seed 11');
    expect(items.get('period')?.value).toBe('2026-11-21 12:00:00 → 12:00:30 UTC');
    expect(items.get('period')?.detail).toBe('30.0 s');
    expect(items.get('params')?.value).toBe('fixture-tight');
    expect(items.get('params')?.detail).toBe('seed 3 · probabilistic queue · order entry 5 ms · market data 0 ms · 1.0 s samples · 0 commands · custom limits');
  });

  it('shows PnL, the risk-adjusted figures, fills and breaches', () => {
    expect(items.get('total')).toMatchObject({ value: '+$215.20', tone: 'pos' });
    expect(items.get('sharpe')).toMatchObject({ value: '252.53', detail: 'from 31 samples over 30.0 s' });
    expect(items.get('drawdown')).toMatchObject({ value: '$1.18', detail: 'PnL / drawdown 182.25' });
    expect(items.get('fills')).toMatchObject({ value: '53', detail: '53 maker · 12.7 coin of options' });
    expect(items.get('breaches')).toMatchObject({ value: '6', tone: 'warn' });
    expect(items.get('replay')?.value).toBe('8.0× real time');
    expect(items.get('replay')?.title).toContain(report.summary.decisionLogHash);
  });

  it('marks a loss and a clean run', () => {
    const losing = { ...report, summary: { ...report.summary, totalPnlUsd: -1234.5, limitBreaches: 0 } };
    const byId = new Map(summaryItems(losing).map((item) => [item.id, item]));
    expect(byId.get('total')).toMatchObject({ value: '−$1,234.50', tone: 'neg' });
    expect(byId.get('breaches')?.tone).toBeUndefined();
  });

  it('divides PnL by a drawdown of at least $1, as the sweep ranks', () => {
    expect(pnlOverDrawdown(50, 10)).toBe(5);
    expect(pnlOverDrawdown(50, 0)).toBe(50);
  });

  it('labels a recording without a header', () => {
    expect(recordingLabel({ firstTsMs: 0, lastTsMs: 1 })).toBe('unknown source');
    expect(recordingLabel({ source: 'live', venue: 'deribit', firstTsMs: 0, lastTsMs: 1 })).toBe('live · deribit');
  });
});

describe('backtest formatting', () => {
  it('signs USD gains and keeps zero unsigned', () => {
    expect(formatSignedUsd(12.5)).toBe('+$12.50');
    expect(formatSignedUsd(-3)).toBe('−$3.00');
    expect(formatSignedUsd(0.001)).toBe('$0.00');
    expect(formatSignedUsd(Number.NaN)).toBe('—');
  });

  it('writes a period over midnight with both dates', () => {
    expect(formatPeriod(Date.UTC(2026, 10, 21, 23, 59, 30), Date.UTC(2026, 10, 22, 0, 0, 30))).toBe('2026-11-21 23:59:30 → 2026-11-22 00:00:30 UTC');
  });

  it('describes each latency model', () => {
    expect(formatLatency({ kind: 'constant', ms: 2.5 })).toBe('2.5 ms');
    expect(formatLatency({ kind: 'samples', samplesMs: [1, 2, 3] })).toBe('sampled from 3 values');
    expect(formatLatency({ kind: 'recorded' })).toBe('as recorded');
  });
});

describe('backtest attribution table', () => {
  it('lists the terms in pnl.ts order, fees against PnL, and shows that they sum to the total', () => {
    const table = attributionTable(report.summary);
    expect(table.rows.map((row) => row.label)).toEqual(['Spread capture', 'Hedging cost', 'Delta', 'Vega', 'Theta', 'Gamma & other', 'Fees']);
    const fees = table.rows.find((row) => row.key === 'fees')!;
    expect(fees.valueUsd).toBe(-report.summary.attribution.feesUsd);
    expect(fees).toMatchObject({ text: '−$338.80', tone: 'neg' });
    expect(table.rows.find((row) => row.key === 'spread')?.text).toBe('+$542.27');
    expect(table.rows.find((row) => row.key === 'hedging')).toMatchObject({ text: '$0.00', tone: undefined });
    expect(table.sumUsd).toBeCloseTo(report.summary.totalPnlUsd, 9);
    expect(table.balanced).toBe(true);
    expect(table.sumText).toBe('+$215.20');
    expect(table.totalText).toBe('+$215.20');
    expect(table.differenceText).toBe('rows sum to the total');
  });

  it('flags a report whose terms do not add up', () => {
    const table = attributionTable({ ...report.summary, totalPnlUsd: report.summary.totalPnlUsd + 2.5 });
    expect(table.balanced).toBe(false);
    expect(table.differenceUsd).toBeCloseTo(-2.5, 9);
    expect(table.differenceText).toBe('rows differ from the total by −$2.50');
  });

  it('tolerates float rounding on large figures', () => {
    const attribution = { spreadUsd: 1e9, hedgingUsd: -3e8, deltaUsd: 0.1, vegaUsd: 0.2, thetaUsd: 0, gammaOtherUsd: 0, feesUsd: 1e7 };
    const total = 1e9 - 3e8 + 0.1 + 0.2 - 1e7;
    expect(attributionTable({ ...report.summary, attribution, totalPnlUsd: total + 1e-3 }).balanced).toBe(true);
  });
});

describe('backtest chart series', () => {
  it('draws every PnL sample of the fixture, each attribution term as its own line', () => {
    const series = chartSeries(report.pnl);
    expect(series.total).toHaveLength(31);
    expect(series.total.at(-1)).toEqual({ time: Math.floor(report.pnl.at(-1)!.tsMs / 1000), value: report.summary.totalPnlUsd });
    expect(series.fees.at(-1)!.value).toBe(-report.summary.attribution.feesUsd);
    expect(series.deltaCoin.map((p) => p.value)).toEqual(report.pnl.map((p) => p.deltaCoin));
    expect(series.vegaPerVolPt.map((p) => p.value)).toEqual(report.pnl.map((p) => p.vegaUsdPerVolPt));
    // The lines of pane 0 add up to the total at every sample.
    const terms: BacktestSeriesKey[] = ['spread', 'hedging', 'delta', 'vega', 'theta', 'gammaOther', 'fees'];
    series.total.forEach((p, i) => expect(terms.reduce((sum, key) => sum + series[key][i]!.value, 0)).toBeCloseTo(p.value, 6));
  });

  it('puts each series in its pane: PnL, delta, vega, gross options', () => {
    const pane = Object.fromEntries(SERIES.map((spec) => [spec.key, spec.pane]));
    expect(pane).toMatchObject({ total: 0, spread: 0, fees: 0, deltaCoin: 1, vegaPerVolPt: 2, grossOptions: 3 });
  });

  it('orders samples in time and keeps the last of each second (the chart time unit)', () => {
    const samples = chartSamples([point(3_000, 3), point(1_100, 1), point(1_900, 2), point(2_000, 9)]);
    expect(samples.map((p) => [p.tsMs, p.totalUsd])).toEqual([
      [1_900, 2],
      [2_000, 9],
      [3_000, 3],
    ]);
  });

  it('thins long runs evenly, keeping the first and the last sample', () => {
    const long = Array.from({ length: 10_001 }, (_, i) => point(i * 1000, i));
    const thinned = chartSamples(long, 101);
    expect(thinned).toHaveLength(101);
    expect(thinned[0]!.totalUsd).toBe(0);
    expect(thinned[50]!.totalUsd).toBe(5000);
    expect(thinned.at(-1)!.totalUsd).toBe(10_000);
    expect(chartSeries(long, 101).deltaCoin).toHaveLength(101);
  });

  it('formats legend values in the unit of each pane', () => {
    expect(formatSeriesValue('spread', 12.345)).toBe('+$12.35');
    expect(formatSeriesValue('deltaCoin', -0.36431)).toBe('−0.3643');
    expect(formatSeriesValue('vegaPerVolPt', undefined)).toBe('—');
  });
});

describe('backtest breaches', () => {
  it('lists each breach with how far past its limit, and counts them per limit', () => {
    const table = breachTable(report.breaches);
    expect(table.total).toBe(6);
    expect(table.rows[0]).toMatchObject({ time: '12:00:04', label: 'BTC net delta', limitId: 'BTC.delta', value: '0.3643', limit: '0.3', usage: '121 %', action: 'warn', severity: 'warn' });
    // A negative gamma breaches the limit by its size.
    expect(table.rows[3]).toMatchObject({ value: '−0.0889', usage: '178 %' });
    expect(table.byLimit).toEqual([
      { label: 'BTC gamma', count: 4 },
      { label: 'BTC net delta', count: 2 },
    ]);
  });

  it('marks limits that act, and shows a bounded number of rows', () => {
    const breach = (i: number, action: string): ReportBreach => ({ tsMs: i * 1000, limitId: 'BTC.drawdown', label: 'BTC drawdown', value: 10 + i, limit: 0, action });
    const table = breachTable([breach(1, 'pause'), breach(2, 'kill'), breach(3, 'warn')], 2);
    expect(table.rows.map((row) => row.severity)).toEqual(['bad', 'bad']);
    expect(table.rows[0]!.usage).toBe('—');
    expect(table.total).toBe(3);
    expect(new Set(table.rows.map((row) => row.key)).size).toBe(2);
  });
});

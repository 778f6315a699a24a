import { formatAmount, formatDurationMs, formatUsd } from '../../ui/format.ts';
import { formatLimitNumber, formatQuantity } from '../risk/risk-format.ts';
import type { BacktestReportData, ReportAttribution, ReportBreach, ReportLatency, ReportPnlPoint } from './report-schema.ts';

/**
 * What the Backtest panel shows of a report, as plain data: the summary figures, the attribution
 * table with its sum check, the chart series and the limit breaches. Pure; the panel and the chart
 * code (backtest-charts.ts) only lay these out.
 */

// ---------------------------------------------------------------- formatting

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A time in UTC, as the recording's venue stamps it: "2026-11-21 12:00:05". */
export function formatUtc(tsMs: number): string {
  if (!Number.isFinite(tsMs)) return '—';
  const d = new Date(tsMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The time of day in UTC: "12:00:05". */
export function formatUtcTime(tsMs: number): string {
  return formatUtc(tsMs).slice(11);
}

/** USD with an explicit sign on gains: "+$215.20", "−$1.18", "$0.00". */
export function formatSignedUsd(value: number | undefined, decimals?: number): string {
  const text = formatUsd(value, decimals);
  return value !== undefined && value > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** The run's period: "2026-11-21 12:00:00 → 12:00:30 UTC" (the date again only if it changed). */
export function formatPeriod(firstTsMs: number, lastTsMs: number): string {
  const first = formatUtc(firstTsMs);
  const last = formatUtc(lastTsMs);
  const sameDay = first.slice(0, 10) === last.slice(0, 10);
  return `${first} → ${sameDay ? last.slice(11) : last} UTC`;
}

export function formatLatency(spec: ReportLatency): string {
  if (spec.kind === 'constant') return `${formatLimitNumber(spec.ms)} ms`;
  if (spec.kind === 'samples') return `sampled from ${spec.samplesMs.length} value${spec.samplesMs.length === 1 ? '' : 's'}`;
  return 'as recorded';
}

// ---------------------------------------------------------------- summary

export type Tone = 'pos' | 'neg' | 'warn' | undefined;

export interface SummaryItem {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Smaller text under the value. */
  readonly detail?: string;
  /** What the figure is (tooltip). */
  readonly title?: string;
  readonly tone?: Tone;
}

function signTone(value: number): Tone {
  return value > 0 ? 'pos' : value < 0 ? 'neg' : undefined;
}

/** Total PnL over the larger of the max drawdown and $1, as `npm run sweep` ranks by pnlOverDrawdown. */
export function pnlOverDrawdown(totalPnlUsd: number, maxDrawdownUsd: number): number {
  return totalPnlUsd / Math.max(maxDrawdownUsd, 1);
}

export function recordingLabel(recording: BacktestReportData['recording']): string {
  const parts = [recording.source, recording.venue, recording.seed === undefined ? undefined : `seed ${recording.seed}`].filter((part): part is string => part !== undefined && part !== '');
  return parts.length === 0 ? 'unknown source' : parts.join(' · ');
}

export function summaryItems(report: BacktestReportData): SummaryItem[] {
  const { summary: s, params: p, recording: r, performance } = report;
  const durationMs = r.lastTsMs - r.firstTsMs;
  const samples = report.pnl.length;
  const ratio = pnlOverDrawdown(s.totalPnlUsd, s.maxDrawdownUsd);
  return [
    { id: 'run', label: 'Run', value: report.name, detail: p.name === undefined || p.name === report.name ? undefined : `parameters “${p.name}”` },
    { id: 'recording', label: 'Recording', value: recordingLabel(r), title: 'Where the replayed recording came from (its header)' },
    { id: 'period', label: 'Period', value: formatPeriod(r.firstTsMs, r.lastTsMs), detail: formatDurationMs(durationMs) },
    {
      id: 'params',
      label: 'Parameters',
      value: p.name ?? 'unnamed',
      detail: `seed ${p.seed} · ${p.queue} queue · order entry ${formatLatency(p.latency.orderEntry)} · market data ${formatLatency(p.latency.marketData)} · ${formatDurationMs(p.sampleIntervalMs)} samples · ${p.commands.length} command${p.commands.length === 1 ? '' : 's'} · ${p.limits === undefined ? 'default' : 'custom'} limits`,
      title: 'The backtest parameters (--params): fill simulator seed and queue model, latencies, PnL sample interval, engine commands applied at connect, limits',
    },
    { id: 'total', label: 'Total PnL', value: formatSignedUsd(s.totalPnlUsd), tone: signTone(s.totalPnlUsd), title: 'USD, marked to the recorded marks, after fees' },
    {
      id: 'sharpe',
      label: 'Sharpe (daily)',
      value: formatQuantity(s.sharpeDaily, 2),
      detail: `from ${samples} sample${samples === 1 ? '' : 's'} over ${formatDurationMs(durationMs)}`,
      title: 'Mean over standard deviation of the per-sample PnL changes, scaled to a day. From a short run it says little.',
    },
    { id: 'drawdown', label: 'Max drawdown', value: formatUsd(s.maxDrawdownUsd), detail: `PnL / drawdown ${formatQuantity(ratio, 2)}`, title: 'Largest fall of total PnL from its running peak, USD. PnL / drawdown divides by at least $1, as npm run sweep ranks.' },
    { id: 'fills', label: 'Fills', value: String(s.fills), detail: `${s.makerFills} maker · ${formatAmount(s.volumeCoin)} coin of options` },
    { id: 'breaches', label: 'Limit breaches', value: String(s.limitBreaches), tone: s.limitBreaches > 0 ? 'warn' : undefined },
    {
      id: 'replay',
      label: 'Replay',
      value: `${formatQuantity(performance.speedup, 1)}× real time`,
      detail: `${performance.frames.toLocaleString('en-US')} frames · ${s.decisions.toLocaleString('en-US')} decisions`,
      title: `Decision log sha256 ${s.decisionLogHash}: the same recording and parameters give the same hash`,
    },
  ];
}

// ---------------------------------------------------------------- attribution

export type AttributionKey = 'spread' | 'hedging' | 'delta' | 'vega' | 'theta' | 'gammaOther' | 'fees';

interface AttributionSpec {
  readonly key: AttributionKey;
  readonly label: string;
  readonly title: string;
  /** The row's signed contribution to total PnL (fees count against it). */
  readonly value: (a: ReportAttribution) => number;
}

/** In the order of core/backtest/pnl.ts: total = spread + hedging + delta + vega + theta + gamma & other − fees. */
export const ATTRIBUTION: readonly AttributionSpec[] = [
  { key: 'spread', label: 'Spread capture', title: "Each strategy fill's edge against the mark at that instant", value: (a) => a.spreadUsd },
  { key: 'hedging', label: 'Hedging cost', title: 'The same edge for hedges, flattens and manual orders (usually negative)', value: (a) => a.hedgingUsd },
  { key: 'delta', label: 'Delta', title: "Positions' delta times the index moves", value: (a) => a.deltaUsd },
  { key: 'vega', label: 'Vega', title: "Positions' vega times the mark-IV moves", value: (a) => a.vegaUsd },
  { key: 'theta', label: 'Theta', title: "Positions' theta times the time passed", value: (a) => a.thetaUsd },
  { key: 'gammaOther', label: 'Gamma & other', title: 'The rest of the mark-to-market move: convexity, cross terms, coin/USD', value: (a) => a.gammaOtherUsd },
  { key: 'fees', label: 'Fees', title: 'Venue fees in coin, converted at the index at each fill', value: (a) => -a.feesUsd },
];

export interface AttributionRow {
  readonly key: AttributionKey;
  readonly label: string;
  readonly title: string;
  readonly valueUsd: number;
  readonly text: string;
  readonly tone: Tone;
}

export interface AttributionTable {
  readonly rows: readonly AttributionRow[];
  readonly sumUsd: number;
  readonly totalUsd: number;
  readonly differenceUsd: number;
  /** The rows add up to the reported total (to the cent, or to 1e-9 of the figures' size). */
  readonly balanced: boolean;
  readonly sumText: string;
  readonly totalText: string;
  readonly differenceText: string;
}

export function attributionTable(summary: BacktestReportData['summary']): AttributionTable {
  const rows = ATTRIBUTION.map((spec) => {
    const valueUsd = spec.value(summary.attribution);
    return { key: spec.key, label: spec.label, title: spec.title, valueUsd, text: formatSignedUsd(valueUsd), tone: signTone(valueUsd) };
  });
  const sumUsd = rows.reduce((sum, row) => sum + row.valueUsd, 0);
  const scale = rows.reduce((sum, row) => sum + Math.abs(row.valueUsd), Math.abs(summary.totalPnlUsd));
  const differenceUsd = sumUsd - summary.totalPnlUsd;
  const balanced = Math.abs(differenceUsd) <= Math.max(0.005, scale * 1e-9);
  return {
    rows,
    sumUsd,
    totalUsd: summary.totalPnlUsd,
    differenceUsd,
    balanced,
    sumText: formatSignedUsd(sumUsd),
    totalText: formatSignedUsd(summary.totalPnlUsd),
    differenceText: balanced ? 'rows sum to the total' : `rows differ from the total by ${formatSignedUsd(differenceUsd)}`,
  };
}

// ---------------------------------------------------------------- chart series

export type BacktestSeriesKey = 'total' | AttributionKey | 'deltaCoin' | 'vegaPerVolPt' | 'grossOptions';

export interface SeriesSpec {
  readonly key: BacktestSeriesKey;
  readonly label: string;
  readonly color: string;
  /** Pane top to bottom: 0 PnL and attribution, 1 delta, 2 vega, 3 gross options. */
  readonly pane: number;
  readonly unit: string;
  readonly value: (p: ReportPnlPoint) => number;
}

const attributionValue = (key: AttributionKey): ((p: ReportPnlPoint) => number) => ATTRIBUTION.find((spec) => spec.key === key)!.value;

export const SERIES: readonly SeriesSpec[] = [
  { key: 'total', label: 'total', color: '#e6edf3', pane: 0, unit: 'USD', value: (p) => p.totalUsd },
  { key: 'spread', label: 'spread capture', color: '#3fb950', pane: 0, unit: 'USD', value: attributionValue('spread') },
  { key: 'hedging', label: 'hedging', color: '#d29922', pane: 0, unit: 'USD', value: attributionValue('hedging') },
  { key: 'delta', label: 'delta', color: '#58a6ff', pane: 0, unit: 'USD', value: attributionValue('delta') },
  { key: 'vega', label: 'vega', color: '#bc8cff', pane: 0, unit: 'USD', value: attributionValue('vega') },
  { key: 'theta', label: 'theta', color: '#39d0d8', pane: 0, unit: 'USD', value: attributionValue('theta') },
  { key: 'gammaOther', label: 'gamma & other', color: '#f778ba', pane: 0, unit: 'USD', value: attributionValue('gammaOther') },
  { key: 'fees', label: 'fees', color: '#f85149', pane: 0, unit: 'USD', value: attributionValue('fees') },
  { key: 'deltaCoin', label: 'net delta', color: '#ffa657', pane: 1, unit: 'coin', value: (p) => p.deltaCoin },
  { key: 'vegaPerVolPt', label: 'net vega', color: '#79c0ff', pane: 2, unit: 'USD/vol pt', value: (p) => p.vegaUsdPerVolPt },
  { key: 'grossOptions', label: 'gross options', color: '#a5d6ff', pane: 3, unit: 'coin', value: (p) => p.grossOptionsCoin },
];

export const PANE_TITLES: readonly string[] = ['PnL and attribution (USD)', 'Net delta (coin)', 'Net vega (USD/vol pt)', 'Gross options inventory (coin)'];

/** Points per series drawn at most; longer runs are thinned evenly, keeping the first and last sample. */
export const MAX_CHART_POINTS = 20_000;

/**
 * The samples to draw: in time order, one per second (lightweight-charts' time unit; the last of
 * the second), thinned evenly to at most `maxPoints`.
 */
export function chartSamples(pnl: readonly ReportPnlPoint[], maxPoints = MAX_CHART_POINTS): ReportPnlPoint[] {
  const sorted = pnl.map((point, index) => ({ point, index })).sort((a, b) => a.point.tsMs - b.point.tsMs || a.index - b.index);
  const perSecond: ReportPnlPoint[] = [];
  let lastSecond: number | undefined;
  for (const { point } of sorted) {
    const second = Math.floor(point.tsMs / 1000);
    if (second === lastSecond) perSecond[perSecond.length - 1] = point;
    else perSecond.push(point);
    lastSecond = second;
  }
  if (perSecond.length <= maxPoints || maxPoints < 2) return perSecond;
  const stride = (perSecond.length - 1) / (maxPoints - 1);
  const thinned: ReportPnlPoint[] = [];
  for (let i = 0; i < maxPoints; i++) thinned.push(perSecond[Math.round(i * stride)]!);
  return thinned;
}

/** A chart point: time in whole UTC seconds, value in the series' unit. */
export interface ChartPoint {
  readonly time: number;
  readonly value: number;
}

export type BacktestSeries = Readonly<Record<BacktestSeriesKey, readonly ChartPoint[]>>;

export function chartSeries(pnl: readonly ReportPnlPoint[], maxPoints = MAX_CHART_POINTS): BacktestSeries {
  const samples = chartSamples(pnl, maxPoints);
  const out = {} as Record<BacktestSeriesKey, ChartPoint[]>;
  for (const spec of SERIES) out[spec.key] = samples.map((p) => ({ time: Math.floor(p.tsMs / 1000), value: spec.value(p) }));
  return out;
}

export function formatSeriesValue(key: BacktestSeriesKey, value: number | undefined): string {
  const spec = SERIES.find((s) => s.key === key);
  if (spec?.pane === 0) return formatSignedUsd(value);
  return formatQuantity(value);
}

// ---------------------------------------------------------------- breaches

export interface BreachRow {
  readonly key: string;
  readonly time: string;
  readonly label: string;
  readonly limitId: string;
  readonly value: string;
  readonly limit: string;
  /** How far past the limit: |value| / limit. */
  readonly usage: string;
  readonly action: string;
  /** warn-only limits are a warning; reduce-only, pause and kill act. */
  readonly severity: 'warn' | 'bad';
}

export interface BreachTable {
  readonly rows: readonly BreachRow[];
  readonly total: number;
  /** Breaches per limit, most first. */
  readonly byLimit: readonly { readonly label: string; readonly count: number }[];
}

export const MAX_BREACH_ROWS = 500;

export function breachTable(breaches: readonly ReportBreach[], maxRows = MAX_BREACH_ROWS): BreachTable {
  const counts = new Map<string, number>();
  for (const b of breaches) counts.set(b.label, (counts.get(b.label) ?? 0) + 1);
  const byLimit = [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const rows = breaches.slice(0, maxRows).map((b, i) => ({
    key: `${i}:${b.tsMs}:${b.limitId}`,
    time: formatUtcTime(b.tsMs),
    label: b.label,
    limitId: b.limitId,
    value: formatQuantity(b.value),
    limit: formatLimitNumber(b.limit),
    usage: b.limit !== 0 ? `${Math.round((Math.abs(b.value) / Math.abs(b.limit)) * 100)} %` : '—',
    action: b.action,
    severity: b.action === 'warn' ? ('warn' as const) : ('bad' as const),
  }));
  return { rows, total: breaches.length, byLimit };
}

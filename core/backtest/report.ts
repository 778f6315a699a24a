import type { PnlPoint } from './pnl.ts';
import type { BacktestRun } from './run.ts';

/**
 * A backtest's results: a machine-readable JSON document and a self-contained HTML page (inline
 * SVG charts, no script, no external resource) built from it. Pure: strings in, strings out.
 */

export interface BacktestReport {
  readonly format: 'ows-backtest';
  readonly version: 1;
  readonly name: string;
  readonly recording: { readonly venue?: string; readonly source?: string; readonly seed?: number; readonly firstTsMs: number; readonly lastTsMs: number };
  readonly params: BacktestRun['params'];
  readonly summary: {
    readonly totalPnlUsd: number;
    readonly attribution: Pick<PnlPoint, 'spreadUsd' | 'hedgingUsd' | 'deltaUsd' | 'vegaUsd' | 'thetaUsd' | 'gammaOtherUsd' | 'feesUsd'>;
    readonly fills: number;
    readonly makerFills: number;
    readonly volumeCoin: number;
    readonly maxDrawdownUsd: number;
    /** Mean over standard deviation of the per-sample PnL changes, scaled to a day. */
    readonly sharpeDaily: number;
    readonly limitBreaches: number;
    readonly decisionLogHash: string;
    readonly decisions: number;
  };
  readonly performance: { readonly wallMs: number; readonly frames: number; readonly eventsPerSec: number; readonly speedup: number };
  readonly stats: BacktestRun['stats'];
  readonly pnl: readonly PnlPoint[];
  readonly fills: BacktestRun['fills'];
  readonly breaches: BacktestRun['breaches'];
}

export function riskAdjusted(points: readonly PnlPoint[]): { sharpeDaily: number; maxDrawdownUsd: number } {
  let peak = -Infinity;
  let maxDrawdownUsd = 0;
  const changes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const total = points[i]!.totalUsd;
    peak = Math.max(peak, total);
    maxDrawdownUsd = Math.max(maxDrawdownUsd, peak - total);
    if (i > 0) changes.push(total - points[i - 1]!.totalUsd);
  }
  if (changes.length < 2) return { sharpeDaily: 0, maxDrawdownUsd };
  const mean = changes.reduce((a, b) => a + b, 0) / changes.length;
  const sd = Math.sqrt(changes.reduce((a, b) => a + (b - mean) ** 2, 0) / (changes.length - 1));
  const stepMs = (points[points.length - 1]!.tsMs - points[0]!.tsMs) / changes.length;
  const perDay = stepMs > 0 ? Math.sqrt(86_400_000 / stepMs) : 0;
  return { sharpeDaily: sd > 0 ? (mean / sd) * perDay : 0, maxDrawdownUsd };
}

export function buildReport(run: BacktestRun, name: string): BacktestReport {
  const last = run.pnl[run.pnl.length - 1];
  const { sharpeDaily, maxDrawdownUsd } = riskAdjusted(run.pnl);
  const simulatedMs = run.stats.lastTsMs - run.stats.firstTsMs;
  return {
    format: 'ows-backtest',
    version: 1,
    name,
    recording: { ...(run.header && { venue: run.header.venue, source: run.header.source, ...(run.header.seed !== undefined && { seed: run.header.seed }) }), firstTsMs: run.stats.firstTsMs, lastTsMs: run.stats.lastTsMs },
    params: run.params,
    summary: {
      totalPnlUsd: last?.totalUsd ?? 0,
      attribution: {
        spreadUsd: last?.spreadUsd ?? 0,
        hedgingUsd: last?.hedgingUsd ?? 0,
        deltaUsd: last?.deltaUsd ?? 0,
        vegaUsd: last?.vegaUsd ?? 0,
        thetaUsd: last?.thetaUsd ?? 0,
        gammaOtherUsd: last?.gammaOtherUsd ?? 0,
        feesUsd: last?.feesUsd ?? 0,
      },
      fills: run.fills.length,
      makerFills: run.fills.filter((f) => f.liquidity === 'maker').length,
      volumeCoin: run.fills.reduce((sum, f) => sum + (f.instrumentName.endsWith('-C') || f.instrumentName.endsWith('-P') ? f.amount : 0), 0),
      maxDrawdownUsd,
      sharpeDaily,
      limitBreaches: run.breaches.length,
      decisionLogHash: run.decisionLogHash,
      decisions: run.decisions,
    },
    performance: { wallMs: run.wallMs, frames: run.stats.frames, eventsPerSec: run.wallMs > 0 ? (run.stats.frames / run.wallMs) * 1000 : 0, speedup: run.wallMs > 0 ? simulatedMs / run.wallMs : 0 },
    stats: run.stats,
    pnl: run.pnl,
    fills: run.fills,
    breaches: run.breaches,
  };
}

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#854d0e', '#64748b'];

/** A line chart of series over time, as inline SVG. */
function chart(title: string, points: readonly PnlPoint[], series: ReadonlyArray<readonly [string, (p: PnlPoint) => number]>): string {
  const width = 900;
  const height = 240;
  const pad = { l: 70, r: 10, t: 24, b: 24 };
  if (points.length < 2) return `<h3>${esc(title)}</h3><p>not enough samples</p>`;
  const t0 = points[0]!.tsMs;
  const t1 = points[points.length - 1]!.tsMs;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) for (const [, get] of series) {
    const v = get(p);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const x = (t: number): number => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.l - pad.r);
  const y = (v: number): number => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  // At most ~900 points per line: one per pixel column.
  const stride = Math.max(1, Math.floor(points.length / 900));
  const lines = series
    .map(([name, get], i) => {
      const d: string[] = [];
      for (let k = 0; k < points.length; k += stride) d.push(`${k === 0 ? 'M' : 'L'}${x(points[k]!.tsMs).toFixed(1)},${y(get(points[k]!)).toFixed(1)}`);
      return `<path d="${d.join('')}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"><title>${esc(name)}</title></path>`;
    })
    .join('');
  const legend = series.map(([name], i) => `<span style="color:${COLORS[i % COLORS.length]}">■ ${esc(name)}</span>`).join(' ');
  const zero = lo < 0 && hi > 0 ? `<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(0)}" y2="${y(0)}" stroke="#999" stroke-dasharray="3 3"/>` : '';
  const minutes = (t1 - t0) / 60_000;
  return `<h3>${esc(title)}</h3><div class="legend">${legend}</div><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}">
<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="#fafafa" stroke="#ddd"/>${zero}${lines}
<text x="${pad.l - 6}" y="${pad.t + 4}" text-anchor="end" font-size="11">${fmt(hi)}</text><text x="${pad.l - 6}" y="${height - pad.b}" text-anchor="end" font-size="11">${fmt(lo)}</text>
<text x="${pad.l}" y="${height - 6}" font-size="11">0</text><text x="${width - pad.r}" y="${height - 6}" text-anchor="end" font-size="11">${fmt(minutes, 1)} min</text></svg>`;
}

export function renderHtml(report: BacktestReport): string {
  const s = report.summary;
  const a = s.attribution;
  const row = (k: string, v: string): string => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const fills = report.fills
    .slice(0, 500)
    .map((f) => `<tr><td>${new Date(f.tsMs).toISOString()}</td><td>${esc(f.instrumentName)}</td><td>${f.side}</td><td>${f.amount}</td><td>${f.price}</td><td>${f.liquidity}</td><td>${f.origin}</td><td>${fmt(f.feeCoin, 6)}</td></tr>`)
    .join('');
  const breaches = report.breaches.map((b) => `<tr><td>${new Date(b.tsMs).toISOString()}</td><td>${esc(b.label)}</td><td>${fmt(b.value)}</td><td>${fmt(b.limit)}</td><td>${esc(b.action)}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Backtest ${esc(report.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{text-align:left;background:#f4f4f5}.legend span{margin-right:12px;font-size:12px}</style></head><body>
<h1>Backtest: ${esc(report.name)}</h1>
<p>Recording ${esc(report.recording.source ?? '')} ${esc(report.recording.venue ?? '')}${report.recording.seed !== undefined ? ` (seed ${report.recording.seed})` : ''}, ${new Date(report.recording.firstTsMs).toISOString()} → ${new Date(report.recording.lastTsMs).toISOString()}; queue model ${esc(report.params.queue)}, seed ${report.params.seed}.</p>
<table>${row('Total PnL (USD)', fmt(s.totalPnlUsd))}${row('Spread capture', fmt(a.spreadUsd))}${row('Hedging cost', fmt(a.hedgingUsd))}${row('Delta PnL', fmt(a.deltaUsd))}${row('Vega PnL', fmt(a.vegaUsd))}${row('Theta', fmt(a.thetaUsd))}${row('Gamma & other', fmt(a.gammaOtherUsd))}${row('Fees', fmt(-a.feesUsd))}
${row('Fills (maker)', `${s.fills} (${s.makerFills})`)}${row('Option volume (coin)', fmt(s.volumeCoin))}${row('Max drawdown (USD)', fmt(s.maxDrawdownUsd))}${row('Sharpe (daily)', fmt(s.sharpeDaily))}${row('Limit breaches', String(s.limitBreaches))}
${row('Replay', `${fmt(report.performance.eventsPerSec, 0)} frames/s, ${fmt(report.performance.speedup, 1)}× real time`)}${row('Decision log', `${s.decisions} entries, sha256 ${s.decisionLogHash.slice(0, 16)}…`)}</table>
${chart('PnL (USD) and its attribution', report.pnl, [
  ['total', (p) => p.totalUsd],
  ['spread capture', (p) => p.spreadUsd],
  ['hedging', (p) => p.hedgingUsd],
  ['delta', (p) => p.deltaUsd],
  ['vega', (p) => p.vegaUsd],
  ['theta', (p) => p.thetaUsd],
  ['gamma & other', (p) => p.gammaOtherUsd],
  ['fees', (p) => -p.feesUsd],
])}
${chart('Delta (coin)', report.pnl, [['delta', (p) => p.deltaCoin]])}
${chart('Vega (USD per vol point) and theta (USD per day)', report.pnl, [
  ['vega', (p) => p.vegaUsdPerVolPt],
  ['theta', (p) => p.thetaUsdPerDay],
])}
${chart('Inventory: gross options (coin) and fills', report.pnl, [
  ['gross options', (p) => p.grossOptionsCoin],
  ['fills', (p) => p.fills],
])}
<h3>Limit breaches</h3>${breaches ? `<table><tr><th>time</th><th>limit</th><th>value</th><th>limit</th><th>action</th></tr>${breaches}</table>` : '<p>none</p>'}
<h3>Fills${report.fills.length > 500 ? ' (first 500; all in the JSON)' : ''}</h3><table><tr><th>time</th><th>instrument</th><th>side</th><th>amount</th><th>price</th><th>liquidity</th><th>origin</th><th>fee (coin)</th></tr>${fills}</table>
</body></html>
`;
}

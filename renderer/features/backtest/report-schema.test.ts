import { describe, expect, it } from 'vitest';
import fixture from './fixtures/report.json';
import { formatPath, MAX_REPORT_BYTES, parseReport, parseReportText, readReportFile } from './report-schema.ts';

/**
 * fixtures/report.json is a real report: core/backtest's buildReport on a 30 s recording of the
 * embedded simulator (seed 11), parameters seed 3, probabilistic queue, tight warn-only delta and
 * gamma limits so that breaches appear; its fills list is cut to the first 6 (the summary still
 * counts 53). Regenerate it the same way if report.ts changes its output.
 */

type Json = Record<string, unknown>;

function copy(): Json {
  return JSON.parse(JSON.stringify(fixture)) as Json;
}

/** The fixture with one value replaced (or removed with `undefined`) at a dotted path. */
function withValue(path: string, value: unknown): Json {
  const root = copy();
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

function errorOf(raw: unknown): string {
  const parsed = parseReport(raw);
  if (parsed.ok) throw new Error('expected the report to be refused');
  return parsed.error;
}

describe('backtest report schema', () => {
  it('accepts a report written by core/backtest and keeps the fields the panel shows', () => {
    const parsed = parseReportText(JSON.stringify(fixture));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { report } = parsed;
    expect(report.name).toBe('fixture-tight');
    expect(report.recording).toEqual({ venue: 'deribit', source: 'simulator', seed: 11, firstTsMs: 1795262400000, lastTsMs: 1795262430000 });
    expect(report.params.queue).toBe('probabilistic');
    expect(report.params.latency.orderEntry).toEqual({ kind: 'constant', ms: 5 });
    expect(report.summary.fills).toBe(53);
    expect(report.summary.limitBreaches).toBe(report.breaches.length);
    expect(report.pnl).toHaveLength(31);
    expect(report.pnl.at(-1)!.totalUsd).toBe(report.summary.totalPnlUsd);
    expect(report.breaches[0]).toEqual({ tsMs: 1795262404000, limitId: 'BTC.delta', label: 'BTC net delta', value: 0.3643080784496181, limit: 0.3, action: 'warn' });
    // Fields the panel does not show are neither checked nor kept.
    expect('fills' in report).toBe(false);
    expect('stats' in report).toBe(false);
    expect('gammaPerUsd' in report.pnl[0]!).toBe(false);
  });

  it('accepts what report.ts may leave out or add: no recording header, other latencies, new fields', () => {
    const raw = withValue('recording', { firstTsMs: 0, lastTsMs: 1000 });
    (raw.params as Json).latency = { orderEntry: { kind: 'samples', samplesMs: [2, 5] }, marketData: { kind: 'recorded' } };
    (raw as Json).futureField = { anything: true };
    expect(parseReport(raw).ok).toBe(true);
    expect(parseReport(withValue('params.name', undefined)).ok).toBe(true);
    expect(parseReport(withValue('params.limits', undefined)).ok).toBe(true);
    expect(parseReport({ ...copy(), pnl: [], breaches: [] }).ok).toBe(true);
  });

  it('names the field that is wrong, with array indices', () => {
    const raw = copy();
    ((raw.pnl as Json[])[3] as Json).totalUsd = null;
    const error = errorOf(raw);
    expect(error).toMatch(/^Invalid backtest report: pnl\[3\]\.totalUsd: expected number, received null\.$/);
    expect(errorOf(withValue('summary.sharpeDaily', undefined))).toContain('summary.sharpeDaily: missing (expected number)');
    expect(errorOf(withValue('summary.attribution.vegaUsd', '12'))).toContain('summary.attribution.vegaUsd: expected number, received string');
    expect(errorOf(withValue('summary.fills', 1.5))).toContain('summary.fills');
    expect(errorOf(withValue('params.latency.orderEntry', { kind: 'gaussian', ms: 3 }))).toContain('params.latency.orderEntry.kind');
    const breaches = copy();
    ((breaches.breaches as Json[])[2] as Json).label = 7;
    expect(errorOf(breaches)).toContain('breaches[2].label');
  });

  it('lists the first few problems and counts the rest', () => {
    const raw = copy();
    for (const point of (raw.pnl as Json[]).slice(0, 5)) point.deltaCoin = 'x';
    const error = errorOf(raw);
    expect(error).toContain('pnl[0].deltaCoin');
    expect(error).toContain('pnl[2].deltaCoin');
    expect(error).not.toContain('pnl[3].deltaCoin');
    expect(error).toMatch(/and 2 more problems\.$/);
  });

  it('says plainly when the file is not a backtest report at all', () => {
    expect(errorOf([1, 2])).toBe('Not a backtest report: the file holds an array, not a report object.');
    expect(errorOf(null)).toContain('holds null');
    expect(errorOf({ type: 'header', format: 'ows-recording' })).toContain('format is "ows-recording", expected "ows-backtest"');
    expect(errorOf({ name: 'x' })).toContain('format is missing');
    expect(errorOf(withValue('version', 2))).toBe('Backtest report version 2 is not supported: this workstation reads version 1.');
  });

  it('reports text that is not JSON, or nothing at all', () => {
    const notJson = parseReportText('{"format": "ows-backtest",');
    expect(notJson.ok).toBe(false);
    expect(!notJson.ok && notJson.error).toMatch(/^Not JSON: /);
    expect(parseReportText('  \n')).toEqual({ ok: false, error: 'The file is empty.' });
    // A byte-order mark (an editor's) is not an error.
    expect(parseReportText(`\ufeff${JSON.stringify(fixture)}`).ok).toBe(true);
  });

  it('reads a picked file, and refuses one too large to open', async () => {
    const ok = await readReportFile(new Blob([JSON.stringify(fixture)], { type: 'application/json' }));
    expect(ok.ok).toBe(true);
    const bad = await readReportFile(new Blob(['{"format":"ows-backtest","version":1}']));
    expect(!bad.ok && bad.error).toBe('Invalid backtest report: name: missing (expected string); recording: missing (expected object); params: missing (expected object); and 4 more problems.');
    const huge = { size: MAX_REPORT_BYTES + 1, text: () => Promise.reject(new Error('must not be read')) } as unknown as Blob;
    const refused = await readReportFile(huge);
    expect(!refused.ok && refused.error).toMatch(/reports over 256 MB are not opened/);
    const unreadable = { size: 10, text: () => Promise.reject(new Error('permission denied')) } as unknown as Blob;
    const failed = await readReportFile(unreadable);
    expect(!failed.ok && failed.error).toBe('Could not read the file: permission denied');
  });

  it('writes paths as a reader would', () => {
    expect(formatPath(['pnl', 12, 'totalUsd'])).toBe('pnl[12].totalUsd');
    expect(formatPath(['summary', 'attribution', 'feesUsd'])).toBe('summary.attribution.feesUsd');
    expect(formatPath([])).toBe('(the document)');
  });
});

import { z } from 'zod';

/**
 * The part of a backtest's `report.json` the Backtest panel shows, as a zod schema: a report file
 * is outside input, checked here before anything reads it.
 *
 * The file is written by core/backtest (report.ts `BacktestReport`, pnl.ts `PnlPoint`,
 * replay.ts `LimitBreach`, params.ts `BacktestParams`), which the renderer may not import (layer
 * rules, DESIGN.md). This schema mirrors those types for the fields shown and must stay in step
 * with them: a field renamed or added there that the panel should show is changed here too.
 * Fields the panel does not show (the fills list, the decision log, run statistics) are not
 * checked and are dropped.
 */

export const REPORT_FORMAT = 'ows-backtest';
export const REPORT_VERSION = 1;
/** A report larger than this is refused before parsing (a day at 1 s samples is ~50 MB). */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** z.number() refuses NaN and ±Infinity (JSON writes those as null, which it refuses too). */
const num = z.number();
const count = z.number().int().nonnegative();

const AttributionSchema = z.object({
  spreadUsd: num,
  hedgingUsd: num,
  deltaUsd: num,
  vegaUsd: num,
  thetaUsd: num,
  gammaOtherUsd: num,
  /** Positive: what the fees cost; the attribution subtracts it. */
  feesUsd: num,
});

const PnlPointSchema = AttributionSchema.extend({
  tsMs: num,
  totalUsd: num,
  deltaCoin: num,
  vegaUsdPerVolPt: num,
  grossOptionsCoin: num,
});

const LatencySpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), ms: num.nonnegative() }),
  z.object({ kind: z.literal('samples'), samplesMs: z.array(num.nonnegative()).min(1) }),
  z.object({ kind: z.literal('recorded') }),
]);

const BreachSchema = z.object({
  tsMs: num,
  limitId: z.string(),
  label: z.string(),
  value: num,
  limit: num,
  action: z.string(),
});

export const BacktestReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  name: z.string(),
  recording: z.object({
    venue: z.string().optional(),
    source: z.string().optional(),
    seed: num.optional(),
    firstTsMs: num,
    lastTsMs: num,
  }),
  params: z.object({
    name: z.string().optional(),
    seed: num,
    queue: z.string(),
    latency: z.object({ orderEntry: LatencySpecSchema, marketData: LatencySpecSchema }),
    sampleIntervalMs: num.positive(),
    commands: z.array(z.unknown()),
    limits: z.unknown().optional(),
  }),
  summary: z.object({
    totalPnlUsd: num,
    attribution: AttributionSchema,
    fills: count,
    makerFills: count,
    volumeCoin: num,
    maxDrawdownUsd: num,
    sharpeDaily: num,
    limitBreaches: count,
    decisionLogHash: z.string(),
    decisions: count,
  }),
  performance: z.object({ wallMs: num, frames: count, eventsPerSec: num, speedup: num }),
  pnl: z.array(PnlPointSchema),
  breaches: z.array(BreachSchema),
});

export type BacktestReportData = z.infer<typeof BacktestReportSchema>;
export type ReportAttribution = z.infer<typeof AttributionSchema>;
export type ReportPnlPoint = z.infer<typeof PnlPointSchema>;
export type ReportBreach = z.infer<typeof BreachSchema>;
export type ReportLatency = z.infer<typeof LatencySpecSchema>;

export type ReportParse = { readonly ok: true; readonly report: BacktestReportData } | { readonly ok: false; readonly error: string };

/** A zod path as a reader would write it: `pnl[3].totalUsd`; the document itself when empty. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(the document)' : text;
}

const MAX_ISSUES_SHOWN = 3;

/** zod's message, shorter: "expected number, received null"; "missing (expected object)" for an absent field. */
function describeMessage(message: string): string {
  const text = message.replace(/^Invalid input: /, '');
  const absent = /^expected (.+), received undefined$/.exec(text);
  return absent ? `missing (expected ${absent[1]})` : text;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => `${formatPath(issue.path)}: ${describeMessage(issue.message)}`);
  const more = issues.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a parsed JSON value; the error names the first fields that are wrong. */
export function parseReport(raw: unknown): ReportParse {
  if (!isRecord(raw)) return { ok: false, error: `Not a backtest report: the file holds ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`}, not a report object.` };
  if (raw.format !== REPORT_FORMAT) {
    return { ok: false, error: `Not a backtest report: format is ${raw.format === undefined ? 'missing' : JSON.stringify(raw.format)}, expected "${REPORT_FORMAT}" (the report.json written by npm run backtest).` };
  }
  if (raw.version !== REPORT_VERSION) {
    return { ok: false, error: `Backtest report version ${JSON.stringify(raw.version)} is not supported: this workstation reads version ${REPORT_VERSION}.` };
  }
  const parsed = BacktestReportSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `Invalid backtest report: ${describeIssues(parsed.error.issues)}.` };
  return { ok: true, report: parsed.data };
}

/** Parses and checks a report file's text. */
export function parseReportText(text: string): ReportParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, error: 'The file is empty.' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `Not JSON: ${(error as Error).message}` };
  }
  return parseReport(raw);
}

/** Reads a report file the trader picked (or dropped); never throws. */
export async function readReportFile(file: Blob): Promise<ReportParse> {
  if (file.size > MAX_REPORT_BYTES) return { ok: false, error: `The file is ${Math.round(file.size / 1024 / 1024)} MB; reports over ${MAX_REPORT_BYTES / 1024 / 1024} MB are not opened.` };
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return { ok: false, error: `Could not read the file: ${(error as Error).message}` };
  }
  return parseReportText(text);
}

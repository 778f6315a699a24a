/**
 * Risk limits: the configuration (a JSON file, editable from the UI), their evaluation against the
 * measured metrics, the breach/reset transitions the journal records, and the action they call for.
 *
 * File format (JSON, `version: 1`): limits per underlying currency; the key "*" holds the limits of
 * any currency not listed (so a newly traded coin is never unlimited). Every limit is optional and
 * reads {limit, warnAtFraction?, action}: the limit is on the magnitude |value| (net quantities are
 * limited both ways), warnAtFraction (default 0.8) is the utilization at which it shows as a
 * warning, and action what a breach calls for: 'warn' (report only), 'reduce-only' (only orders that
 * reduce risk), 'pause' (strategies stop quoting), 'kill' (kill switch). `preTrade` holds the per-
 * order checks (sizes, collars), which refuse orders and have no action.
 *
 *   {
 *     "version": 1,
 *     "underlyings": {
 *       "BTC": {
 *         "netDeltaCoin":             { "limit": 10, "action": "reduce-only" },
 *         "vegaTotalUsdPerVolPt":     { "limit": 50000, "warnAtFraction": 0.9, "action": "reduce-only" },
 *         "vegaPerExpiryUsdPerVolPt": { "limit": 20000, "action": "reduce-only" },
 *         "dailyLossUsd":             { "limit": 250000, "action": "kill" },
 *         "preTrade": { "maxOrderNotionalUsd": 5000000,
 *                       "optionCollar": { "maxTicksFromReference": 4, "maxFractionFromReference": 0.15 } }
 *       },
 *       "*": { "grossNotionalUsd": { "limit": 1000000, "action": "reduce-only" } }
 *     }
 *   }
 *
 * The limits (key: value measured, unit):
 *   netDeltaCoin             net Black delta, coin (options + futures + perpetual)
 *   gammaCoinPerPct          net gamma as the change of delta for a 1 % move, coin
 *   vegaTotalUsdPerVolPt     net vega, USD per vol point
 *   vegaPerExpiryUsdPerVolPt net vega of each expiry bucket, USD per vol point
 *   optionPositionCoin       net position of each option, coin
 *   futurePositionUsd        net position of each future or perpetual, USD
 *   openOrders               our live orders on the underlying
 *   ordersPerSec             orders sent over the last second (the pre-trade throttle enforces it)
 *   messagesPerSec           messages (orders, amends, cancels) over the last second
 *   grossNotionalUsd         Σ|option size|·forward + Σ|future size|, USD
 *   dailyLossUsd             today's loss, max(0, −daily PnL), USD
 *   drawdownUsd              fall of daily PnL from the day's peak, USD
 */
import { z } from 'zod';
import { PriceCollarSchema } from '../quoting/collar.ts';
import { formatQty } from './format.ts';
import { gammaCoinPerPct } from './greeks.ts';
import type { PositionMetric, RiskMetrics, UnderlyingMetrics } from './metrics.ts';
import { emptyUnderlyingMetrics } from './metrics.ts';

export const LIMIT_ACTIONS = ['warn', 'reduce-only', 'pause', 'kill'] as const;
export type LimitAction = (typeof LIMIT_ACTIONS)[number];
const SEVERITY: Readonly<Record<LimitAction, number>> = { warn: 1, 'reduce-only': 2, pause: 3, kill: 4 };

/** The key of the limits that apply to currencies not listed. */
export const DEFAULT_UNDERLYING_KEY = '*';

const nonNegative = z.number().finite().nonnegative();
const positive = z.number().finite().positive();

export const LimitRuleSchema = z
  .object({
    /** On |value|, in the unit in the limit's key. 0 allows nothing. */
    limit: nonNegative,
    /** Utilization (|value|/limit) from which the limit shows as a warning. */
    warnAtFraction: z.number().gt(0).lte(1).default(0.8),
    action: z.enum(LIMIT_ACTIONS),
  })
  .strict();

/** The allowed band around a reference r: |price − r| ≤ max(maxTicks·tick, maxFraction·r). */
export const PreTradeConfigSchema = z
  .object({
    /** Largest single option order, coin. Absent: no cap. */
    maxOrderAmountOptionCoin: positive.optional(),
    /** Largest single future or perpetual order, USD. */
    maxOrderAmountFutureUsd: positive.optional(),
    /** Largest single order's notional, USD (option: amount·forward; future: amount). */
    maxOrderNotionalUsd: positive.optional(),
    optionCollar: PriceCollarSchema.default({ maxTicksFromReference: 4, maxFractionFromReference: 0.1 }),
    futureCollar: PriceCollarSchema.default({ maxTicksFromReference: 20, maxFractionFromReference: 0.005 }),
  })
  .strict();

const rule = LimitRuleSchema.optional();

export const UnderlyingLimitsSchema = z
  .object({
    netDeltaCoin: rule,
    gammaCoinPerPct: rule,
    vegaTotalUsdPerVolPt: rule,
    vegaPerExpiryUsdPerVolPt: rule,
    optionPositionCoin: rule,
    futurePositionUsd: rule,
    openOrders: rule,
    ordersPerSec: rule,
    messagesPerSec: rule,
    grossNotionalUsd: rule,
    dailyLossUsd: rule,
    drawdownUsd: rule,
    preTrade: PreTradeConfigSchema.prefault({}),
  })
  .strict();

export const LimitsConfigSchema = z
  .object({
    version: z.literal(1),
    underlyings: z.record(z.string().min(1).max(16), UnderlyingLimitsSchema),
  })
  .strict();

export type LimitRule = z.infer<typeof LimitRuleSchema>;
export type PreTradeConfig = z.infer<typeof PreTradeConfigSchema>;
export type UnderlyingLimits = z.infer<typeof UnderlyingLimitsSchema>;
export type LimitsConfig = z.infer<typeof LimitsConfigSchema>;
/** What a file or a UI may write: defaults left out. */
export type LimitsConfigInput = z.input<typeof LimitsConfigSchema>;

export const LIMIT_KEYS = [
  'netDeltaCoin',
  'gammaCoinPerPct',
  'vegaTotalUsdPerVolPt',
  'vegaPerExpiryUsdPerVolPt',
  'optionPositionCoin',
  'futurePositionUsd',
  'openOrders',
  'ordersPerSec',
  'messagesPerSec',
  'grossNotionalUsd',
  'dailyLossUsd',
  'drawdownUsd',
] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

interface LimitMeta {
  /** The limit id after the currency; per-subject limits append the subject. */
  readonly idPart: string;
  readonly label: string;
  readonly unit: string;
}

export const LIMIT_META: Readonly<Record<LimitKey, LimitMeta>> = {
  netDeltaCoin: { idPart: 'delta', label: 'net delta', unit: 'coin' },
  gammaCoinPerPct: { idPart: 'gamma', label: 'gamma', unit: 'coin per 1 % move' },
  vegaTotalUsdPerVolPt: { idPart: 'vega.total', label: 'vega', unit: 'USD/vol pt' },
  vegaPerExpiryUsdPerVolPt: { idPart: 'vega', label: 'vega', unit: 'USD/vol pt' },
  optionPositionCoin: { idPart: 'position', label: 'position', unit: 'coin' },
  futurePositionUsd: { idPart: 'position', label: 'position', unit: 'USD' },
  openOrders: { idPart: 'openOrders', label: 'open orders', unit: 'orders' },
  ordersPerSec: { idPart: 'orderRate', label: 'order rate', unit: 'orders/s' },
  messagesPerSec: { idPart: 'messageRate', label: 'message rate', unit: 'messages/s' },
  grossNotionalUsd: { idPart: 'notional', label: 'gross notional', unit: 'USD' },
  dailyLossUsd: { idPart: 'dailyLoss', label: 'daily loss', unit: 'USD' },
  drawdownUsd: { idPart: 'drawdown', label: 'drawdown from the day’s peak', unit: 'USD' },
};

export const DEFAULT_LIMITS: LimitsConfig = LimitsConfigSchema.parse({
  version: 1,
  underlyings: {
    BTC: {
      netDeltaCoin: { limit: 10, action: 'reduce-only' },
      gammaCoinPerPct: { limit: 5, action: 'warn' },
      vegaTotalUsdPerVolPt: { limit: 50_000, action: 'reduce-only' },
      vegaPerExpiryUsdPerVolPt: { limit: 20_000, action: 'reduce-only' },
      optionPositionCoin: { limit: 250, action: 'reduce-only' },
      futurePositionUsd: { limit: 2_000_000, action: 'reduce-only' },
      openOrders: { limit: 1_000, action: 'pause' },
      ordersPerSec: { limit: 50, action: 'pause' },
      messagesPerSec: { limit: 100, action: 'pause' },
      grossNotionalUsd: { limit: 50_000_000, action: 'reduce-only' },
      dailyLossUsd: { limit: 250_000, action: 'kill' },
      drawdownUsd: { limit: 150_000, action: 'pause' },
      preTrade: {
        maxOrderAmountOptionCoin: 50,
        maxOrderAmountFutureUsd: 500_000,
        maxOrderNotionalUsd: 5_000_000,
        optionCollar: { maxTicksFromReference: 4, maxFractionFromReference: 0.1 },
        futureCollar: { maxTicksFromReference: 20, maxFractionFromReference: 0.005 },
      },
    },
    ETH: {
      netDeltaCoin: { limit: 150, action: 'reduce-only' },
      gammaCoinPerPct: { limit: 75, action: 'warn' },
      vegaTotalUsdPerVolPt: { limit: 20_000, action: 'reduce-only' },
      vegaPerExpiryUsdPerVolPt: { limit: 8_000, action: 'reduce-only' },
      optionPositionCoin: { limit: 3_000, action: 'reduce-only' },
      futurePositionUsd: { limit: 1_000_000, action: 'reduce-only' },
      openOrders: { limit: 1_000, action: 'pause' },
      ordersPerSec: { limit: 50, action: 'pause' },
      messagesPerSec: { limit: 100, action: 'pause' },
      grossNotionalUsd: { limit: 25_000_000, action: 'reduce-only' },
      dailyLossUsd: { limit: 100_000, action: 'kill' },
      drawdownUsd: { limit: 60_000, action: 'pause' },
      preTrade: {
        maxOrderAmountOptionCoin: 500,
        maxOrderAmountFutureUsd: 250_000,
        maxOrderNotionalUsd: 2_500_000,
        optionCollar: { maxTicksFromReference: 4, maxFractionFromReference: 0.1 },
        futureCollar: { maxTicksFromReference: 20, maxFractionFromReference: 0.005 },
      },
    },
    [DEFAULT_UNDERLYING_KEY]: {
      vegaTotalUsdPerVolPt: { limit: 5_000, action: 'reduce-only' },
      openOrders: { limit: 200, action: 'pause' },
      ordersPerSec: { limit: 20, action: 'pause' },
      messagesPerSec: { limit: 50, action: 'pause' },
      grossNotionalUsd: { limit: 1_000_000, action: 'reduce-only' },
      dailyLossUsd: { limit: 25_000, action: 'kill' },
      drawdownUsd: { limit: 15_000, action: 'pause' },
      preTrade: { maxOrderNotionalUsd: 250_000 },
    },
  },
} satisfies LimitsConfigInput);

/** The limits of a currency: its own entry, else the "*" entry, else none. */
export function limitsFor(config: LimitsConfig, currency: string): UnderlyingLimits | undefined {
  return config.underlyings[currency] ?? config.underlyings[DEFAULT_UNDERLYING_KEY];
}

export type LimitState = 'ok' | 'warn' | 'breach';

export interface LimitStatus {
  /** Stable: 'BTC.delta', 'BTC.vega.total', 'BTC.vega.2026-12-25', 'BTC.position.BTC-PERPETUAL', … */
  readonly limitId: string;
  readonly currency: string;
  readonly key: LimitKey;
  readonly label: string;
  readonly unit: string;
  readonly value: number;
  readonly limit: number;
  /** |value|/limit (NaN when the value is unknown). */
  readonly utilization: number;
  readonly state: LimitState;
  readonly action: LimitAction;
}

// A value within this relative distance of its limit is at the limit, not over it: the same total
// summed in another order (a pre-trade projection, a fresh aggregation) differs in its last bits.
const AT_LIMIT_REL_TOL = 1e-9;

export function limitId(currency: string, key: LimitKey, subject?: string): string {
  const base = `${currency}.${LIMIT_META[key].idPart}`;
  return subject === undefined ? base : `${base}.${subject}`;
}

/** The status of one limit for a measured value; an unknown (NaN) value is a breach. */
export function limitStatus(currency: string, key: LimitKey, value: number, rule: LimitRule, subject?: string): LimitStatus {
  const magnitude = Math.abs(value);
  const utilization = rule.limit > 0 ? magnitude / rule.limit : magnitude === 0 ? 0 : Number.isNaN(magnitude) ? Number.NaN : Infinity;
  const breach = !(magnitude <= rule.limit * (1 + AT_LIMIT_REL_TOL));
  const state: LimitState = breach ? 'breach' : utilization >= rule.warnAtFraction ? 'warn' : 'ok';
  const meta = LIMIT_META[key];
  const label = `${currency} ${meta.label}${subject === undefined ? '' : ` ${subject}`}`;
  return { limitId: limitId(currency, key, subject), currency, key, label, unit: meta.unit, value, limit: rule.limit, utilization, state, action: rule.action };
}

/** The values measured for the per-underlying (subject-free) limits. */
export function scalarLimitValue(key: Exclude<LimitKey, 'vegaPerExpiryUsdPerVolPt' | 'optionPositionCoin' | 'futurePositionUsd'>, m: UnderlyingMetrics): number {
  switch (key) {
    case 'netDeltaCoin':
      return m.greeks.deltaCoin;
    case 'gammaCoinPerPct':
      return gammaCoinPerPct(m.greeks.gammaCoinPerUsd, m.indexUsd);
    case 'vegaTotalUsdPerVolPt':
      return m.greeks.vegaUsdPerVolPt;
    case 'openOrders':
      return m.openOrders;
    case 'ordersPerSec':
      return m.ordersPerSec;
    case 'messagesPerSec':
      return m.messagesPerSec;
    case 'grossNotionalUsd':
      return m.grossNotionalUsd;
    case 'dailyLossUsd':
      return Math.max(0, -m.dailyPnlUsd);
    case 'drawdownUsd':
      return Math.max(0, Math.max(m.dayPeakPnlUsd, m.dailyPnlUsd) - m.dailyPnlUsd);
  }
}

/** A currency's positions by name, sorted: per metrics' positions record (the refresh hands the same record over until a size changes). */
const sortedPositions = new WeakMap<UnderlyingMetrics['positions'], readonly (readonly [string, PositionMetric])[]>();

function positionsByName(positions: UnderlyingMetrics['positions']): readonly (readonly [string, PositionMetric])[] {
  let sorted = sortedPositions.get(positions);
  if (!sorted) sortedPositions.set(positions, (sorted = Object.entries(positions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return sorted;
}

/**
 * The latest status of each subject (instrument, bucket) per rule: a subject's status is the same
 * object while its value is, so about one status per position held is not rebuilt (ids, labels) on
 * every evaluation, and whoever keeps the previous ones can tell the unchanged by identity.
 * Rules are parsed config, never mutated: a new config brings new rules.
 */
const subjectStatuses = new WeakMap<LimitRule, Map<string, LimitStatus>>();

function subjectStatus(currency: string, key: LimitKey, value: number, rule: LimitRule, subject: string): LimitStatus {
  let byRule = subjectStatuses.get(rule);
  if (!byRule) subjectStatuses.set(rule, (byRule = new Map()));
  const known = byRule.get(subject);
  if (known && Object.is(known.value, value) && known.currency === currency && known.key === key) return known;
  const status = limitStatus(currency, key, value, rule, subject);
  byRule.set(subject, status);
  return status;
}

/**
 * Every configured limit of every currency that has metrics or its own limits, in a stable order
 * (currency, then LIMIT_KEYS order, buckets by expiry, positions by name). Per-bucket and
 * per-instrument limits appear for the buckets and instruments the book holds.
 */
export function evaluateLimits(metrics: RiskMetrics, config: LimitsConfig): LimitStatus[] {
  const currencies = new Set([...Object.keys(metrics), ...Object.keys(config.underlyings).filter((c) => c !== DEFAULT_UNDERLYING_KEY)]);
  const out: LimitStatus[] = [];
  for (const currency of [...currencies].sort()) {
    const limits = limitsFor(config, currency);
    if (!limits) continue;
    const m = metrics[currency] ?? emptyUnderlyingMetrics(currency);
    for (const key of LIMIT_KEYS) {
      const rule = limits[key];
      if (!rule) continue;
      if (key === 'vegaPerExpiryUsdPerVolPt') {
        for (const b of m.vegaByExpiry) out.push(subjectStatus(currency, key, b.vegaUsdPerVolPt, rule, b.bucketId));
      } else if (key === 'optionPositionCoin' || key === 'futurePositionUsd') {
        const kind = key === 'optionPositionCoin' ? 'option' : 'future';
        for (const [name, p] of positionsByName(m.positions)) if (p.kind === kind) out.push(subjectStatus(currency, key, p.size, rule, name));
      } else {
        out.push(limitStatus(currency, key, scalarLimitValue(key, m), rule));
      }
    }
  }
  return out;
}

/** A limit entering or leaving breach, for the journal and the LimitBreached event. */
export interface LimitTransition {
  readonly kind: 'breached' | 'reset';
  readonly limitId: string;
  readonly label: string;
  readonly unit: string;
  /** The value now; 0 for a limit that no longer applies (its position or bucket is gone). */
  readonly value: number;
  readonly limit: number;
  readonly action: LimitAction;
  readonly message: string;
}

function transition(kind: LimitTransition['kind'], s: LimitStatus, value: number): LimitTransition {
  const message =
    kind === 'breached'
      ? `${s.label} ${formatQty(value)} ${s.unit} exceeds limit ${formatQty(s.limit)} (${s.action})`
      : `${s.label} back within limit: ${formatQty(value)} ${s.unit} of ${formatQty(s.limit)}`;
  return { kind, limitId: s.limitId, label: s.label, unit: s.unit, value, limit: s.limit, action: s.action, message };
}

/** Limits that entered breach, and limits that left it (or vanished while breached), between two evaluations. */
export function limitTransitions(previous: readonly LimitStatus[], next: readonly LimitStatus[]): LimitTransition[] {
  // Only what was in breach can reset: usually nothing, so the hundreds of limits that were not cost no lookup.
  const breached = new Map<string, LimitStatus>();
  for (const s of previous) if (s.state === 'breach') breached.set(s.limitId, s);
  const out: LimitTransition[] = [];
  for (const s of next) {
    const was = breached.size > 0 && breached.delete(s.limitId);
    const is = s.state === 'breach';
    if (is && !was) out.push(transition('breached', s, s.value));
    else if (was && !is) out.push(transition('reset', s, s.value));
  }
  for (const s of breached.values()) out.push(transition('reset', s, 0));
  return out;
}

/** The most severe action among breached limits (kill > pause > reduce-only > warn), undefined if none. */
export function strongestAction(statuses: readonly LimitStatus[]): LimitAction | undefined {
  let best: LimitAction | undefined;
  for (const s of statuses) if (s.state === 'breach' && (best === undefined || SEVERITY[s.action] > SEVERITY[best])) best = s.action;
  return best;
}

export function actionSeverity(action: LimitAction): number {
  return SEVERITY[action];
}

export type ConfigResult = { readonly ok: true; readonly config: LimitsConfig } | { readonly ok: false; readonly error: string };

/** A limits file's content (already JSON-parsed) as a config, or every problem with its path. */
export function parseLimitsConfig(json: unknown): ConfigResult {
  const parsed = LimitsConfigSchema.safeParse(json);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, error: `invalid limits: ${z.prettifyError(parsed.error)}` };
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

// JSON Merge Patch (RFC 7396): objects merge key by key, null deletes, anything else replaces.
function mergePatch(target: unknown, patch: unknown, path: string): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(key)) throw new TypeError(`${path}${key}: not a limits field`);
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value, `${path}${key}.`);
  }
  return out;
}

/**
 * A UI edit applied to the config: `patch` is a JSON Merge Patch (RFC 7396) of the config file,
 * e.g. {underlyings: {BTC: {vegaTotalUsdPerVolPt: {limit: 60000}}}} to raise one limit, or
 * {underlyings: {BTC: {gammaCoinPerPct: null}}} to remove one. The result must be a valid config
 * as a whole; otherwise the error names every offending field.
 */
export function parseLimitPatch(config: LimitsConfig, patch: unknown): ConfigResult {
  if (!isPlainObject(patch)) return { ok: false, error: 'limits patch: expected an object (a JSON merge patch of the limits file)' };
  let merged: unknown;
  try {
    merged = mergePatch(config, patch, '');
  } catch (error) {
    return { ok: false, error: `limits patch: ${(error as Error).message}` };
  }
  return parseLimitsConfig(merged);
}

/** One limit changed from the UI (SetLimit): any of its value, warning fraction and action. */
export interface LimitEdit {
  readonly limitId: string;
  readonly limit?: number;
  readonly warnAtFraction?: number;
  readonly action?: LimitAction;
}

/**
 * The limits after a trader's edit of one displayed limit. Limits of one kind share a rule (every
 * expiry bucket's vega, every instrument's position), so editing one edits them all. A currency
 * on the "*" defaults gets its own entry: a copy of the defaults with this change.
 */
export function applyLimitEdit(config: LimitsConfig, statuses: readonly LimitStatus[], edit: LimitEdit): ConfigResult {
  const status = statuses.find((s) => s.limitId === edit.limitId);
  if (!status) return { ok: false, error: `no limit ${edit.limitId}` };
  const current = limitsFor(config, status.currency);
  if (!current) return { ok: false, error: `no limits configured for ${status.currency}` };
  const rule = current[status.key];
  if (!rule && edit.limit === undefined) return { ok: false, error: `${edit.limitId} has no limit yet: give one` };
  const next = { ...rule, ...(edit.limit !== undefined && { limit: edit.limit }), ...(edit.warnAtFraction !== undefined && { warnAtFraction: edit.warnAtFraction }), ...(edit.action !== undefined && { action: edit.action }) };
  const base = config.underlyings[status.currency] ? {} : current;
  return parseLimitPatch(config, { underlyings: { [status.currency]: { ...base, [status.key]: next } } });
}

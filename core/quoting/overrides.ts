/**
 * Manual quote overrides: the trader's final word over the model, with provenance (who, when, why)
 * and an optional expiry. An override targets one instrument, one expiry of an underlying, or a
 * whole underlying; several may apply to one option at once, and they combine as follows.
 *
 *   field            kind      rule
 *   volOffsetPts     offset    sum of every active override that applies (moves theo itself)
 *   skewOffsetPts    offset    sum (moves the reservation vol, i.e. both sides, not theo)
 *   widthMultiplier  factor    product
 *   sideOff          union     a side is off when any applying override turns it off
 *   sizeCoin         replace   the most specific scope wins: instrument > expiry > underlying;
 *   lock             replace     within one scope the latest (provenance.atMs, then id) wins.
 *   fixedPrice       replace   per side (bid, ask); instrument scope only.
 *
 * Offsets and factors stack because each is a relative adjustment the trader made for its own
 * reason ("+1 pt on the whole curve", "+0.5 more on this strike"); replace-type fields are absolute
 * settings, so the narrowest statement is the trader's most deliberate one — which is also how an
 * instrument is exempted from a broader lock (lock: false at instrument scope).
 *
 * Active means not expired: expiresAtMs absent or nowMs < expiresAtMs. Expired overrides are
 * ignored (they may stay in the list until pruned). The engine assigns id and provenance.atMs;
 * the UI sends QuoteOverrideInput.
 */
import { z } from 'zod';
import type { InstrumentRow } from '../protocol/index.ts';
import { describeIssues } from './quoting-params.ts';

const name = z.string().min(1).max(64);
const currency = z.string().min(1).max(16);
const tsMs = z.number().int().nonnegative();
const volPts = z.number().finite().min(-50).max(50);
const priceCoin = z.number().finite().positive();

export const OverrideScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instrument'), instrumentName: name }).strict(),
  z.object({ kind: z.literal('expiry'), currency, expiryMs: tsMs }).strict(),
  z.object({ kind: z.literal('underlying'), currency }).strict(),
]);

const effectFields = {
  /** Vol points added to theo vol (the trader's view of fair value). */
  volOffsetPts: volPts.optional(),
  /** Multiplies the half-width (0.5 halves it, 2 doubles it); minimum edge still applies. */
  widthMultiplier: z.number().finite().positive().max(20).optional(),
  /** Vol points added to the reservation vol: both sides move, theo does not (a manual lean). */
  skewOffsetPts: volPts.optional(),
  /** Replaces params.sizeCoin (level 0; deeper levels keep their factors). */
  sizeCoin: z.number().finite().positive().max(10_000).optional(),
  /** Turns one side off. */
  sideOff: z.enum(['bid', 'ask']).optional(),
  /** Fixed prices in coin (instrument scope only): level 0 at this price, rounded passively to tick; no model edge. */
  fixedPrice: z
    .object({ bidPriceCoin: priceCoin.optional(), askPriceCoin: priceCoin.optional() })
    .strict()
    .refine((p) => p.bidPriceCoin !== undefined || p.askPriceCoin !== undefined, { message: 'give a bid or an ask price' })
    .refine((p) => p.bidPriceCoin === undefined || p.askPriceCoin === undefined || p.bidPriceCoin < p.askPriceCoin, { message: 'bid must be below ask' })
    .optional(),
  /** Freezes the working quote as it is: no place, amend or cancel while locked. */
  lock: z.boolean().optional(),
};

const EFFECT_KEYS = Object.keys(effectFields) as readonly (keyof typeof effectFields)[];

function effectProblems(
  value: { readonly scope: z.infer<typeof OverrideScopeSchema>; readonly fixedPrice?: unknown } & Partial<Record<keyof typeof effectFields, unknown>>,
  ctx: z.RefinementCtx,
): void {
  if (!EFFECT_KEYS.some((key) => value[key] !== undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: `an override needs at least one of ${EFFECT_KEYS.join(', ')}` });
  }
  if (value.fixedPrice !== undefined && value.scope.kind !== 'instrument') {
    ctx.addIssue({ code: 'custom', path: ['fixedPrice'], message: 'a fixed price applies to one instrument only' });
  }
}

/** An override as the UI sends it: the engine adds id and provenance.atMs. */
export const QuoteOverrideInputSchema = z
  .object({
    scope: OverrideScopeSchema,
    ...effectFields,
    provenance: z.object({ by: z.string().min(1).max(64), reason: z.string().min(1).max(500) }).strict(),
    expiresAtMs: tsMs.optional(),
  })
  .strict()
  .superRefine(effectProblems);

/** A stored override (journal, snapshot): the input plus what the engine assigned. */
export const QuoteOverrideSchema = z
  .object({
    id: name,
    scope: OverrideScopeSchema,
    ...effectFields,
    provenance: z.object({ by: z.string().min(1).max(64), atMs: tsMs, reason: z.string().min(1).max(500) }).strict(),
    expiresAtMs: tsMs.optional(),
  })
  .strict()
  .superRefine(effectProblems);

export type OverrideScope = Readonly<z.infer<typeof OverrideScopeSchema>>;
export type QuoteOverrideInput = Readonly<z.input<typeof QuoteOverrideInputSchema>>;
export type QuoteOverride = Readonly<z.infer<typeof QuoteOverrideSchema>>;

export type OverrideResult = { readonly ok: true; readonly override: QuoteOverride } | { readonly ok: false; readonly error: string };

/**
 * The engine edge for a new override: validates what the UI sent, stamps it with id and nowMs,
 * and refuses one that would already be expired.
 */
export function acceptQuoteOverride(input: unknown, id: string, nowMs: number): OverrideResult {
  const parsed = QuoteOverrideInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  const { provenance, ...rest } = parsed.data;
  if (rest.expiresAtMs !== undefined && rest.expiresAtMs <= nowMs) return { ok: false, error: 'expiresAtMs: already expired' };
  return { ok: true, override: { id, ...rest, provenance: { by: provenance.by, atMs: nowMs, reason: provenance.reason } } };
}

/** Whether an override is in force at nowMs. */
export function isOverrideActive(override: QuoteOverride, nowMs: number): boolean {
  return override.expiresAtMs === undefined || nowMs < override.expiresAtMs;
}

/** The overrides still in force (to drop expired ones from the engine's list). */
export function pruneExpiredOverrides(overrides: readonly QuoteOverride[], nowMs: number): readonly QuoteOverride[] {
  return overrides.filter((override) => isOverrideActive(override, nowMs));
}

/** When the next active override expires (the engine recomputes effective overrides then), or undefined. */
export function nextOverrideExpiryMs(overrides: readonly QuoteOverride[], nowMs: number): number | undefined {
  let next: number | undefined;
  for (const override of overrides) {
    const at = override.expiresAtMs;
    if (at !== undefined && at > nowMs && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** What an instrument's quotes are subject to once every applying override is combined. */
export interface EffectiveOverride {
  readonly volOffsetPts: number;
  readonly skewOffsetPts: number;
  readonly widthMultiplier: number;
  readonly sizeCoin?: number;
  readonly bidOff: boolean;
  readonly askOff: boolean;
  readonly fixedBidPriceCoin?: number;
  readonly fixedAskPriceCoin?: number;
  readonly locked: boolean;
  /** Ids of the overrides that shaped this result, broadest scope first (provenance for the UI). */
  readonly overrideIds: readonly string[];
}

export const NO_OVERRIDE: EffectiveOverride = Object.freeze({
  volOffsetPts: 0,
  skewOffsetPts: 0,
  widthMultiplier: 1,
  bidOff: false,
  askOff: false,
  locked: false,
  overrideIds: Object.freeze([]) as readonly string[],
});

export type OverrideTarget = Pick<InstrumentRow, 'instrumentName' | 'currency' | 'expiryMs'>;

const SCOPE_RANK: Readonly<Record<OverrideScope['kind'], number>> = { underlying: 0, expiry: 1, instrument: 2 };

/** Whether an override's scope covers the instrument. */
export function overrideApplies(scope: OverrideScope, instrument: OverrideTarget): boolean {
  switch (scope.kind) {
    case 'instrument':
      return scope.instrumentName === instrument.instrumentName;
    case 'expiry':
      return scope.currency === instrument.currency && scope.expiryMs === instrument.expiryMs;
    case 'underlying':
      return scope.currency === instrument.currency;
  }
}

/** Precedence order: broadest scope first, then oldest, then id; the last writer of a replace-type field wins. */
function byPrecedence(a: QuoteOverride, b: QuoteOverride): number {
  return SCOPE_RANK[a.scope.kind] - SCOPE_RANK[b.scope.kind] || a.provenance.atMs - b.provenance.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Combines the active overrides that apply to the instrument (rules in the module comment). */
export function effectiveOverride(instrument: OverrideTarget, overrides: readonly QuoteOverride[], nowMs: number): EffectiveOverride {
  const applying = overrides.filter((o) => isOverrideActive(o, nowMs) && overrideApplies(o.scope, instrument)).sort(byPrecedence);
  if (applying.length === 0) return NO_OVERRIDE;
  let volOffsetPts = 0;
  let skewOffsetPts = 0;
  let widthMultiplier = 1;
  let bidOff = false;
  let askOff = false;
  // Winners of the replace-type fields, by position in `applying`.
  let size = -1;
  let lock = -1;
  let fixedBid = -1;
  let fixedAsk = -1;
  const contributed = new Array<boolean>(applying.length).fill(false);
  for (let i = 0; i < applying.length; i++) {
    const o = applying[i]!;
    if (o.volOffsetPts !== undefined) {
      volOffsetPts += o.volOffsetPts;
      contributed[i] = true;
    }
    if (o.skewOffsetPts !== undefined) {
      skewOffsetPts += o.skewOffsetPts;
      contributed[i] = true;
    }
    if (o.widthMultiplier !== undefined) {
      widthMultiplier *= o.widthMultiplier;
      contributed[i] = true;
    }
    if (o.sideOff !== undefined) {
      if (o.sideOff === 'bid') bidOff = true;
      else askOff = true;
      contributed[i] = true;
    }
    if (o.sizeCoin !== undefined) size = i;
    if (o.lock !== undefined) lock = i;
    if (o.fixedPrice !== undefined && o.scope.kind === 'instrument') {
      if (o.fixedPrice.bidPriceCoin !== undefined) fixedBid = i;
      if (o.fixedPrice.askPriceCoin !== undefined) fixedAsk = i;
    }
  }
  for (const winner of [size, lock, fixedBid, fixedAsk]) if (winner >= 0) contributed[winner] = true;
  const sizeCoin = size >= 0 ? applying[size]!.sizeCoin : undefined;
  const fixedBidPriceCoin = fixedBid >= 0 ? applying[fixedBid]!.fixedPrice!.bidPriceCoin : undefined;
  const fixedAskPriceCoin = fixedAsk >= 0 ? applying[fixedAsk]!.fixedPrice!.askPriceCoin : undefined;
  return {
    volOffsetPts,
    skewOffsetPts,
    widthMultiplier,
    ...(sizeCoin !== undefined && { sizeCoin }),
    bidOff,
    askOff,
    ...(fixedBidPriceCoin !== undefined && { fixedBidPriceCoin }),
    ...(fixedAskPriceCoin !== undefined && { fixedAskPriceCoin }),
    locked: lock >= 0 ? applying[lock]!.lock === true : false,
    overrideIds: applying.filter((_, i) => contributed[i]).map((o) => o.id),
  };
}

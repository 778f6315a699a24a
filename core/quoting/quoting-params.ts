/**
 * Quoting parameters of one underlying (BTC, ETH…): the trader's knobs for width, size, skew,
 * refresh and which options are quoted. Validated with a schema at the engine edge; the UI edits
 * them with partial patches (parseQuotingParamsPatch), and every patch is checked against the
 * whole (cross-field rules included) before it replaces the current parameters.
 *
 * How each knob acts is described on its field; the skew and size formulas they feed are derived
 * in quote-generator.ts.
 */
import { z } from 'zod';

const nonNegative = z.number().finite().min(0);
const positive = z.number().finite().positive();

const QuotingParamsObject = z
  .object({
    // ── Width ────────────────────────────────────────────────────────────────────────────────
    /**
     * Half-width of the quote in vol points around the reservation vol with no surface
     * uncertainty: bid vol = reservation − half-width, ask vol = reservation + half-width.
     * Wider earns more per trade and trades less.
     */
    baseHalfWidthVolPts: nonNegative.max(50),
    /**
     * Vol points of extra half-width per vol point of surface uncertainty (the fit's error or a
     * vol-of-vol input): half-width = (base + factor · uncertaintyVolPts) × override multiplier.
     * Widens where the surface is least trusted (wings, sparse expiries).
     */
    uncertaintyWidthFactor: nonNegative.max(20),
    /**
     * Minimum distance of each side from theo, in ticks (fractions allowed). Applied after the
     * vol-space width and skew: a cheap option whose vol width is under a tick still earns
     * this edge, and skew never pushes a side through theo. Each side is also strictly off theo.
     */
    minEdgeTicks: nonNegative.max(1000),

    // ── Size and levels ──────────────────────────────────────────────────────────────────────
    /**
     * Quote size per side at level 0, in coin. Rounded down to the instrument's minTradeAmount
     * (a size under one lot quotes nothing), so set it as a multiple of minTradeAmount.
     */
    sizeCoin: positive.max(10_000),
    /** Levels per side, 1…3: level l sits l · levelSpacingVolPts further out than level 0. */
    levels: z.number().int().min(1).max(3),
    /** Extra distance in vol points between consecutive levels (at least one tick in price). */
    levelSpacingVolPts: nonNegative.max(50),
    /** Size of level l = sizeCoin × levelSizeFactors[l] (before risk shrink). */
    levelSizeFactors: z.tuple([positive.max(100), positive.max(100), positive.max(100)]).readonly(),

    // ── Skew (reservation price) ─────────────────────────────────────────────────────────────
    /**
     * γΔ in USD per coin²: the reservation price of an option with delta δ (coin per coin) moves
     * by −γΔ · portfolioDeltaCoin · δ USD. Long delta lowers calls and raises puts, so the quotes
     * lean toward trades that bring delta back. Calibrate as aversion × (F·σ)² × hedge horizon.
     */
    riskAversionDelta: nonNegative.max(1e6),
    /**
     * γV in vol points per USD/vol pt of portfolio vega: every option's reservation vol moves by
     * −γV · portfolioVegaUsdPerVolPt vol points (1e-4: 10,000 USD/vol pt of vega → 1 vol pt).
     */
    riskAversionVega: nonNegative.max(1),
    /**
     * γB in vol points per USD/vol pt of this expiry's vega: the reservation vol of the expiry's
     * options moves by a further −γB · bucketVegaUsdPerVolPt. Leans against concentration in one
     * expiry that portfolio vega does not see (long front, short back).
     */
    riskAversionBucketVega: nonNegative.max(1),
    /** Cap on the model skew |reservation − theo| in vol points (manual skew offsets come on top). */
    maxSkewVolPts: nonNegative.max(50),

    // ── Size shrink (the risk-adding side) ───────────────────────────────────────────────────
    /**
     * References of the normalised risk ρ = (Δ/refΔ)² + (V/refV)² + (VB/refVB)² + (pos/refPos)²:
     * the side whose fill would add to ρ quotes sizeCoin × max(0, 1 − √ρ), so its size reaches
     * zero when any one exposure alone reaches its reference. The reducing side keeps full size.
     * REDUCING mode quotes only sides that lower ρ, capped at the amount that minimises it.
     */
    sizeShrinkDeltaCoin: positive,
    sizeShrinkVegaUsdPerVolPt: positive,
    sizeShrinkBucketVegaUsdPerVolPt: positive,
    /** Position in the instrument itself, in coin. */
    sizeShrinkPositionCoin: positive,

    // ── Refresh ──────────────────────────────────────────────────────────────────────────────
    /**
     * A working order is re-priced only when the desired price moved more than
     * max(refreshToleranceTicks · tick, refreshToleranceVolPts · vega in coin): fewer edits (rate
     * limits, queue position) for a little staleness. An order resting more aggressively than
     * its edge, post-only or collar limit is re-priced whatever the tolerance.
     */
    refreshToleranceTicks: nonNegative.max(100),
    refreshToleranceVolPts: nonNegative.max(10),
    /** A working order is resized only when its open amount differs by more than this fraction of the desired amount (and by at least half a lot). */
    refreshToleranceSizeFraction: nonNegative.max(1),

    // ── Selection ────────────────────────────────────────────────────────────────────────────
    /** Expiries closer than this many days are not quoted (gamma and pin risk near expiry). */
    minDaysToExpiry: nonNegative.max(3650),
    /** Only the nearest maxExpiries expiries (after minDaysToExpiry) are quoted. */
    maxExpiries: z.number().int().min(1).max(100),
    /**
     * A strike is quoted when its call delta (Black, at theo vol; the put of the same strike has
     * |delta| = 1 − call delta) lies in [minAbsDelta, maxAbsDelta]: drops the far wings on both
     * sides where quotes are tick-sized and risk is all jump.
     */
    minAbsDelta: nonNegative.max(1),
    maxAbsDelta: nonNegative.max(1),
    /** And only when |ln(K/F)| ≤ maxAbsLogMoneyness. */
    maxAbsLogMoneyness: positive.max(10),

    // ── Orders ───────────────────────────────────────────────────────────────────────────────
    /** Orders are post-only: a side is kept at least one tick away from the opposite best price. */
    postOnly: z.boolean(),
    /**
     * Level 0 goes as the venue's mass quotes where the account is granted them (Deribit's
     * private/mass_quote: one message for many options, rate-limited apart from orders, in the
     * underlying's MMP group); off, or where the venue does not take them, every level is a
     * regular order.
     */
    massQuotes: z.boolean(),
  })
  .strict();

function crossFieldProblems(params: z.infer<typeof QuotingParamsObject>, ctx: z.RefinementCtx): void {
  if (params.minAbsDelta >= params.maxAbsDelta) {
    ctx.addIssue({ code: 'custom', path: ['minAbsDelta'], message: `must be below maxAbsDelta (${params.maxAbsDelta})` });
  }
}

/** Full parameters of one underlying, with the cross-field rules. */
export const QuotingParamsSchema = QuotingParamsObject.superRefine(crossFieldProblems);

/** A partial update from the UI: any subset of the fields, nothing else. */
export const QuotingParamsPatchSchema = QuotingParamsObject.partial().strict();

export type QuotingParams = Readonly<z.infer<typeof QuotingParamsSchema>>;
export type QuotingParamsPatch = Readonly<z.infer<typeof QuotingParamsPatchSchema>>;

/**
 * Defaults for a BTC chain (F ≈ 60–100k USD, ATM 30-day vega ≈ 70–120 USD per vol pt):
 * 1 vol pt half-width, one tick of minimum edge, 1 BTC per side on one level; γΔ = 5 USD/coin²
 * skews a 30-day ATM call by ≈ 0.4 vol pt for 10 BTC of delta; γV = 1e-4 moves all vols 1 pt for
 * 10,000 USD/vol pt of vega, γB twice that per expiry; sizes reach zero at 50 BTC of delta,
 * 50,000 USD/vol pt of vega, 25,000 in one expiry, 100 BTC in one option.
 */
export const DEFAULT_QUOTING_PARAMS: QuotingParams = Object.freeze({
  baseHalfWidthVolPts: 1,
  uncertaintyWidthFactor: 1,
  minEdgeTicks: 1,
  sizeCoin: 1,
  levels: 1,
  levelSpacingVolPts: 0.5,
  levelSizeFactors: Object.freeze([1, 2, 3] as const),
  riskAversionDelta: 5,
  riskAversionVega: 1e-4,
  riskAversionBucketVega: 2e-4,
  maxSkewVolPts: 5,
  sizeShrinkDeltaCoin: 50,
  sizeShrinkVegaUsdPerVolPt: 50_000,
  sizeShrinkBucketVegaUsdPerVolPt: 25_000,
  sizeShrinkPositionCoin: 100,
  refreshToleranceTicks: 1,
  refreshToleranceVolPts: 0.1,
  refreshToleranceSizeFraction: 0,
  minDaysToExpiry: 0.5,
  maxExpiries: 8,
  minAbsDelta: 0.03,
  maxAbsDelta: 0.97,
  maxAbsLogMoneyness: 1.5,
  postOnly: true,
  massQuotes: true,
});

export type ParamsResult = { readonly ok: true; readonly params: QuotingParams } | { readonly ok: false; readonly error: string };

/** "path: message; path: message" — what the UI shows under the form. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(params)'}: ${issue.message}`).join('; ');
}

/** Validates a whole parameter set (from a file, a snapshot or a replay). */
export function parseQuotingParams(input: unknown): ParamsResult {
  const parsed = QuotingParamsSchema.safeParse(input);
  return parsed.success ? { ok: true, params: parsed.data } : { ok: false, error: describeIssues(parsed.error) };
}

/**
 * Applies a partial update from the UI to the current parameters: the patch must name only known
 * fields with valid values, and the merged result must pass the cross-field rules. Returns the new
 * parameters or an error naming every offending field; the current parameters are never changed.
 */
export function parseQuotingParamsPatch(current: QuotingParams, patch: unknown): ParamsResult {
  const parsedPatch = QuotingParamsPatchSchema.safeParse(patch);
  if (!parsedPatch.success) return { ok: false, error: describeIssues(parsedPatch.error) };
  return parseQuotingParams({ ...current, ...parsedPatch.data });
}

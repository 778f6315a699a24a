import type { MmpConfig } from './types.ts';

/**
 * Market maker protection, as Deribit defines it: fills of MMP orders are summed over a rolling
 * interval; when quantity, |delta| or |vega| reaches its limit, every MMP order of that index is
 * cancelled and new ones are refused until `frozenTimeSec` passes (or, with 0, until a reset).
 */
export interface MmpFill {
  readonly tsMs: number;
  readonly quantity: number;
  readonly delta: number;
  readonly vega: number;
}

export interface MmpState {
  readonly config: MmpConfig;
  readonly fills: readonly MmpFill[];
  /** Infinity when frozen until an explicit reset; 0 when not frozen. */
  readonly frozenUntilMs: number;
}

export function newMmpState(config: MmpConfig): MmpState {
  return { config, fills: [], frozenUntilMs: 0 };
}

export function isFrozen(state: MmpState, nowMs: number): boolean {
  return state.frozenUntilMs > nowMs;
}

export type MmpOutcome = { readonly state: MmpState; readonly triggered: boolean };

export function recordMmpFill(state: MmpState, fill: MmpFill): MmpOutcome {
  const windowStartMs = fill.tsMs - state.config.intervalSec * 1000;
  const fills = [...state.fills.filter((f) => f.tsMs > windowStartMs), fill];
  let quantity = 0;
  let delta = 0;
  let vega = 0;
  for (const f of fills) {
    quantity += f.quantity;
    delta += f.delta;
    vega += f.vega;
  }
  const { quantityLimit, deltaLimit, vegaLimit } = state.config;
  const triggered =
    (quantityLimit > 0 && quantity >= quantityLimit) ||
    (deltaLimit !== undefined && deltaLimit > 0 && Math.abs(delta) >= deltaLimit) ||
    (vegaLimit !== undefined && vegaLimit > 0 && Math.abs(vega) >= vegaLimit);
  if (!triggered) return { state: { ...state, fills }, triggered: false };
  const frozenUntilMs = state.config.frozenTimeSec > 0 ? fill.tsMs + state.config.frozenTimeSec * 1000 : Number.POSITIVE_INFINITY;
  return { state: { ...state, fills: [], frozenUntilMs }, triggered: true };
}

export function resetMmp(state: MmpState): MmpState {
  return { ...state, fills: [], frozenUntilMs: 0 };
}

/**
 * Whether a mass quote of `sizeCoin` (base coin; a future's USD amount over its price) fits its
 * MMP group. With a max_quote_quantity, at most that: Deribit's MQQ caps the open size per side per
 * book, may exceed the quantity_limit (a partial fill can then trigger MMP), and "cannot be
 * exceeded" (docs.deribit.com/articles/market-maker-protection). Without one, strictly below the
 * quantity_limit, the mass-quote specification's rule (the margin the group reserves). The
 * tolerance absorbs float noise of the coin conversion, far below MQQ's four decimals.
 */
export function quoteFitsGroup(config: MmpConfig, sizeCoin: number): boolean {
  if (!Number.isFinite(sizeCoin)) return false;
  return config.maxQuoteQuantity !== undefined ? sizeCoin <= config.maxQuoteQuantity + 1e-9 : sizeCoin < config.quantityLimit;
}

/** The limit quoteFitsGroup applies, in words, for an error's reason. */
export function quoteLimitText(config: MmpConfig): string {
  return config.maxQuoteQuantity !== undefined ? `at most the MMP group's max_quote_quantity ${config.maxQuoteQuantity}` : `below the MMP group's quantity_limit ${config.quantityLimit}`;
}

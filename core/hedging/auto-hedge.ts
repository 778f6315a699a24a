import { z } from 'zod';
import type { TradeSide } from '../model/trading.ts';
import type { InstrumentRow } from '../protocol/state.ts';
import { lotsToward, lotsWithin, usdOfLots } from './inverse-future.ts';
import { TacticSpecSchema } from './tactic.ts';

/**
 * The automatic delta hedger's decision: keep net delta inside a band around a target.
 *
 * Outside the band it hedges back to the target, not to the band's edge. Hedging to the edge
 * leaves the book sitting on the edge, where the next small move triggers the next hedge: more
 * trades, each paying spread and fee, for the same risk. Hedging to the target buys back the
 * whole band as headroom; the price is larger individual trades. (Whalley–Wilmott-style optimal
 * bands hedge to the edge under proportional costs; with a minimum interval and a minimum size
 * already throttling us, re-centring keeps the behaviour easy to predict, which a trader watching
 * it values more.)
 *
 * It does not hedge: when disabled; while a hedge is in flight (the position is about to change
 * and a second order would double it); inside the band (|delta − target| ≤ band, the edge
 * counting as inside); sooner than minIntervalMs after the last hedge; or for less than
 * minSizeUsd (or less than half a lot, which rounds to nothing). The checks run in that order, so
 * the reason names the first that holds.
 */

export const HedgeInstrumentChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('perpetual') }).strict(),
  z.object({ kind: z.literal('future'), instrumentName: z.string().min(1).max(64) }).strict(),
]);
export type HedgeInstrumentChoice = Readonly<z.infer<typeof HedgeInstrumentChoiceSchema>>;

export const AutoHedgeConfigSchema = z
  .object({
    enabled: z.boolean(),
    /** Coin; usually 0. */
    targetCoin: z.number().finite(),
    /** Half-width of the band around the target, coin. */
    bandCoin: z.number().finite().positive(),
    minIntervalMs: z.number().int().nonnegative(),
    minSizeUsd: z.number().finite().nonnegative(),
    /** Largest single hedge; a bigger need is hedged in steps, minIntervalMs apart. */
    maxSizeUsd: z.number().finite().positive().optional(),
    instrument: HedgeInstrumentChoiceSchema,
    tactic: TacticSpecSchema,
  })
  .strict()
  .refine((config) => config.maxSizeUsd === undefined || config.maxSizeUsd >= config.minSizeUsd, { message: 'maxSizeUsd must be at least minSizeUsd', path: ['maxSizeUsd'] });
export type AutoHedgeConfig = Readonly<z.infer<typeof AutoHedgeConfigSchema>>;

export interface AutoHedgeInput {
  readonly enabled?: boolean;
  readonly deltaCoin: number;
  readonly targetCoin: number;
  readonly bandCoin: number;
  /** When the last hedge was sent; undefined if none yet. */
  readonly lastHedgeTsMs: number | undefined;
  readonly nowMs: number;
  readonly minIntervalMs: number;
  readonly minSizeUsd: number;
  readonly maxSizeUsd?: number;
  readonly hedgeInFlight: boolean;
  /** The hedge instrument's price (mid or mark): USD per coin of delta. */
  readonly priceUsd: number;
  /** The hedge instrument's lot (./inverse-future.ts lotUsd). */
  readonly lotUsd: number;
}

export type AutoHedgeSkipReason = 'disabled' | 'invalid-input' | 'in-flight' | 'inside-band' | 'too-soon' | 'below-min-size';

export type AutoHedgeDecision =
  | { readonly hedge: false; readonly reason: AutoHedgeSkipReason; readonly detail: string }
  | {
      readonly hedge: true;
      readonly side: TradeSide;
      readonly amountUsd: number;
      /** The delta this hedge removes at priceUsd (signed like the order). */
      readonly hedgeDeltaCoin: number;
      /** True when maxSizeUsd cut the hedge short of the target. */
      readonly clipped: boolean;
    };

const skip = (reason: AutoHedgeSkipReason, detail: string): AutoHedgeDecision => ({ hedge: false, reason, detail });

export function autoHedgeDecision(input: AutoHedgeInput): AutoHedgeDecision {
  if (input.enabled === false) return skip('disabled', 'auto-hedge is off');
  const numbers = [input.deltaCoin, input.targetCoin, input.bandCoin, input.nowMs, input.minIntervalMs, input.minSizeUsd, input.priceUsd, input.lotUsd];
  if (!numbers.every(Number.isFinite) || !(input.priceUsd > 0) || !(input.lotUsd > 0) || input.bandCoin < 0) {
    return skip('invalid-input', 'a delta, price, band or lot is not a usable number');
  }
  if (input.hedgeInFlight) return skip('in-flight', 'a hedge is still working');
  const offCoin = input.targetCoin - input.deltaCoin;
  if (Math.abs(offCoin) <= input.bandCoin) return skip('inside-band', `delta is ${fmt(-offCoin)} coin from the target, inside the ±${fmt(input.bandCoin)} band`);
  if (input.lastHedgeTsMs !== undefined && input.nowMs - input.lastHedgeTsMs < input.minIntervalMs) {
    return skip('too-soon', `last hedge ${input.nowMs - input.lastHedgeTsMs} ms ago, minimum interval ${input.minIntervalMs} ms`);
  }
  let lots = lotsToward(Math.abs(offCoin) * input.priceUsd, input.lotUsd);
  let clipped = false;
  if (input.maxSizeUsd !== undefined && usdOfLots(lots, input.lotUsd) > input.maxSizeUsd) {
    lots = lotsWithin(input.maxSizeUsd, input.lotUsd);
    clipped = true;
  }
  const amountUsd = usdOfLots(lots, input.lotUsd);
  if (lots === 0 || amountUsd < input.minSizeUsd) return skip('below-min-size', `${amountUsd} USD is below the minimum hedge of ${Math.max(input.minSizeUsd, input.lotUsd)} USD`);
  const side: TradeSide = offCoin > 0 ? 'buy' : 'sell';
  return { hedge: true, side, amountUsd, hedgeDeltaCoin: (side === 'buy' ? amountUsd : -amountUsd) / input.priceUsd, clipped };
}

/**
 * The instrument a configured choice names, among the listed ones of a currency: the perpetual,
 * or the named future if it is listed and not expired. Undefined when there is none.
 *
 * InstrumentRow does not say whether a future is inverse or linear, and Deribit reports BTC as
 * the base currency of its USDC-margined BTC_USDC-PERPETUAL too; so the perpetual is looked for
 * by Deribit's inverse name (BTC-PERPETUAL) first, and only then as any perpetual of the currency.
 */
export function resolveHedgeInstrument(
  choice: HedgeInstrumentChoice,
  currency: string,
  instruments: Readonly<Record<string, InstrumentRow>>,
  nowMs: number,
): InstrumentRow | undefined {
  if (choice.kind === 'future') {
    const named = instruments[choice.instrumentName];
    return named && named.kind === 'future' && named.currency === currency && (named.isPerpetual || named.expiryMs > nowMs) ? named : undefined;
  }
  const isPerpetual = (i: InstrumentRow | undefined): i is InstrumentRow => i !== undefined && i.kind === 'future' && i.isPerpetual && i.currency === currency;
  const byName = instruments[`${currency}-PERPETUAL`];
  return isPerpetual(byName) ? byName : Object.values(instruments).find(isPerpetual);
}

function fmt(coin: number): string {
  return Number(coin.toPrecision(6)).toString();
}

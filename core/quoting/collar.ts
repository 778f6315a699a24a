/**
 * The price collar: how far an order's price may sit from a reference price (our theo, the
 * venue's mark). One definition shared by quote generation and the pre-trade checks of core/risk,
 * so a quote the generator lets through is never rejected by risk for being out of band:
 *
 *   allowed  ⇔  |p − r| ≤ max(maxTicksFromReference · tick, maxFractionFromReference · r)
 *
 * The tick term keeps a usable band for cheap wings (1.5 ticks of theo × 10 % is nothing); the
 * fraction term scales with expensive options. The comparison allows COLLAR_TOLERANCE of a tick
 * (or a billionth of the band, for prices so large that a tick fraction is below their float
 * resolution), so a price snapped to the band's edge with integer tick arithmetic, or computed as
 * r ± N·tick in floats, is inside it on both sides.
 */
import { z } from 'zod';
import { TICK_EPSILON } from './ticks.ts';

export const PriceCollarSchema = z
  .object({
    /** Band half-width in ticks (at least this many ticks either side of the reference). */
    maxTicksFromReference: z.number().finite().min(0),
    /** Band half-width as a fraction of the reference price (0.1 = 10 %). */
    maxFractionFromReference: z.number().finite().min(0),
  })
  .strict();

export type PriceCollar = Readonly<z.infer<typeof PriceCollarSchema>>;

/** Fraction of a tick by which a price may exceed the band and still be inside (float noise). */
export const COLLAR_TOLERANCE = 10 * TICK_EPSILON;

/** Half-width of the band around referenceCoin, in coin. */
export function collarHalfWidthCoin(referenceCoin: number, tickSize: number, collar: PriceCollar): number {
  return Math.max(collar.maxTicksFromReference * tickSize, collar.maxFractionFromReference * referenceCoin);
}

/**
 * Whether priceCoin is inside the collar around referenceCoin (module comment). False for NaN
 * inputs, so a missing reference never passes silently: callers skip a reference they lack.
 */
export function withinCollar(priceCoin: number, referenceCoin: number, tickSize: number, collar: PriceCollar): boolean {
  const band = collarHalfWidthCoin(referenceCoin, tickSize, collar);
  return Math.abs(priceCoin - referenceCoin) <= band + Math.max(COLLAR_TOLERANCE * tickSize, 1e-9 * band);
}

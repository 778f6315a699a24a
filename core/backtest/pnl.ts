import type { Fill } from '../model/trading.ts';
import type { InstrumentRow } from '../protocol/index.ts';
import type { TickerUpdate } from '../venues/venue-adapter.ts';

/**
 * PnL of a backtest in USD, marked to the venue's recorded marks, with an attribution that sums
 * to the total by construction:
 *
 *   total = spread capture + hedging cost + delta + vega + theta + gamma & other − fees
 *
 *  - spread capture: each strategy fill's edge against the mark at that instant;
 *  - hedging cost: the same for hedges, flattens and manual orders (usually negative);
 *  - delta, vega, theta: each position's first-order change between marks (the venue's Greeks at
 *    the start of the interval times the index, mark-IV and time moves);
 *  - gamma & other: the rest of the mark-to-market move (convexity, cross terms, coin/USD);
 *  - fees: in coin, converted at the index at the fill.
 *
 * Units: a position is held in "units" whose USD price is P: an option's coin amount at
 * P = mark (coin) × index; an inverse future's USD amount / its fill price (coin-equivalent) at
 * P = its price in USD. Premiums are accounted in USD at the fill (a coin premium converted at
 * once), which keeps every term additive.
 */

export type FillOrigin = 'strategy' | 'hedge' | 'manual' | 'unknown';

interface Mark {
  readonly tsMs: number;
  readonly priceUsd: number;
  readonly underlyingUsd: number;
  readonly iv: number;
  readonly delta: number;
  readonly vegaUsd: number;
  readonly thetaUsd: number;
  readonly gamma: number;
}

interface Holding {
  units: number;
  mark: Mark;
}

export interface PnlAttribution {
  readonly spreadUsd: number;
  readonly hedgingUsd: number;
  readonly deltaUsd: number;
  readonly vegaUsd: number;
  readonly thetaUsd: number;
  readonly gammaOtherUsd: number;
  readonly feesUsd: number;
}

export interface PnlPoint extends PnlAttribution {
  readonly tsMs: number;
  readonly totalUsd: number;
  /** Inventory and Greeks (venue Greeks × positions). */
  readonly deltaCoin: number;
  readonly gammaPerUsd: number;
  readonly vegaUsdPerVolPt: number;
  readonly thetaUsdPerDay: number;
  readonly positions: number;
  readonly grossOptionsCoin: number;
  readonly fills: number;
}

const DAY_MS = 86_400_000;

export class PnlAccountant {
  readonly #instrument: (name: string) => InstrumentRow | undefined;
  readonly #tickers = new Map<string, TickerUpdate>();
  readonly #index = new Map<string, number>();
  readonly #holdings = new Map<string, Holding>();
  #cashUsd = 0;
  #fills = 0;
  readonly #a = { spreadUsd: 0, hedgingUsd: 0, deltaUsd: 0, vegaUsd: 0, thetaUsd: 0, gammaOtherUsd: 0, feesUsd: 0 };

  constructor(instrument: (name: string) => InstrumentRow | undefined) {
    this.#instrument = instrument;
  }

  onTicker(ticker: TickerUpdate): void {
    // Deribit's ticker carries every field each time: the last one is the mark (no merging on the hot path).
    this.#tickers.set(ticker.instrumentName, ticker);
  }

  onIndex(currency: string, priceUsd: number): void {
    this.#index.set(currency, priceUsd);
  }

  /** The USD mark of an instrument now, or undefined before its first ticker and index. */
  #markOf(name: string, tsMs: number, fallbackPriceUsd?: number): Mark | undefined {
    const instrument = this.#instrument(name);
    const ticker = this.#tickers.get(name);
    if (!instrument) return undefined;
    const index = this.#index.get(instrument.currency) ?? ticker?.underlyingPrice;
    if (instrument.kind === 'future') {
      const price = ticker?.markPrice ?? fallbackPriceUsd;
      return price === undefined ? undefined : { tsMs, priceUsd: price, underlyingUsd: price, iv: 0, delta: 1, vegaUsd: 0, thetaUsd: 0, gamma: 0 };
    }
    if (index === undefined) return undefined;
    const markCoin = ticker?.markPrice;
    const priceUsd = markCoin !== undefined ? markCoin * index : fallbackPriceUsd;
    if (priceUsd === undefined) return undefined;
    return { tsMs, priceUsd, underlyingUsd: index, iv: ticker?.markIv ?? 0, delta: ticker?.delta ?? 0, vegaUsd: ticker?.vegaUsd ?? 0, thetaUsd: ticker?.thetaUsd ?? 0, gamma: ticker?.gamma ?? 0 };
  }

  /** Moves a holding's mark to `next`, attributing the change. */
  #remark(holding: Holding, next: Mark): void {
    const u = holding.units;
    const m0 = holding.mark;
    if (u !== 0) {
      const mtm = u * (next.priceUsd - m0.priceUsd);
      const delta = u * m0.delta * (next.underlyingUsd - m0.underlyingUsd);
      const vega = m0.iv > 0 && next.iv > 0 ? u * m0.vegaUsd * (next.iv - m0.iv) * 100 : 0;
      const theta = (u * m0.thetaUsd * (next.tsMs - m0.tsMs)) / DAY_MS;
      this.#a.deltaUsd += delta;
      this.#a.vegaUsd += vega;
      this.#a.thetaUsd += theta;
      this.#a.gammaOtherUsd += mtm - delta - vega - theta;
    }
    holding.mark = next;
  }

  onFill(fill: Fill, origin: FillOrigin): void {
    const instrument = this.#instrument(fill.instrumentName);
    if (!instrument) return;
    const sign = fill.side === 'buy' ? 1 : -1;
    const index = this.#index.get(instrument.currency) ?? fill.indexPrice;
    const option = instrument.kind === 'option';
    const fillPriceUsd = option ? fill.price * index : fill.price;
    const units = sign * (option ? fill.amount : fill.amount / fill.price);
    const mark = this.#markOf(fill.instrumentName, fill.tsMs, fillPriceUsd)!;
    let holding = this.#holdings.get(fill.instrumentName);
    if (!holding) this.#holdings.set(fill.instrumentName, (holding = { units: 0, mark }));
    else this.#remark(holding, mark);
    holding.units += units;
    this.#cashUsd -= units * fillPriceUsd;
    const edge = units * (mark.priceUsd - fillPriceUsd);
    if (origin === 'strategy') this.#a.spreadUsd += edge;
    else this.#a.hedgingUsd += edge;
    this.#a.feesUsd += fill.feeCoin * index;
    this.#fills += 1;
  }

  /** Marks every holding to now and reports the totals. */
  sample(tsMs: number): PnlPoint {
    let valueUsd = 0;
    let deltaCoin = 0;
    let gamma = 0;
    let vega = 0;
    let theta = 0;
    let positions = 0;
    let gross = 0;
    for (const [name, holding] of this.#holdings) {
      const mark = this.#markOf(name, tsMs);
      if (mark) this.#remark(holding, mark);
      const u = holding.units;
      valueUsd += u * holding.mark.priceUsd;
      if (Math.abs(u) < 1e-12) continue;
      positions += 1;
      deltaCoin += u * holding.mark.delta;
      gamma += u * holding.mark.gamma;
      vega += u * holding.mark.vegaUsd;
      theta += u * holding.mark.thetaUsd;
      if (this.#instrument(name)?.kind === 'option') gross += Math.abs(u);
    }
    return {
      tsMs,
      totalUsd: this.#cashUsd + valueUsd - this.#a.feesUsd,
      ...this.#a,
      deltaCoin,
      gammaPerUsd: gamma,
      vegaUsdPerVolPt: vega,
      thetaUsdPerDay: theta,
      positions,
      grossOptionsCoin: gross,
      fills: this.#fills,
    };
  }
}

/** The sum of the attribution terms (what the tests hold equal to the total). */
export function attributionSum(a: PnlAttribution): number {
  return a.spreadUsd + a.hedgingUsd + a.deltaUsd + a.vegaUsd + a.thetaUsd + a.gammaOtherUsd - a.feesUsd;
}

/**
 * Benchmark of core/quoting: a full requote of a 1,000-option chain after an underlying move.
 *
 * The chain is Deribit-like: 10 expiries (1 day – 1 year) × 50 listed strikes × call and put on
 * an SVI surface whose slices scale with time (calendar-arbitrage free), BTC ticks of 0.0005 and
 * lots of 0.1, a book and a mark around every option, positions and a non-flat portfolio so skew
 * and size shrink are at work. One requote, timed end to end:
 *   the move (new forwards) → surface vols at every strike → ChainQuoter.quote (theo, skew,
 *   width, Black-76 for both sides, ticks, edge, post-only, collar, sizes) → a collar check of
 *   every quoted price against theo and mark (what core/risk's pre-trade check does) → the order
 *   diff against the working set of the previous requote (amend / place / cancel actions).
 * The forward alternates between two levels 0.5 % apart, and each requote is diffed against the
 * working set resting at the other level, so every sample does the same, full amount of work.
 */
import { buildSurface } from '../core/pricing/index.ts';
import type { SurfaceSlice } from '../core/pricing/index.ts';
import { ChainQuoter, MAX_LEVELS } from '../core/quoting/chain-quoter.ts';
import type { ChainQuoteContext } from '../core/quoting/chain-quoter.ts';
import { withinCollar } from '../core/quoting/collar.ts';
import { refreshToleranceOf } from '../core/quoting/quote-diff.ts';
import type { QuoteAction, WorkingOrder } from '../core/quoting/quote-diff.ts';
import { DEFAULT_QUOTING_PARAMS } from '../core/quoting/quoting-params.ts';
import { mulberry32 } from '../test/support/prng.ts';
import { percentile } from './stats.ts';
import type { Benchmark, BenchResult } from './types.ts';

const SPOT = 65_000;
const EXPIRY_DAYS = [1, 2, 7, 14, 30, 60, 90, 180, 270, 365];
const STRIKES_PER_EXPIRY = 50;
const OPTIONS = EXPIRY_DAYS.length * STRIKES_PER_EXPIRY * 2;
const MOVE = 0.005;

interface Bench {
  readonly chain: ChainQuoter;
  readonly context: ChainQuoteContext;
  readonly surface: ReturnType<typeof buildSurface> & { ok: true };
  /** Forward of each option's expiry at the two spot levels. */
  readonly forwards: readonly [Float64Array, Float64Array];
  /** Working orders resting after a requote at each level. */
  readonly working: readonly [readonly (readonly WorkingOrder[])[], readonly (readonly WorkingOrder[])[]];
}

function forwardAt(spot: number, expiryYears: number): number {
  return spot * Math.exp(0.05 * expiryYears);
}

function setUp(): Bench {
  const random = mulberry32(2024);
  const slices: SurfaceSlice[] = EXPIRY_DAYS.map((days) => {
    const t = days / 365;
    // w(k, T) = T·(0.2 + 0.3·(ρk + √(k² + 0.2²))): ATM ≈ 51 %, skewed down-left, non-decreasing in T.
    return { expiryYears: t, params: { a: 0.2 * t, b: 0.3 * t, rho: -0.3, m: 0, sigma: 0.2 } };
  });
  const surface = buildSurface(slices);
  if (!surface.ok) throw new Error(surface.message);

  const chain = new ChainQuoter(OPTIONS);
  const forwards: [Float64Array, Float64Array] = [new Float64Array(OPTIONS), new Float64Array(OPTIONS)];
  const bucketVega = EXPIRY_DAYS.map(() => (random() - 0.5) * 8000);
  let i = 0;
  for (const [e, days] of EXPIRY_DAYS.entries()) {
    const t = days / 365;
    const forward = forwardAt(SPOT, t);
    const width = 3 * 0.55 * Math.sqrt(t);
    for (let j = 0; j < STRIKES_PER_EXPIRY; j++) {
      // Listed strikes: round numbers spread over ±3 standard deviations.
      const strike = Math.max(1000, Math.round((forward * Math.exp(-width + (2 * width * j) / (STRIKES_PER_EXPIRY - 1))) / 500) * 500);
      for (const optionType of ['call', 'put'] as const) {
        chain.setInstrument(i, { instrumentName: `BTC-${days}D-${strike}-${optionType === 'call' ? 'C' : 'P'}`, strike, optionType, tickSize: 0.0005, minTradeAmount: 0.1 });
        chain.expiryYears[i] = t;
        forwards[0][i] = forward;
        forwards[1][i] = forwardAt(SPOT * (1 + MOVE), t);
        chain.uncertaintyVolPts[i] = 0.2 + random();
        chain.positionCoin[i] = random() < 0.2 ? Math.round((random() - 0.5) * 40) / 10 : 0;
        chain.bucketVegaUsdPerVolPt[i] = bucketVega[e]!;
        i++;
      }
    }
  }
  const context: ChainQuoteContext = {
    params: DEFAULT_QUOTING_PARAMS,
    portfolio: { deltaCoin: 8, vegaUsdPerVolPt: -6000 },
    mode: 'active',
    collar: { maxTicksFromReference: 20, maxFractionFromReference: 0.15 },
  };

  // The venue's book and mark sit around theo halfway between the two levels.
  chain.forwardUsd.set(forwards[0]);
  chain.fillTheoFromSurface(surface.surface, OPTIONS);
  chain.quote(OPTIONS, context);
  for (let k = 0; k < OPTIONS; k++) {
    const theo = chain.theo.priceCoin[k]!;
    const halfMove = 0.5 * MOVE * SPOT * chain.theo.delta[k]! / forwards[0][k]!;
    const mid = Math.max(0.0005, theo + halfMove);
    chain.markCoin[k] = mid;
    chain.marketBidCoin[k] = mid > 0.003 ? Math.floor(mid / 0.0005 - 4) * 0.0005 : NaN;
    chain.marketAskCoin[k] = Math.ceil(mid / 0.0005 + 4) * 0.0005;
  }

  const restingAt = (level: 0 | 1): WorkingOrder[][] => {
    chain.forwardUsd.set(forwards[level]);
    chain.fillTheoFromSurface(surface.surface, OPTIONS);
    chain.quote(OPTIONS, context);
    const working: WorkingOrder[][] = [];
    for (let k = 0; k < OPTIONS; k++) {
      const orders: WorkingOrder[] = [];
      for (const side of [0, 1] as const) {
        for (let l = 0; l < chain.levelCount[2 * k + side]!; l++) {
          const slot = ChainQuoter.slot(k, side, l);
          orders.push({
            clientOrderId: `q${level}-${k}-${side}-${l}`,
            side: side === 0 ? 'buy' : 'sell',
            level: l,
            priceCoin: chain.levelPriceCoin[slot]!,
            amountCoin: chain.levelAmountCoin[slot]!,
            state: 'open',
          });
        }
      }
      working.push(orders);
    }
    return working;
  };
  return { chain, context, surface, forwards, working: [restingAt(0), restingAt(1)] };
}

interface RequoteStats {
  readonly actions: number;
  readonly amends: number;
  readonly quotedLevels: number;
  readonly collarViolations: number;
}

/** One full requote to `level`, diffed against the orders resting at the other level. */
function requote(bench: Bench, level: 0 | 1, actions: QuoteAction[]): RequoteStats {
  const { chain, context } = bench;
  chain.forwardUsd.set(bench.forwards[level]);
  chain.fillTheoFromSurface(bench.surface.surface, OPTIONS);
  chain.quote(OPTIONS, context);
  let quotedLevels = 0;
  let collarViolations = 0;
  for (let k = 0; k < OPTIONS; k++) {
    const tick = chain.tickSize[k]!;
    const theo = chain.theo.priceCoin[k]!;
    const mark = chain.markCoin[k]!;
    for (let side = 0; side < 2; side++) {
      const count = chain.levelCount[2 * k + side]!;
      for (let l = 0; l < count; l++) {
        const price = chain.levelPriceCoin[(2 * k + side) * MAX_LEVELS + l]!;
        quotedLevels++;
        if (!withinCollar(price, theo, tick, context.collar) || (mark > 0 && !withinCollar(price, mark, tick, context.collar))) collarViolations++;
      }
    }
  }
  actions.length = 0;
  chain.diff(OPTIONS, bench.working[level === 0 ? 1 : 0], refreshToleranceOf(context.params), actions);
  let amends = 0;
  for (const action of actions) if (action.kind === 'amend') amends++;
  return { actions: actions.length, amends, quotedLevels, collarViolations };
}

function requoteChain(): BenchResult[] {
  const bench = setUp();
  const actions: QuoteAction[] = [];
  let last: RequoteStats | undefined;
  for (let k = 0; k < 300; k++) last = requote(bench, (k % 2) as 0 | 1, actions);
  const samples: number[] = [];
  let violations = 0;
  for (let k = 0; k < 2000; k++) {
    const start = performance.now();
    last = requote(bench, (k % 2) as 0 | 1, actions);
    samples.push(performance.now() - start);
    violations += last.collarViolations;
  }
  const p50 = percentile(samples, 0.5);
  const p99 = percentile(samples, 0.99);
  return [
    {
      name: 'requote_chain_1000_ms',
      value: Math.round(p50 * 1000) / 1000,
      unit: 'ms',
      note:
        `target ≤ 1 ms; p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms over 2,000 requotes of ${OPTIONS} options ` +
        `(10 expiries 1 d–1 y × 50 strikes × call/put, 1 level per side) after a ${MOVE * 100} % underlying move: ` +
        `surface vols → quotes → collar check of every quoted price (${last?.quotedLevels ?? 0} levels, ${violations} violations) → ` +
        `diff against the working set (${last?.actions ?? 0} actions, ${last?.amends ?? 0} amends)`,
    },
  ];
}

export const benchmarks: readonly Benchmark[] = [{ metrics: ['requote_chain_1000_ms'], run: async () => requoteChain() }];

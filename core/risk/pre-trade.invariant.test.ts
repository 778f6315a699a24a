/**
 * The property the pre-trade check exists for: over long random order sequences, accepting only
 * what checkOrder accepts and filling it at once, no limit whose action is not 'warn' is ever
 * breached — judged by an independent re-evaluation (fresh aggregation of the filled book,
 * evaluateLimits), not by the check's own projection.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inverseOptionPriceCoin } from '../pricing/index.ts';
import type { InstrumentRow } from '../protocol/state.ts';
import type { PricingInput, RiskPosition } from './greeks.ts';
import { aggregateGreeks } from './greeks.ts';
import type { LimitStatus, LimitsConfig } from './limits.ts';
import { LimitsConfigSchema, evaluateLimits, strongestAction } from './limits.ts';
import type { RiskMetrics } from './metrics.ts';
import { buildRiskMetrics } from './metrics.ts';
import type { OrderRequest, PriceReferences } from './pre-trade.ts';
import { checkOrder, tradingModeFor } from './pre-trade.ts';
import type { RateWindow } from './rate-window.ts';
import { countInWindow, emptyRateWindow, recordEvent } from './rate-window.ts';
import { BTC_DEC_50P, BTC_DEC_60C, BTC_DEC_FUT, BTC_MAR_45P, BTC_MAR_70C, BTC_PERP, ETH_DEC_3000C, ETH_PERP, INDEX_USD, PRICING } from './test-fixtures.ts';

const TRADED: readonly InstrumentRow[] = [BTC_DEC_60C, BTC_DEC_50P, BTC_MAR_70C, BTC_MAR_45P, BTC_DEC_FUT, BTC_PERP, ETH_PERP, ETH_DEC_3000C];
const INSTRUMENTS = Object.fromEntries(TRADED.map((i) => [i.instrumentName, i]));

// Tight enough that a few dozen random orders reach every limit.
const CONFIG: LimitsConfig = LimitsConfigSchema.parse({
  version: 1,
  underlyings: {
    BTC: {
      netDeltaCoin: { limit: 3, action: 'reduce-only' },
      gammaCoinPerPct: { limit: 0.08, action: 'pause' },
      vegaTotalUsdPerVolPt: { limit: 1_500, action: 'pause' },
      vegaPerExpiryUsdPerVolPt: { limit: 1_000, action: 'reduce-only' },
      optionPositionCoin: { limit: 8, action: 'kill' },
      futurePositionUsd: { limit: 150_000, action: 'reduce-only' },
      openOrders: { limit: 10, action: 'pause' },
      ordersPerSec: { limit: 25, action: 'pause' },
      grossNotionalUsd: { limit: 1_200_000, action: 'reduce-only' },
      messagesPerSec: { limit: 1, action: 'warn' },
      preTrade: { maxOrderAmountOptionCoin: 5, maxOrderAmountFutureUsd: 80_000 },
    },
    ETH: {
      netDeltaCoin: { limit: 40, action: 'reduce-only' },
      vegaTotalUsdPerVolPt: { limit: 200, action: 'kill' },
      optionPositionCoin: { limit: 30, action: 'reduce-only' },
      futurePositionUsd: { limit: 50_000, action: 'pause' },
      gammaCoinPerPct: { limit: 0.1, action: 'warn' },
      ordersPerSec: { limit: 25, action: 'pause' },
    },
  },
});

interface Market {
  readonly pricing: Readonly<Record<string, PricingInput>>;
  readonly references: Readonly<Record<string, PriceReferences>>;
}

function marketAt(spotFactor: number, volShift: number): Market {
  const pricing: Record<string, PricingInput> = {};
  const references: Record<string, PriceReferences> = {};
  for (const i of TRADED) {
    const base = PRICING[i.instrumentName]!;
    const p: PricingInput = { ...base, forwardUsd: base.forwardUsd * spotFactor, ...(base.volAnnual === undefined ? {} : { volAnnual: Math.max(0.05, base.volAnnual + volShift) }) };
    pricing[i.instrumentName] = p;
    const theo = i.kind === 'future' ? p.forwardUsd : inverseOptionPriceCoin(p.forwardUsd, i.strike!, p.expiryYears!, p.volAnnual!, i.optionType!);
    references[i.instrumentName] = { theo, mark: theo };
  }
  return { pricing, references };
}

const BASE_MARKET = marketAt(1, 0);

const orderArb = fc.record({
  which: fc.integer({ min: 0, max: TRADED.length - 1 }),
  buy: fc.boolean(),
  lots: fc.integer({ min: 1, max: 50 }),
  // Mostly near theo; one in ten far enough for the collar (or a non-positive price).
  offsetTicks: fc.oneof({ arbitrary: fc.integer({ min: -10, max: 10 }), weight: 9 }, { arbitrary: fc.integer({ min: -80, max: 80 }), weight: 1 }),
  origin: fc.constantFrom('strategy' as const, 'manual' as const, 'hedge' as const),
  gapMs: fc.integer({ min: 0, max: 60 }),
  reduceOnly: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
});
type RandomOrder = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

function toRequest(o: RandomOrder, market: Market): OrderRequest {
  const instrument = TRADED[o.which]!;
  const isOption = instrument.kind === 'option';
  const tick = instrument.tickSize;
  const reference = market.references[instrument.instrumentName]!.theo!;
  const price = (Math.round(reference / tick) + o.offsetTicks) * tick;
  const amount = isOption ? o.lots / 10 : o.lots * 200 * instrument.contractSize;
  return { instrumentName: instrument.instrumentName, side: o.buy ? 'buy' : 'sell', price, amount, origin: o.origin };
}

interface Book {
  readonly positions: Map<string, number>;
  window: RateWindow;
  nowMs: number;
}

function measure(book: Book, market: Market): { metrics: RiskMetrics; statuses: LimitStatus[] } {
  const positions: RiskPosition[] = [...book.positions].map(([name, size]) => ({ instrument: INSTRUMENTS[name]!, size }));
  const rate = countInWindow(book.window, book.nowMs);
  const activity = { BTC: { ordersPerSec: rate }, ETH: { ordersPerSec: rate } };
  const metrics = buildRiskMetrics(aggregateGreeks(positions, market.pricing, INDEX_USD), positions, activity, INDEX_USD);
  return { metrics, statuses: evaluateLimits(metrics, CONFIG) };
}

const enforcedBreaches = (statuses: readonly LimitStatus[]) => statuses.filter((s) => s.action !== 'warn' && s.state === 'breach');

interface Tally {
  accepted: number;
  refused: Record<string, number>;
  byLimit: Record<string, number>;
}

function step(book: Book, market: Market, o: RandomOrder, current: { metrics: RiskMetrics; statuses: LimitStatus[] }, tally: Tally) {
  book.nowMs += o.gapMs;
  const mode = o.reduceOnly ? 'reduce-only' : tradingModeFor(strongestAction(current.statuses), false);
  const request = toRequest(o, market);
  const result = checkOrder(request, {
    instrument: INSTRUMENTS[request.instrumentName],
    pricing: market.pricing[request.instrumentName],
    references: market.references[request.instrumentName],
    metrics: current.metrics,
    liveOrders: [],
    config: CONFIG,
    // A kill-level breach after a market move would halt everything; keep trading reduce-only so the
    // sequence goes on testing what gets through.
    mode: mode === 'halted' ? 'reduce-only' : mode,
    orderWindow: book.window,
    nowMs: book.nowMs,
  });
  if (!result.ok) {
    tally.refused[result.check] = (tally.refused[result.check] ?? 0) + 1;
    if (result.limitId !== undefined) {
      const key = result.limitId.replace(/position\..*/, 'position').replace(/vega\.\d.*/, 'vega.expiry');
      tally.byLimit[key] = (tally.byLimit[key] ?? 0) + 1;
    }
    return undefined;
  }
  tally.accepted += 1;
  const signed = request.side === 'buy' ? request.amount : -request.amount;
  book.positions.set(request.instrumentName, (book.positions.get(request.instrumentName) ?? 0) + signed);
  book.window = recordEvent(book.window, book.nowMs);
  return measure(book, market);
}

describe('pre-trade invariant', () => {
  it('never lets an accepted order breach a limit whose action is not warn (10^5 random orders)', () => {
    const tally: Tally = { accepted: 0, refused: {}, byLimit: {} };
    fc.assert(
      fc.property(fc.array(orderArb, { minLength: 1_000, maxLength: 1_000 }), (orders) => {
        const book: Book = { positions: new Map(), window: emptyRateWindow(1000), nowMs: 1_000_000 };
        let current = measure(book, BASE_MARKET);
        for (const o of orders) {
          const next = step(book, BASE_MARKET, o, current, tally);
          if (!next) continue;
          const breaches = enforcedBreaches(next.statuses);
          if (breaches.length > 0) throw new Error(`accepted ${JSON.stringify(toRequest(o, BASE_MARKET))} breached ${breaches.map((b) => `${b.limitId} ${b.value}/${b.limit}`).join(', ')}`);
          current = next;
        }
      }),
      { seed: 42, numRuns: 100 },
    );
    console.log(`pre-trade invariant: ${tally.accepted} accepted; refused by check ${JSON.stringify(tally.refused)}; by limit ${JSON.stringify(tally.byLimit)}`);
    // Not vacuous: plenty accepted, and the limits (not only malformed prices) did the refusing.
    expect(tally.accepted).toBeGreaterThan(10_000);
    expect(tally.refused.limit ?? 0).toBeGreaterThan(10_000);
    expect(tally.refused.rate ?? 0).toBeGreaterThan(0);
    expect(tally.refused['reduce-only'] ?? 0).toBeGreaterThan(0);
  });

  it('after a market move breaches limits, accepted orders never worsen a breached quantity', () => {
    const tally: Tally = { accepted: 0, refused: {}, byLimit: {} };
    const moveArb = fc.record({ spot: fc.double({ min: -0.15, max: 0.15, noNaN: true }), vol: fc.double({ min: -0.15, max: 0.15, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(orderArb, fc.option(moveArb, { freq: 40 })), { minLength: 250, maxLength: 250 }), (steps) => {
        const book: Book = { positions: new Map(), window: emptyRateWindow(1000), nowMs: 1_000_000 };
        let market = BASE_MARKET;
        let current = measure(book, market);
        for (const [o, move] of steps) {
          if (move) {
            market = marketAt(1 + move.spot, move.vol);
            current = measure(book, market);
          }
          const next = step(book, market, o, current, tally);
          if (!next) continue;
          const before = new Map(current.statuses.map((s) => [s.limitId, s]));
          for (const s of enforcedBreaches(next.statuses)) {
            const was = before.get(s.limitId);
            const worsened = !was || was.state !== 'breach' || Math.abs(s.value) > Math.abs(was.value) * (1 + 1e-9);
            if (worsened) throw new Error(`accepted ${JSON.stringify(toRequest(o, market))} worsened ${s.limitId}: ${was?.value} → ${s.value} (limit ${s.limit})`);
          }
          current = next;
        }
      }),
      { seed: 42, numRuns: 40 },
    );
    expect(tally.accepted).toBeGreaterThan(1_000);
  });
});

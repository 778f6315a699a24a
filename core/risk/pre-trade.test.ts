import { describe, expect, it } from 'vitest';
import { inverseOptionPriceCoin } from '../pricing/index.ts';
import type { InstrumentRow } from '../protocol/state.ts';
import type { PricingInputs, RiskPosition } from './greeks.ts';
import { ZERO_RISK_GREEKS, aggregateGreeks, unitGreeks } from './greeks.ts';
import type { LimitsConfig, LimitsConfigInput } from './limits.ts';
import { LimitsConfigSchema } from './limits.ts';
import type { UnderlyingMetrics } from './metrics.ts';
import { buildRiskMetrics } from './metrics.ts';
import type { CheckResult, OrderRequest, PreTradeContext, PriceReferences, RestingOrder } from './pre-trade.ts';
import { checkOrder, tradingModeFor } from './pre-trade.ts';
import { emptyRateWindow, recordEvent } from './rate-window.ts';
import { BTC_DEC_60C, BTC_DEC_FUT, BTC_MAR_70C, BTC_PERP, INDEX_USD, INSTRUMENT_MAP, PRICING } from './test-fixtures.ts';

const CONFIG_INPUT = {
  version: 1,
  underlyings: {
    BTC: {
      netDeltaCoin: { limit: 10, action: 'reduce-only' },
      gammaCoinPerPct: { limit: 0.5, action: 'warn' },
      vegaTotalUsdPerVolPt: { limit: 50_000, action: 'pause' },
      vegaPerExpiryUsdPerVolPt: { limit: 30_000, action: 'reduce-only' },
      optionPositionCoin: { limit: 100, action: 'reduce-only' },
      futurePositionUsd: { limit: 1_000_000, action: 'kill' },
      openOrders: { limit: 50, action: 'pause' },
      ordersPerSec: { limit: 20, action: 'pause' },
      grossNotionalUsd: { limit: 50_000_000, action: 'reduce-only' },
      preTrade: {
        maxOrderAmountOptionCoin: 50,
        maxOrderAmountFutureUsd: 500_000,
        maxOrderNotionalUsd: 2_000_000,
        optionCollar: { maxTicksFromReference: 4, maxFractionFromReference: 0.1 },
        futureCollar: { maxTicksFromReference: 20, maxFractionFromReference: 0.005 },
      },
    },
  },
} satisfies LimitsConfigInput;
const CONFIG: LimitsConfig = LimitsConfigSchema.parse(CONFIG_INPUT);

const theo = (name: string): number => {
  const i = INSTRUMENT_MAP[name]!;
  const p = PRICING[name]!;
  return i.kind === 'future' ? p.forwardUsd : inverseOptionPriceCoin(p.forwardUsd, i.strike!, p.expiryYears!, p.volAnnual!, i.optionType!);
};
const snap = (price: number, tick: number) => Math.round(price / tick) * tick;

const REFERENCES = Object.fromEntries(Object.keys(PRICING).map((name) => [name, { theo: theo(name), mark: theo(name) }]));

function metricsOf(positions: readonly RiskPosition[], extra: Partial<UnderlyingMetrics> = {}) {
  const m = buildRiskMetrics(aggregateGreeks(positions, PRICING, INDEX_USD), positions, { BTC: {} }, INDEX_USD);
  return { ...m, BTC: { ...m.BTC!, ...extra } };
}

/** A market of several instruments; checkIn hands checkOrder the order's own. */
interface TestContext extends Omit<PreTradeContext, 'instrument' | 'pricing' | 'references'> {
  readonly instruments: Readonly<Record<string, InstrumentRow>>;
  readonly pricing: PricingInputs;
  readonly references: Readonly<Record<string, PriceReferences>>;
}

function checkIn(o: OrderRequest, c: TestContext): CheckResult {
  const { instruments, pricing, references, ...rest } = c;
  return checkOrder(o, { ...rest, instrument: instruments[o.instrumentName], pricing: pricing[o.instrumentName], references: references[o.instrumentName] });
}

function context(overrides: Partial<TestContext> = {}): TestContext {
  return {
    instruments: INSTRUMENT_MAP,
    pricing: PRICING,
    references: REFERENCES,
    metrics: metricsOf([]),
    liveOrders: [],
    config: CONFIG,
    mode: 'normal',
    orderWindow: emptyRateWindow(1000),
    nowMs: 100_000,
    ...overrides,
  };
}

const CALL = BTC_DEC_60C.instrumentName;
const callTheo = snap(theo(CALL), 0.0005);
const order = (o: Partial<OrderRequest> = {}): OrderRequest => ({ instrumentName: CALL, side: 'buy', price: callTheo, amount: 5, origin: 'strategy', ...o });

function refused(result: CheckResult): { check: string; reason: string; limitId?: string } {
  expect(result.ok).toBe(false);
  return result as { check: string; reason: string; limitId?: string };
}

describe('checkOrder: the order itself', () => {
  it('accepts a plain order', () => {
    expect(checkIn(order(), context())).toEqual({ ok: true });
  });

  it('refuses malformed orders and instruments it cannot judge', () => {
    expect(refused(checkIn(order({ instrumentName: 'BTC-NOPE' }), context()))).toMatchObject({ check: 'order', reason: 'unknown instrument BTC-NOPE' });
    expect(refused(checkIn(order({ amount: 0 }), context())).check).toBe('order');
    expect(refused(checkIn(order({ price: Number.NaN }), context())).reason).toBe('price unknown is not a positive number');
    expect(refused(checkIn(order({ amount: 0.05 }), context())).reason).toBe(`amount 0.05 is below the minimum 0.1 of ${CALL}`);
    const noPricing = context({ pricing: { ...PRICING, [CALL]: { forwardUsd: 51_000 } } });
    expect(refused(checkIn(order(), noPricing)).reason).toBe(`no pricing for ${CALL}: its risk cannot be projected`);
    const noLimits = context({ config: LimitsConfigSchema.parse({ version: 1, underlyings: { ETH: {} } }) });
    expect(refused(checkIn(order(), noLimits)).reason).toBe('no limits configured for BTC');
  });

  it('refuses everything while halted', () => {
    expect(refused(checkIn(order(), context({ mode: 'halted' }))).check).toBe('mode');
  });
});

describe('checkOrder: rate throttle', () => {
  let window = emptyRateWindow(1000);
  for (let k = 0; k < 20; k++) window = recordEvent(window, 99_500 + k);

  it('refuses the order that would exceed the orders-per-second limit', () => {
    const r = refused(checkIn(order(), context({ orderWindow: window })));
    expect(r).toMatchObject({ check: 'rate', limitId: 'BTC.orderRate' });
    expect(r.reason).toBe('order rate: 20 orders sent in the last second, one more would exceed the limit of 20 orders/s');
  });

  it('accepts again once the window has moved on', () => {
    expect(checkIn(order(), context({ orderWindow: window, nowMs: 100_500 })).ok).toBe(true);
  });

  it('throttles messages too when the kernel counts them', () => {
    const withMessages = LimitsConfigSchema.parse({ ...CONFIG_INPUT, underlyings: { BTC: { ...CONFIG_INPUT.underlyings.BTC, messagesPerSec: { limit: 20, action: 'pause' } } } });
    const r = refused(checkIn(order(), context({ config: withMessages, messageWindow: window })));
    expect(r).toMatchObject({ check: 'rate', limitId: 'BTC.messageRate', reason: 'message rate: 20 messages sent in the last second, one more would exceed the limit of 20 messages/s' });
  });

  it('does not throttle when the limit only warns', () => {
    const warnOnly = LimitsConfigSchema.parse({ ...CONFIG_INPUT, underlyings: { BTC: { ...CONFIG_INPUT.underlyings.BTC, ordersPerSec: { limit: 20, action: 'warn' } } } });
    expect(checkIn(order(), context({ orderWindow: window, config: warnOnly })).ok).toBe(true);
  });
});

describe('checkOrder: collar', () => {
  const tick = 0.0005;
  it('measures from theo and from mark, skipping an unknown one', () => {
    const band = Math.max(4 * tick, 0.1 * callTheo);
    const far = snap(callTheo + band + 2 * tick, tick);
    const r = refused(checkIn(order({ price: far }), context()));
    expect(r.check).toBe('collar');
    expect(r.reason).toMatch(/^buy at [\d.]+ is [\d.]+ from theo [\d.]+, beyond the allowed [\d.]+ \(max of 4 ticks of 0\.0005 and 10 % of theo\)$/);
    const markFar = context({ references: { ...REFERENCES, [CALL]: { theo: callTheo, mark: callTheo + 3 * band } } });
    expect(refused(checkIn(order(), markFar)).reason).toMatch(/from mark/);
    const markOnly = context({ references: { ...REFERENCES, [CALL]: { mark: far } } });
    expect(checkIn(order({ price: far }), markOnly).ok).toBe(true);
  });

  it('refuses an option with no reference but lets a future without one through', () => {
    const none = context({ references: {} });
    expect(refused(checkIn(order(), none)).reason).toBe(`no theo or mark for ${CALL}: an option order needs a reference price`);
    expect(checkIn(order({ instrumentName: BTC_PERP.instrumentName, price: 50_000, amount: 1_000 }), none).ok).toBe(true);
  });

  it('widens the collar to what the trader granted a reduce-only close, and only for one', () => {
    const halfOff = snap(callTheo * 0.5, tick);
    const sell = { side: 'sell', price: halfOff, collarFraction: 1 } as const;
    expect(refused(checkIn(order({ ...sell, reduceOnly: false }), context())).check).toBe('collar');
    expect(checkIn(order({ ...sell, reduceOnly: true }), context()).ok).toBe(true);
    // A grant narrower than the configured collar narrows nothing.
    const near = snap(callTheo * 0.95, tick);
    expect(checkIn(order({ side: 'sell', price: near, reduceOnly: true, collarFraction: 0.01 }), context()).ok).toBe(true);
    expect(refused(checkIn(order({ ...sell, reduceOnly: true, collarFraction: 0.2 }), context())).reason).toMatch(/and 20 % of mark\)$/);
  });

  it('holds a granted close to its band around the mark, which the trader capped it from, wherever theo sits', () => {
    // Theo 5 % under the mark: a buy at the mark + 9 % is 14 % from theo, inside a 10 % grant from the mark.
    const mark = snap(callTheo * 1.05, tick);
    const references = { ...REFERENCES, [CALL]: { theo: callTheo, mark } };
    const buy = { side: 'buy', price: snap(mark * 1.09, tick), reduceOnly: true } as const;
    expect(checkIn(order({ ...buy, collarFraction: 0.1 }), context({ references })).ok).toBe(true);
    expect(refused(checkIn(order({ ...buy, reduceOnly: false }), context({ references }))).reason).toMatch(/from theo/);
    expect(refused(checkIn(order({ ...buy, price: snap(mark * 1.2, tick), collarFraction: 0.1 }), context({ references }))).reason).toMatch(/from mark .* 10 % of mark\)$/);
  });
});

describe('checkOrder: size and notional', () => {
  it('caps the amount per order by kind', () => {
    expect(refused(checkIn(order({ amount: 60 }), context()))).toMatchObject({ check: 'size', reason: 'amount 60 coin exceeds the per-order maximum 50 coin' });
    const perp = { instrumentName: BTC_PERP.instrumentName, price: 50_010, amount: 600_000 };
    expect(refused(checkIn(order(perp), context())).reason).toBe('amount 600,000 USD exceeds the per-order maximum 500,000 USD');
  });

  it('caps the USD notional per order (option: amount × forward)', () => {
    const tight = LimitsConfigSchema.parse({ ...CONFIG_INPUT, underlyings: { BTC: { ...CONFIG_INPUT.underlyings.BTC, preTrade: { maxOrderNotionalUsd: 200_000 } } } });
    expect(refused(checkIn(order({ amount: 5 }), context({ config: tight })))).toMatchObject({ check: 'notional', reason: 'notional 255,000 USD exceeds the per-order maximum 200,000 USD' });
    expect(checkIn(order({ amount: 3.9 }), context({ config: tight })).ok).toBe(true);
  });
});

describe('checkOrder: duplicates and self-crosses', () => {
  const resting = (o: Partial<RestingOrder>): RestingOrder => ({ clientOrderId: 's.1.1', instrumentName: CALL, side: 'buy', price: callTheo, amount: 5, origin: 'strategy', ...o });

  it('refuses an identical live order from the same origin', () => {
    const live = [resting({})];
    expect(refused(checkIn(order(), context({ liveOrders: live })))).toMatchObject({ check: 'duplicate', reason: `an identical strategy buy of 5 at ${callTheo} is live (s.1.1)` });
    expect(checkIn(order({ origin: 'manual' }), context({ liveOrders: live })).ok).toBe(true);
    expect(checkIn(order({ amount: 6 }), context({ liveOrders: live })).ok).toBe(true);
    expect(checkIn(order({ replacesClientOrderId: 's.1.1' }), context({ liveOrders: live })).ok).toBe(true);
    expect(checkIn(order(), context({ liveOrders: [resting({ state: 'cancelled' })] })).ok).toBe(true);
  });

  it('refuses a buy at or above our own ask and a sell at or below our own bid', () => {
    const ask = resting({ clientOrderId: 'm.1.7', side: 'sell', price: callTheo, origin: 'manual' });
    expect(refused(checkIn(order(), context({ liveOrders: [ask] })))).toMatchObject({ check: 'self-cross', reason: `buy at ${callTheo} would trade against our own resting ask at ${callTheo} (m.1.7)` });
    expect(checkIn(order({ price: callTheo - 0.0005 }), context({ liveOrders: [ask] })).ok).toBe(true);
    const bid = resting({ clientOrderId: 'h.1.2', price: callTheo - 0.001 });
    expect(refused(checkIn(order({ side: 'sell', price: callTheo - 0.0015 }), context({ liveOrders: [bid] }))).check).toBe('self-cross');
    expect(checkIn(order({ side: 'sell', price: callTheo - 0.0005 }), context({ liveOrders: [bid] })).ok).toBe(true);
    const otherInstrument = resting({ instrumentName: BTC_MAR_70C.instrumentName, side: 'sell', price: 0.0001 });
    expect(checkIn(order(), context({ liveOrders: [otherInstrument] })).ok).toBe(true);
  });
});

describe('checkOrder: reduce-only mode', () => {
  const book: RiskPosition[] = [{ instrument: BTC_DEC_60C, size: 20 }];
  const ctx = context({ mode: 'reduce-only', metrics: metricsOf(book) });

  it('refuses an order that adds to position, delta and vega, saying by how much', () => {
    const r = refused(checkIn(order(), ctx));
    expect(r.check).toBe('reduce-only');
    expect(r.reason).toMatch(/^reduce-only mode: the order reduces neither position, delta nor vega \(\|position\| from 20 to 25 coin, \|delta\| from [\d.]+ to [\d.]+ coin, \|vega\| from [\d,]+ to [\d,]+ USD\/vol pt\)$/);
  });

  it('accepts an order that reduces the position, or hedges delta with the perpetual', () => {
    expect(checkIn(order({ side: 'sell' }), ctx).ok).toBe(true);
    expect(checkIn(order({ instrumentName: BTC_PERP.instrumentName, side: 'sell', price: 50_010, amount: 100_000 }), ctx).ok).toBe(true);
    expect(refused(checkIn(order({ instrumentName: BTC_PERP.instrumentName, side: 'buy', price: 50_010, amount: 100_000 }), ctx)).check).toBe('reduce-only');
  });
});

describe('checkOrder: projected limits', () => {
  const MAR = BTC_MAR_70C.instrumentName;
  const marTheo = snap(theo(MAR), 0.0005);
  const unitVega = unitGreeks(BTC_MAR_70C, PRICING[MAR])!.vegaUsdPerVolPt;
  const withVega = (vega: number, extra: Partial<UnderlyingMetrics> = {}) =>
    context({ metrics: metricsOf([], { greeks: { ...ZERO_RISK_GREEKS, vegaUsdPerVolPt: vega }, ...extra }) });

  it('refuses an order whose fill would take vega over its limit, with the numbers', () => {
    const ctx = withVega(52_300 - 20 * unitVega);
    const r = refused(checkIn(order({ instrumentName: MAR, price: marTheo, amount: 20 }), ctx));
    expect(r).toMatchObject({ check: 'limit', limitId: 'BTC.vega.total', reason: 'BTC vega after fill 52,300 USD/vol pt exceeds limit 50,000' });
  });

  it('lets an order through that strictly reduces a quantity already over its limit', () => {
    const ctx = withVega(60_000);
    expect(checkIn(order({ instrumentName: MAR, side: 'sell', price: marTheo, amount: 10 }), ctx).ok).toBe(true);
    const r = refused(checkIn(order({ instrumentName: MAR, price: marTheo, amount: 1 }), ctx));
    expect(r.reason).toMatch(/^BTC vega after fill 60,\d{3} USD\/vol pt exceeds limit 50,000 \(already 60,000: the order does not reduce it\)$/);
  });

  it('does not judge an order by a limit whose quantity it leaves unchanged', () => {
    // A perpetual hedge while vega is over its limit.
    const ctx = withVega(60_000);
    expect(checkIn(order({ instrumentName: BTC_PERP.instrumentName, side: 'sell', price: 50_010, amount: 10_000 }), ctx).ok).toBe(true);
  });

  it('checks the vega of the order’s expiry bucket', () => {
    const ctx = withVega(0, { vegaByExpiry: [{ bucketId: '2027-03-26', expiryMs: 0, vegaUsdPerVolPt: 29_990 }] });
    expect(refused(checkIn(order({ instrumentName: MAR, price: marTheo, amount: 1 }), ctx))).toMatchObject({ limitId: 'BTC.vega.2027-03-26' });
    expect(checkIn(order({ price: callTheo, amount: 1 }), ctx).ok).toBe(true);
  });

  it('checks the position, the net delta, the notional and the open orders', () => {
    const long = metricsOf([{ instrument: BTC_DEC_60C, size: 98 }], { greeks: ZERO_RISK_GREEKS });
    expect(refused(checkIn(order({ amount: 5 }), context({ metrics: long })))).toMatchObject({ limitId: `BTC.position.${CALL}`, reason: `BTC position ${CALL} after fill 103 coin exceeds limit 100` });
    const perp = BTC_PERP.instrumentName;
    const deltaLong = metricsOf([{ instrument: BTC_PERP, size: 450_000 }, { instrument: BTC_DEC_FUT, size: 30_000 }]);
    expect(refused(checkIn(order({ instrumentName: perp, price: 50_010, amount: 100_000 }), context({ metrics: deltaLong })))).toMatchObject({ limitId: 'BTC.delta' });
    const full = metricsOf([], { openOrders: 50 });
    expect(refused(checkIn(order(), context({ metrics: full })))).toMatchObject({ limitId: 'BTC.openOrders', reason: 'BTC open orders with this order 51 orders exceeds limit 50' });
    expect(checkIn(order({ replacesClientOrderId: 's.9.9' }), context({ metrics: full })).ok).toBe(true);
    const big = metricsOf([], { grossNotionalUsd: 49_900_000 });
    expect(refused(checkIn(order(), context({ metrics: big })))).toMatchObject({ limitId: 'BTC.notional' });
  });

  it('does not enforce limits whose action is warn', () => {
    const gamma = (action: 'warn' | 'reduce-only') =>
      LimitsConfigSchema.parse({ ...CONFIG_INPUT, underlyings: { BTC: { ...CONFIG_INPUT.underlyings.BTC, gammaCoinPerPct: { limit: 0.01, action } } } });
    expect(checkIn(order(), context({ config: gamma('warn') })).ok).toBe(true);
    expect(refused(checkIn(order(), context({ config: gamma('reduce-only') }))).limitId).toBe('BTC.gamma');
  });

  it('refuses an order that moves a quantity it cannot measure', () => {
    const strict = LimitsConfigSchema.parse({ ...CONFIG_INPUT, underlyings: { BTC: { ...CONFIG_INPUT.underlyings.BTC, gammaCoinPerPct: { limit: 5, action: 'reduce-only' } } } });
    const noIndex = context({ config: strict, metrics: metricsOf([], { indexUsd: Number.NaN }) });
    expect(refused(checkIn(order(), noIndex)).reason).toBe('BTC gamma after fill unknown coin per 1 % move exceeds limit 5');
    expect(checkIn(order({ instrumentName: BTC_PERP.instrumentName, price: 50_010, amount: 1_000 }), noIndex).ok).toBe(true);
  });
});

describe('trading mode', () => {
  it('follows the strongest action and the kill switch', () => {
    expect(tradingModeFor(undefined, false)).toBe('normal');
    expect(tradingModeFor('warn', false)).toBe('normal');
    expect(tradingModeFor('reduce-only', false)).toBe('reduce-only');
    expect(tradingModeFor('pause', false)).toBe('reduce-only');
    expect(tradingModeFor('kill', false)).toBe('halted');
    expect(tradingModeFor(undefined, true)).toBe('halted');
  });
});

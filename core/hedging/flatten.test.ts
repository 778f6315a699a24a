import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../model/trading.ts';
import type { InstrumentRow, QuoteRow } from '../protocol/state.ts';
import type { CloseFutureStep, CloseOptionStep, FlattenParams, FlattenPosition } from './flatten.ts';
import { flattenProgress, planFlatten } from './flatten.ts';
import { isOnTick as isOnSteppedTick } from '../model/ticks.ts';
import { isOnTick } from './ticks.ts';

const NOW = 1_000_000;
const option = (instrumentName: string, over: Partial<InstrumentRow> = {}): InstrumentRow => ({
  instrumentName,
  venueId: 'sim',
  currency: 'BTC',
  kind: 'option',
  isPerpetual: false,
  optionType: 'call',
  strike: 50_000,
  expiryMs: NOW + 86_400_000,
  tickSize: 0.0005,
  minTradeAmount: 0.1,
  contractSize: 1,
  ...over,
});
const future = (instrumentName: string, over: Partial<InstrumentRow> = {}): InstrumentRow => ({
  instrumentName,
  venueId: 'sim',
  currency: 'BTC',
  kind: 'future',
  isPerpetual: false,
  expiryMs: NOW + 86_400_000,
  tickSize: 2.5,
  minTradeAmount: 10,
  contractSize: 10,
  ...over,
});
const quote = (instrumentName: string, q: Partial<QuoteRow>): QuoteRow => ({ instrumentName, tsMs: NOW, stale: false, ...q });

const INSTRUMENTS: Record<string, InstrumentRow> = {
  CALL: option('CALL'),
  PUT: option('PUT', { optionType: 'put' }),
  WING: option('WING', { strike: 90_000 }),
  NOMARK: option('NOMARK'),
  STALE: option('STALE'),
  OLD: option('OLD', { expiryMs: NOW - 1 }),
  'BTC-PERPETUAL': future('BTC-PERPETUAL', { isPerpetual: true, tickSize: 0.5 }),
  FUT: future('FUT'),
};
const QUOTES: Record<string, QuoteRow> = {
  CALL: quote('CALL', { bidPrice: 0.02, askPrice: 0.022, markPrice: 0.021, underlyingPrice: 50_000 }),
  PUT: quote('PUT', { bidPrice: 0.035, askPrice: 0.05, markPrice: 0.04, underlyingPrice: 50_000 }),
  WING: quote('WING', { askPrice: 0.001, markPrice: 0.0005, underlyingPrice: 50_000 }),
  NOMARK: quote('NOMARK', { bidPrice: 0.01, askPrice: 0.012 }),
  STALE: quote('STALE', { bidPrice: 0.01, askPrice: 0.012, markPrice: 0.011, stale: true, staleReason: 'sequence gap' }),
  OLD: quote('OLD', { bidPrice: 0.01, askPrice: 0.012, markPrice: 0.011 }),
  'BTC-PERPETUAL': quote('BTC-PERPETUAL', { bidPrice: 50_000, askPrice: 50_000.5, markPrice: 50_000.25 }),
  FUT: quote('FUT', { bidPrice: 50_500, askPrice: 50_505, markPrice: 50_502.5 }),
};
const PARAMS: FlattenParams = {
  nowMs: NOW,
  optionPricing: 'touch',
  maxSlippageFraction: 0.1,
  maxSlippageTicks: 2,
  futureTactic: { kind: 'passive-then-cross', timeoutMs: 5_000, maxSlippageBps: 10 },
};
const POSITIONS: FlattenPosition[] = [
  { instrumentName: 'CALL', size: 1.25 },
  { instrumentName: 'PUT', size: -2 },
  { instrumentName: 'WING', size: 3 },
  { instrumentName: 'NOMARK', size: 1 },
  { instrumentName: 'STALE', size: 1 },
  { instrumentName: 'OLD', size: 1 },
  { instrumentName: 'GONE', size: 1 },
  { instrumentName: 'BTC-PERPETUAL', size: 10_005 },
  { instrumentName: 'FUT', size: -20_000 },
  { instrumentName: 'FLAT', size: 0 },
];

const closeOf = (name: string, plan = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, PARAMS)) => plan.steps.find((s) => s.kind !== 'pull-quotes' && s.instrumentName === name);

describe('planFlatten', () => {
  it('pulls quotes first, then closes options before futures, every order reduce-only', () => {
    const plan = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, PARAMS);
    expect(plan.steps[0].kind).toBe('pull-quotes');
    expect(plan.steps.slice(1).map((s) => (s.kind === 'pull-quotes' ? '' : s.instrumentName))).toEqual(['CALL', 'PUT', 'WING', 'BTC-PERPETUAL', 'FUT']);
    for (const step of plan.steps.slice(1)) expect(step).toMatchObject({ reduceOnly: true });
  });

  it('sells a long option at the bid, whole lots only, reporting the dust', () => {
    expect(closeOf('CALL')).toMatchObject({ kind: 'close-option', side: 'sell', amount: 1.2, limitPrice: 0.02, pricedAt: 'touch', markPrice: 0.021, capPrice: 0.019, postOnly: false, weightUsd: 60_000 });
    const plan = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, PARAMS);
    expect(plan.dust.find((d) => d.instrumentName === 'CALL')?.size).toBeCloseTo(0.05, 12);
    expect(plan.dust.find((d) => d.instrumentName === 'BTC-PERPETUAL')?.size).toBe(5);
  });

  it('improves by one tick inside the spread when asked, never onto the other side', () => {
    const improved = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, { ...PARAMS, optionPricing: 'improve-one-tick' });
    expect(closeOf('CALL', improved)).toMatchObject({ limitPrice: 0.0205, pricedAt: 'improved' });
    const oneTick = { ...QUOTES, CALL: quote('CALL', { bidPrice: 0.02, askPrice: 0.0205, markPrice: 0.02 }) };
    expect(closeOf('CALL', planFlatten(POSITIONS, oneTick, INSTRUMENTS, { ...PARAMS, optionPricing: 'improve-one-tick' }))).toMatchObject({ limitPrice: 0.02, pricedAt: 'touch' });
  });

  it('rests at the cap when the touch is beyond it: mark ± max(10 % of mark, 2 ticks)', () => {
    // Short put: the ask 0.05 is beyond 0.04 + 0.004: bid at the cap, 0.044.
    expect(closeOf('PUT')).toMatchObject({ side: 'buy', amount: 2, limitPrice: 0.044, capPrice: 0.044, pricedAt: 'cap' });
    // A one-tick wing with no bid: 10 % of the mark is a tenth of a tick, so the two-tick
    // allowance applies; it cannot go below one tick.
    expect(closeOf('WING')).toMatchObject({ side: 'sell', amount: 3, limitPrice: 0.0005, pricedAt: 'cap' });
  });

  it('honours the tick steps around 0.005 (0.0001 below, 0.0005 above): caps snap toward the mark, one tick inside is the next price on the grid', () => {
    const stepped = option('STEP', { tickSize: 0.0001, tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] });
    const close = (size: number, q: Partial<QuoteRow>, optionPricing: FlattenParams['optionPricing'] = 'touch') =>
      planFlatten([{ instrumentName: 'STEP', size }], { STEP: quote('STEP', q) }, { STEP: stepped }, { ...PARAMS, optionPricing }).steps[1];
    // Long, mark 0.006: 10 % allows down to 0.0054, which is off the grid there; 0.0050 would
    // allow more than 10 %, so the cap is 0.0055, and that is the price the order carries.
    expect(close(1, { bidPrice: 0.005, askPrice: 0.007, markPrice: 0.006 })).toMatchObject({ side: 'sell', capPrice: 0.0055, limitPrice: 0.0055, pricedAt: 'cap' });
    // Short, mark 0.006: up to 0.0066, so 0.0065.
    expect(close(-1, { bidPrice: 0.005, askPrice: 0.007, markPrice: 0.006 })).toMatchObject({ side: 'buy', capPrice: 0.0065, limitPrice: 0.0065, pricedAt: 'cap' });
    // Short, mark 0.0048: up to 0.00528, above the step, so 0.0050.
    expect(close(-1, { bidPrice: 0.0046, askPrice: 0.0055, markPrice: 0.0048 })).toMatchObject({ capPrice: 0.005, limitPrice: 0.005, pricedAt: 'cap' });
    // One tick inside a one-tick market above the step is the far side: stay at the touch.
    expect(close(1, { bidPrice: 0.006, askPrice: 0.0065, markPrice: 0.00625 }, 'improve-one-tick')).toMatchObject({ limitPrice: 0.006, pricedAt: 'touch' });
    // Wider markets improve by the tick that applies: coarse above the step, fine below, and up onto the coarse grid from it.
    expect(close(1, { bidPrice: 0.006, askPrice: 0.007, markPrice: 0.0065 }, 'improve-one-tick')).toMatchObject({ limitPrice: 0.0065, pricedAt: 'improved' });
    expect(close(1, { bidPrice: 0.0045, askPrice: 0.0048, markPrice: 0.0046 }, 'improve-one-tick')).toMatchObject({ limitPrice: 0.0046, pricedAt: 'improved' });
    expect(close(1, { bidPrice: 0.005, askPrice: 0.006, markPrice: 0.0055 }, 'improve-one-tick')).toMatchObject({ limitPrice: 0.0055, pricedAt: 'improved' });
    expect(close(-1, { bidPrice: 0.0045, askPrice: 0.0055, markPrice: 0.005 }, 'improve-one-tick')).toMatchObject({ side: 'buy', limitPrice: 0.005, pricedAt: 'improved' });
  });

  it('closes futures with the hedge tactic, in whole contracts', () => {
    expect(closeOf('BTC-PERPETUAL')).toEqual({
      kind: 'close-future',
      instrumentName: 'BTC-PERPETUAL',
      currency: 'BTC',
      positionSizeUsd: 10_005,
      side: 'sell',
      amountUsd: 10_000,
      tactic: PARAMS.futureTactic,
      reduceOnly: true,
      markPriceUsd: 50_000.25,
      weightUsd: 10_000,
    });
    expect(closeOf('FUT')).toMatchObject({ side: 'buy', amountUsd: 20_000 });
  });

  it('lists what has no market as unresolvable, with the reason, and warns about unhedged delta', () => {
    const plan = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, PARAMS);
    expect(plan.unresolvable).toEqual([
      { instrumentName: 'NOMARK', size: 1, reason: 'no mark price to bound the slippage' },
      { instrumentName: 'STALE', size: 1, reason: 'no market: quote is stale (sequence gap)' },
      { instrumentName: 'OLD', size: 1, reason: 'expired: it settles at expiry, nothing to trade' },
      { instrumentName: 'GONE', size: 1, reason: 'unknown instrument (not listed)' },
    ]);
    expect(plan.warnings.join('\n')).toContain('unhedged');
    expect(plan.warnings.join('\n')).toContain('rest at the slippage cap');
    const tiny = planFlatten([{ instrumentName: 'CALL', size: 0.05 }, { instrumentName: 'FUT', size: 5 }], QUOTES, INSTRUMENTS, PARAMS);
    expect(tiny.unresolvable.map((u) => u.reason)).toEqual([expect.stringContaining('smaller than the minimum'), expect.stringContaining('smaller than one contract')]);
  });
});

describe('flattenProgress', () => {
  const plan = planFlatten(POSITIONS, QUOTES, INSTRUMENTS, PARAMS);
  const fill = (instrumentName: string, side: 'buy' | 'sell', amount: number, price: number, tsMs = NOW + 10): Fill => ({
    venueId: 'sim',
    tradeId: `${instrumentName}-${amount}-${price}`,
    venueOrderId: 'v',
    label: 'flatten',
    instrumentName,
    side,
    amount,
    price,
    feeCoin: 0.0001,
    indexPrice: 50_000,
    liquidity: 'taker',
    tsMs,
  });

  it('tracks what is left per position and overall, weighted by notional', () => {
    const progress = flattenProgress(plan, POSITIONS);
    expect(progress.fractionDone).toBe(0);
    expect(progress.done).toBe(false);
    expect(progress.report).toBeUndefined();

    const halfway = flattenProgress(plan, [
      { instrumentName: 'CALL', size: 0.65 }, // 0.6 of 1.2 closed
      { instrumentName: 'PUT', size: -2 },
      { instrumentName: 'WING', size: 3 },
      { instrumentName: 'BTC-PERPETUAL', size: 5 }, // all 10,000 closed, dust left
      { instrumentName: 'FUT', size: -20_000 },
    ]);
    expect(halfway.items.find((i) => i.instrumentName === 'CALL')).toMatchObject({ plannedSize: 1.2, remainingSize: expect.closeTo(0.6, 12), fractionDone: expect.closeTo(0.5, 12) });
    expect(halfway.items.find((i) => i.instrumentName === 'BTC-PERPETUAL')).toMatchObject({ remainingSize: 0, fractionDone: 1 });
    // Weights: CALL 60,000, PUT 100,000, WING 150,000, perpetual 10,000, FUT 20,000 USD.
    expect(halfway.fractionDone).toBeCloseTo((0.5 * 60_000 + 10_000) / 340_000, 12);
  });

  it('reports, once done, what closed at what price against the mark, and what could not be closed', () => {
    const fills = [
      fill('CALL', 'sell', 1.0, 0.02),
      fill('CALL', 'sell', 0.2, 0.0195),
      fill('CALL', 'buy', 0.1, 0.03), // not a close: ignored
      fill('PUT', 'buy', 2, 0.044, NOW - 1), // before the plan: ignored
      fill('PUT', 'buy', 2, 0.044),
      fill('WING', 'sell', 3, 0.0005),
      fill('BTC-PERPETUAL', 'sell', 10_000, 50_000),
      fill('FUT', 'buy', 20_000, 50_505),
    ];
    const after = [
      { instrumentName: 'CALL', size: 0.05 },
      { instrumentName: 'BTC-PERPETUAL', size: 5 },
      { instrumentName: 'NOMARK', size: 1 },
    ];
    const progress = flattenProgress(plan, after, { fills });
    expect(progress.done).toBe(true);
    expect(progress.fractionDone).toBe(1);
    const report = progress.report;
    expect(report).toBeDefined();
    const call = report?.closed.find((c) => c.instrumentName === 'CALL');
    // Average (1.0 × 0.02 + 0.2 × 0.0195)/1.2; sold under the 0.021 mark.
    const average = (0.02 + 0.2 * 0.0195) / 1.2;
    expect(call).toMatchObject({ side: 'sell', closedSize: 1.2, averagePrice: expect.closeTo(average, 12), markPrice: 0.021, feesCoin: expect.closeTo(0.0002, 12) });
    expect(call?.slippagePerUnit).toBeCloseTo(0.021 - average, 12);
    expect(call?.slippageCoin).toBeCloseTo((0.021 - average) * 1.2, 12);
    const fut = report?.closed.find((c) => c.instrumentName === 'FUT');
    // Bought 20,000 USD at 50,505 against a 50,502.5 mark: 20,000·2.5/(50,505·50,502.5) BTC.
    expect(fut?.slippageCoin).toBeCloseTo((20_000 * 2.5) / (50_505 * 50_502.5), 15);
    expect(fut?.slippageFraction).toBeCloseTo(2.5 / 50_502.5, 12);
    expect(report?.notClosed.map((n) => n.instrumentName)).toEqual(['NOMARK', 'STALE', 'OLD', 'GONE', 'CALL', 'BTC-PERPETUAL']);
    expect(report?.totalFeesCoin).toBeCloseTo(0.0006, 12);
  });

  it('reports on demand when the flatten ended with closes still open, with the kernel’s reasons', () => {
    const progress = flattenProgress(plan, POSITIONS, { ended: true, reasons: { PUT: 'order rejected: not_enough_funds' } });
    expect(progress.done).toBe(false);
    const put = progress.report?.notClosed.find((n) => n.instrumentName === 'PUT');
    expect(put).toEqual({ instrumentName: 'PUT', remainingSize: -2, reason: 'order rejected: not_enough_funds' });
    expect(progress.report?.notClosed.find((n) => n.instrumentName === 'FUT')?.reason).toBe('still open when the flatten ended');
  });
});

describe('flatten properties', () => {
  const optionCase = fc.record({
    size: fc.double({ min: -50, max: 50, noNaN: true }),
    markTicks: fc.integer({ min: 1, max: 400 }),
    bidTicks: fc.option(fc.integer({ min: 1, max: 400 })),
    spreadTicks: fc.integer({ min: 1, max: 60 }),
    hasAsk: fc.boolean(),
  });
  const futureCase = fc.record({ size: fc.integer({ min: -1_000_000, max: 1_000_000 }), bidTicks: fc.integer({ min: 2_000, max: 200_000 }) });
  const cases = fc.record({
    options: fc.array(optionCase, { maxLength: 12 }),
    futures: fc.array(futureCase, { maxLength: 3 }),
    pricing: fc.constantFrom<FlattenParams['optionPricing']>('touch', 'improve-one-tick'),
    maxSlippageFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
    maxSlippageTicks: fc.integer({ min: 0, max: 10 }),
  });

  it('orders are reduce-only, close at most the position, and option prices stay inside the cap and on tick', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const instruments: Record<string, InstrumentRow> = {};
        const quotes: Record<string, QuoteRow> = {};
        const positions: FlattenPosition[] = [];
        const tick = 0.0005;
        c.options.forEach((o, i) => {
          const name = `O${i}`;
          instruments[name] = option(name);
          const bid = o.bidTicks ?? undefined;
          quotes[name] = quote(name, {
            ...(bid !== undefined && { bidPrice: bid * tick }),
            ...(o.hasAsk && { askPrice: ((bid ?? 0) + o.spreadTicks) * tick }),
            markPrice: o.markTicks * tick,
          });
          positions.push({ instrumentName: name, size: o.size });
        });
        c.futures.forEach((f, i) => {
          const name = `F${i}`;
          instruments[name] = future(name, { tickSize: 0.5 });
          quotes[name] = quote(name, { bidPrice: f.bidTicks * 0.5, askPrice: (f.bidTicks + 1) * 0.5, markPrice: f.bidTicks * 0.5 });
          positions.push({ instrumentName: name, size: f.size });
        });
        const params = { ...PARAMS, optionPricing: c.pricing, maxSlippageFraction: c.maxSlippageFraction, maxSlippageTicks: c.maxSlippageTicks };
        const plan = planFlatten(positions, quotes, instruments, params);
        expect(plan.steps[0].kind).toBe('pull-quotes');
        const bySize = new Map(positions.map((p) => [p.instrumentName, p.size]));

        for (const step of plan.steps.slice(1) as (CloseOptionStep | CloseFutureStep)[]) {
          expect(step.reduceOnly).toBe(true);
          const size = bySize.get(step.instrumentName) ?? 0;
          expect(step.side).toBe(size > 0 ? 'sell' : 'buy');
          const amount = step.kind === 'close-option' ? step.amount : step.amountUsd;
          expect(amount).toBeGreaterThan(0);
          expect(amount).toBeLessThanOrEqual(Math.abs(size) + 1e-12);
          if (step.kind !== 'close-option') continue;
          const q = quotes[step.instrumentName];
          const mark = step.markPrice;
          const allowed = Math.max(c.maxSlippageFraction * mark, c.maxSlippageTicks * tick);
          expect(isOnTick(step.limitPrice, tick)).toBe(true);
          expect(step.limitPrice).toBeGreaterThanOrEqual(tick);
          if (step.side === 'sell') {
            expect(step.limitPrice).toBeGreaterThanOrEqual(Math.max(tick, mark - allowed) - 1e-12);
            if (q?.bidPrice !== undefined) expect(step.limitPrice).toBeGreaterThanOrEqual(q.bidPrice - 1e-12);
          } else {
            expect(step.limitPrice).toBeLessThanOrEqual(mark + allowed + 1e-12);
            if (q?.askPrice !== undefined) expect(step.limitPrice).toBeLessThanOrEqual(q.askPrice + 1e-12);
          }
          // At or inside the spread unless pinned to the cap.
          if (step.pricedAt !== 'cap' && q?.bidPrice !== undefined && q.askPrice !== undefined) {
            expect(step.limitPrice).toBeGreaterThanOrEqual(q.bidPrice - 1e-12);
            expect(step.limitPrice).toBeLessThanOrEqual(q.askPrice + 1e-12);
          }
        }
        // Every non-zero position is either closed by a step or listed as unresolvable.
        const covered = new Set([...plan.steps.slice(1).map((s) => (s.kind === 'pull-quotes' ? '' : s.instrumentName)), ...plan.unresolvable.map((u) => u.instrumentName)]);
        for (const p of positions) if (p.size !== 0) expect(covered.has(p.instrumentName)).toBe(true);

        const progress = flattenProgress(plan, positions);
        expect(progress.fractionDone).toBeGreaterThanOrEqual(0);
        expect(progress.fractionDone).toBeLessThanOrEqual(1);
        expect(flattenProgress(plan, []).done).toBe(true);
      }),
      { seed: 31_415, numRuns: 600 },
    );
  });

  it('on a stepped tick grid, option prices are on the grid, inside the allowance, and an improvement stays inside the spread', () => {
    const stepped = option('S', { tickSize: 0.0001, tickSizeSteps: [{ abovePrice: 0.005, tickSize: 0.0005 }] });
    // Grid prices by index: 0.0001 steps up to 0.005, then 0.0005 steps.
    const gridPrice = (i: number) => (i <= 50 ? i * 0.0001 : 0.005 + (i - 50) * 0.0005);
    const steppedCase = fc.record({
      size: fc.constantFrom(-3, -1, 1, 3),
      mark: fc.double({ min: 0.0001, max: 0.05, noNaN: true }),
      bid: fc.option(fc.integer({ min: 1, max: 120 })),
      spread: fc.integer({ min: 1, max: 20 }),
      hasAsk: fc.boolean(),
      pricing: fc.constantFrom<FlattenParams['optionPricing']>('touch', 'improve-one-tick'),
      maxSlippageFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
      maxSlippageTicks: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(steppedCase, (c) => {
        const bid = c.bid ?? undefined;
        const q = quote('S', { ...(bid !== undefined && { bidPrice: gridPrice(bid) }), ...(c.hasAsk && { askPrice: gridPrice((bid ?? 0) + c.spread) }), markPrice: c.mark });
        const params = { ...PARAMS, optionPricing: c.pricing, maxSlippageFraction: c.maxSlippageFraction, maxSlippageTicks: c.maxSlippageTicks };
        const step = planFlatten([{ instrumentName: 'S', size: c.size }], { S: q }, { S: stepped }, params).steps[1] as CloseOptionStep;
        expect(isOnSteppedTick(stepped, step.limitPrice)).toBe(true);
        expect(isOnSteppedTick(stepped, step.capPrice)).toBe(true);
        const allowed = Math.max(c.maxSlippageFraction * c.mark, c.maxSlippageTicks * 0.0001);
        // Marks are arbitrary doubles: tick ratios absorb float noise, nothing coarser.
        const noise = 1e-9;
        if (step.side === 'sell') {
          expect(step.limitPrice).toBeGreaterThanOrEqual(Math.max(0.0001, c.mark - allowed) - noise);
          expect(step.limitPrice).toBeGreaterThanOrEqual(step.capPrice - noise);
        } else {
          expect(step.limitPrice).toBeLessThanOrEqual(c.mark + allowed + noise);
          expect(step.limitPrice).toBeLessThanOrEqual(step.capPrice + noise);
        }
        if (step.pricedAt === 'improved' && q.bidPrice !== undefined && q.askPrice !== undefined) {
          expect(step.limitPrice).toBeGreaterThan(q.bidPrice + noise);
          expect(step.limitPrice).toBeLessThan(q.askPrice - noise);
        }
      }),
      { seed: 27_182, numRuns: 1_000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptQuoteOverride,
  effectiveOverride,
  isOverrideActive,
  nextOverrideExpiryMs,
  NO_OVERRIDE,
  overrideApplies,
  pruneExpiredOverrides,
  QuoteOverrideSchema,
} from './overrides.ts';
import type { OverrideScope, OverrideTarget, QuoteOverride } from './overrides.ts';

const EXPIRY_A = 1_767_000_000_000;
const EXPIRY_B = 1_770_000_000_000;
const CALL: OverrideTarget = { instrumentName: 'BTC-A-60000-C', currency: 'BTC', expiryMs: EXPIRY_A };
const NOW = 1_760_000_000_000;

function make(id: string, scope: OverrideScope, fields: Partial<QuoteOverride>, atMs = NOW - 1000): QuoteOverride {
  return { id, scope, provenance: { by: 'trader', atMs, reason: 'test' }, ...fields };
}
const underlying: OverrideScope = { kind: 'underlying', currency: 'BTC' };
const expiry: OverrideScope = { kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_A };
const instrument: OverrideScope = { kind: 'instrument', instrumentName: CALL.instrumentName };

describe('accepting an override from the UI', () => {
  const input = { scope: instrument, volOffsetPts: 1.5, provenance: { by: 'ana', reason: 'earnings' }, expiresAtMs: NOW + 60_000 };

  it('stamps a valid override with its id and the engine clock', () => {
    const result = acceptQuoteOverride(input, 'ov-1', NOW);
    expect(result).toEqual({ ok: true, override: { id: 'ov-1', scope: instrument, volOffsetPts: 1.5, expiresAtMs: NOW + 60_000, provenance: { by: 'ana', atMs: NOW, reason: 'earnings' } } });
    if (result.ok) expect(QuoteOverrideSchema.safeParse(result.override).success).toBe(true);
  });

  it('refuses what makes no sense, with a reason', () => {
    const refuse = (value: unknown) => {
      const result = acceptQuoteOverride(value, 'x', NOW);
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.error;
    };
    expect(refuse({ scope: instrument, provenance: { by: 'ana', reason: 'r' } })).toContain('at least one of');
    expect(refuse({ ...input, scope: expiry, fixedPrice: { bidPriceCoin: 0.01 } })).toContain('fixedPrice: a fixed price applies to one instrument only');
    expect(refuse({ ...input, fixedPrice: { bidPriceCoin: 0.02, askPriceCoin: 0.01 } })).toContain('bid must be below ask');
    expect(refuse({ ...input, fixedPrice: {} })).toContain('give a bid or an ask');
    expect(refuse({ ...input, widthMultiplier: 0 })).toContain('widthMultiplier');
    expect(refuse({ ...input, id: 'mine' })).toContain('id');
    expect(refuse({ ...input, provenance: { by: 'ana', atMs: 1, reason: 'r' } })).toContain('atMs');
    expect(refuse({ ...input, provenance: { by: 'ana', reason: '' } })).toContain('provenance.reason');
    expect(refuse({ ...input, expiresAtMs: NOW })).toContain('already expired');
    expect(refuse({ ...input, scope: { kind: 'strike', strike: 1 } })).toContain('scope');
  });
});

describe('effectiveOverride: hand-worked cases', () => {
  it('is neutral when nothing applies', () => {
    expect(effectiveOverride(CALL, [], NOW)).toBe(NO_OVERRIDE);
    expect(effectiveOverride(CALL, [make('eth', { kind: 'underlying', currency: 'ETH' }, { volOffsetPts: 1 })], NOW)).toBe(NO_OVERRIDE);
  });

  it('adds offsets, multiplies widths, unites sides off, and lets the narrowest scope set size and lock', () => {
    const overrides = [
      make('i', instrument, { volOffsetPts: 0.5, sizeCoin: 3, lock: false }),
      make('u', underlying, { volOffsetPts: 1, widthMultiplier: 2, sizeCoin: 1, lock: true, sideOff: 'bid' }),
      make('e', expiry, { skewOffsetPts: -0.25, widthMultiplier: 1.5, sideOff: 'ask', sizeCoin: 2 }),
      make('other-expiry', { kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_B }, { volOffsetPts: 10 }),
    ];
    expect(effectiveOverride(CALL, overrides, NOW)).toEqual({
      volOffsetPts: 1.5,
      skewOffsetPts: -0.25,
      widthMultiplier: 3,
      sizeCoin: 3,
      bidOff: true,
      askOff: true,
      locked: false,
      overrideIds: ['u', 'e', 'i'],
    });
    // Another option of the same expiry: the underlying's lock holds, the expiry's size wins.
    const put = { ...CALL, instrumentName: 'BTC-A-60000-P' };
    expect(effectiveOverride(put, overrides, NOW)).toMatchObject({ volOffsetPts: 1, sizeCoin: 2, locked: true, overrideIds: ['u', 'e'] });
  });

  it('takes the latest of two overrides of the same scope, and credits only the winner of a replaced field', () => {
    const overrides = [make('late', instrument, { sizeCoin: 5, fixedPrice: { askPriceCoin: 0.07 } }, NOW - 10), make('early', instrument, { sizeCoin: 4, fixedPrice: { bidPriceCoin: 0.05 } }, NOW - 20)];
    expect(effectiveOverride(CALL, overrides, NOW)).toMatchObject({ sizeCoin: 5, fixedBidPriceCoin: 0.05, fixedAskPriceCoin: 0.07, overrideIds: ['early', 'late'] });
    expect(effectiveOverride(CALL, [make('a', instrument, { sizeCoin: 1 }, NOW - 20), make('b', instrument, { sizeCoin: 2 }, NOW - 10)], NOW).overrideIds).toEqual(['b']);
  });

  it('ignores expired overrides and reports the next expiry', () => {
    const overrides = [make('gone', instrument, { sideOff: 'bid', expiresAtMs: NOW }), make('later', instrument, { sideOff: 'ask', expiresAtMs: NOW + 5000 }), make('forever', underlying, { volOffsetPts: 1 })];
    expect(effectiveOverride(CALL, overrides, NOW)).toMatchObject({ bidOff: false, askOff: true, overrideIds: ['forever', 'later'] });
    expect(isOverrideActive(overrides[0]!, NOW - 1)).toBe(true);
    expect(pruneExpiredOverrides(overrides, NOW).map((o) => o.id)).toEqual(['later', 'forever']);
    expect(nextOverrideExpiryMs(overrides, NOW)).toBe(NOW + 5000);
    expect(nextOverrideExpiryMs(overrides, NOW + 5000)).toBeUndefined();
  });
});

const INSTRUMENTS: readonly OverrideTarget[] = [
  CALL,
  { instrumentName: 'BTC-A-60000-P', currency: 'BTC', expiryMs: EXPIRY_A },
  { instrumentName: 'BTC-B-70000-C', currency: 'BTC', expiryMs: EXPIRY_B },
  { instrumentName: 'ETH-A-3000-C', currency: 'ETH', expiryMs: EXPIRY_A },
];

const scopeArbitrary: fc.Arbitrary<OverrideScope> = fc.oneof(
  fc.constantFrom(...INSTRUMENTS).map((i): OverrideScope => ({ kind: 'instrument', instrumentName: i.instrumentName })),
  fc.record({ currency: fc.constantFrom('BTC', 'ETH'), expiryMs: fc.constantFrom(EXPIRY_A, EXPIRY_B) }).map((e): OverrideScope => ({ kind: 'expiry', ...e })),
  fc.constantFrom('BTC', 'ETH').map((currency): OverrideScope => ({ kind: 'underlying', currency })),
);

const overridesArbitrary = fc
  .array(
    fc.record(
      {
        scope: scopeArbitrary,
        volOffsetPts: fc.double({ min: -5, max: 5, noNaN: true }),
        skewOffsetPts: fc.double({ min: -5, max: 5, noNaN: true }),
        widthMultiplier: fc.double({ min: 0.25, max: 4, noNaN: true }),
        sizeCoin: fc.constantFrom(0.5, 1, 2, 5),
        sideOff: fc.constantFrom('bid' as const, 'ask' as const),
        lock: fc.boolean(),
        atMs: fc.integer({ min: NOW - 10_000, max: NOW }),
        expiresAtMs: fc.integer({ min: NOW - 5000, max: NOW + 5000 }),
      },
      { requiredKeys: ['scope', 'atMs'] },
    ),
    { maxLength: 8 },
  )
  .map((records) =>
    records.map(({ atMs, ...fields }, index): QuoteOverride => ({ ...fields, id: `ov-${index}`, provenance: { by: 'p', atMs, reason: 'r' } })),
  );

describe('effectiveOverride: properties', () => {
  const runs = { seed: 42, numRuns: 2000 };
  const rank = { underlying: 0, expiry: 1, instrument: 2 } as const;

  it('adds offsets, multiplies widths, unites sides off, and takes replace-type fields from the narrowest latest override', () => {
    fc.assert(
      fc.property(overridesArbitrary, fc.constantFrom(...INSTRUMENTS), (overrides, target) => {
        const applying = overrides.filter((o) => isOverrideActive(o, NOW) && overrideApplies(o.scope, target));
        const result = effectiveOverride(target, overrides, NOW);
        const sum = (pick: (o: QuoteOverride) => number | undefined) => applying.reduce((total, o) => total + (pick(o) ?? 0), 0);
        expect(result.volOffsetPts).toBeCloseTo(sum((o) => o.volOffsetPts), 12);
        expect(result.skewOffsetPts).toBeCloseTo(sum((o) => o.skewOffsetPts), 12);
        expect(result.widthMultiplier).toBeCloseTo(applying.reduce((product, o) => product * (o.widthMultiplier ?? 1), 1), 12);
        expect(result.bidOff).toBe(applying.some((o) => o.sideOff === 'bid'));
        expect(result.askOff).toBe(applying.some((o) => o.sideOff === 'ask'));
        const winner = (has: (o: QuoteOverride) => boolean) =>
          applying
            .filter(has)
            .sort((a, b) => rank[b.scope.kind] - rank[a.scope.kind] || b.provenance.atMs - a.provenance.atMs || (a.id < b.id ? 1 : -1))[0];
        expect(result.sizeCoin).toBe(winner((o) => o.sizeCoin !== undefined)?.sizeCoin);
        expect(result.locked).toBe(winner((o) => o.lock !== undefined)?.lock ?? false);
        for (const id of result.overrideIds) expect(applying.map((o) => o.id)).toContain(id);
      }),
      runs,
    );
  });

  it('ignores expired overrides and does not depend on the order of the list', () => {
    fc.assert(
      fc.property(overridesArbitrary, fc.constantFrom(...INSTRUMENTS), fc.infiniteStream(fc.nat()), (overrides, target, stream) => {
        const result = effectiveOverride(target, overrides, NOW);
        expect(effectiveOverride(target, pruneExpiredOverrides(overrides, NOW), NOW)).toEqual(result);
        const keys = [...stream.take(overrides.length)];
        const shuffled = overrides.map((o, i) => ({ o, key: keys[i]! })).sort((a, b) => a.key - b.key).map(({ o }) => o);
        expect(effectiveOverride(target, shuffled, NOW)).toEqual(result);
        const expired = overrides.map((o) => ({ ...o, expiresAtMs: NOW }));
        expect(effectiveOverride(target, expired, NOW)).toBe(NO_OVERRIDE);
      }),
      runs,
    );
  });
});

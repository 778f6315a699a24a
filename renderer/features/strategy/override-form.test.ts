import { describe, expect, it } from 'vitest';
import type { OverrideRow } from '../../../core/protocol/index.ts';
import { SetOverrideSchema } from '../../../core/protocol/index.ts';
import { EXPIRY_A, option } from '../market/test-fixtures.ts';
import type { OverrideDraft } from './override-form.ts';
import { appliesTo, checkOverride, isBlankDraft, describeExpiry, describeOverride, describeScope, EMPTY_OVERRIDE_DRAFT, scopeContext, scopeFor, sortedOverrides } from './override-form.ts';

const call = option('BTC', EXPIRY_A, 95_000, 'call');
const context = scopeContext({ underlying: 'BTC', expiryMs: EXPIRY_A, instrumentName: call.instrumentName }, call);
const NOW = 1_800_000_000_000;

function draft(fields: Partial<OverrideDraft>): OverrideDraft {
  return { ...EMPTY_OVERRIDE_DRAFT, reason: 'earnings', ...fields };
}

describe('override scope', () => {
  it('takes the instrument, its expiry and its underlying from the selection', () => {
    expect(context).toEqual({ instrumentName: call.instrumentName, currency: 'BTC', expiryMs: EXPIRY_A });
    expect(scopeFor('instrument', context)).toEqual({ ok: true, scope: { kind: 'instrument', instrumentName: call.instrumentName } });
    expect(scopeFor('expiry', context)).toEqual({ ok: true, scope: { kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_A } });
    expect(scopeFor('underlying', context)).toEqual({ ok: true, scope: { kind: 'underlying', currency: 'BTC' } });
  });

  it('falls back to the chain shown, and says what is missing', () => {
    const chainOnly = scopeContext({ underlying: 'ETH', expiryMs: EXPIRY_A, instrumentName: undefined }, undefined);
    expect(chainOnly).toEqual({ currency: 'ETH', expiryMs: EXPIRY_A });
    expect(scopeFor('instrument', chainOnly)).toMatchObject({ ok: false, reason: expect.stringContaining('select an instrument') });
    expect(scopeFor('expiry', {})).toMatchObject({ ok: false });
    expect(scopeFor('underlying', {})).toMatchObject({ ok: false });
  });

  it('uses the chain expiry for a perpetual', () => {
    const perpetual = { ...call, instrumentName: 'BTC-PERPETUAL', kind: 'future' as const, isPerpetual: true, expiryMs: 32_503_680_000_000 };
    expect(scopeContext({ underlying: 'BTC', expiryMs: EXPIRY_A, instrumentName: 'BTC-PERPETUAL' }, perpetual).expiryMs).toBe(EXPIRY_A);
  });

  it('describes scopes', () => {
    expect(describeScope({ kind: 'instrument', instrumentName: 'BTC-X' })).toBe('BTC-X');
    expect(describeScope({ kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_A })).toBe('BTC 27 NOV 26');
    expect(describeScope({ kind: 'underlying', currency: 'ETH' })).toBe('ETH (all expiries)');
  });
});

describe('override checks', () => {
  it('builds a command the protocol accepts, with only the fields set', () => {
    const check = checkOverride(draft({ volOffsetText: '1.5', widthText: '2', sideOff: 'ask', fixedBidText: '0.02', lock: 'lock', expiresInMinText: '30' }), context, NOW);
    expect(check).toEqual({
      ok: true,
      command: {
        type: 'SetOverride',
        scope: { kind: 'instrument', instrumentName: call.instrumentName },
        by: 'trader',
        reason: 'earnings',
        volOffsetPts: 1.5,
        widthMultiplier: 2,
        sideOff: 'ask',
        fixedPrice: { bidPriceCoin: 0.02 },
        lock: true,
        expiresAtMs: NOW + 30 * 60_000,
      },
    });
    if (check.ok) expect(SetOverrideSchema.safeParse({ ...check.command, commandId: 'c1' }).success).toBe(true);
  });

  it('tells a blank form from a started one, whatever its scope', () => {
    expect(isBlankDraft(EMPTY_OVERRIDE_DRAFT)).toBe(true);
    expect(isBlankDraft({ ...EMPTY_OVERRIDE_DRAFT, scopeKind: 'underlying' })).toBe(true);
    expect(isBlankDraft({ ...EMPTY_OVERRIDE_DRAFT, reason: 'x' })).toBe(false);
    expect(isBlankDraft({ ...EMPTY_OVERRIDE_DRAFT, lock: 'lock' })).toBe(false);
  });

  it('requires a reason and at least one effect', () => {
    expect(checkOverride(draft({ volOffsetText: '1', reason: '  ' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('say why') });
    expect(checkOverride(draft({}), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('at least one') });
    expect(checkOverride(draft({ volOffsetText: '1', reason: 'x'.repeat(201) }), context, NOW)).toMatchObject({ ok: false });
  });

  it('keeps every number in the protocol ranges', () => {
    expect(checkOverride(draft({ volOffsetText: '51' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('vol offset') });
    expect(checkOverride(draft({ widthText: '0.05' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('width') });
    expect(checkOverride(draft({ skewText: 'abc' }), context, NOW)).toMatchObject({ ok: false, reason: 'skew offset is not a number' });
    expect(checkOverride(draft({ sizeText: '-1' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('size') });
    expect(checkOverride(draft({ sizeText: '0' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('above 0') });
    expect(checkOverride(draft({ sizeText: '10001' }), context, NOW)).toMatchObject({ ok: false });
    expect(checkOverride(draft({ sizeText: '2.5' }), context, NOW)).toMatchObject({ ok: true, command: { sizeCoin: 2.5 } });
    expect(checkOverride(draft({ volOffsetText: '1', expiresInMinText: '0' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('expiry') });
    expect(checkOverride(draft({ volOffsetText: '1', expiresInMinText: '20000' }), context, NOW)).toMatchObject({ ok: false });
    expect(checkOverride(draft({ volOffsetText: '1', expiresInMinText: '0.5' }), context, NOW + 0.4)).toMatchObject({ ok: true, command: { expiresAtMs: NOW + 30_000 } });
  });

  it('allows fixed prices on one instrument only, positive, bid below ask, not on a side switched off', () => {
    expect(checkOverride(draft({ scopeKind: 'expiry', fixedBidText: '0.02' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('one instrument') });
    expect(checkOverride(draft({ fixedBidText: '0' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('positive') });
    expect(checkOverride(draft({ fixedBidText: '0.03', fixedAskText: '0.02' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('below') });
    expect(checkOverride(draft({ fixedBidText: '0.02', sideOff: 'bid' }), context, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('bid is switched off') });
    expect(checkOverride(draft({ fixedAskText: '0.02', sideOff: 'ask' }), context, NOW)).toMatchObject({ ok: false });
  });

  it('locks, or exempts an instrument from a broader lock', () => {
    expect(checkOverride(draft({ lock: 'lock' }), context, NOW)).toMatchObject({ ok: true, command: { lock: true } });
    expect(checkOverride(draft({ lock: 'unlock' }), context, NOW)).toMatchObject({ ok: true, command: { lock: false } });
    const untouched = checkOverride(draft({ widthText: '2' }), context, NOW);
    expect(untouched.ok && 'lock' in untouched.command).toBe(false);
  });

  it('scopes an expiry or an underlying', () => {
    expect(checkOverride(draft({ scopeKind: 'underlying', widthText: '1.5' }), context, NOW)).toMatchObject({ ok: true, command: { scope: { kind: 'underlying', currency: 'BTC' } } });
    expect(checkOverride(draft({ scopeKind: 'instrument', widthText: '1.5' }), { currency: 'BTC' }, NOW)).toMatchObject({ ok: false });
  });
});

describe('override list', () => {
  const row: OverrideRow = { id: 'o1', scope: { kind: 'underlying', currency: 'BTC' }, volOffsetPts: -1.25, widthMultiplier: 2, sideOff: 'bid', fixedPrice: { askPriceCoin: 0.03 }, lock: true, by: 'trader', atMs: 10, reason: 'r' };

  it('describes what an override does', () => {
    expect(describeOverride(row)).toBe('vol −1.25 pts, width ×2, bid off, fixed ask 0.03, locked');
    expect(describeOverride({ skewOffsetPts: 0.5, sizeCoin: 3 })).toBe('skew +0.50 pts, size 3');
    expect(describeOverride({ lock: false })).toBe('exempt from lock');
    expect(describeOverride({})).toBe('no change');
  });

  it('says when it expires', () => {
    expect(describeExpiry(undefined, 0)).toBe('never');
    expect(describeExpiry(1_000, 2_000)).toBe('expired');
    expect(describeExpiry(NOW + 90_000, NOW)).toBe('in 1 min 30 s');
  });

  it('tells which overrides act on the selection', () => {
    expect(appliesTo({ kind: 'instrument', instrumentName: call.instrumentName }, context)).toBe(true);
    expect(appliesTo({ kind: 'instrument', instrumentName: 'BTC-OTHER' }, context)).toBe(false);
    expect(appliesTo({ kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_A }, context)).toBe(true);
    expect(appliesTo({ kind: 'expiry', currency: 'BTC', expiryMs: EXPIRY_A + 1 }, context)).toBe(false);
    expect(appliesTo({ kind: 'underlying', currency: 'BTC' }, context)).toBe(true);
    expect(appliesTo({ kind: 'underlying', currency: 'ETH' }, context)).toBe(false);
  });

  it('lists the newest first', () => {
    expect(sortedOverrides({ a: { ...row, id: 'a', atMs: 1 }, b: { ...row, id: 'b', atMs: 2 } }).map((o) => o.id)).toEqual(['b', 'a']);
    expect(sortedOverrides(undefined)).toEqual([]);
  });
});

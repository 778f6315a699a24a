import { describe, expect, it } from 'vitest';
import type { InstrumentRow } from '../../../core/protocol/index.ts';
import { SetAutoHedgeSchema } from '../../../core/protocol/index.ts';
import { EXPIRY_A, EXPIRY_B, option } from '../market/test-fixtures.ts';
import { autoHedgeDraftFrom, autoHedgeEdited, checkAutoHedge, hedgeInstruments, parseMinIntervalMs, toggleAutoHedge } from './auto-hedge-form.ts';

function future(name: string, expiryMs: number, isPerpetual = false, currency = 'BTC'): InstrumentRow {
  return { instrumentName: name, venueId: 'sim', currency, kind: 'future', isPerpetual, expiryMs, tickSize: 0.5, minTradeAmount: 10, contractSize: 10 };
}

describe('auto-hedge form', () => {
  const saved = { enabled: false, targetCoin: 0, bandCoin: 0.5, minIntervalMs: 10_000 };

  it('starts from what the engine runs', () => {
    expect(autoHedgeDraftFrom(saved)).toEqual({ targetText: '0', bandText: '0.5', minIntervalText: '10', instrumentName: '' });
    expect(autoHedgeDraftFrom({ ...saved, instrumentName: 'BTC-PERPETUAL' }).instrumentName).toBe('BTC-PERPETUAL');
    expect(autoHedgeEdited(saved, autoHedgeDraftFrom(saved))).toBe(false);
    expect(autoHedgeEdited(saved, { targetText: '0', bandText: '1', minIntervalText: '10', instrumentName: '' })).toBe(true);
  });

  it('builds a command the protocol accepts', () => {
    const check = checkAutoHedge('BTC', true, { targetText: '-0.5', bandText: '1', minIntervalText: '10', instrumentName: 'BTC-PERPETUAL' });
    expect(check).toEqual({ ok: true, command: { type: 'SetAutoHedge', currency: 'BTC', enabled: true, targetCoin: -0.5, bandCoin: 1, minIntervalMs: 10_000, instrumentName: 'BTC-PERPETUAL' } });
    if (check.ok) expect(SetAutoHedgeSchema.safeParse({ ...check.command, commandId: 'c' }).success).toBe(true);
    const engineChoice = checkAutoHedge('BTC', false, { targetText: '0', bandText: '1', minIntervalText: '10', instrumentName: '' });
    expect(engineChoice.ok && 'instrumentName' in engineChoice.command).toBe(false);
  });

  it('refuses a missing target and a band that is not positive', () => {
    expect(checkAutoHedge('BTC', true, { targetText: 'x', bandText: '1', minIntervalText: '10', instrumentName: '' })).toMatchObject({ ok: false, reason: expect.stringContaining('target') });
    expect(checkAutoHedge('BTC', true, { targetText: '0', bandText: '0', minIntervalText: '10', instrumentName: '' })).toMatchObject({ ok: false, reason: expect.stringContaining('band') });
    expect(checkAutoHedge('BTC', true, { targetText: '0', bandText: '', minIntervalText: '10', instrumentName: '' })).toMatchObject({ ok: false });
    expect(checkAutoHedge('BTC', true, { targetText: '0', bandText: '1e9', minIntervalText: '10', instrumentName: '' })).toMatchObject({ ok: false });
  });

  it('toggles with the edited settings, or with the running ones when the edit is not valid', () => {
    const running = { enabled: true, targetCoin: 0.2, bandCoin: 0.5, minIntervalMs: 30_000 };
    expect(toggleAutoHedge('BTC', running, { targetText: '0', bandText: '1', minIntervalText: '10', instrumentName: '' }, false)).toMatchObject({ ok: true, command: { enabled: false, targetCoin: 0, bandCoin: 1 } });
    expect(toggleAutoHedge('BTC', running, { targetText: '0', bandText: 'oops', minIntervalText: '10', instrumentName: '' }, false)).toMatchObject({ ok: true, command: { enabled: false, targetCoin: 0.2, bandCoin: 0.5, minIntervalMs: 30_000 } });
  });

  it('carries the engine\'s minimum interval, edited in seconds', () => {
    const slow = { ...saved, minIntervalMs: 45_500 };
    const draft = autoHedgeDraftFrom(slow);
    expect(draft.minIntervalText).toBe('45.5');
    expect(autoHedgeEdited(slow, draft)).toBe(false);
    expect(checkAutoHedge('BTC', true, draft)).toMatchObject({ ok: true, command: { minIntervalMs: 45_500 } });
    const edited = { ...draft, minIntervalText: '0' };
    expect(autoHedgeEdited(slow, edited)).toBe(true);
    expect(checkAutoHedge('BTC', true, edited)).toMatchObject({ ok: true, command: { minIntervalMs: 0 } });
    expect(parseMinIntervalMs('3600')).toBe(3_600_000);
    expect(parseMinIntervalMs('3601')).toBeUndefined();
    expect(parseMinIntervalMs('-1')).toBeUndefined();
    expect(checkAutoHedge('BTC', true, { ...draft, minIntervalText: 'soon' })).toMatchObject({ ok: false, reason: expect.stringContaining('interval') });
  });

  it('lists the perpetual first, then futures by expiry, of the currency only', () => {
    const instruments = Object.fromEntries(
      [future('BTC-25DEC26', EXPIRY_B), future('BTC-27NOV26', EXPIRY_A), future('BTC-PERPETUAL', 9e15, true), future('ETH-PERPETUAL', 9e15, true, 'ETH'), option('BTC', EXPIRY_A, 95_000, 'call')].map((row) => [row.instrumentName, row]),
    );
    expect(hedgeInstruments(instruments, 'BTC').map((row) => row.instrumentName)).toEqual(['BTC-PERPETUAL', 'BTC-27NOV26', 'BTC-25DEC26']);
    expect(hedgeInstruments(undefined, 'BTC')).toEqual([]);
  });
});

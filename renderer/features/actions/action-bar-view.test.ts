import { describe, expect, it } from 'vitest';
import { AcknowledgeHaltSchema } from '../../../core/protocol/index.ts';
import { acknowledgeCommand, actionCurrencies, HALT_ACKNOWLEDGEMENT, haltDescription, pickCurrency } from './action-bar-view.ts';

describe('kill switch view', () => {
  it('acknowledges with the exact literal the engine requires, only once ticked', () => {
    expect(HALT_ACKNOWLEDGEMENT).toBe('I have checked positions and orders');
    expect(acknowledgeCommand(false)).toBeUndefined();
    const command = acknowledgeCommand(true);
    expect(command).toEqual({ type: 'AcknowledgeHalt', acknowledgement: 'I have checked positions and orders' });
    expect(AcknowledgeHaltSchema.safeParse({ ...command, commandId: 'c' }).success).toBe(true);
  });

  it('describes the halt: why, by whom, when, what is still live', () => {
    const tsMs = new Date(2026, 0, 2, 14, 3, 7).getTime();
    expect(haltDescription({ state: 'triggered', reason: 'vega limit', source: 'limit', tsMs, ordersLeft: 3 })).toBe('vega limit · by a risk limit at 14:03:07 · 3 orders still live at the venue');
    expect(haltDescription({ state: 'triggered', ordersLeft: 1 })).toBe('no reason given · 1 order still live at the venue');
    expect(haltDescription({ state: 'triggered', reason: 'r', source: 'trader', ordersLeft: 0 })).toBe('r · by the trader · no orders left');
  });
});

describe('action bar underlying', () => {
  it('merges the underlyings offered', () => {
    expect(actionCurrencies('ETH,BTC', 'BTC,SOL', '')).toEqual(['BTC', 'ETH', 'SOL']);
    expect(actionCurrencies('', '')).toEqual([]);
  });

  it('follows the chain unless the trader picked another for the chain shown', () => {
    const offered = ['BTC', 'ETH'];
    expect(pickCurrency(undefined, 'BTC', offered)).toBe('BTC');
    expect(pickCurrency({ currency: 'ETH', selectionUnderlying: 'BTC' }, 'BTC', offered)).toBe('ETH');
    expect(pickCurrency({ currency: 'ETH', selectionUnderlying: 'BTC' }, 'SOL', offered)).toBe('SOL');
    expect(pickCurrency({ currency: 'XRP', selectionUnderlying: 'BTC' }, 'BTC', offered)).toBe('BTC');
    expect(pickCurrency(undefined, undefined, offered)).toBe('BTC');
    expect(pickCurrency(undefined, undefined, [])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { KILL_SWITCH_ARMED, acknowledgeKill, isKillTriggered, onLimitStatuses, onVenueDisconnected, triggerKill } from './kill-switch.ts';
import { limitStatus } from './limits.ts';

describe('kill switch', () => {
  it('latches the first trigger until acknowledged', () => {
    const first = triggerKill(KILL_SWITCH_ARMED, { source: 'trader', reason: 'trader pressed kill', tsMs: 1_000 });
    expect(first).toEqual({ state: 'triggered', source: 'trader', reason: 'trader pressed kill', tsMs: 1_000 });
    expect(isKillTriggered(first)).toBe(true);
    const second = triggerKill(first, { source: 'limit', reason: 'daily loss', tsMs: 2_000 });
    expect(second).toBe(first);
    expect(acknowledgeKill(second)).toEqual(KILL_SWITCH_ARMED);
    expect(isKillTriggered(KILL_SWITCH_ARMED)).toBe(false);
  });

  it('triggers on a venue down for the timeout or longer', () => {
    expect(onVenueDisconnected(10_000, 19_999, 10_000, 'deribit')).toBeUndefined();
    expect(onVenueDisconnected(10_000, 20_000, 10_000, 'deribit')).toEqual({ source: 'venue-disconnect', tsMs: 20_000, reason: 'deribit disconnected for 10 s (timeout 10 s)' });
    expect(onVenueDisconnected(Number.NaN, 20_000, 10_000)).toBeUndefined();
  });

  it('triggers on breached kill limits only, naming them', () => {
    const rule = (action: 'kill' | 'pause') => ({ limit: 100_000, warnAtFraction: 0.8, action });
    const loss = limitStatus('BTC', 'dailyLossUsd', 120_000, rule('kill'));
    const drawdown = limitStatus('BTC', 'drawdownUsd', 150_000, rule('pause'));
    const near = limitStatus('ETH', 'dailyLossUsd', 90_000, rule('kill'));
    expect(onLimitStatuses([drawdown, near], 5)).toBeUndefined();
    expect(onLimitStatuses([loss, drawdown, near], 5)).toEqual({ source: 'limit', tsMs: 5, reason: 'kill limit breached: BTC daily loss 120,000 USD over limit 100,000' });
  });
});

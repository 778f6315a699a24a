/**
 * The kill switch as data: armed, or triggered with why, when and by what. A trigger latches: it
 * stays (with its first reason) until the trader acknowledges it, whatever happens meanwhile, so a
 * venue that reconnects or a limit that recovers never restarts trading by itself. The kernel
 * cancels everything and halts on a trigger; these helpers only decide.
 */
import { formatQty } from './format.ts';
import type { LimitStatus } from './limits.ts';

export type KillSource = 'trader' | 'limit' | 'venue-disconnect' | 'engine';

export interface KillTrigger {
  readonly reason: string;
  readonly tsMs: number;
  readonly source: KillSource;
}

export type KillSwitchState = { readonly state: 'armed' } | ({ readonly state: 'triggered' } & KillTrigger);

export const KILL_SWITCH_ARMED: KillSwitchState = { state: 'armed' };

/** The state after a trigger: the first trigger is kept while the switch is latched. */
export function triggerKill(current: KillSwitchState, trigger: KillTrigger): KillSwitchState {
  return current.state === 'triggered' ? current : { state: 'triggered', ...trigger };
}

/** The trader's acknowledgement re-arms the switch (the kernel re-checks the causes at once). */
export function acknowledgeKill(_current: KillSwitchState): KillSwitchState {
  return KILL_SWITCH_ARMED;
}

export function isKillTriggered(state: KillSwitchState): boolean {
  return state.state === 'triggered';
}

/** A trigger once a venue has been disconnected for timeoutMs or longer. */
export function onVenueDisconnected(sinceMs: number, nowMs: number, timeoutMs: number, venueId = 'venue'): KillTrigger | undefined {
  const downMs = nowMs - sinceMs;
  if (!(downMs >= timeoutMs)) return undefined;
  return { source: 'venue-disconnect', tsMs: nowMs, reason: `${venueId} disconnected for ${formatQty(downMs / 1000)} s (timeout ${formatQty(timeoutMs / 1000)} s)` };
}

/** A trigger when any limit whose action is 'kill' is breached, naming them all. */
export function onLimitStatuses(statuses: readonly LimitStatus[], nowMs: number): KillTrigger | undefined {
  const breached = statuses.filter((s) => s.state === 'breach' && s.action === 'kill');
  if (breached.length === 0) return undefined;
  const what = breached.map((s) => `${s.label} ${formatQty(s.value)} ${s.unit} over limit ${formatQty(s.limit)}`).join('; ');
  return { source: 'limit', tsMs: nowMs, reason: `kill limit breached: ${what}` };
}

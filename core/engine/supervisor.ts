import type { EngineRunState } from '../protocol/index.ts';
import { STALL_AFTER_MS, STARTUP_GRACE_MS } from './worker-protocol.ts';

/**
 * Worker supervision as a pure state machine: the host feeds it heartbeats, exits and periodic
 * checks, and publishes whatever run state comes out. Kept pure so its timing is tested with a
 * manual clock rather than with sleeps.
 */
export interface SupervisorState {
  readonly runState: EngineRunState;
  readonly reason?: string;
  readonly lastHeartbeatTsMs: number;
}

export type SupervisorInput =
  | { readonly kind: 'started'; readonly tsMs: number }
  | { readonly kind: 'heartbeat'; readonly tsMs: number }
  | { readonly kind: 'check'; readonly tsMs: number }
  | { readonly kind: 'exited'; readonly tsMs: number; readonly reason: string }
  | { readonly kind: 'restartRequested'; readonly tsMs: number };

export function initialSupervisorState(tsMs: number): SupervisorState {
  return { runState: 'starting', lastHeartbeatTsMs: tsMs };
}

export function supervise(state: SupervisorState, input: SupervisorInput): SupervisorState {
  switch (input.kind) {
    case 'started':
      return { runState: 'starting', lastHeartbeatTsMs: input.tsMs };
    case 'heartbeat':
      // A dead worker's late heartbeat (already queued when it exited) must not revive it.
      if (state.runState === 'exited' || state.runState === 'restarting') return state;
      return { runState: 'running', lastHeartbeatTsMs: input.tsMs };
    case 'check': {
      if (state.runState !== 'running' && state.runState !== 'starting') return state;
      const silentMs = input.tsMs - state.lastHeartbeatTsMs;
      // A worker still loading its code has not started heartbeating: it gets longer than a running one.
      if (silentMs < (state.runState === 'starting' ? STARTUP_GRACE_MS : STALL_AFTER_MS)) return state;
      return {
        ...state,
        runState: 'stalled',
        reason: state.runState === 'starting' ? `no first heartbeat within ${Math.round(silentMs)} ms of starting` : `no heartbeat for ${Math.round(silentMs)} ms`,
      };
    }
    case 'exited':
      if (state.runState === 'restarting') return state;
      return { ...state, runState: 'exited', reason: input.reason };
    case 'restartRequested':
      return { runState: 'restarting', lastHeartbeatTsMs: input.tsMs };
  }
}

/** Restart is the trader's decision, offered only once the engine is no longer healthy. */
export function canRestart(state: SupervisorState): boolean {
  return state.runState === 'stalled' || state.runState === 'exited';
}

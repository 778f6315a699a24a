import type { StrategyMode } from '../protocol/index.ts';

/**
 * The strategy mode of one underlying as a small state machine:
 *   ACTIVE    quotes both sides;
 *   REDUCING  quotes only what reduces risk (a limit's reduce-only action, or the trader);
 *   PAUSED    no quotes, positions kept (the trader, a limit's pause action, an MMP trigger);
 *   HALTED    the kill switch latched: nothing is sent until the trader acknowledges, and then
 *             the strategy comes back PAUSED — it never starts quoting by itself after a kill.
 */

export type ModeCause =
  | { readonly kind: 'trader'; readonly mode: Exclude<StrategyMode, 'HALTED'> }
  | { readonly kind: 'limit'; readonly action: 'reduce-only' | 'pause' | 'kill' }
  | { readonly kind: 'mmp' }
  | { readonly kind: 'kill' }
  | { readonly kind: 'halt-acknowledged' };

export type ModeTransition = { readonly ok: true; readonly mode: StrategyMode } | { readonly ok: false; readonly reason: string };

const SEVERITY: Readonly<Record<StrategyMode, number>> = { ACTIVE: 0, REDUCING: 1, PAUSED: 2, HALTED: 3 };

export function nextMode(current: StrategyMode, cause: ModeCause): ModeTransition {
  switch (cause.kind) {
    case 'trader':
      if (current === 'HALTED') return { ok: false, reason: 'the kill switch is latched: acknowledge the halt first' };
      return { ok: true, mode: cause.mode };
    case 'limit': {
      // A limit only ever makes the strategy more careful; relaxing is the trader's decision.
      const wanted: StrategyMode = cause.action === 'kill' ? 'HALTED' : cause.action === 'pause' ? 'PAUSED' : 'REDUCING';
      return { ok: true, mode: SEVERITY[wanted] > SEVERITY[current] ? wanted : current };
    }
    case 'mmp':
      return { ok: true, mode: SEVERITY.PAUSED > SEVERITY[current] ? 'PAUSED' : current };
    case 'kill':
      return { ok: true, mode: 'HALTED' };
    case 'halt-acknowledged':
      return current === 'HALTED' ? { ok: true, mode: 'PAUSED' } : { ok: true, mode: current };
  }
}

/** Whether a strategy in this mode may have quotes working at the venue. */
export function quotesAllowed(mode: StrategyMode): 'both' | 'reducing' | 'none' {
  return mode === 'ACTIVE' ? 'both' : mode === 'REDUCING' ? 'reducing' : 'none';
}

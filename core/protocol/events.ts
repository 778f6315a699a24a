import type { CommandType } from './commands.ts';
import type { EngineState, TopicChanges } from './state.ts';

/**
 * Events: engine → renderer. Past-tense names, plain readonly structured-clone-safe data.
 * State travels as `Snapshot` (full) and `Delta` (coalesced topic replacements) with a sequence
 * number so a renderer can tell it missed nothing.
 */

export interface CommandAccepted {
  readonly type: 'CommandAccepted';
  readonly commandId: string;
  readonly commandType: CommandType;
  readonly tsMs: number;
}

export interface CommandRejected {
  readonly type: 'CommandRejected';
  /** Empty when the command was too malformed to carry an id. */
  readonly commandId: string;
  readonly reason: string;
  readonly tsMs: number;
}

export interface PingAnswered {
  readonly type: 'PingAnswered';
  readonly commandId: string;
  readonly clientTsMs: number;
  readonly engineTsMs: number;
}

/** The pre-trade checks' answer to CheckOrder (and the reason a PlaceOrder was refused). */
export interface OrderChecked {
  readonly type: 'OrderChecked';
  readonly commandId: string;
  readonly ok: boolean;
  /** The check that refused the order, e.g. 'collar', 'max-size', 'limit:BTC.vega.total'. */
  readonly check?: string;
  readonly reason?: string;
}

/** A delta-hedge preview: what would be sent, the Greeks after, and what it should cost. */
export interface HedgePreviewed {
  readonly type: 'HedgePreviewed';
  readonly commandId: string;
  readonly currency: string;
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly amount: number;
  readonly limitPrice: number;
  readonly deltaBeforeCoin: number;
  readonly deltaAfterCoin: number;
  readonly expectedCostUsd: number;
  readonly expectedCostCoin: number;
  readonly warnings: readonly string[];
}

export interface Snapshot {
  readonly type: 'Snapshot';
  readonly seq: number;
  readonly state: EngineState;
}

export interface Delta {
  readonly type: 'Delta';
  /** Consecutive after the snapshot's `seq`; a gap means the renderer must ask for a snapshot. */
  readonly seq: number;
  readonly changes: TopicChanges;
}

export type EngineEvent = CommandAccepted | CommandRejected | PingAnswered | OrderChecked | HedgePreviewed | Snapshot | Delta;
export type EngineEventType = EngineEvent['type'];

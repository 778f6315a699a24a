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

export type EngineEvent = CommandAccepted | CommandRejected | PingAnswered | Snapshot | Delta;
export type EngineEventType = EngineEvent['type'];

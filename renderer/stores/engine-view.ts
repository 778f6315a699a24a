import type { Command, EngineEvent, EngineState, LinkStatus } from '../../core/protocol/index.ts';
import { applyChanges } from '../../core/protocol/index.ts';

/**
 * What the renderer knows of the engine, and the pure reducer that folds link events into it.
 * Kept free of React and zustand so it is tested directly.
 */

export type LogKind = 'command' | 'accepted' | 'rejected' | 'engine' | 'link';

export interface LogEntry {
  readonly id: number;
  readonly tsMs: number;
  readonly kind: LogKind;
  readonly text: string;
  /** The command this entry answers, so a control can show the outcome of its own click. */
  readonly commandId?: string;
  /** How serious it is, where the kind alone does not say (the link opening is good news, a stall is not). */
  readonly level?: 'info' | 'warn' | 'error';
}

export interface PendingCommand {
  readonly type: Command['type'];
  readonly sentTsMs: number;
}

export interface EngineView {
  readonly link: LinkStatus;
  readonly state: EngineState | undefined;
  readonly seq: number;
  /** Engine clock minus local clock, from the latest ping (0 until one is answered). */
  readonly clockOffsetMs: number;
  readonly rttSamplesMs: readonly number[];
  readonly pending: Readonly<Record<string, PendingCommand>>;
  readonly log: readonly LogEntry[];
  readonly nextLogId: number;
  /** Set when a delta arrived out of sequence; the connection then asks for a fresh link. */
  readonly outOfSync: boolean;
  /** Local clock when the last event arrived. */
  readonly lastReceivedTsMs: number;
}

export const LOG_CAPACITY = 1000;
export const RTT_SAMPLES = 50;

export const initialEngineView: EngineView = {
  link: { state: 'connecting' },
  state: undefined,
  seq: 0,
  clockOffsetMs: 0,
  rttSamplesMs: [],
  pending: {},
  log: [],
  nextLogId: 1,
  outOfSync: false,
  lastReceivedTsMs: 0,
};

function appendLog(view: EngineView, tsMs: number, kind: LogKind, text: string, commandId?: string, level?: LogEntry['level']): EngineView {
  const entry: LogEntry = {
    id: view.nextLogId,
    tsMs,
    kind,
    text,
    ...(commandId !== undefined && { commandId }),
    ...(level !== undefined && { level }),
  };
  const log = view.log.length >= LOG_CAPACITY ? [...view.log.slice(view.log.length - LOG_CAPACITY + 1), entry] : [...view.log, entry];
  return { ...view, log, nextLogId: view.nextLogId + 1 };
}

function withoutPending(view: EngineView, commandId: string): EngineView {
  if (!(commandId in view.pending)) return view;
  const { [commandId]: _done, ...pending } = view.pending;
  return { ...view, pending };
}

export function reduceEngineEvent(previous: EngineView, event: EngineEvent, nowMs: number): EngineView {
  const view = { ...previous, lastReceivedTsMs: nowMs };
  switch (event.type) {
    case 'Snapshot':
      return { ...view, state: event.state, seq: event.seq, outOfSync: false };
    case 'Delta': {
      if (!view.state || event.seq !== view.seq + 1) {
        return appendLog({ ...view, outOfSync: true }, nowMs, 'link', `state out of sequence (expected ${view.seq + 1}, got ${event.seq}); resynchronising`);
      }
      const next: EngineView = { ...view, state: applyChanges(view.state, event.changes), seq: event.seq };
      const before = view.state.engine;
      const after = event.changes.engine;
      if (after && after.runState !== before.runState) {
        const level = after.runState === 'running' ? 'info' : after.runState === 'stalled' || after.runState === 'exited' ? 'error' : 'warn';
        return appendLog(next, nowMs, 'engine', `engine ${after.runState}${after.reason ? `: ${after.reason}` : ''}`, undefined, level);
      }
      return next;
    }
    case 'PingAnswered': {
      const rttMs = nowMs - event.clientTsMs;
      // The engine answered at roughly the midpoint of the round trip.
      const clockOffsetMs = event.engineTsMs - (event.clientTsMs + rttMs / 2);
      const rttSamplesMs = [...view.rttSamplesMs.slice(-(RTT_SAMPLES - 1)), rttMs];
      const next = withoutPending({ ...view, clockOffsetMs, rttSamplesMs }, event.commandId);
      return appendLog(next, nowMs, 'accepted', `Ping answered in ${rttMs.toFixed(1)} ms`, event.commandId);
    }
    case 'CommandAccepted':
      return appendLog(withoutPending(view, event.commandId), nowMs, 'accepted', `${event.commandType} accepted`, event.commandId);
    case 'OrderChecked':
      return appendLog(withoutPending(view, event.commandId), nowMs, event.ok ? 'accepted' : 'rejected', event.ok ? 'order passes the pre-trade checks' : `order refused by ${event.check}: ${event.reason}`, event.commandId);
    case 'HedgePreviewed':
      return appendLog(
        withoutPending(view, event.commandId),
        nowMs,
        'accepted',
        `hedge preview ${event.currency}: ${event.side} ${event.amount} ${event.instrumentName} at ${event.limitPrice}, delta ${event.deltaBeforeCoin.toFixed(3)} → ${event.deltaAfterCoin.toFixed(3)}, cost ≈ ${event.expectedCostUsd.toFixed(2)} USD`,
        event.commandId,
      );
    case 'CommandRejected': {
      const type = view.pending[event.commandId]?.type ?? 'command';
      return appendLog(withoutPending(view, event.commandId), nowMs, 'rejected', `${type} rejected: ${event.reason}`, event.commandId);
    }
  }
}

export function reduceLinkStatus(view: EngineView, link: LinkStatus, nowMs: number): EngineView {
  const text = link.state === 'closed' ? `engine link closed: ${link.reason}${link.willRetry ? ' (retrying)' : ''}` : `engine link ${link.state}`;
  // Commands in flight on a closed link will never be answered: say so rather than spin forever.
  let next: EngineView = { ...view, link };
  if (link.state === 'closed') {
    for (const [commandId, pending] of Object.entries(view.pending)) {
      next = appendLog(withoutPending(next, commandId), nowMs, 'rejected', `${pending.type} lost: link closed before an answer`);
    }
  }
  return appendLog(next, nowMs, 'link', text, undefined, link.state === 'open' ? 'info' : link.state === 'closed' ? 'error' : 'warn');
}

export function reduceCommandSent(view: EngineView, command: Command, nowMs: number): EngineView {
  const next = { ...view, pending: { ...view.pending, [command.commandId]: { type: command.type, sentTsMs: nowMs } } };
  return appendLog(next, nowMs, 'command', `${command.type} sent`, command.commandId);
}

export function reduceCommandFailed(view: EngineView, command: Command, reason: string, nowMs: number): EngineView {
  return appendLog(withoutPending(view, command.commandId), nowMs, 'rejected', `${command.type} not sent: ${reason}`, command.commandId);
}

/** Percentile of recent round trips, for the status bar. */
export function rttPercentileMs(samples: readonly number[], fraction: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** The latest answer to a command: pending while unanswered, then accepted or rejected with the reason. */
export function commandOutcome(view: EngineView, commandId: string | undefined): { readonly state: 'none' | 'pending' | 'accepted' | 'rejected'; readonly text?: string } {
  if (commandId === undefined) return { state: 'none' };
  if (commandId in view.pending) return { state: 'pending' };
  for (let i = view.log.length - 1; i >= 0; i--) {
    const entry = view.log[i]!;
    if (entry.commandId !== commandId) continue;
    if (entry.kind === 'accepted') return { state: 'accepted', text: entry.text };
    if (entry.kind === 'rejected') return { state: 'rejected', text: entry.text };
  }
  return { state: 'none' };
}

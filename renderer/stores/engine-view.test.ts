import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../../core/protocol/index.ts';
import type { EngineView } from './engine-view.ts';
import { initialEngineView, LOG_CAPACITY, reduceCommandFailed, reduceCommandSent, reduceEngineEvent, reduceLinkStatus, rttPercentileMs } from './engine-view.ts';

const state: EngineState = {
  engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 't' },
  venues: [],
  ...EMPTY_STATE_TOPICS,
};
const withSnapshot = reduceEngineEvent(initialEngineView, { type: 'Snapshot', seq: 10, state }, 0);

describe('engine view reducer', () => {
  it('applies consecutive deltas as topic replacements', () => {
    const next = reduceEngineEvent(withSnapshot, { type: 'Delta', seq: 11, changes: { engine: { ...state.engine, heartbeatSeq: 4 } } }, 1);
    expect(next.seq).toBe(11);
    expect(next.state?.engine.heartbeatSeq).toBe(4);
    expect(next.state?.venues).toBe(state.venues);
    expect(next.outOfSync).toBe(false);
  });

  it('flags a sequence gap instead of applying it, and a snapshot clears the flag', () => {
    const gapped = reduceEngineEvent(withSnapshot, { type: 'Delta', seq: 13, changes: { venues: [] } }, 1);
    expect(gapped.outOfSync).toBe(true);
    expect(gapped.seq).toBe(10);
    expect(reduceEngineEvent(gapped, { type: 'Snapshot', seq: 20, state }, 2).outOfSync).toBe(false);
  });

  it('logs engine run-state changes', () => {
    const next = reduceEngineEvent(withSnapshot, { type: 'Delta', seq: 11, changes: { engine: { ...state.engine, runState: 'stalled', reason: 'no heartbeat for 612 ms' } } }, 5);
    expect(next.log.at(-1)).toMatchObject({ kind: 'engine', text: 'engine stalled: no heartbeat for 612 ms', level: 'error' });
    const back = reduceEngineEvent(next, { type: 'Delta', seq: 12, changes: { engine: { ...state.engine, runState: 'running' } } }, 6);
    expect(back.log.at(-1)).toMatchObject({ text: 'engine running', level: 'info' });
  });

  it('follows a command from pending to answered', () => {
    const ping = { type: 'Ping', commandId: 'c1', clientTsMs: 100 } as const;
    const sent = reduceCommandSent(withSnapshot, ping, 100);
    expect(sent.pending.c1).toEqual({ type: 'Ping', sentTsMs: 100 });
    const answered = reduceEngineEvent(sent, { type: 'PingAnswered', commandId: 'c1', clientTsMs: 100, engineTsMs: 1_000_105 }, 110);
    expect(answered.pending).toEqual({});
    expect(answered.rttSamplesMs).toEqual([10]);
    expect(answered.clockOffsetMs).toBe(1_000_000);

    const restart = reduceCommandSent(withSnapshot, { type: 'RestartEngine', commandId: 'r1' }, 0);
    const rejected = reduceEngineEvent(restart, { type: 'CommandRejected', commandId: 'r1', reason: 'engine is running', tsMs: 1 }, 1);
    expect(rejected.pending).toEqual({});
    expect(rejected.log.at(-1)).toMatchObject({ kind: 'rejected', text: 'RestartEngine rejected: engine is running' });

    const failed = reduceCommandFailed(reduceCommandSent(withSnapshot, ping, 0), ping, 'engine link is not open', 1);
    expect(failed.pending).toEqual({});
  });

  it('fails in-flight commands when the link closes', () => {
    const sent = reduceCommandSent(withSnapshot, { type: 'Ping', commandId: 'c9', clientTsMs: 0 }, 0);
    const closed = reduceLinkStatus(sent, { state: 'closed', reason: 'connection lost', willRetry: true }, 1);
    expect(closed.pending).toEqual({});
    expect(closed.log.map((entry) => entry.text)).toContain('Ping lost: link closed before an answer');
    expect(closed.log.at(-1)).toMatchObject({ kind: 'link', level: 'error' });
    expect(reduceLinkStatus(closed, { state: 'open' }, 2).log.at(-1)).toMatchObject({ text: 'engine link open', level: 'info' });
  });

  it('bounds the log and the RTT samples however many events arrive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * LOG_CAPACITY }), (count) => {
        let view: EngineView = withSnapshot;
        for (let i = 0; i < count; i++) {
          view = reduceEngineEvent(view, { type: 'PingAnswered', commandId: `p${i}`, clientTsMs: i, engineTsMs: i }, i + 1);
        }
        expect(view.log.length).toBeLessThanOrEqual(LOG_CAPACITY);
        expect(view.rttSamplesMs.length).toBeLessThanOrEqual(50);
        expect(view.log.at(-1)?.id).toBe(view.nextLogId - 1);
      }),
      { seed: 3, numRuns: 20 },
    );
  });

  it('computes RTT percentiles', () => {
    expect(rttPercentileMs([], 0.5)).toBeUndefined();
    expect(rttPercentileMs([5, 1, 3], 0.5)).toBe(3);
    expect(rttPercentileMs([5, 1, 3], 0.99)).toBe(5);
  });
});

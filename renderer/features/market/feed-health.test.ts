import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../../core/protocol/index.ts';
import { EMPTY_STATE_TOPICS } from '../../../core/protocol/index.ts';
import { feedStaleReason } from './feed-health.ts';

const state: EngineState = {
  ...EMPTY_STATE_TOPICS,
  engine: { runState: 'running', startedTsMs: 0, lastHeartbeatTsMs: 0, heartbeatSeq: 0, msgsPerSec: 0, restarts: 0, version: 't' },
  venues: [{ venueId: 'sim', displayName: 'Simulator', state: 'connected', detail: '', sinceTsMs: 0 }],
};
const open = { state: 'open' } as const;

describe('feed health', () => {
  it('is live with an open link, a running engine and a connected venue', () => {
    expect(feedStaleReason(open, state, 'sim')).toBe('');
    expect(feedStaleReason(open, state, undefined)).toBe('');
  });

  it('says why it is not', () => {
    expect(feedStaleReason({ state: 'closed', reason: 'connection lost', willRetry: true }, state, 'sim')).toBe('engine link lost: connection lost');
    expect(feedStaleReason({ state: 'connecting' }, undefined, 'sim')).toBe('connecting to the engine');
    expect(feedStaleReason(open, undefined, 'sim')).toBe('waiting for the engine snapshot');
    expect(feedStaleReason(open, { ...state, engine: { ...state.engine, runState: 'stalled', reason: 'no heartbeat for 600 ms' } }, 'sim')).toBe('engine stalled: no heartbeat for 600 ms');
    expect(feedStaleReason(open, { ...state, venues: [{ ...state.venues[0]!, state: 'reconnecting', detail: 'retry in 2 s' }] }, 'sim')).toBe('Simulator reconnecting: retry in 2 s');
    expect(feedStaleReason(open, state, 'deribit')).toBe('venue deribit not reporting');
  });
});

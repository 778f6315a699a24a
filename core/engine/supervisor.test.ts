import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SupervisorState } from './supervisor.ts';
import { canRestart, initialSupervisorState, supervise } from './supervisor.ts';
import { STALL_AFTER_MS, STARTUP_GRACE_MS, SUPERVISION_INTERVAL_MS } from './worker-protocol.ts';

describe('supervise', () => {
  it('declares a stall within 1 s of the last heartbeat for any heartbeat schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 99 }), (gapsMs, phaseMs) => {
        // Heartbeats arrive after each gap; checks run every SUPERVISION_INTERVAL_MS from `phaseMs`.
        let state: SupervisorState = supervise(initialSupervisorState(0), { kind: 'started', tsMs: 0 });
        let tsMs = 0;
        for (const gap of gapsMs) {
          tsMs += gap;
          state = supervise(state, { kind: 'heartbeat', tsMs });
        }
        const lastHeartbeatMs = tsMs;
        let checkMs = phaseMs;
        while (checkMs <= lastHeartbeatMs) checkMs += SUPERVISION_INTERVAL_MS;
        while (state.runState === 'running') {
          state = supervise(state, { kind: 'check', tsMs: checkMs });
          if (state.runState === 'stalled') break;
          checkMs += SUPERVISION_INTERVAL_MS;
        }
        expect(state.runState).toBe('stalled');
        expect(checkMs - lastHeartbeatMs).toBeGreaterThanOrEqual(STALL_AFTER_MS);
        expect(checkMs - lastHeartbeatMs).toBeLessThanOrEqual(1000);
      }),
      { seed: 20261121, numRuns: 300 },
    );
  });

  it('never stalls while heartbeats keep arriving faster than the threshold', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: STALL_AFTER_MS - 1 }), { minLength: 1, maxLength: 100 }), (gapsMs) => {
        let state = supervise(initialSupervisorState(0), { kind: 'heartbeat', tsMs: 0 });
        let tsMs = 0;
        for (const gap of gapsMs) {
          state = supervise(state, { kind: 'check', tsMs: tsMs + gap });
          expect(state.runState).toBe('running');
          tsMs += gap;
          state = supervise(state, { kind: 'heartbeat', tsMs });
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('gives a starting worker a longer grace before its first heartbeat', () => {
    const starting = supervise(initialSupervisorState(0), { kind: 'started', tsMs: 0 });
    expect(supervise(starting, { kind: 'check', tsMs: STALL_AFTER_MS + 1 }).runState).toBe('starting');
    expect(supervise(starting, { kind: 'check', tsMs: STARTUP_GRACE_MS }).runState).toBe('stalled');
    expect(supervise(starting, { kind: 'check', tsMs: STARTUP_GRACE_MS }).reason).toContain('no first heartbeat');
  });

  it('keeps an exited engine exited, even if a queued heartbeat arrives', () => {
    let state = supervise(initialSupervisorState(0), { kind: 'heartbeat', tsMs: 10 });
    state = supervise(state, { kind: 'exited', tsMs: 20, reason: 'exited with code 1' });
    state = supervise(state, { kind: 'heartbeat', tsMs: 30 });
    expect(state).toMatchObject({ runState: 'exited', reason: 'exited with code 1' });
    expect(canRestart(state)).toBe(true);
  });

  it('offers restart only when stalled or exited, and recovers to running after it', () => {
    const running = supervise(initialSupervisorState(0), { kind: 'heartbeat', tsMs: 0 });
    expect(canRestart(running)).toBe(false);
    const stalled = supervise(running, { kind: 'check', tsMs: STALL_AFTER_MS });
    expect(canRestart(stalled)).toBe(true);
    const restarting = supervise(stalled, { kind: 'restartRequested', tsMs: 700 });
    expect(canRestart(restarting)).toBe(false);
    // The old worker's exit after a requested restart is not news.
    expect(supervise(restarting, { kind: 'exited', tsMs: 710, reason: 'terminated' }).runState).toBe('restarting');
    expect(supervise(supervise(restarting, { kind: 'started', tsMs: 720 }), { kind: 'heartbeat', tsMs: 800 }).runState).toBe('running');
  });
});

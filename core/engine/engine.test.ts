import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { createEngine } from './engine.ts';

describe('engine kernel', () => {
  it('answers a ping with the engine clock', () => {
    const clock = new ManualClock(1_000);
    const engine = createEngine({ clock, version: 't' });
    clock.advance(5);
    expect(engine.handle({ type: 'Ping', commandId: 'a', clientTsMs: 990 })).toEqual([
      { type: 'PingAnswered', commandId: 'a', clientTsMs: 990, engineTsMs: 1_005 },
    ]);
  });

  it('coalesces many heartbeats into one change carrying the latest value', () => {
    const clock = new ManualClock(0);
    const engine = createEngine({ clock, version: 't' });
    engine.takeChanges();
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      engine.heartbeat();
    }
    const changes = engine.takeChanges();
    expect(changes?.engine).toMatchObject({ heartbeatSeq: 5, lastHeartbeatTsMs: 500 });
    expect(engine.takeChanges()).toBeUndefined();
  });

  it('is deterministic given its clock and inputs', () => {
    const run = () => {
      const clock = new ManualClock(42);
      const engine = createEngine({ clock, version: 't' });
      const out: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        clock.advance(37);
        engine.heartbeat();
        engine.recordPublished(i % 3);
        out.push(engine.handle({ type: 'Ping', commandId: `c${i}`, clientTsMs: i }), engine.takeChanges());
      }
      return out;
    };
    expect(run()).toEqual(run());
  });
});

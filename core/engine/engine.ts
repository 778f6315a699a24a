import type { Command, EngineEvent, EngineHealth, EngineState, Topic, TopicChanges } from '../protocol/index.ts';
import type { Clock } from './clock.ts';
import { RateMeter } from './rate-meter.ts';

/**
 * The engine kernel: single-threaded and deterministic given its inputs and its clock. It owns
 * the published state and hands out coalesced deltas; it does no I/O itself — the worker entry
 * (live) or a replay driver (backtest) moves messages and time.
 */
export interface Engine {
  /** Applies a validated command; returns the events that answer it (addressed to its sender). */
  handle(command: Command): readonly EngineEvent[];
  /** Advances the engine's notion of liveness; called by the heartbeat timer. */
  heartbeat(): void;
  /** Counts messages the host of this engine published, for the health topic. */
  recordPublished(count: number): void;
  /** Topics changed since the last call, or undefined when nothing changed. */
  takeChanges(): TopicChanges | undefined;
  snapshot(): EngineState;
}

export interface EngineOptions {
  readonly clock: Clock;
  readonly version: string;
}

export function createEngine({ clock, version }: EngineOptions): Engine {
  const startedTsMs = clock.nowMs();
  const published = new RateMeter(startedTsMs);
  let state: EngineState = {
    engine: {
      runState: 'running',
      startedTsMs,
      lastHeartbeatTsMs: startedTsMs,
      heartbeatSeq: 0,
      msgsPerSec: 0,
      restarts: 0,
      version,
    },
    // Venue adapters add themselves here when a venue is configured; none is yet.
    venues: [],
  };
  const dirty = new Set<Topic>();

  function setEngine(patch: Partial<EngineHealth>): void {
    state = { ...state, engine: { ...state.engine, ...patch } };
    dirty.add('engine');
  }

  return {
    handle(command) {
      switch (command.type) {
        case 'Ping':
          return [
            { type: 'PingAnswered', commandId: command.commandId, clientTsMs: command.clientTsMs, engineTsMs: clock.nowMs() },
          ];
        case 'RestartEngine':
          return [
            { type: 'CommandRejected', commandId: command.commandId, reason: 'RestartEngine is handled by the engine host', tsMs: clock.nowMs() },
          ];
      }
    },
    heartbeat() {
      const nowMs = clock.nowMs();
      setEngine({
        lastHeartbeatTsMs: nowMs,
        heartbeatSeq: state.engine.heartbeatSeq + 1,
        msgsPerSec: published.perSecond(nowMs),
      });
    },
    recordPublished(count) {
      published.record(clock.nowMs(), count);
    },
    takeChanges() {
      if (dirty.size === 0) return undefined;
      const changes: { -readonly [K in Topic]?: EngineState[K] } = {};
      for (const topic of dirty) (changes as Record<Topic, unknown>)[topic] = state[topic];
      dirty.clear();
      return changes;
    },
    snapshot() {
      return state;
    },
  };
}

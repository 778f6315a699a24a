import type { EngineHealth } from '../../../core/protocol/index.ts';

export type HealthLevel = 'ok' | 'warn' | 'bad';

/** Above this the heartbeat is late enough to show; the host declares a stall a little later. */
export const HEARTBEAT_WARN_MS = 400;

export function heartbeatAgeMs(engine: EngineHealth, nowMs: number, clockOffsetMs: number): number {
  return Math.max(0, nowMs + clockOffsetMs - engine.lastHeartbeatTsMs);
}

export function healthLevel(engine: EngineHealth | undefined, ageMs: number, linkOpen: boolean): HealthLevel {
  if (!engine || !linkOpen) return 'bad';
  if (engine.runState === 'stalled' || engine.runState === 'exited') return 'bad';
  if (engine.runState !== 'running' || ageMs > HEARTBEAT_WARN_MS) return 'warn';
  return 'ok';
}

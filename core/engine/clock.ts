import type { Clock } from '../model/clock.ts';

export type { Clock } from '../model/clock.ts';
export { ManualClock } from '../model/clock.ts';

/** The wall clock, for live running; everything else takes a `Clock`. */
export const systemClock: Clock = { nowMs: () => Date.now() };

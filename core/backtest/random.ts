import { mulberry32 } from '../model/prng.ts';

/** The backtest's seeded generator: uniform [0, 1), the same sequence for the same seed. */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** Tests and benchmarks draw their seeded data from the same generator as the backtests. */
export { mulberry32 } from '../../core/model/prng.ts';

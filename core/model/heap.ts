/**
 * The young generation V8 gives an engine thread: a worker's resourceLimits.maxYoungGenerationSizeMb
 * (three semi-spaces' worth), or `--max-semi-space-size=64` on a process's main thread (the npm
 * scripts that replay, sweep and bench). Every market-data frame allocates short-lived objects
 * (the ticker, its event, quote and order rows); with V8's default 16 MB semi-spaces the engine
 * scavenges every few MB of frames and promotes what is merely in flight. With 64 MB semi-spaces
 * a replay of the bench hour ran at 182k frames/s instead of 163k.
 */
export const YOUNG_GENERATION_MB = 192;

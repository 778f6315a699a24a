import { parseArgs } from 'node:util';
import { recordSimulator } from '../../backtest/sim-recording.ts';
import type { Clock } from '../../model/clock.ts';
import type { Currency } from '../../sim/instruments/types.ts';
import { scaledClock, SimVenue } from '../../sim/venue.ts';
import { VenueRecorder } from './recorder.ts';
import { RecordingWriter } from './writer.ts';

/**
 * `npm run record -- --duration 1h [--url wss://www.deribit.com/ws/api/v2] [--out recordings]`
 * Records a venue's public market data (every book, ticker, public trade and index of the
 * currencies) to daily gzip files. Without --url it records the embedded simulator, in real time
 * or faster (--speed N, or --speed max to step it as fast as the machine allows).
 */
const USAGE = `usage: npm run record -- --duration <30s|15m|1h|…> [--url WS_URL] [--currencies BTC,ETH] [--out DIR] [--seed N] [--speed X|max]
  --duration D     how long to record, in venue time (s, m, h, d)
  --url URL        a Deribit-compatible WebSocket endpoint (default: the embedded simulator)
  --currencies L   currencies to record (default BTC)
  --out DIR        directory of the daily files (default recordings)
  --seed N         simulator seed (default 42)
  --speed X|max    simulator speed (default 1; max: as fast as possible)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function durationMs(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text ?? '');
  if (!match) fail(`--duration: expected a number and a unit (30s, 15m, 1h), got ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

const { values } = (() => {
  try {
    return parseArgs({ options: { duration: { type: 'string' }, url: { type: 'string' }, currencies: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, speed: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  } catch (error) {
    fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const totalMs = durationMs(values.duration);
const currencies = (values.currencies ?? 'BTC').split(',').map((c) => c.trim().toUpperCase());
const directory = values.out ?? 'recordings';
const seed = Number(values.seed ?? 42);
if (!Number.isInteger(seed)) fail('--seed: an integer');
const log = (message: string): void => console.error(message);
const startedWall = Date.now();

if (!values.url && values.speed === 'max') {
  if (currencies.some((c) => c !== 'BTC' && c !== 'ETH')) fail('--currencies: the simulator lists BTC and ETH');
  const result = await recordSimulator({
    directory,
    seed,
    startMs: Date.now(),
    durationMs: totalMs,
    currencies: currencies as Currency[],
    onProgress: (ms) => process.stderr.write(`\r${((ms / totalMs) * 100).toFixed(1)} %  ${(ms / 60_000).toFixed(1)} min recorded`),
  });
  process.stderr.write('\n');
  summary(result.frames, result.rawChars, result.recordNsPerFrame, result.files.map((f) => f.path));
  process.exit(0);
}

const speed = Number(values.speed ?? 1);
if (!(speed > 0)) fail('--speed: a positive number or max');
let venue: SimVenue | undefined;
let url = values.url;
let clock: Clock = { nowMs: () => Date.now() };
if (!url) {
  clock = scaledClock(Date.now(), speed, () => Date.now());
  venue = new SimVenue({ seed, clock, currencies: currencies as Currency[] });
  const port = await venue.listen(0);
  venue.run();
  url = `ws://127.0.0.1:${port}/ws/api/v2`;
  log(`embedded simulator on ${url} (seed ${seed}, speed ${speed}×)`);
}
const writer = new RecordingWriter({ directory, prefix: venue ? `sim-${seed}` : 'deribit', header: { venue: 'deribit', source: venue ? 'simulator' : 'venue', url, currencies, createdTsMs: clock.nowMs(), ...(venue && { seed }) } });
const recorder = new VenueRecorder({ url, currencies, writer, clock, log });
const startMs = clock.nowMs();
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  process.stderr.write('\n');
  await recorder.stop();
  await venue?.close();
  await writer.close();
  summary(recorder.stats.frames, writer.stats.rawChars, recorder.stats.recordNsPerFrame, writer.files.map((f) => f.path));
  process.exit(0);
}
const ticker = setInterval(() => {
  const elapsed = clock.nowMs() - startMs;
  writer.flush();
  process.stderr.write(`\r${Math.min(100, (elapsed / totalMs) * 100).toFixed(1)} %  ${recorder.stats.frames} frames  ${(writer.stats.rawChars / 1e6).toFixed(1)} MB raw`);
  if (elapsed >= totalMs) void stop();
}, 1000);
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
await recorder.start();

function summary(frames: number, rawChars: number, nsPerFrame: number, files: readonly string[]): void {
  console.log(`recorded ${frames} frames (${(rawChars / 1e6).toFixed(1)} MB uncompressed) in ${((Date.now() - startedWall) / 1000).toFixed(1)} s; recording cost ${nsPerFrame.toFixed(0)} ns per frame on the receive path`);
  for (const file of files) console.log(`  ${file}`);
}

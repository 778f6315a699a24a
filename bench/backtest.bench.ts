import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PARAMS } from '../core/backtest/params.ts';
import { ReplayDriver } from '../core/backtest/replay.ts';
import { recordSimulator } from '../core/backtest/sim-recording.ts';
import type { RecordLine } from '../core/venues/recorder/format.ts';
import { readRecording, recordingBytes } from '../core/venues/recorder/reader.ts';
import { RecordingWriter } from '../core/venues/recorder/writer.ts';
import type { Benchmark, BenchResult } from './types.ts';

/**
 * Record, replay, backtest (issue #8), on one hour of full-chain simulator data:
 *
 * - The recording: BTC, Deribit's full expiry schedule, simulator seed 42, RECORD_MS (one hour)
 *   recorded on the simulator's own clock as fast as it goes (sim-recording.ts). It is ~1.8 GB
 *   and takes minutes to make, so it is cached under FIXTURE_ROOT (a temp dir) with a manifest
 *   written last: a missing manifest (never made, or cut short) means make it again. gzip level
 *   6, what `npm run record` writes. record_sim_speedup is how much faster than real time the
 *   recording went (when it was made).
 * - replay_speedup: the recorded duration over the wall time of replaying it from the file —
 *   gunzip, line splitting and schema check, decoding with the adapter's parsers, the engine
 *   kernel (books, surface, quoting, risk, OMS) with its 100 ms tick on simulated time, the fill
 *   simulator and PnL attribution: what `npm run backtest` on the hour costs. An hour is too
 *   much to hold in memory (~23 GB of lines), so it streams. The whole hour when the replay
 *   keeps within REPLAY_BUDGET_MS of wall time (BACKTEST_BENCH_BUDGET_S=0: no budget); otherwise
 *   the prefix replayed by then, which the note says. Either way the note gives the speedup of
 *   each successive PART_MS, so a drift along the hour shows (a prefix does not see the hour's
 *   later state: positions, fills, limits — or the machine's later load). A whole replay is
 *   remembered beside the recording (full-replay.json) and quoted by later budgeted runs.
 * - replay_events_per_s: frames per second of the same run counting only the time spent in the
 *   replay driver (decoding onward), i.e. without the file reading.
 * - replay_read_lines_per_s: gunzip + line splitting + schema check alone, over the recording's
 *   first READ_LINES lines.
 * - recorder_ns_per_frame: time the recorder's writer adds per received frame (building the
 *   line, buffering, handing blocks to the compressor), over those lines' frames written into a
 *   fresh writer; record_gz_mb_per_hour: the compressed size of an hour of that data.
 */

const HOUR_MS = 3_600_000;
const RECORD_MS = Number(process.env.BACKTEST_BENCH_MS ?? HOUR_MS);
/** Wall-time budget of the replay; 0 replays the whole recording however long it takes. */
const REPLAY_BUDGET_MS = Number(process.env.BACKTEST_BENCH_BUDGET_S ?? 150) * 1000;
const FIXTURE_ROOT = process.env.BACKTEST_BENCH_FIXTURES ?? join(tmpdir(), 'ows-bench-fixtures');
const READ_LINES = 500_000;
/** The replay's speed is also reported per part of this much simulated time, to show any drift. */
const PART_MS = 300_000;
const SEED = 42;
const START_MS = Date.UTC(2026, 10, 21, 12);
/** Bump when what the simulator records changes enough that an old fixture misleads. */
const FIXTURE_VERSION = 1;

interface Fixture {
  readonly version: number;
  readonly durationMs: number;
  readonly frames: number;
  readonly instruments: number;
  readonly rawBytes: number;
  readonly gzBytes: number;
  readonly recordNsPerFrame: number;
  readonly generationWallMs: number;
  readonly createdAt: string;
}

const log = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

/** The cached recording, made first when missing (module comment). */
async function fixture(): Promise<{ readonly path: string; readonly manifest: Fixture; readonly cached: boolean }> {
  const name = `sim-btc-full-seed${SEED}-${RECORD_MS}ms-v${FIXTURE_VERSION}`;
  const path = join(FIXTURE_ROOT, name);
  const manifestPath = join(path, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Fixture;
    if (manifest.version === FIXTURE_VERSION && manifest.durationMs === RECORD_MS) return { path, manifest, cached: true };
  }
  // Made beside the final place and renamed into it, so a run cut short never leaves a fixture that looks whole.
  const partial = `${path}.partial-${process.pid}`;
  rmSync(path, { recursive: true, force: true });
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`making the recording (${(RECORD_MS / 60_000).toFixed(1)} min of simulator time) in ${path}, cached for later runs`);
  const t0 = performance.now();
  let lastReport = 0;
  const recording = await recordSimulator({
    directory: partial,
    seed: SEED,
    startMs: START_MS,
    durationMs: RECORD_MS,
    onProgress: (simulatedMs) => {
      if (simulatedMs - lastReport < 300_000) return;
      lastReport = simulatedMs;
      log(`recorded ${(simulatedMs / 60_000).toFixed(0)} min in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  const generationWallMs = performance.now() - t0;
  const manifest: Fixture = {
    version: FIXTURE_VERSION,
    durationMs: RECORD_MS,
    frames: recording.frames,
    instruments: recording.instruments,
    rawBytes: recording.rawChars,
    gzBytes: recordingBytes(partial),
    recordNsPerFrame: recording.recordNsPerFrame,
    generationWallMs,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(partial, path);
  return { path, manifest, cached: false };
}

const lineTsMs = (line: RecordLine): number => (line.kind === 'in' ? line.receivedTsMs : line.sentTsMs);

async function run(): Promise<readonly BenchResult[]> {
  const { path, manifest, cached } = await fixture();
  const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;

  // The file alone: its first READ_LINES lines, kept for the writer measurement below.
  const head: RecordLine[] = [];
  const t0 = performance.now();
  for await (const batch of readRecording(path)) {
    for (const line of batch.lines) head.push(line);
    if (head.length >= READ_LINES) break;
  }
  const readMs = performance.now() - t0;

  const dir = join(tmpdir(), `bt-bench-rewrite-${process.pid}`);
  let writeNs: number;
  let written = 0;
  let writtenChars = 0;
  try {
    const writer = new RecordingWriter({ directory: dir, prefix: 'bench', header: { venue: 'deribit', source: 'simulator', url: 'bench', currencies: ['BTC'], createdTsMs: 0 } });
    const t1 = performance.now();
    for (const line of head) {
      if (line.kind !== 'in') continue;
      writer.inbound(line.receivedTsMs, line.text);
      written += 1;
      writtenChars += line.text.length;
    }
    writeNs = ((performance.now() - t1) * 1e6) / written;
    await writer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const headLines = head.length;
  head.length = 0;

  // The replay, streamed from the file, within the budget.
  log(`replaying ${REPLAY_BUDGET_MS > 0 ? `for at most ${REPLAY_BUDGET_MS / 1000} s` : 'the whole recording'}`);
  const driver = new ReplayDriver({ params: DEFAULT_PARAMS });
  const partMs = Math.min(PART_MS, RECORD_MS);
  const parts: { simulatedMs: number; wallMs: number }[] = [];
  let feedMs = 0;
  let complete = true;
  const t2 = performance.now();
  let first: number | undefined;
  let last = NaN;
  let part: { tsMs: number; wallMs: number } | undefined;
  for await (const batch of readRecording(path)) {
    first ??= lineTsMs(batch.lines[0]!);
    part ??= { tsMs: first, wallMs: t2 };
    const f0 = performance.now();
    driver.feed(batch.lines);
    const now = performance.now();
    feedMs += now - f0;
    const lastTsMs = lineTsMs(batch.lines[batch.lines.length - 1]!);
    last = lastTsMs;
    if (lastTsMs - part.tsMs >= partMs) {
      const done = { simulatedMs: lastTsMs - part.tsMs, wallMs: now - part.wallMs };
      parts.push(done);
      log(`replayed ${minutes(lastTsMs - first)} in ${((now - t2) / 1000).toFixed(0)} s (${(done.simulatedMs / done.wallMs).toFixed(2)}× real time over the last ${minutes(done.simulatedMs)})`);
      part = { tsMs: lastTsMs, wallMs: now };
    }
    if (REPLAY_BUDGET_MS > 0 && now - t2 > REPLAY_BUDGET_MS) {
      complete = false;
      break;
    }
  }
  // The tail, when it is at least half a part.
  if (part && last - part.tsMs >= partMs / 2) parts.push({ simulatedMs: last - part.tsMs, wallMs: performance.now() - part.wallMs });
  const f1 = performance.now();
  const outcome = driver.finish();
  feedMs += performance.now() - f1;
  const replayMs = performance.now() - t2;
  const simulatedMs = outcome.stats.lastTsMs - outcome.stats.firstTsMs;

  // A whole replay is remembered beside the recording, so a budgeted run can say what the hour took.
  const fullPath = join(path, 'full-replay.json');
  if (complete) writeFileSync(fullPath, `${JSON.stringify({ speedup: simulatedMs / replayMs, replayMs, frames: outcome.stats.frames, at: new Date().toISOString() })}\n`);
  const full = !complete && existsSync(fullPath) ? (JSON.parse(readFileSync(fullPath, 'utf8')) as { speedup: number; replayMs: number; at: string }) : undefined;
  const fullText = full ? `; the whole recording replayed at ${full.speedup.toFixed(2)}× in ${(full.replayMs / 1000).toFixed(0)} s (${full.at})` : '';
  const source = `BTC full chain (${manifest.instruments} instruments), ${minutes(manifest.durationMs)} of simulator data (seed ${SEED}), ${manifest.frames.toLocaleString('en')} frames, ${Math.round(manifest.gzBytes / 1e6).toLocaleString('en')} MB gzipped`;
  const span = complete ? `the whole ${minutes(simulatedMs)}` : `its first ${minutes(simulatedMs)} (the ${REPLAY_BUDGET_MS / 1000} s budget; BACKTEST_BENCH_BUDGET_S=0 replays it all)`;
  const partText = parts.length > 1 ? `; per ${minutes(partMs)} part: ${parts.map((p) => (p.simulatedMs / p.wallMs).toFixed(2)).join(', ')}` : '';
  const runText = `${outcome.stats.frames.toLocaleString('en')} frames, ${outcome.stats.requests} engine requests, ${outcome.fills.length} fills in ${(replayMs / 1000).toFixed(0)} s`;
  return [
    {
      name: 'replay_speedup',
      value: Number((simulatedMs / replayMs).toFixed(2)),
      unit: '× real time',
      note: `replayed from the gz file, ${span} of ${source}; ${runText}${partText}${fullText}`,
    },
    { name: 'replay_events_per_s', value: Math.round((outcome.stats.frames / feedMs) * 1000), unit: 'frames/s', note: `target ≥ 200,000 on one core; the same run, time in the replay driver only (file reading excluded)` },
    { name: 'replay_recording_frames', value: manifest.frames, unit: 'frames', note: `${source}; ${Math.round(manifest.rawBytes / 1e6).toLocaleString('en')} MB raw` },
    { name: 'replay_recording_gz_mb', value: Math.round(manifest.gzBytes / 1e6), unit: 'MB', note: `gzip level 6; ${source}` },
    {
      name: 'record_sim_speedup',
      value: Number((manifest.durationMs / manifest.generationWallMs).toFixed(2)),
      unit: '× real time',
      note: `making the recording on the simulator's clock (${(manifest.generationWallMs / 1000).toFixed(0)} s${cached ? `, measured when it was made, ${manifest.createdAt}; cached in ${path}` : ''})`,
    },
    { name: 'replay_read_lines_per_s', value: Math.round((headLines / readMs) * 1000), unit: 'lines/s', note: `gunzip, split, schema check; first ${headLines.toLocaleString('en')} lines` },
    { name: 'recorder_ns_per_frame', value: Math.round(writeNs), unit: 'ns', note: `mean over ${written.toLocaleString('en')} frames of ${Math.round(writtenChars / written)} chars; the live recorder measured ${Math.round(manifest.recordNsPerFrame)} ns including its timer reads` },
    { name: 'record_gz_mb_per_hour', value: Number(((manifest.gzBytes / 1e6) * (HOUR_MS / manifest.durationMs)).toFixed(0)), unit: 'MB/h', note: `gzip level 6; ${(manifest.rawBytes / 1e6).toFixed(0)} MB raw for ${minutes(manifest.durationMs)}` },
  ];
}

export const benchmarks: readonly Benchmark[] = [
  {
    metrics: ['replay_speedup', 'replay_events_per_s', 'replay_recording_frames', 'replay_recording_gz_mb', 'record_sim_speedup', 'replay_read_lines_per_s', 'recorder_ns_per_frame', 'record_gz_mb_per_hour'],
    run,
  },
];

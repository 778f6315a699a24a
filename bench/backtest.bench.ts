import { mkdtempSync, rmSync } from 'node:fs';
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
 * Record, replay, backtest (issue #8):
 *
 * - replay_events_per_s: recorded frames per second through the whole backtest on one core —
 *   decoding with the adapter's parsers, the engine kernel (books, surface, quoting, risk, OMS)
 *   with its 100 ms tick on simulated time, the fill simulator and PnL attribution. The
 *   recording (BTC, Deribit's full expiry schedule, simulator seed 42) is decoded from its file
 *   into memory first, so the figure excludes gunzip and file reading (reported separately).
 * - replay_speedup: simulated time over wall time for the same run. The full-chain hour the issue
 *   names is RECORD_MS of it here, measured rather than extrapolated; the ratio does not depend on
 *   the length.
 * - replay_read_lines_per_s: gunzip + line splitting + schema check of the file alone.
 * - recorder_ns_per_frame: time the recorder's writer adds per received frame (building the line,
 *   buffering, handing blocks to the compressor), measured over the recorded frames replayed into
 *   a fresh writer; record_gz_mb_per_hour: the compressed size of an hour of that data.
 */

const RECORD_MS = Number(process.env.BACKTEST_BENCH_MS ?? 60_000);

async function run(): Promise<readonly BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bt-bench-'));
  try {
    const recording = await recordSimulator({ directory: join(dir, 'rec'), seed: 42, startMs: Date.UTC(2026, 10, 21, 12), durationMs: RECORD_MS });
    const path = join(dir, 'rec');
    const lines: RecordLine[] = [];
    const t0 = performance.now();
    for await (const batch of readRecording(path)) for (const line of batch.lines) lines.push(line);
    const readMs = performance.now() - t0;

    const driver = new ReplayDriver({ params: DEFAULT_PARAMS });
    const t1 = performance.now();
    driver.feed(lines);
    const outcome = driver.finish();
    const replayMs = performance.now() - t1;
    const simulatedMs = outcome.stats.lastTsMs - outcome.stats.firstTsMs;

    const writer = new RecordingWriter({ directory: join(dir, 'rewrite'), prefix: 'bench', header: { venue: 'deribit', source: 'simulator', url: 'bench', currencies: ['BTC'], createdTsMs: 0 } });
    let frames = 0;
    const t2 = performance.now();
    for (const line of lines) {
      if (line.kind !== 'in') continue;
      writer.inbound(line.receivedTsMs, line.text);
      frames += 1;
    }
    const writeNs = ((performance.now() - t2) * 1e6) / frames;
    await writer.close();
    const gzBytes = recordingBytes(path);
    const note = `BTC full chain (${recording.instruments} instruments), ${(simulatedMs / 60_000).toFixed(1)} min of simulator data, ${outcome.stats.frames} frames, ${outcome.stats.requests} engine requests, ${outcome.fills.length} fills`;
    return [
      { name: 'replay_events_per_s', value: Math.round((outcome.stats.frames / replayMs) * 1000), unit: 'frames/s', note: `target ≥ 200,000 on one core; ${note}` },
      { name: 'replay_speedup', value: Number((simulatedMs / replayMs).toFixed(2)), unit: '× real time', note },
      { name: 'replay_read_lines_per_s', value: Math.round((lines.length / readMs) * 1000), unit: 'lines/s', note: 'gunzip, split, schema check' },
      { name: 'recorder_ns_per_frame', value: Math.round(writeNs), unit: 'ns', note: `mean over ${frames} frames of ${Math.round(recording.rawChars / frames)} chars; the live recorder measured ${Math.round(recording.recordNsPerFrame)} ns including its timer reads` },
      { name: 'record_gz_mb_per_hour', value: Number(((gzBytes / 1e6) * (3_600_000 / simulatedMs)).toFixed(0)), unit: 'MB/h', note: `gzip level 6; ${(recording.rawChars / 1e6).toFixed(0)} MB raw for ${(simulatedMs / 60_000).toFixed(1)} min` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: readonly Benchmark[] = [{ metrics: ['replay_events_per_s', 'replay_speedup', 'replay_read_lines_per_s', 'recorder_ns_per_frame', 'record_gz_mb_per_hour'], run }];

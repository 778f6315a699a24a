import { performance } from 'node:perf_hooks';
import type { ReadStats } from '../venues/recorder/reader.ts';
import { readRecording, recordingBytes } from '../venues/recorder/reader.ts';
import type { RecordingHeader } from '../venues/recorder/format.ts';
import type { MeasuredLatencies } from './latency.ts';
import { LatencyMeter } from './latency.ts';
import type { BacktestParams } from './params.ts';
import type { ReplayOutcome } from './replay.ts';
import { ReplayDriver } from './replay.ts';

/** Replays a recording (file or directory) from disk; the I/O edge around ReplayDriver. */

export interface BacktestProgress {
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly frames: number;
  readonly simulatedMs: number;
  readonly elapsedMs: number;
}

export interface BacktestRun extends ReplayOutcome {
  readonly header: RecordingHeader | undefined;
  readonly params: BacktestParams;
  readonly wallMs: number;
  readonly rejectedLines: number;
  readonly latencies?: MeasuredLatencies;
}

function usesRecorded(params: BacktestParams): boolean {
  return params.latency.orderEntry.kind === 'recorded' || params.latency.marketData.kind === 'recorded';
}

/** The latencies a recording's lines show (a pass over the file). */
export async function measureRecordingLatencies(path: string): Promise<MeasuredLatencies> {
  const meter = new LatencyMeter();
  for await (const batch of readRecording(path)) for (const line of batch.lines) meter.add(line);
  return meter.measured;
}

export async function runBacktest(path: string, params: BacktestParams, options: { onProgress?: (progress: BacktestProgress) => void; keepLog?: boolean; venueId?: string } = {}): Promise<BacktestRun> {
  const latencies = usesRecorded(params) ? await measureRecordingLatencies(path) : undefined;
  const driver = new ReplayDriver({ params, keepLog: options.keepLog ?? false, ...(latencies && { recordedLatencies: latencies }), ...(options.venueId && { venueId: options.venueId }) });
  const stats: ReadStats = { lines: 0, rejected: 0, compressedBytes: 0, rejections: [] };
  const bytesTotal = recordingBytes(path);
  const started = performance.now();
  let header: RecordingHeader | undefined;
  let first = NaN;
  let frames = 0;
  for await (const batch of readRecording(path, stats)) {
    header ??= batch.header;
    driver.feed(batch.lines);
    for (const line of batch.lines) if (line.kind === 'in') frames += 1;
    const tail = batch.lines[batch.lines.length - 1]!;
    const last = tail.kind === 'in' ? tail.receivedTsMs : tail.sentTsMs;
    if (Number.isNaN(first)) first = batch.lines[0]!.kind === 'in' ? (batch.lines[0] as { receivedTsMs: number }).receivedTsMs : (batch.lines[0] as { sentTsMs: number }).sentTsMs;
    options.onProgress?.({ bytesRead: stats.compressedBytes, bytesTotal, frames, simulatedMs: last - first, elapsedMs: performance.now() - started });
  }
  const outcome = driver.finish();
  return { ...outcome, header, params, wallMs: performance.now() - started, rejectedLines: stats.rejected, ...(latencies && { latencies }) };
}

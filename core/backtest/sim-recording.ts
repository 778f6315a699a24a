import { ManualClock } from '../model/clock.ts';
import type { ExpirySchedule } from '../sim/instruments/expiries.ts';
import type { Currency } from '../sim/instruments/types.ts';
import { SimVenue } from '../sim/venue.ts';
import { VenueRecorder } from '../venues/recorder/recorder.ts';
import type { RecordingFileInfo } from '../venues/recorder/writer.ts';
import { RecordingWriter } from '../venues/recorder/writer.ts';

/**
 * A recording of the embedded simulator made as fast as it can go: the venue steps on a manual
 * clock (100 ms of market per step) and the recorder, connected over 127.0.0.1 like any client,
 * stamps frames with that clock. For tests, benchmarks and `npm run record` without a venue
 * when the speed is unbounded.
 */

export interface SimRecordingOptions {
  readonly directory: string;
  readonly seed: number;
  readonly startMs: number;
  readonly durationMs: number;
  readonly currencies?: readonly Currency[];
  readonly schedule?: ExpirySchedule;
  readonly prefix?: string;
  readonly onProgress?: (simulatedMs: number) => void;
}

export interface SimRecording {
  readonly files: readonly RecordingFileInfo[];
  readonly frames: number;
  readonly instruments: number;
  readonly recordNsPerFrame: number;
  readonly rawChars: number;
}

const STEP_MS = 100;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function recordSimulator(options: SimRecordingOptions): Promise<SimRecording> {
  const currencies = options.currencies ?? ['BTC'];
  const clock = new ManualClock(options.startMs);
  const venue = new SimVenue({ seed: options.seed, clock, currencies, ...(options.schedule && { schedule: options.schedule }) });
  const port = await venue.listen(0);
  const writer = new RecordingWriter({
    directory: options.directory,
    prefix: options.prefix ?? `sim-${options.seed}`,
    header: { venue: 'deribit', source: 'simulator', url: `ws://127.0.0.1:${port}/ws/api/v2`, currencies: [...currencies], createdTsMs: options.startMs, seed: options.seed },
  });
  const recorder = new VenueRecorder({ url: `ws://127.0.0.1:${port}/ws/api/v2`, currencies, writer, clock });
  try {
    await recorder.start();
    for (let t = 0; t < options.durationMs; t += STEP_MS) {
      clock.advance(STEP_MS);
      venue.step();
      // Let the frames of this step reach the recorder before the clock moves on.
      const before = recorder.stats.frames;
      await turn();
      for (let i = 0; i < 20 && recorder.stats.frames === before; i++) await turn();
      await turn();
      if ((t / STEP_MS) % 100 === 0) options.onProgress?.(t);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await recorder.stop();
    await venue.close();
    await writer.close();
  }
  const stats = recorder.stats;
  return { files: writer.files, frames: stats.frames, instruments: stats.instruments, recordNsPerFrame: stats.recordNsPerFrame, rawChars: writer.stats.rawChars };
}

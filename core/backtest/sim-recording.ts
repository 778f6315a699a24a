import { ManualClock } from '../model/clock.ts';
import type { ExpirySchedule } from '../sim/instruments/expiries.ts';
import type { Currency } from '../sim/instruments/types.ts';
import type { LadderParams } from '../sim/market/ladder.ts';
import type { SimMarketFlow } from '../sim/market/market.ts';
import { SimVenue } from '../sim/venue.ts';
import { VenueRecorder } from '../venues/recorder/recorder.ts';
import type { RecordingFileInfo } from '../venues/recorder/writer.ts';
import { RecordingWriter } from '../venues/recorder/writer.ts';

/**
 * A recording of the embedded simulator made as fast as it can go: the venue steps on a manual
 * clock (100 ms of market per step) and the recorder, connected over 127.0.0.1 like any client,
 * stamps frames with that clock. For tests, benchmarks and `npm run record` without a venue
 * when the speed is unbounded.
 *
 * A recording with a known answer for calibration: `flow` changes the market's participants
 * before the first step (e.g. takers with the exponential reach, core/sim/market/takers.ts) and
 * `depthLadder` has the venue keep a ladder of resting liquidity on every option
 * (core/sim/market/ladder.ts, SimVenue's `depthLadder`), so sweeping takers print where their
 * reach ends. The venue keeps it within its step, so the book the recording shows at the end of a
 * step is the one the next step's takers meet. `takerArrivalTimes` has the venue stamp the
 * takers' trades with their arrival times within the step (SimVenue's option of that name), so
 * two orders on one option in one step are two orders to calibration, not one.
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
  /** The market's makers, takers and taker rates, changed before the first step. */
  readonly flow?: SimMarketFlow;
  /** Keep a depth ladder on every option (module comment). */
  readonly depthLadder?: Partial<LadderParams>;
  /** Stamp the takers' trades with their arrival times (module comment). */
  readonly takerArrivalTimes?: boolean;
}

export interface SimRecording {
  readonly files: readonly RecordingFileInfo[];
  readonly frames: number;
  readonly instruments: number;
  readonly recordNsPerFrame: number;
  readonly rawChars: number;
}

const STEP_MS = 100;
/**
 * The stepping keeps the event loop busy, and zlib moves a block along only between its turns:
 * over a long full-chain recording the blocks would pile up in memory by the gigabyte (an hour
 * measured 13 GB at 45 minutes). After every DRAIN_CHARS of raw data the recording waits until
 * the compressor has taken in what it was handed before stepping on.
 */
const DRAIN_CHARS = 64 * 1024 * 1024;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function recordSimulator(options: SimRecordingOptions): Promise<SimRecording> {
  const currencies = options.currencies ?? ['BTC'];
  const clock = new ManualClock(options.startMs);
  const venue = new SimVenue({
    seed: options.seed,
    clock,
    currencies,
    ...(options.schedule && { schedule: options.schedule }),
    ...(options.depthLadder && { depthLadder: options.depthLadder }),
    ...(options.takerArrivalTimes !== undefined && { takerArrivalTimes: options.takerArrivalTimes }),
  });
  if (options.flow) venue.market.configure(options.flow);
  const port = await venue.listen(0);
  const writer = new RecordingWriter({
    directory: options.directory,
    prefix: options.prefix ?? `sim-${options.seed}`,
    header: { venue: 'deribit', source: 'simulator', url: `ws://127.0.0.1:${port}/ws/api/v2`, currencies: [...currencies], createdTsMs: options.startMs, seed: options.seed },
  });
  const recorder = new VenueRecorder({ url: `ws://127.0.0.1:${port}/ws/api/v2`, currencies, writer, clock });
  let drainedChars = 0;
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
      if (writer.stats.rawChars - drainedChars >= DRAIN_CHARS) {
        writer.flush();
        await writer.drained();
        drainedChars = writer.stats.rawChars;
      }
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

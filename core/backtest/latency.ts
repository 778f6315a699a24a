import { z } from 'zod';
import type { RecordLine } from '../venues/recorder/format.ts';

/**
 * One-way latencies of a backtest: constant, or drawn (seeded) from samples, e.g. the ones the
 * recorder measured (`measureLatencies`). The replay keeps each stream in order (a connection
 * delivers in order): a draw never lets a message overtake the one before it.
 */

export const LatencySpecSchema = z.union([
  z.object({ kind: z.literal('constant'), ms: z.number().finite().nonnegative() }).strict(),
  z.object({ kind: z.literal('samples'), samplesMs: z.array(z.number().finite().nonnegative()).min(1) }).strict(),
  /** Drawn from the latencies measured in the recording being replayed (the CLI fills the samples in). */
  z.object({ kind: z.literal('recorded') }).strict(),
]);
export type LatencySpec = z.infer<typeof LatencySpecSchema>;

export type Latency = () => number;

export function latencyOf(spec: LatencySpec, random: () => number, recordedSamplesMs: readonly number[] = []): Latency {
  if (spec.kind === 'constant') return () => spec.ms;
  const samples = spec.kind === 'samples' ? spec.samplesMs : recordedSamplesMs;
  if (samples.length === 0) return () => 0;
  return () => samples[Math.floor(random() * samples.length)]!;
}

/** A stream of messages in order: each is delivered no earlier than the one before. */
export class OrderedDelay {
  #lastMs = -Infinity;
  constructor(private readonly latency: Latency) {}
  at(sentMs: number): number {
    const at = Math.max(this.#lastMs, sentMs + this.latency());
    this.#lastMs = at;
    return at;
  }
}

export interface MeasuredLatencies {
  /** Receive time minus the venue's timestamp of notifications (clock offset included). */
  readonly marketDataMs: number[];
  /** Request to answer, halved: one way. */
  readonly orderEntryMs: number[];
}

/** Accumulates latencies from recording lines (a bounded reservoir of each). */
export class LatencyMeter {
  readonly measured: MeasuredLatencies = { marketDataMs: [], orderEntryMs: [] };
  readonly #sent = new Map<number, number>();
  #seen = 0;
  constructor(private readonly maxSamples = 10_000) {}

  add(line: RecordLine): void {
    if (line.kind === 'out') {
      if (line.id !== undefined) this.#sent.set(line.id, line.sentTsMs);
      return;
    }
    const text = line.text;
    if (text.startsWith('{"jsonrpc":"2.0","id":') || text.startsWith('{"jsonrpc":"2.0","result"')) {
      const match = /"id":(\d+)/.exec(text);
      const sent = match ? this.#sent.get(Number(match[1])) : undefined;
      if (sent !== undefined) {
        this.#sent.delete(Number(match![1]));
        this.#push(this.measured.orderEntryMs, (line.receivedTsMs - sent) / 2);
      }
      return;
    }
    // Every 16th notification is enough for a distribution, and keeps this cheap.
    if ((this.#seen++ & 15) !== 0) return;
    const at = text.lastIndexOf('"timestamp":');
    if (at < 0) return;
    const tsMs = Number.parseInt(text.slice(at + 12, at + 12 + 16), 10);
    if (Number.isFinite(tsMs)) this.#push(this.measured.marketDataMs, Math.max(0, line.receivedTsMs - tsMs));
  }

  #push(samples: number[], value: number): void {
    if (samples.length < this.maxSamples) samples.push(value);
    else samples[this.#seen % this.maxSamples] = value;
  }
}

/** One measured figure. `name` is a stable snake_case metric id named in the issues. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for a comparable published implementation, measured in the same run. */
  readonly peer?: { readonly name: string; readonly value: number };
  /** What a reader needs to interpret the figure (target, sample size, error beside it). */
  readonly note?: string;
}

/** A benchmark produces one or more metrics; `npm run bench -- <filter>` selects by metric name. */
export interface Benchmark {
  readonly metrics: readonly string[];
  run(): Promise<readonly BenchResult[]>;
}

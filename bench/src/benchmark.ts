/** What a benchmark module exports. `setup` runs once, untimed; `run` is what is measured. */
export interface Benchmark<State = unknown> {
  name: string;
  /** Median run time the benchmark must stay under. */
  target?: { ms: number };
  /** Iterations after warm-up (default 30). */
  iterations?: number;
  /** Untimed runs before the iterations (default max(3, iterations / 5)); 0 for long runs such as load tests. */
  warmup?: number;
  setup?(): State | Promise<State>;
  /** May return a promise (awaited, and part of the measured time). A result with `elapsedMs` replaces the measured time. */
  run(state: State): unknown;
  /** Runs once after the measurements (stop servers, remove files). */
  teardown?(state: State): void | Promise<void>;
  /** One line saying what the input was (sizes), printed with the result. */
  describe?(state: State): string;
}

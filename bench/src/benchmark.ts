/** What a benchmark module exports. `setup` runs once, untimed; `run` is what is measured. */
export interface Benchmark<State = unknown> {
  name: string;
  /** Median run time the benchmark must stay under. */
  target?: { ms: number };
  /** Iterations after warm-up (default 30). */
  iterations?: number;
  setup?(): State;
  run(state: State): unknown;
  /** One line saying what the input was (sizes), printed with the result. */
  describe?(state: State): string;
}

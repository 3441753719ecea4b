/**
 * The deterministic traffic simulator: Istio standard metrics for an inventory and a traffic model, as Prometheus
 * would hold them. Counters are exact integrals of a piecewise-smooth rate from the Unix epoch, so any window's
 * rate is (counter(t) − counter(t − D)) / D — the same number a Prometheus scraping these counters computes,
 * minus its extrapolation.
 */
import type { Inventory } from '@meshlens/mesh';
import type { IstioMetricName, PromSample, TraceRequest, TraceResult } from '@meshlens/model';
import type { TrafficModel } from '../traffic/types.js';
import { compileModel, type CompiledModel } from './compile.js';
import { hashString } from './random.js';
import { defaultTrace, type TraceFn } from './router.js';
import { integrate, integrateInWindows } from './shape.js';

/** The metric names the simulator produces: the Istio families plus the duration histogram's `_sum`/`_count`. */
export type SimulatedMetricName = IstioMetricName | 'istio_request_duration_milliseconds_sum' | 'istio_request_duration_milliseconds_count';

/** Samples per metric name, like `TelemetrySamples` (which they are assignable to), with `_sum`/`_count` added. */
export type SimulatedSamples = Partial<Record<SimulatedMetricName, PromSample[]>>;

/** One counter series at one time. */
export interface CounterSample {
  metric: SimulatedMetricName;
  labels: Record<string, string>;
  value: number;
}

export interface SimulatorOptions {
  /** Same seed, same inventory, same model: same numbers. Strings are hashed. */
  seed?: number | string;
  /** `source_cluster` / `destination_cluster` (Istio's default cluster name is `Kubernetes`). */
  cluster?: string;
  /** The routing core; defaults to `traceRequest` from `@meshlens/mesh`. */
  trace?: TraceFn;
}

export interface Simulator {
  /**
   * `sum(rate(<metric>[<durationSec>s])) by (<every label>)` at `queryTime` (Unix seconds), for every metric:
   * series with no traffic in the window are left out, as Kiali's `> 0` does.
   */
  samplesAt(queryTime: number, durationSec: number): SimulatedSamples;
  /** Every counter's value at `time` (Unix seconds): monotonic, zero at the epoch. */
  countersAt(time: number): CounterSample[];
  /** Classes that did not resolve cleanly (routing problems, no telemetry), with file and line. */
  problems: string[];
  /** The compiled model, for inspection and tests. */
  compiled: CompiledModel;
  /** The model, seed and cluster it was built with: what another copy (the browser's what-if graph) needs to give the same numbers. */
  settings: { model: TrafficModel; seed: number; cluster: string };
}

/** Builds a simulator for `inv` and `model`. */
export function createSimulator(inv: Inventory, model: TrafficModel, options: SimulatorOptions = {}): Simulator {
  const seed = typeof options.seed === 'string' ? hashString(options.seed) : (options.seed ?? 1) >>> 0;
  const traceFn = options.trace ?? defaultTrace();
  const cache = new Map<string, TraceResult>();
  const trace = (req: TraceRequest): TraceResult => {
    const key = JSON.stringify(req);
    let hit = cache.get(key);
    if (!hit) {
      try {
        hit = traceFn(inv, req);
      } catch (e) {
        hit = { request: req, paths: [], problems: [`the routing core failed: ${(e as Error).message}`] };
      }
      cache.set(key, hit);
    }
    return hit;
  };
  const cluster = options.cluster ?? 'Kubernetes';
  const compiled = compileModel(inv, model, { seed, cluster, trace });

  const values = (time: number): number[] => {
    // Each (class, incident) integral is shared by many series: compute each once.
    const integrals = new Map<number, number>();
    const J = (cls: number, incident: number): number => {
      const k = cls * 65536 + incident + 1;
      let v = integrals.get(k);
      if (v === undefined) {
        const shape = compiled.shapes[cls]!;
        v = incident < 0 ? integrate(shape, 0, time) : integrateInWindows(shape, compiled.schedules[incident]!, 0, time);
        integrals.set(k, v);
      }
      return v;
    };
    return compiled.series.map((s) => s.terms.reduce((a, t) => a + t.coef * J(t.cls, t.incident), 0));
  };

  return {
    problems: compiled.problems,
    compiled,
    settings: { model, seed, cluster },
    countersAt(time) {
      const v = values(time);
      return compiled.series.map((s, i) => ({ metric: s.metric as SimulatedMetricName, labels: s.labels, value: v[i]! }));
    },
    samplesAt(queryTime, durationSec) {
      if (!(durationSec > 0)) throw new Error(`durationSec must be positive, got ${durationSec}`);
      const now = values(queryTime);
      const before = values(queryTime - durationSec);
      const out: SimulatedSamples = {};
      compiled.series.forEach((s, i) => {
        const rate = (now[i]! - before[i]!) / durationSec;
        if (!(rate > 0)) return;
        const name = s.metric as SimulatedMetricName;
        (out[name] ??= []).push({ metric: { ...s.labels }, value: [queryTime, String(rate)] });
      });
      return out;
    },
  };
}

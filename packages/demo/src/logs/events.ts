/**
 * Individual requests behind the simulator's counters: for one series, the requests of each minute (as many as the
 * counter grew, the fraction decided by a seeded draw), each at a seeded second of the minute, on a seeded pod, and
 * attributed to one of the traffic classes that feed the series (weighted by their share). Minutes are complete
 * units, so a request's existence never depends on the window asked: a followed log only ever adds lines.
 */
import type { CompiledModel, CompiledSeries } from '../simulator/compile.js';
import { integrate, integrateInWindows } from '../simulator/shape.js';
import { hashString, mix, unit } from '../simulator/random.js';

/** One request (or TCP connection) one proxy reported. */
export interface RequestEvent {
  /** Index into `compiled.series`. */
  series: number;
  /** Start, unix seconds (fractional). */
  start: number;
  /** The traffic class it belongs to (index into `compiled.classes`). */
  cls: number;
  /** Which of the workload's pods (index in name order) handled it. */
  pod: number;
  /** A seeded number for everything else the line needs (request id, ports, latency jitter). */
  key: number;
}

/** The counter value of one series at `time` (the simulator's formula, for one series). */
export function seriesCounter(compiled: CompiledModel, s: CompiledSeries, time: number): number {
  let v = 0;
  for (const t of s.terms) {
    const shape = compiled.shapes[t.cls]!;
    v += t.coef * (t.incident < 0 ? integrate(shape, 0, time) : integrateInWindows(shape, compiled.schedules[t.incident]!, 0, time));
  }
  return v;
}

/** The classes feeding a series, with their normal-state weights (for attributing requests). */
function classWeights(s: CompiledSeries): Array<{ cls: number; weight: number }> {
  const byCls = new Map<number, number>();
  for (const t of s.terms) if (t.incident < 0 && t.coef > 0) byCls.set(t.cls, (byCls.get(t.cls) ?? 0) + t.coef);
  if (byCls.size === 0) for (const t of s.terms) byCls.set(t.cls, (byCls.get(t.cls) ?? 0) + Math.abs(t.coef));
  return [...byCls].map(([cls, weight]) => ({ cls, weight }));
}

/** A generator of request events for a set of series, memoizing per-series constants. */
export class EventSource {
  private readonly keys = new Map<number, number>();
  private readonly weights = new Map<number, Array<{ cls: number; weight: number }>>();
  constructor(private readonly compiled: CompiledModel, private readonly seed: number) {}

  private keyOf(i: number): number {
    let k = this.keys.get(i);
    if (k === undefined) {
      const s = this.compiled.series[i]!;
      k = mix(hashString(`${s.metric}|${JSON.stringify(s.labels)}`), this.seed);
      this.keys.set(i, k);
    }
    return k;
  }

  /** The events of series `i` in minute `m` (unix minutes) that went to pod `pod` of `pods`. */
  minute(i: number, m: number, pod: number, pods: number): RequestEvent[] {
    const s = this.compiled.series[i]!;
    const count = Math.max(0, seriesCounter(this.compiled, s, (m + 1) * 60) - seriesCounter(this.compiled, s, m * 60));
    if (count <= 0) return [];
    const key = mix(this.keyOf(i), m);
    const whole = Math.floor(count);
    const n = whole + (unit(mix(key, 0x51ed)) < count - whole ? 1 : 0);
    let weights = this.weights.get(i);
    if (!weights) this.weights.set(i, (weights = classWeights(s)));
    const sum = weights.reduce((a, w) => a + w.weight, 0);
    const out: RequestEvent[] = [];
    for (let k = 0; k < n; k++) {
      const ek = mix(key, k + 1);
      const p = pods > 1 ? Math.floor(unit(mix(ek, 2)) * pods) : 0;
      if (p !== pod) continue;
      let r = unit(mix(ek, 3)) * sum;
      let cls = weights[0]?.cls ?? 0;
      for (const w of weights) {
        cls = w.cls;
        if ((r -= w.weight) < 0) break;
      }
      out.push({ series: i, start: m * 60 + unit(mix(ek, 1)) * 60, cls, pod: p, key: ek });
    }
    return out;
  }
}

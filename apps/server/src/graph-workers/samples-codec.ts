/**
 * Telemetry samples in a form that crosses to a worker cheaply: every label name and value once in a string table,
 * the rest as two transferable typed arrays. Measured on the 1k-workload mesh's graph samples (14k samples of ~20
 * labels, on a busy 2-core machine): the structured clone of the samples objects costs the main thread ~180 ms (as
 * much as the graph assembly it is meant to offload), encoding ~80 ms; decoding (~50 ms) runs in the worker. A
 * provider that answers with the same object every time (a samples file, a snapshot) is sent once (pool.ts). Samples that do not have Prometheus' shape
 * (a value that is not a string, a label named __proto__) are not encoded: they go by structured clone.
 */
import type { PromSample, TelemetrySamples } from '@meshlens/model';

export interface EncodedSamples {
  /** Family name, sample count, family name, sample count… */
  families: Array<string | number>;
  strings: string[];
  /** Per sample: label count, then (name, value) string indexes, then the value's string index. */
  ints: ArrayBuffer;
  /** Per sample: its timestamp. */
  timestamps: ArrayBuffer;
}

/** `samples` encoded, or undefined when a sample is not `{metric: {string: string}, value: [number, string]}`. */
export function encodeSamples(samples: TelemetrySamples): EncodedSamples | undefined {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  let count = 0;
  let labels = 0;
  for (const list of Object.values(samples) as Array<PromSample[] | undefined>) {
    if (!list) continue;
    count += list.length;
    for (const s of list) for (const name in s.metric) labels++;
  }
  const ints = new Int32Array(count * 2 + labels * 2);
  const timestamps = new Float64Array(count);
  const families: Array<string | number> = [];
  let p = 0;
  let q = 0;
  for (const [family, list] of Object.entries(samples) as Array<[string, PromSample[] | undefined]>) {
    if (!list) continue;
    families.push(family, list.length);
    for (const s of list) {
      const names = Object.keys(s.metric);
      if (p + 2 + names.length * 2 > ints.length) return undefined;
      ints[p++] = names.length;
      for (const name of names) {
        const value = s.metric[name];
        // A label named __proto__ would not survive `metric[name] = value` on decoding.
        if (typeof value !== 'string' || name === '__proto__') return undefined;
        ints[p++] = id(name);
        ints[p++] = id(value);
      }
      const v = s.value;
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'string') return undefined;
      ints[p++] = id(v[1]);
      timestamps[q++] = v[0];
    }
  }
  return { families, strings, ints: ints.buffer, timestamps: timestamps.buffer };
}

/** The samples `encodeSamples` was given: same families, order, label order and values. */
export function decodeSamples(e: EncodedSamples): TelemetrySamples {
  const ints = new Int32Array(e.ints);
  const timestamps = new Float64Array(e.timestamps);
  const strings = e.strings;
  const out: Record<string, PromSample[]> = {};
  let p = 0;
  let q = 0;
  for (let f = 0; f < e.families.length; f += 2) {
    const n = e.families[f + 1] as number;
    const list = new Array<PromSample>(n);
    for (let i = 0; i < n; i++) {
      const labels = ints[p++]!;
      const metric: Record<string, string> = {};
      for (let j = 0; j < labels; j++) {
        const name = strings[ints[p++]!]!;
        metric[name] = strings[ints[p++]!]!;
      }
      list[i] = { metric, value: [timestamps[q++]!, strings[ints[p++]!]!] };
    }
    out[e.families[f] as string] = list;
  }
  return out as TelemetrySamples;
}

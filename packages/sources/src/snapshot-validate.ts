/**
 * A snapshot file is untrusted input (it comes from someone else's laptop, by mail or a ticket): every object and
 * every telemetry sample is checked for the shape the engine reads, and what is damaged is left out with a load
 * error naming where it was, while the rest still opens — the same rule as a bad document in a YAML file.
 */
import { inventoryObjectOf } from '@meshlens/mesh';
import type { FieldPositions, InventoryObject, LoadError, Origin, PromSample, TelemetrySamples } from '@meshlens/model';
import type { PodStatusInput } from '@meshlens/mesh';
import type { SnapshotWindow } from './snapshot-source.js';

const ORIGIN_SOURCES: ReadonlyArray<Origin['source']> = ['file', 'cluster', 'demo', 'snapshot'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function originOf(v: unknown): Origin {
  if (!isRecord(v) || !ORIGIN_SOURCES.includes(v.source as Origin['source'])) return { source: 'snapshot' };
  const o: Origin = { source: v.source as Origin['source'] };
  if (typeof v.file === 'string') o.file = v.file;
  if (typeof v.cluster === 'string') o.cluster = v.cluster;
  for (const k of ['line', 'column', 'document'] as const) if (Number.isInteger(v[k])) o[k] = v[k] as number;
  return o;
}

function positionsOf(v: unknown): FieldPositions {
  if (!isRecord(v)) return {};
  const out: FieldPositions = {};
  for (const [path, p] of Object.entries(v)) {
    if (isRecord(p) && Number.isInteger(p.line) && Number.isInteger(p.column)) out[path] = { line: p.line as number, column: p.column as number };
  }
  return out;
}

/** Damaged entries named one by one; past them one load error says how many more there are. */
export const LISTED_DAMAGED_ENTRIES = 20;

/**
 * The bundle's objects that are Kubernetes objects, and a load error for each that is not — the first
 * LISTED_DAMAGED_ENTRIES of them, then one that counts the rest (a file of a million `{}` is a million bad objects,
 * not a million messages to keep).
 */
export function validObjects(list: unknown[], file: string): { objects: InventoryObject[]; errors: LoadError[] } {
  const objects: InventoryObject[] = [];
  const errors: LoadError[] = [];
  let bad = 0;
  list.forEach((entry, i) => {
    const e = isRecord(entry) ? entry : {};
    // The reference is rebuilt from the object itself: a bundle's own `ref` could name another object.
    const made = inventoryObjectOf(e.object, originOf(e.origin), positionsOf(e.positions), 'default');
    if (!('message' in made)) {
      objects.push(made);
      return;
    }
    if (++bad <= LISTED_DAMAGED_ENTRIES) errors.push({ file, ...(made.object ? { object: made.object } : {}), message: `objects[${i}]: ${made.message}; left out` });
  });
  if (bad > LISTED_DAMAGED_ENTRIES) {
    errors.push({ file, message: `objects: ${bad.toLocaleString('en-US')} of the ${list.length.toLocaleString('en-US')} entries are not Kubernetes objects (the first ${LISTED_DAMAGED_ENTRIES} are listed); all ${bad.toLocaleString('en-US')} left out, the other ${objects.length.toLocaleString('en-US')} opened` });
  }
  return { objects, errors };
}

/** A Prometheus instant-vector sample as the graph reads it: string labels, `[time, value]`. */
function isSample(s: unknown): s is PromSample {
  if (!isRecord(s) || !isRecord(s.metric) || !Array.isArray(s.value) || s.value.length !== 2) return false;
  if (!Object.values(s.metric).every((v) => typeof v === 'string')) return false;
  return typeof s.value[0] === 'number' && (typeof s.value[1] === 'string' || typeof s.value[1] === 'number');
}

/** The recorded windows with well-formed samples; damaged windows and samples are left out and said (the first LISTED_DAMAGED_ENTRIES, then a count). */
export function validWindows(list: unknown[], file: string): { windows: SnapshotWindow[]; errors: LoadError[] } {
  const windows: SnapshotWindow[] = [];
  const errors: LoadError[] = [];
  let damaged = 0;
  const damage = (message: string) => {
    if (++damaged <= LISTED_DAMAGED_ENTRIES) errors.push({ file, message });
  };
  list.forEach((entry, i) => {
    const w = isRecord(entry) ? entry : {};
    const namespaces = Array.isArray(w.namespaces) ? w.namespaces.filter((n): n is string => typeof n === 'string') : undefined;
    if (typeof w.queryTime !== 'number' || !Number.isFinite(w.queryTime) || typeof w.duration !== 'number' || !(w.duration > 0) || !namespaces || !isRecord(w.samples)) {
      damage(`windows[${i}]: not a telemetry window (queryTime, duration, namespaces and samples are needed); left out`);
      return;
    }
    const samples: Record<string, PromSample[]> = {};
    for (const [family, values] of Object.entries(w.samples)) {
      const good = Array.isArray(values) ? values.filter(isSample) : [];
      const bad = Array.isArray(values) ? values.length - good.length : 1;
      if (bad > 0) damage(`windows[${i}].samples.${family}: ${Array.isArray(values) ? `${bad} of ${values.length} samples are` : 'it is'} not Prometheus samples; left out`);
      if (good.length > 0) samples[family] = good.map((s) => ({ metric: s.metric, value: [s.value[0], String(s.value[1])] }));
    }
    windows.push({ queryTime: w.queryTime, duration: w.duration, namespaces, ...(typeof w.responseTimes === 'boolean' ? { responseTimes: w.responseTimes } : {}), samples: samples as TelemetrySamples });
  });
  if (damaged > LISTED_DAMAGED_ENTRIES) {
    errors.push({ file, message: `windows: ${damaged.toLocaleString('en-US')} windows or sample lists are damaged (the first ${LISTED_DAMAGED_ENTRIES} are listed); all left out` });
  }
  return { windows, errors };
}

/** The load errors the bundle itself carried (its source's), those that are load errors. */
export function validLoadErrors(list: unknown): LoadError[] {
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is LoadError => isRecord(e) && typeof e.message === 'string').map((e) => ({
    message: e.message,
    ...(typeof e.file === 'string' ? { file: e.file } : {}),
    ...(Number.isInteger(e.line) ? { line: e.line } : {}),
    ...(Number.isInteger(e.column) ? { column: e.column } : {}),
    ...(typeof e.object === 'string' ? { object: e.object } : {}),
  }));
}

const optionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/**
 * The recorded pod states (`ns/pod` → state), untrusted: entries that are not a plain state (strings, a boolean, a
 * count, at most `maxEntries` of them) are left out — the pod then shows as its object says, or assumed up.
 */
export function validPodStatus(raw: unknown, maxEntries: number): Record<string, PodStatusInput> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const out: Record<string, PodStatusInput> = Object.create(null) as Record<string, PodStatusInput>;
  let n = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (n >= maxEntries) break;
    if (!/^[^/]+\/[^/]+$/.test(key) || typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    if (!optionalString(v.phase) || !optionalString(v.startTime) || (v.containers !== undefined && !Array.isArray(v.containers))) continue;
    const containers = ((v.containers as unknown[] | undefined) ?? []).filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string');
    out[key] = {
      ...(v.phase !== undefined ? { phase: v.phase as string } : {}),
      ...(v.startTime !== undefined ? { startTime: v.startTime as string } : {}),
      ...(v.containers !== undefined ? {
        containers: containers.map((c) => ({
          name: c.name as string,
          ...(typeof c.ready === 'boolean' ? { ready: c.ready } : {}),
          ...(typeof c.restarts === 'number' && Number.isFinite(c.restarts) && c.restarts >= 0 ? { restarts: Math.floor(c.restarts) } : {}),
          ...(typeof c.state === 'string' ? { state: c.state.slice(0, 200) } : {}),
        })),
      } : {}),
    };
    n++;
  }
  return n > 0 ? out : undefined;
}

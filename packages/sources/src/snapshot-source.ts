/**
 * Snapshot bundles: one gzip'd JSON file with what is needed to redraw a view offline — the
 * inventory objects (Secrets reduced to metadata: a bundle is meant to be attached to incident
 * reviews, so it must never carry secret data), the telemetry samples of the captured windows, the chart
 * families over the first window (snapshot-history.ts), optional findings and the view — and a MeshSource that
 * serves it back with no cluster and no Prometheus.
 */
import { gzipSync } from 'node:zlib';
import { buildInventory, type PodStatusInput } from '@meshlens/mesh';
import type { InventoryObject, LoadError, TelemetrySamples } from '@meshlens/model';
import type { MeshSource, TelemetryProvider, TelemetryQuery } from './source.js';
import { validLoadErrors, validObjects, validPodStatus, validWindows } from './snapshot-validate.js';
import { decodeHistory, durationLabel, encodeHistory, historyMatrix, historyRange, utcWindows, type HistoryGrid, type SnapshotHistory } from './snapshot-history.js';
import { CHART_FAMILIES, rangeGrid, type TelemetryTimeInfo } from './telemetry-range.js';
import { checkJsonShape, COUNT_ADVICE, countLabel, DecompressedTooLargeError, gunzipCappedSync, isGzip, SNAPSHOT_LIMITS, sizeLabel, SnapshotFileError, SnapshotTooLargeError, type SnapshotLimits } from './snapshot-limits.js';

export * from './snapshot-history.js';
export * from './snapshot-limits.js';

export const SNAPSHOT_FORMAT = 'meshlens-snapshot/1';

export interface SnapshotWindow extends TelemetryQuery {
  samples: TelemetrySamples;
}

export interface SnapshotBundle {
  format: typeof SNAPSHOT_FORMAT;
  /** Unix seconds. */
  capturedAt: number;
  meshlensVersion: string;
  /** The source the snapshot was taken from. */
  source: { name: string; kind: string };
  objects: InventoryObject[];
  errors: LoadError[];
  windows: SnapshotWindow[];
  /**
   * The chart families of every namespace over the first window, for the side panel's charts over time. Absent in
   * bundles of Meshlens versions that did not record it (their charts say so); the format string did not change.
   */
  history?: SnapshotHistory;
  /** Findings of the configuration checks at capture time, when the server had them. */
  findings?: unknown[];
  /** The console view (its URL query) the snapshot was taken for. */
  view?: string;
  /**
   * Pod runtime state (`ns/pod` → phase, containers) at the first window's end, from sources that know it apart from
   * the Pod objects (the demo simulates its pods); a live cluster's Pod objects carry their own status.
   */
  podStatus?: Record<string, PodStatusInput>;
}

/** A Secret as metadata only: data, stringData and the last-applied annotation (which holds the data) dropped. */
export function secretMetadata(o: InventoryObject): InventoryObject {
  if (o.ref.kind !== 'Secret') return o;
  const object = o.object as InventoryObject['object'] & { type?: unknown };
  const annotations = { ...(object.metadata?.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const positions = Object.fromEntries(Object.entries(o.positions ?? {}).filter(([p]) => p.startsWith('metadata') || p === 'type' || p === 'kind' || p === 'apiVersion'));
  return {
    ...o,
    object: { apiVersion: object.apiVersion, kind: 'Secret', metadata: { ...object.metadata, annotations }, ...(typeof object.type === 'string' ? { type: object.type } : {}) },
    positions,
  };
}

/** Scrape interval assumed when the telemetry does not say (Prometheus' usual one; the simulator's). */
const DEFAULT_SCRAPE_INTERVAL = 15;

/** The chart grid of a window, as /api/metrics computes it by default. */
function historyGrid(w: { queryTime: number; duration: number }, scrapeInterval: number): HistoryGrid {
  const g = rangeGrid(w.queryTime - w.duration, w.queryTime, scrapeInterval);
  return { start: g.start, end: g.end, step: g.step, rateInterval: g.rateInterval, scrapeInterval };
}

function noHistoryReason(t: TelemetryProvider): string {
  if (t.kind === 'none') return 'the source it was taken from had no telemetry';
  if (t.kind === 'samples') return 'its telemetry was a file of one window, with no history';
  return `the telemetry it was taken from ("${t.kind}") offered no series over time to record`;
}

/**
 * The chart families of `w` on the grid `/api/metrics` uses by default for that window, so the reopened charts ask
 * for exactly the recorded points. Never fails: what cannot be recorded is said in `omitted`.
 */
export async function captureHistory(t: TelemetryProvider, w: TelemetryQuery, maxValues?: number): Promise<SnapshotHistory> {
  const info = await t.timeInfo?.().catch(() => undefined);
  const grid = historyGrid(w, info?.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL);
  const base = { ...grid, families: {} };
  if (!t.rangeMatrix) return { ...base, omitted: [{ families: [...CHART_FAMILIES], reason: noHistoryReason(t) }] };
  try {
    const m = await t.rangeMatrix({ namespaces: [...w.namespaces].sort(), start: grid.start, end: grid.end, step: grid.step, rateInterval: grid.rateInterval, ...(maxValues !== undefined ? { maxValues } : {}) });
    return encodeHistory(m, grid.scrapeInterval);
  } catch (e) {
    // Telemetry that answered the graph but not the range queries: the snapshot is still worth having.
    return { ...base, omitted: [{ families: [...CHART_FAMILIES], reason: `the range queries failed (${(e as Error).message})` }] };
  }
}

/** Captures a bundle from a live source: its objects, the samples of each requested window, the first window's charts. */
export async function captureSnapshot(
  source: MeshSource,
  windows: TelemetryQuery[],
  extra: { meshlensVersion: string; findings?: unknown[]; view?: string; now?: () => number; history?: false | { maxValues?: number } },
): Promise<SnapshotBundle> {
  const inventory = source.inventory();
  const captured: SnapshotWindow[] = [];
  for (const w of windows) captured.push({ ...w, namespaces: [...w.namespaces].sort(), samples: await source.telemetry.samples(w) });
  const history = extra.history === false || captured.length === 0 ? undefined : await captureHistory(source.telemetry, captured[0]!, extra.history?.maxValues);
  const podStatus = capturePodStatus(source, captured[0]?.queryTime ?? Math.floor((extra.now?.() ?? Date.now()) / 1000));
  return {
    format: SNAPSHOT_FORMAT,
    capturedAt: Math.floor((extra.now?.() ?? Date.now()) / 1000),
    meshlensVersion: extra.meshlensVersion,
    source: { name: source.name, kind: source.kind },
    objects: inventory.objects.map(secretMetadata),
    errors: inventory.errors,
    windows: captured,
    ...(history ? { history } : {}),
    ...(extra.findings ? { findings: extra.findings } : {}),
    ...(extra.view !== undefined ? { view: extra.view } : {}),
    ...(podStatus ? { podStatus } : {}),
  };
}

/** The state the source gives each pod at `at`, when it has a notion of its own (see SnapshotBundle.podStatus). */
function capturePodStatus(source: MeshSource, at: number): Record<string, PodStatusInput> | undefined {
  if (!source.podStatus) return undefined;
  const out: Record<string, PodStatusInput> = {};
  let n = 0;
  for (const w of source.inventory().workloads) {
    for (const p of w.pods) {
      const s = source.podStatus(p, at);
      if (s) {
        out[`${p.namespace}/${p.name}`] = s;
        n++;
      }
    }
  }
  return n > 0 ? out : undefined;
}

/** The bundle as a gzip'd JSON file. */
export function encodeSnapshot(bundle: SnapshotBundle): Buffer {
  // Re-strip on the way out too: a bundle built by hand must not leak secrets either.
  return gzipSync(JSON.stringify({ ...bundle, objects: bundle.objects.map(secretMetadata) }), { level: 9 });
}

export interface DecodeOptions {
  /** What a bundle may hold (default SNAPSHOT_LIMITS). */
  limits?: SnapshotLimits;
  /** The end of a refusal for bytes or memory: what the person can do instead (default: ask whether it is a bundle at all). */
  advice?: string;
  /** Called with the estimated heap of the parsed bundle once the text is measured, before it is parsed (to make room). */
  beforeParse?: (heapBytes: number) => void;
}

/** A decoded bundle and what it costs to keep. */
export interface DecodedSnapshot {
  bundle: SnapshotBundle;
  /** Bytes of its JSON text. */
  jsonBytes: number;
  /** The heap the parsed bundle takes, estimated before parsing (snapshot-limits.ts). */
  heapBytes: number;
}

/** Reads a bundle file's bytes (gzip'd or plain JSON), with errors that say what is wrong with the file. */
export function decodeSnapshot(bytes: Uint8Array, file = 'snapshot', options: DecodeOptions = {}): SnapshotBundle {
  return readSnapshot(bytes, file, options).bundle;
}

/**
 * `decodeSnapshot` with its cost. Within the limits or refused before anything big is built: the gzip stream is
 * expanded under a hard cap, and the JSON text is measured before it is parsed (snapshot-limits.ts).
 */
export function readSnapshot(bytes: Uint8Array, file = 'snapshot', options: DecodeOptions = {}): DecodedSnapshot {
  const limits = options.limits ?? SNAPSHOT_LIMITS;
  const advice = options.advice ?? COUNT_ADVICE;
  let json: Uint8Array;
  if (isGzip(bytes)) {
    try {
      json = gunzipCappedSync(bytes, limits.maxJsonBytes);
    } catch (e) {
      if (e instanceof DecompressedTooLargeError) throw new SnapshotTooLargeError(`${file}: ${e.message}, more than Meshlens opens; ${advice}`);
      throw new SnapshotFileError(`${file}: cannot decompress (${(e as Error).message}); is it a file written by \`meshlens snapshot\`?`);
    }
  } else {
    if (bytes.length > limits.maxJsonBytes) throw new SnapshotTooLargeError(`${file}: ${sizeLabel(bytes.length)} of JSON is more than the ${sizeLabel(limits.maxJsonBytes)} Meshlens opens; ${advice}`);
    json = bytes;
  }
  const heapBytes = checkJsonShape(json, file, limits, advice);
  options.beforeParse?.(heapBytes);
  return { bundle: parseBundle(json, file, limits), jsonBytes: json.length, heapBytes };
}

function parseBundle(json: Uint8Array, file: string, limits: SnapshotLimits): SnapshotBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.length).toString('utf8'));
  } catch {
    throw new SnapshotFileError(`${file}: not JSON; is it a file written by \`meshlens snapshot\`?`);
  }
  const b = raw as Partial<SnapshotBundle>;
  if (typeof b !== 'object' || b === null || b.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFileError(`${file}: not a Meshlens snapshot (format ${JSON.stringify((b as { format?: unknown })?.format ?? null)}, expected "${SNAPSHOT_FORMAT}")`);
  }
  if (!Array.isArray(b.objects) || !Array.isArray(b.windows) || typeof b.capturedAt !== 'number') {
    throw new SnapshotFileError(`${file}: snapshot is incomplete (objects, windows or capturedAt missing); take it again with \`meshlens snapshot\``);
  }
  // The sections were counted before parsing; the samples sit deeper, counted here (the parse itself was bounded).
  const samples = countSamples(b.windows);
  if (samples > limits.maxSamples) {
    throw new SnapshotTooLargeError(`${file}: holds ${countLabel(samples)} telemetry samples, more than the ${countLabel(limits.maxSamples)} Meshlens opens in one snapshot; ${COUNT_ADVICE}`);
  }
  // Untrusted input: what is damaged is left out with a load error naming it, the rest opens (snapshot-validate.ts).
  const objects = validObjects(b.objects, file);
  const windows = validWindows(b.windows, file);
  const source = typeof b.source === 'object' && b.source !== null && typeof b.source.name === 'string' && typeof b.source.kind === 'string' ? { name: b.source.name, kind: b.source.kind } : { name: 'an unnamed source', kind: 'unknown' };
  // Only the fields Meshlens reads: anything else the file carries is not kept.
  const bundle: SnapshotBundle = {
    format: SNAPSHOT_FORMAT,
    capturedAt: b.capturedAt,
    meshlensVersion: typeof b.meshlensVersion === 'string' ? b.meshlensVersion : 'unknown',
    source,
    objects: objects.objects.map(secretMetadata),
    errors: [...validLoadErrors(b.errors), ...objects.errors, ...windows.errors],
    windows: windows.windows,
    ...(Array.isArray(b.findings) ? { findings: b.findings } : {}),
    ...(typeof b.view === 'string' ? { view: b.view } : {}),
  };
  // At most one state per pod object or sampled pod the objects can describe (a replica count is at most int32).
  const podStatus = validPodStatus(b.podStatus, limits.maxObjects * 3);
  if (podStatus) bundle.podStatus = podStatus;
  if (b.history !== undefined) {
    // A damaged section still says so on the first window's grid, rather than looking like an old bundle.
    const w = b.windows[0] as Partial<SnapshotWindow> | undefined;
    const fallback = typeof w?.queryTime === 'number' && typeof w.duration === 'number' && w.duration > 0 ? historyGrid({ queryTime: w.queryTime, duration: w.duration }, DEFAULT_SCRAPE_INTERVAL) : undefined;
    const history = decodeHistory(b.history, fallback, limits.maxHistorySeries);
    if (history) bundle.history = history;
  }
  return bundle;
}

/** Samples of every window and family, as sent (damaged ones included: they were parsed all the same). */
function countSamples(windows: unknown[]): number {
  let n = 0;
  for (const w of windows) {
    const samples = typeof w === 'object' && w !== null ? (w as { samples?: unknown }).samples : undefined;
    if (typeof samples !== 'object' || samples === null) continue;
    for (const list of Object.values(samples)) if (Array.isArray(list)) n += list.length;
  }
  return n;
}

/**
 * The recorded window answering a query: the same window if it was captured, else the one of the
 * same length closest in time, else the first. A snapshot has no other data, and an approximate
 * answer with the right topology beats an empty graph.
 */
export function pickWindow(windows: SnapshotWindow[], query: TelemetryQuery): SnapshotWindow | undefined {
  const exact = windows.find((w) => w.queryTime === query.queryTime && w.duration === query.duration);
  if (exact) return exact;
  const sameLength = windows.filter((w) => w.duration === query.duration);
  const pool = sameLength.length > 0 ? sameLength : windows;
  return [...pool].sort((a, b) => Math.abs(a.queryTime - query.queryTime) - Math.abs(b.queryTime - query.queryTime))[0];
}

/**
 * The graph's warning when `pickWindow` answers another window than the one asked (or a window without some of
 * the asked namespaces): a snapshot must never pass an approximate answer off as the requested one.
 */
export function windowNote(windows: SnapshotWindow[], query: TelemetryQuery): string | undefined {
  const w = pickWindow(windows, query);
  if (!w) return undefined;
  const notes: string[] = [];
  if (w.queryTime !== query.queryTime || w.duration !== query.duration) {
    const [recorded, asked] = utcWindows([w.queryTime - w.duration, w.queryTime], [query.queryTime - query.duration, query.queryTime]);
    notes.push(`This snapshot recorded ${recorded} (${durationLabel(w.duration)}); the graph shows that window in place of the requested ${asked}.`);
  }
  const missing = query.namespaces.filter((n) => !w.namespaces.includes(n));
  if (missing.length > 0) {
    notes.push(`It did not record the traffic of namespace${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}: only calls to or from ${w.namespaces.map((n) => `"${n}"`).join(', ')} appear.`);
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}

/** What a snapshot can answer in time: its recorded windows only, on the grid its charts were recorded with. */
function snapshotTimeInfo(bundle: SnapshotBundle): TelemetryTimeInfo {
  const now = bundle.windows[0]?.queryTime;
  if (now === undefined) return { scrapeInterval: DEFAULT_SCRAPE_INTERVAL, notes: ['this snapshot recorded no telemetry window'] };
  const durations = [...new Set(bundle.windows.map((w) => w.duration))].sort((a, b) => a - b);
  const earliest = Math.min(...bundle.windows.map((w) => w.queryTime - w.duration));
  const recorded = bundle.windows.map((w) => `${utcWindows([w.queryTime - w.duration, w.queryTime])[0]} (${durationLabel(w.duration)})`);
  return {
    // The live scrape interval: with it, /api/metrics' default step and rate interval are the recorded ones.
    scrapeInterval: bundle.history?.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL,
    retention: Math.max(now - earliest, 1),
    durations,
    notes: [`snapshot: it recorded ${recorded.join(', ')} only`],
  };
}

/** The namespaces of the captured view (its `namespaces=` query parameter), when it names any. */
function viewNamespaces(bundle: SnapshotBundle): string[] | undefined {
  if (!bundle.view) return undefined;
  const list = new URLSearchParams(bundle.view).get('namespaces')?.split(',').filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}

/** A moment (unix seconds) as ISO 8601 UTC to the second: `2026-11-22T03:57:00Z`. */
export function isoSeconds(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A source that serves a bundle, fully offline. */
export function createSnapshotSource(bundle: SnapshotBundle): MeshSource & { bundle: SnapshotBundle } {
  const inv = buildInventory(bundle.objects, bundle.errors);
  const capturedAt = isoSeconds(bundle.capturedAt);
  const name = `Snapshot of ${bundle.source.name} taken ${capturedAt}`;
  const matrix = bundle.history ? historyMatrix(bundle.history) : undefined;
  const telemetry: TelemetryProvider = {
    kind: 'samples',
    async samples(query) {
      return pickWindow(bundle.windows, query)?.samples ?? {};
    },
    windowNote: (query) => windowNote(bundle.windows, query),
    async range(query) {
      return historyRange(matrix, query);
    },
    async timeInfo() {
      return snapshotTimeInfo(bundle);
    },
    // A snapshot of a reopened snapshot keeps its charts: the recorded matrix, on its own grid.
    ...(matrix ? { rangeMatrix: async () => matrix } : {}),
  };
  const namespaces = viewNamespaces(bundle) ?? bundle.windows[0]?.namespaces;
  // Views without a time show the recorded window (its end), not "now": there is nothing after the capture.
  const defaultQueryTime = bundle.windows[0]?.queryTime ?? bundle.capturedAt;
  return {
    name,
    kind: 'snapshot',
    inventory: () => inv,
    telemetry,
    defaultQueryTime,
    ...(namespaces && namespaces.length > 0 ? { defaultNamespaces: namespaces } : {}),
    status: () => ({ name, kind: 'snapshot', state: 'ready', objects: inv.objects.length, errors: inv.errors, telemetry: { kind: 'samples' }, capturedAt, snapshotOf: bundle.source.name }),
    // The recorded states, whatever moment is asked: a snapshot knows no other.
    ...(bundle.podStatus ? { podStatus: (pod) => bundle.podStatus![`${pod.namespace}/${pod.name}`] } : {}),
    bundle,
  };
}

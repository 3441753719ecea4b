/**
 * Snapshot bundles: one gzip'd JSON file with what is needed to redraw a view offline — the
 * inventory objects (Secrets reduced to metadata: a bundle is meant to be attached to incident
 * reviews, so it must never carry secret data), the telemetry samples of the captured windows, optional
 * findings and the view — and a MeshSource that serves it back with no cluster and no Prometheus.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildInventory } from '@meshlens/mesh';
import type { InventoryObject, LoadError, TelemetrySamples } from '@meshlens/model';
import type { MeshSource, TelemetryProvider, TelemetryQuery } from './source.js';

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
  /** Findings of the configuration checks at capture time, when the server had them. */
  findings?: unknown[];
  /** The console view (its URL query) the snapshot was taken for. */
  view?: string;
}

export class SnapshotFileError extends Error {}

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

/** Captures a bundle from a live source: its objects and the samples of each requested window. */
export async function captureSnapshot(
  source: MeshSource,
  windows: TelemetryQuery[],
  extra: { meshlensVersion: string; findings?: unknown[]; view?: string; now?: () => number },
): Promise<SnapshotBundle> {
  const inventory = source.inventory();
  const captured: SnapshotWindow[] = [];
  for (const w of windows) captured.push({ ...w, namespaces: [...w.namespaces].sort(), samples: await source.telemetry.samples(w) });
  return {
    format: SNAPSHOT_FORMAT,
    capturedAt: Math.floor((extra.now?.() ?? Date.now()) / 1000),
    meshlensVersion: extra.meshlensVersion,
    source: { name: source.name, kind: source.kind },
    objects: inventory.objects.map(secretMetadata),
    errors: inventory.errors,
    windows: captured,
    ...(extra.findings ? { findings: extra.findings } : {}),
    ...(extra.view !== undefined ? { view: extra.view } : {}),
  };
}

/** The bundle as a gzip'd JSON file. */
export function encodeSnapshot(bundle: SnapshotBundle): Buffer {
  // Re-strip on the way out too: a bundle built by hand must not leak secrets either.
  return gzipSync(JSON.stringify({ ...bundle, objects: bundle.objects.map(secretMetadata) }), { level: 9 });
}

/** Reads a bundle file's bytes (gzip'd or plain JSON), with errors that say what is wrong with the file. */
export function decodeSnapshot(bytes: Uint8Array, file = 'snapshot'): SnapshotBundle {
  let text: string;
  try {
    text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : Buffer.from(bytes).toString('utf8');
  } catch (e) {
    throw new SnapshotFileError(`${file}: cannot decompress (${(e as Error).message}); is it a file written by \`meshlens snapshot\`?`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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
  return { ...(b as SnapshotBundle), errors: Array.isArray(b.errors) ? b.errors : [], objects: b.objects.map(secretMetadata) };
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

/** The namespaces of the captured view (its `namespaces=` query parameter), when it names any. */
function viewNamespaces(bundle: SnapshotBundle): string[] | undefined {
  if (!bundle.view) return undefined;
  const list = new URLSearchParams(bundle.view).get('namespaces')?.split(',').filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}

/** A source that serves a bundle, fully offline. */
export function createSnapshotSource(bundle: SnapshotBundle): MeshSource & { bundle: SnapshotBundle } {
  const inv = buildInventory(bundle.objects, bundle.errors);
  const name = `Snapshot of ${bundle.source.name} taken ${new Date(bundle.capturedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
  const telemetry: TelemetryProvider = {
    kind: 'samples',
    async samples(query) {
      return pickWindow(bundle.windows, query)?.samples ?? {};
    },
  };
  const namespaces = viewNamespaces(bundle) ?? bundle.windows[0]?.namespaces;
  const capturedAt = new Date(bundle.capturedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
    bundle,
  };
}

/**
 * What the main thread and the graph workers say to each other. A worker keeps the last inventories and samples it
 * was sent, by id; a task names them by id and carries them only when the worker may not have them. A worker that
 * misses one answers `{missing}` and the task is sent again with it (a new worker, one that dropped an old version).
 */
import type { GraphOptions, TelemetrySamples } from '@meshlens/model';
import type { GraphNotes } from './assemble.js';
import type { EncodedSamples } from './samples-codec.js';

export interface InventoryPayload {
  /** JSON of the inventory's objects (`{ref, object, origin}` each: field positions are not needed for a graph). */
  objects: string;
  clusterDomain: string;
}

export type SamplesPayload = { encoded: EncodedSamples } | { raw: TelemetrySamples };

export interface GraphTask {
  inventoryId: number;
  inventory?: InventoryPayload;
  samplesId: number;
  samples?: SamplesPayload;
  options: GraphOptions;
  notes: GraphNotes;
}

/** The answer's JSON as UTF-8 (transferred), or what the worker needs first. */
export type GraphTaskResult = Uint8Array | { missing: Array<'inventory' | 'samples'> };

/**
 * A graph worker (piscina): rebuilds each inventory it is sent once with `buildInventory`, keeps the last few (and
 * the last few samples sets) by id, and assembles graphs over them off the server's event loop. The answer is the
 * JSON bytes the route sends, transferred without a copy.
 */
import { move } from 'piscina';
import { buildInventory, type Inventory } from '@meshlens/mesh';
import type { InventoryObject, TelemetrySamples } from '@meshlens/model';
import { assembleGraphJson } from './assemble.js';
import type { GraphTask, GraphTaskResult } from './protocol.js';
import { decodeSamples } from './samples-codec.js';

/** Versions kept: the current one, and the previous while requests for it finish. */
const KEEP_INVENTORIES = 3;
const KEEP_SAMPLES = 4;
const inventories = new Map<number, Inventory>();
const samplesSets = new Map<number, TelemetrySamples>();

function remember<T>(map: Map<number, T>, id: number, value: T, keep: number): T {
  map.delete(id);
  map.set(id, value);
  while (map.size > keep) map.delete(map.keys().next().value!);
  return value;
}

export default function assemble(task: GraphTask): GraphTaskResult {
  let inv = inventories.get(task.inventoryId);
  let samples = samplesSets.get(task.samplesId);
  const missing: Array<'inventory' | 'samples'> = [];
  if (!inv && !task.inventory) missing.push('inventory');
  if (!samples && !task.samples) missing.push('samples');
  if (missing.length > 0) return { missing };
  if (!inv) {
    const objects = JSON.parse(task.inventory!.objects) as InventoryObject[];
    inv = remember(inventories, task.inventoryId, buildInventory(objects, [], { clusterDomain: task.inventory!.clusterDomain }), KEEP_INVENTORIES);
  }
  if (!samples) {
    const payload = task.samples!;
    samples = remember(samplesSets, task.samplesId, 'encoded' in payload ? decodeSamples(payload.encoded) : payload.raw, KEEP_SAMPLES);
  }
  // TextEncoder gives the bytes their own ArrayBuffer (Buffer.from may share a pooled one), so they can be moved.
  const body = new TextEncoder().encode(assembleGraphJson(inv, samples, task.options, task.notes));
  return move(body) as Uint8Array;
}

/** Test helpers: fixture inventories, inline traffic models, the real routing core, and sample arithmetic. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildInventory, parseManifests, traceRequest, type Inventory } from '@meshlens/mesh';
import type { PromSample } from '@meshlens/model';
import { parseTrafficModel } from '../scenarios.js';
import type { TraceFn } from '../simulator/router.js';
import type { SimulatedSamples } from '../simulator/simulator.js';
import type { TrafficModel } from '../traffic/types.js';

/** The real routing core. */
export const trace: TraceFn = traceRequest;

/** An inventory from fixture files of this directory (or from texts), like the demo loads its scenarios. */
export function inventoryOf(...files: Array<string | { file: string; text: string }>): Inventory {
  const objects = [];
  const errors = [];
  for (const f of files) {
    const { file, text } = typeof f === 'string' ? { file: f, text: readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8') } : f;
    const parsed = parseManifests(text, { file, source: 'demo' });
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  return buildInventory(objects, errors);
}

/** A traffic model from inline YAML. */
export function trafficOf(text: string, file = 'traffic/test.yaml'): TrafficModel {
  return parseTrafficModel([{ file, text }]);
}

/** Sum of the sample values of `metric` whose labels include `where`. */
export function total(samples: SimulatedSamples, metric: keyof SimulatedSamples, where: Record<string, string> = {}): number {
  return select(samples, metric, where).reduce((a, s) => a + Number(s.value[1]), 0);
}

/** The samples of `metric` whose labels include `where`. */
export function select(samples: SimulatedSamples, metric: keyof SimulatedSamples, where: Record<string, string> = {}): PromSample[] {
  return (samples[metric] ?? []).filter((s) => Object.entries(where).every(([k, v]) => s.metric[k] === v));
}

/** Mid-afternoon, 2025-03-14 (UTC). */
export const T = 1_741_960_800;

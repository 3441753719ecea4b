/**
 * One graph answer as the bytes `GET /api/graph` sends: the engine's graph plus the route's warnings, as JSON. The
 * same function runs in a worker (graph-workers/worker.ts) and in-process, so both give the same bytes.
 */
import { buildGraph, type Inventory } from '@meshlens/mesh';
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';

/** What the route adds to the engine's graph. */
export interface GraphNotes {
  /** Why telemetry is missing (the graph then shows idle nodes too): appended to the graph's warnings. */
  warnings: string[];
  /** The window a snapshot answered instead of the one asked: the first warning. */
  windowNote?: string;
}

/** The graph of `inv` and `samples` with the route's notes, as the JSON text Fastify would have serialized. */
export function assembleGraphJson(inv: Inventory, samples: TelemetrySamples, options: GraphOptions, notes: GraphNotes): string {
  const warnings = [...notes.warnings];
  const graph: GraphResponse = buildGraph(inv, samples, { ...options, includeIdle: options.includeIdle || warnings.length > 0 });
  if (notes.windowNote) warnings.unshift(notes.windowNote);
  if (warnings.length > 0) graph.warnings = [...(graph.warnings ?? []), ...warnings];
  return JSON.stringify(graph);
}

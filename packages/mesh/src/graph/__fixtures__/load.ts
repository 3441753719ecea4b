/** Fixture loading shared by the graph tests: inventories from YAML, telemetry from JSON, one window. */
import { readFileSync } from 'node:fs';
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';
import { buildInventory, parseManifests } from '../../inventory/index.js';
import { buildGraph } from '../index.js';

const fixture = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** The inventory of a fixture YAML file. */
export const inventory = (name: string) => buildInventory(parseManifests(fixture(name), { file: name }).objects);

/** A fixture file of Prometheus samples keyed by metric name. */
export const telemetry = (name: string): TelemetrySamples => JSON.parse(fixture(name));

/** The window every graph fixture's samples were written for. */
export const WINDOW = { duration: 600, queryTime: 1767225600 };

/** The graph of a fixture inventory and samples over WINDOW. */
export const graph = (yaml: string, samples: TelemetrySamples, options: Omit<GraphOptions, 'duration' | 'queryTime'>): GraphResponse =>
  buildGraph(inventory(yaml), samples, { ...WINDOW, ...options });

/** Nodes and edges reduced to identity, placement and traffic: the shape each graph type decides. */
export const outline = (g: GraphResponse) => ({
  nodes: g.elements.nodes.map(({ data: d }) => [d.id, d.nodeType, d.parent ?? null, d.traffic ?? null]),
  edges: g.elements.edges.map(({ data: d }) => [d.source, d.target, d.traffic.protocol, d.traffic.rates, d.reporter]),
});

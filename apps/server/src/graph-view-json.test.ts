import { describe, expect, it } from 'vitest';
import { buildGraph, viewGraph } from '@meshlens/mesh';
import type { GraphResponse } from '@meshlens/model';
import { createDemoSource } from '@meshlens/sources';
import { viewJson } from './graph-view-json.js';

const T = 1_763_776_800;

describe('a graph view as JSON', () => {
  it('is JSON.stringify\'s text, view after view, its edges written once per edge object', async () => {
    const demo = createDemoSource({ seed: 1 });
    const inv = demo.inventory();
    const namespaces = [...inv.namespaces.keys()].sort();
    const samples = await demo.telemetry.samples({ queryTime: T, duration: 600, namespaces });
    const graph = buildGraph(inv, samples, { graphType: 'versionedApp', namespaces, duration: 600, queryTime: T, includeIdle: false, boxByNamespace: true });
    // Collapsed above 20 nodes, then one namespace opened, then collapsed again: the summed edges come back as the
    // same objects, and their cached text must still be theirs.
    const views = [{ budget: 20, expand: [] }, { budget: 20, expand: ['bookinfo-routing'] }, { budget: 20, expand: [] }, { budget: 0, expand: [] }];
    const seen: GraphResponse[] = [];
    for (const view of views) {
      const v = viewGraph(graph, view);
      seen.push(v);
      expect(viewJson(v)).toBe(JSON.stringify(v));
    }
    expect(seen[0]!.grouping?.visible).toBeLessThan(seen[3]!.elements.nodes.length);
    expect(seen[0]!.elements.edges.some((e) => e.data.group)).toBe(true);
    // Members and optional fields JSON.stringify leaves out are left out, in the same order.
    const odd = { timestamp: 1, skipped: undefined, elements: { nodes: [], edges: [{ data: { id: 'a->b' }, extra: 1 }] as unknown as GraphResponse['elements']['edges'] }, after: [1] } as unknown as GraphResponse;
    expect(viewJson(odd)).toBe(JSON.stringify(odd));
  });
});

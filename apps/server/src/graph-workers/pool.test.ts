/**
 * Graph assembly in worker threads (the built worker, dist/graph-workers/worker.js: build the server first): the
 * same bytes as in-process assembly, the inventory sent once per version, a bounded queue, and in-process assembly
 * when workers cannot run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '@meshlens/mesh';
import type { GraphOptions, GraphType, TelemetrySamples } from '@meshlens/model';
import { createDemoSource } from '@meshlens/sources';
import { assembleGraphJson } from './assemble.js';
import { defaultWorkerFile, GraphQueueFullError, GraphWorkers, graphWorkersMode } from './pool.js';
import { decodeSamples, encodeSamples } from './samples-codec.js';
import assemble from './worker.js';
import { MESH_TIME, syntheticMesh } from './__fixtures__/mesh.js';

const pools: GraphWorkers[] = [];
const pool = (options: ConstructorParameters<typeof GraphWorkers>[0]) => {
  const p = new GraphWorkers(options);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const mesh1k = syntheticMesh({ namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5 });
const demo = createDemoSource({ seed: 3 });
const demoNamespaces = [...demo.inventory().namespaces.keys()].sort();
let demoSamples: TelemetrySamples;
beforeAll(async () => {
  demoSamples = await demo.telemetry.samples({ queryTime: MESH_TIME, duration: 600, namespaces: demoNamespaces });
});

const optionsOf = (namespaces: string[], graphType: GraphType, extra: Partial<GraphOptions> = {}): GraphOptions => ({
  graphType, namespaces, duration: 600, queryTime: MESH_TIME, includeIdle: false, boxByNamespace: true, ...extra,
});

describe('graph workers', () => {
  it('finds the built worker module', () => {
    expect(defaultWorkerFile()).toMatch(/dist\/graph-workers\/worker\.js$/);
    expect(graphWorkersMode('always')).toBe('always');
    expect(graphWorkersMode('nonsense')).toBe('auto');
    expect(graphWorkersMode(undefined)).toBe('auto');
  });

  it('answers with the same bytes as in-process assembly: the demo, every graph type, with and without idle nodes and notes', async () => {
    const workers = pool({ mode: 'always', threads: 1 });
    const inv = demo.inventory();
    const cases: Array<[GraphOptions, { warnings: string[]; windowNote?: string }]> = [
      [optionsOf(demoNamespaces, 'versionedApp'), { warnings: [] }],
      [optionsOf(demoNamespaces, 'app'), { warnings: [] }],
      [optionsOf(demoNamespaces, 'workload', { includeIdle: true }), { warnings: [] }],
      [optionsOf(['bookinfo-routing', 'istio-system'], 'service', { boxByNamespace: false }), { warnings: [], windowNote: 'The snapshot holds another window.' }],
      [optionsOf(demoNamespaces, 'versionedApp'), { warnings: ['Telemetry is unavailable (down); the graph shows the configured topology without traffic.'] }],
    ];
    for (const [options, notes] of cases) {
      const inProcess = assembleGraphJson(inv, demoSamples, options, notes);
      const fromWorker = await workers.assemble(inv, demoSamples, options, notes);
      expect(fromWorker.toString('utf8')).toBe(inProcess);
    }
    expect(workers.stats()).toMatchObject({ inWorkers: cases.length, inProcess: 0, inventoriesSent: 1, samplesSent: 1 });
  });

  it('answers with the same bytes for a 1k-workload mesh, and sends its inventory and samples once', async () => {
    const workers = pool({ mode: 'always', threads: 1 });
    const { inventory, samples, namespaces } = mesh1k;
    expect(inventory.workloads.length).toBe(1000);
    for (const graphType of ['versionedApp', 'workload'] as const) {
      const options = optionsOf(namespaces, graphType);
      const fromWorker = await workers.assemble(inventory, samples, options, { warnings: [] });
      expect(fromWorker.toString('utf8')).toBe(assembleGraphJson(inventory, samples, options, { warnings: [] }));
    }
    expect(workers.stats()).toMatchObject({ inWorkers: 2, inventoriesSent: 1, samplesSent: 1 });
  });

  it('sends a new inventory version once, and new samples by their identity', async () => {
    const workers = pool({ mode: 'always', threads: 1 });
    const inv = demo.inventory();
    const options = optionsOf(demoNamespaces, 'versionedApp');
    await workers.assemble(inv, demoSamples, options, { warnings: [] });
    // A live source's rebuild: a new Inventory object (here the same objects, as a patch that changed nothing).
    const next: Inventory = { ...inv, objects: inv.objects.slice() };
    const copy = { ...demoSamples };
    expect((await workers.assemble(next, copy, options, { warnings: [] })).toString()).toBe(assembleGraphJson(next, copy, options, { warnings: [] }));
    await workers.assemble(next, copy, options, { warnings: [] });
    expect(workers.stats()).toMatchObject({ inWorkers: 3, inventoriesSent: 2, samplesSent: 2 });
  });

  it('asks for what it does not hold (a new worker, a dropped version) and the task is sent again with it', () => {
    const options = optionsOf(demoNamespaces, 'versionedApp');
    expect(assemble({ inventoryId: 1e9, samplesId: 1e9, options, notes: { warnings: [] } })).toEqual({ missing: ['inventory', 'samples'] });
    expect(assemble({ inventoryId: 1e9, samplesId: 1e9, options, notes: { warnings: [] }, samples: { raw: {} } })).toEqual({ missing: ['inventory'] });
  });

  it('keeps small inventories in-process in auto mode, where a worker does not pay off', async () => {
    const workers = pool({ threads: 1 });
    expect(workers.usesWorkers(demo.inventory(), demoSamples)).toBe(false);
    expect(workers.usesWorkers(mesh1k.inventory, mesh1k.samples)).toBe(true);
    await workers.assemble(demo.inventory(), demoSamples, optionsOf(demoNamespaces, 'versionedApp'), { warnings: [] });
    expect(workers.stats()).toMatchObject({ inWorkers: 0, inProcess: 1, running: false });
  });

  it('refuses a task when its queue is full, saying when to come back', async () => {
    const workers = pool({ mode: 'always', threads: 1, maxQueue: 1 });
    const { inventory, samples, namespaces } = mesh1k;
    // Different windows: different graphs, nothing shared.
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => workers.assemble(inventory, samples, optionsOf(namespaces, 'versionedApp', { queryTime: MESH_TIME + i }), { warnings: [] })));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const e of refused) {
      expect(e).toBeInstanceOf(GraphQueueFullError);
      expect((e as GraphQueueFullError).retryAfterS).toBeGreaterThanOrEqual(1);
    }
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect(workers.stats().rejected).toBe(refused.length);
  });

  it('assembles in-process when the worker module is missing or fails to load', async () => {
    const inv = demo.inventory();
    const options = optionsOf(demoNamespaces, 'versionedApp');
    const expected = assembleGraphJson(inv, demoSamples, options, { warnings: [] });
    const reasons: string[] = [];
    const broken = pool({ mode: 'always', threads: 1, filename: '/nonexistent/graph-worker.js', onUnavailable: (r) => reasons.push(r) });
    for (let i = 0; i < 4; i++) expect((await broken.assemble(inv, demoSamples, options, { warnings: [] })).toString()).toBe(expected);
    expect(reasons).toHaveLength(1);
    expect(broken.stats()).toMatchObject({ inWorkers: 0, inProcess: 4, running: false });
    // The pool reports the worker that could not load (or, for failures it does not report, 3 in a row give up).
    expect(broken.stats().unavailable).toMatch(/graph worker.* failed.*Cannot find module/);
  });
});

describe('samples codec', () => {
  it('gives back the same samples: families, order, labels and values', () => {
    for (const samples of [demoSamples, mesh1k.samples, {}]) {
      const encoded = encodeSamples(samples)!;
      expect(JSON.stringify(decodeSamples(structuredClone(encoded, { transfer: [encoded.ints, encoded.timestamps] })))).toBe(JSON.stringify(samples));
    }
  });

  it('leaves samples of another shape to the structured clone', () => {
    const metric = { reporter: 'source' };
    expect(encodeSamples({ istio_requests_total: [{ metric, value: [1, 2 as unknown as string] }] })).toBeUndefined();
    expect(encodeSamples({ istio_requests_total: [{ metric: { reporter: 3 as unknown as string }, value: [1, '2'] }] })).toBeUndefined();
    expect(encodeSamples({ istio_requests_total: [{ metric: JSON.parse('{"__proto__": "x"}') as Record<string, string>, value: [1, '2'] }] })).toBeUndefined();
  });
});

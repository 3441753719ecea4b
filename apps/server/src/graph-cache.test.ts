/**
 * The graph cache: what its key holds (no answer ever crosses users, clusters or snapshots), one computation for
 * identical concurrent requests, expiry of live windows, bounds, and the route answering from it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Inventory } from '@meshlens/mesh';
import type { GraphResponse, TelemetrySamples } from '@meshlens/model';
import { createDemoSource, scopedSource, type MeshSource, type TelemetryQuery } from '@meshlens/sources';
import { buildApp } from './app.js';
import { FIXED_TTL_MS, GraphCache, graphCacheKey, inventoryVersion, LIVE_TTL_MS, windowTtlMs, type GraphKeyParts } from './graph-cache.js';
import { graphRoutes } from './routes/graph.js';

const T = 1_763_776_800;
const apps: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const demo = createDemoSource({ seed: 1 });
const namespaces = [...demo.inventory().namespaces.keys()].sort();

/** The demo with its telemetry calls counted. */
function counted(base: MeshSource = demo): MeshSource & { calls: TelemetryQuery[] } {
  const calls: TelemetryQuery[] = [];
  return {
    ...base,
    calls,
    telemetry: { ...base.telemetry, samples: (q: TelemetryQuery) => (calls.push(q), base.telemetry.samples(q)) },
  } as MeshSource & { calls: TelemetryQuery[] };
}

const body = (text: string) => Buffer.from(text);
const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('graph cache key', () => {
  const parts: GraphKeyParts = { source: 'Demo mesh', inventory: demo.inventory(), queryTime: undefined, duration: 600, graphType: 'versionedApp', namespaces: ['a', 'b'], includeIdle: false, boxByNamespace: true, responseTimes: false };

  it('holds the source, the inventory version, the window and every option', () => {
    const key = graphCacheKey(parts);
    expect(graphCacheKey({ ...parts })).toBe(key);
    const changed: Array<Partial<GraphKeyParts>> = [
      { source: 'Demo mesh as alice' }, { inventory: { ...demo.inventory() } }, { queryTime: T }, { duration: 300 }, { graphType: 'app' },
      { namespaces: ['a'] }, { namespaces: ['a,b'] }, { includeIdle: true }, { boxByNamespace: false }, { responseTimes: true },
    ];
    const keys = changed.map((c) => graphCacheKey({ ...parts, ...c }));
    expect(new Set([key, ...keys]).size).toBe(changed.length + 1);
  });

  it('keeps source names apart whatever they hold', () => {
    expect(graphCacheKey({ ...parts, source: 'a","b' })).not.toBe(graphCacheKey({ ...parts, source: 'a', namespaces: ['b', 'a', 'b'] }));
  });

  it('gives every Inventory object its own version: each rebuild of a live source is a new one', () => {
    const inv = demo.inventory();
    const patched: Inventory = { ...inv, objects: inv.objects.slice() };
    expect(inventoryVersion(inv)).toBe(inventoryVersion(inv));
    expect(inventoryVersion(patched)).not.toBe(inventoryVersion(inv));
  });

  it('keeps live windows 5 s, windows that ended a minute ago 5 minutes', () => {
    const now = T * 1000;
    expect(windowTtlMs(undefined, now)).toBe(LIVE_TTL_MS);
    expect(windowTtlMs(T - 10, now)).toBe(LIVE_TTL_MS);
    expect(windowTtlMs(T - 3600, now)).toBe(FIXED_TTL_MS);
  });
});

describe('GraphCache', () => {
  it('computes once for concurrent identical requests, and answers later ones from the entry', async () => {
    const cache = new GraphCache();
    let computations = 0;
    const gate = deferred<void>();
    const compute = async () => {
      computations++;
      await gate.promise;
      return { body: body('graph'), ttlMs: 1000 };
    };
    const waiting = Array.from({ length: 20 }, () => cache.get('k', compute));
    gate.resolve();
    const answers = await Promise.all(waiting);
    expect(new Set(answers).size).toBe(1);
    await cache.get('k', compute);
    expect(computations).toBe(1);
    expect(cache.stats()).toMatchObject({ computations: 1, joined: 19, hits: 1, entries: 1, bytes: 5, inFlight: 0 });
  });

  it('answers a stale entry at once while one background computation replaces it, and drops it after 1.5 × its TTL', async () => {
    let now = 0;
    const cache = new GraphCache({ now: () => now });
    let n = 0;
    const gate = deferred<void>();
    const compute = async () => {
      n++;
      if (n === 2) await gate.promise;
      return { body: body(`graph ${n}`), ttlMs: 1000 };
    };
    expect((await cache.get('k', compute)).toString()).toBe('graph 1');
    now = 999;
    expect((await cache.get('k', compute)).toString()).toBe('graph 1');
    expect(n).toBe(1);
    // Stale: answered, refreshed once however many ask.
    now = 1200;
    expect((await cache.get('k', compute)).toString()).toBe('graph 1');
    expect((await cache.get('k', compute)).toString()).toBe('graph 1');
    expect(n).toBe(2);
    gate.resolve();
    await new Promise((r) => setImmediate(r));
    expect((await cache.get('k', compute)).toString()).toBe('graph 2');
    // Graph 2 started at 1200: fresh until 2200, stale until 2700; after that, a request waits for a new one.
    now = 2700;
    expect((await cache.get('k', compute)).toString()).toBe('graph 3');
    expect(cache.stats()).toMatchObject({ computations: 3, stale: 2 });
  });

  it('never keeps a failure: the requests that waited for it fail, the next one computes again', async () => {
    const cache = new GraphCache();
    let n = 0;
    const compute = async () => {
      if (++n === 1) throw new Error('telemetry down');
      return { body: body('graph'), ttlMs: 1000 };
    };
    const [a, b] = await Promise.allSettled([cache.get('k', compute), cache.get('k', compute)]);
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'telemetry down' } });
    expect(b).toMatchObject({ status: 'rejected' });
    expect((await cache.get('k', compute)).toString()).toBe('graph');
    expect(n).toBe(2);
  });

  it('holds at most maxEntries and maxBytes, the least recently used going first; a huge answer is shared but not kept', async () => {
    const cache = new GraphCache({ maxEntries: 3, maxBytes: 100 });
    const put = (key: string, size: number) => cache.get(key, async () => ({ body: Buffer.alloc(size, key), ttlMs: 60_000 }));
    await put('a', 10);
    await put('b', 10);
    await put('c', 10);
    await put('a', 10); // a is used again: b is now the oldest
    await put('d', 10);
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 30, evictions: 1 });
    let computed = 0;
    await cache.get('b', async () => (computed++, { body: Buffer.alloc(10), ttlMs: 60_000 }));
    expect(computed).toBe(1);
    await put('e', 45);
    await put('f', 45);
    expect(cache.stats().bytes).toBeLessThanOrEqual(100);
    expect((await put('huge', 60)).byteLength).toBe(60);
    expect(cache.stats().bytes).toBeLessThanOrEqual(100);
    let again = 0;
    await cache.get('huge', async () => (again++, { body: Buffer.alloc(60), ttlMs: 60_000 }));
    expect(again).toBe(1);
  });
});

describe('GET /api/graph from the cache', () => {
  const url = `/api/graph?namespaces=${namespaces.join(',')}&graphType=versionedApp&duration=600&responseTime=false`;

  it('answers 20 concurrent identical requests with one telemetry query and one assembly, the same bytes to each', async () => {
    const source = counted();
    const cache = new GraphCache();
    const app = await buildApp({ source, webRoot: false, graph: { cache } });
    apps.push(app);
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'GET', url })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((answers[0]!.json() as GraphResponse).elements.edges.length).toBeGreaterThan(10);
    expect(source.calls).toHaveLength(1);
    expect(cache.stats()).toMatchObject({ computations: 1, joined: 19 });
    // A later identical request within the live TTL: the same answer, nothing computed.
    expect((await app.inject({ method: 'GET', url })).body).toBe(answers[0]!.body);
    expect(source.calls).toHaveLength(1);
    // Another query, another window: computed.
    await app.inject({ method: 'GET', url: `${url}&queryTime=${T}` });
    await app.inject({ method: 'GET', url: url.replace('versionedApp', 'workload') });
    expect(source.calls).toHaveLength(3);
  });

  it('answers what in-process assembly answered before the cache: same JSON for a fixed window', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false });
    apps.push(app);
    const fixed = `${url}&queryTime=${T}`;
    const res = await app.inject({ method: 'GET', url: fixed });
    const { buildGraph } = await import('@meshlens/mesh');
    const samples = (await demo.telemetry.samples({ queryTime: T, duration: 600, namespaces })) as TelemetrySamples & Record<string, unknown>;
    for (const f of ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count']) delete samples[f];
    expect(res.body).toBe(JSON.stringify(buildGraph(demo.inventory(), samples, { graphType: 'versionedApp', namespaces, duration: 600, queryTime: T, includeIdle: false, boxByNamespace: true })));
  });

  it('never answers one user with another\'s graph: the source identity is in the key', async () => {
    // Two users' views of one cluster share its inventory; the second user's telemetry is limited to nothing.
    const users: Record<string, MeshSource> = {
      alice: { ...demo, name: 'Demo mesh as alice' },
      bob: { ...demo, name: 'Demo mesh as bob', telemetry: { kind: 'prometheus', samples: async () => ({}) } },
      // The same user with a second token: another source, its own inventory object.
      carol1: { ...demo, name: 'Demo mesh as carol', inventory: () => carolInventories[0]! },
      carol2: { ...demo, name: 'Demo mesh as carol', inventory: () => carolInventories[1]! },
    };
    const carolInventories = [{ ...demo.inventory() }, { ...demo.inventory() }];
    const scope = new AsyncLocalStorage<MeshSource>();
    const cache = new GraphCache();
    const app = Fastify();
    apps.push(app);
    app.addHook('onRequest', (req, _reply, done) => scope.run(users[String(req.headers['x-user'])]!, () => done()));
    await app.register(graphRoutes(scopedSource(() => scope.getStore() ?? demo, demo), { cache }));
    const as = async (user: string) => (await app.inject({ method: 'GET', url, headers: { 'x-user': user } })).json() as GraphResponse;
    const alice = await as('alice');
    const bob = await as('bob');
    expect(alice.elements.edges.length).toBeGreaterThan(10);
    expect(bob.elements.edges).toEqual([]);
    expect((await as('alice')).elements.edges).toEqual(alice.elements.edges);
    await as('carol1');
    await as('carol2');
    expect(cache.stats()).toMatchObject({ computations: 4, hits: 1 });
  });

  it('never answers a cluster\'s request from an opened snapshot\'s entry, nor the other way round', async () => {
    const fixed = `${url}&queryTime=${T}`;
    // A snapshot of another demo (another seed: other traffic) opened on a server of the first.
    const other = await buildApp({ source: createDemoSource({ seed: 2 }), webRoot: false });
    apps.push(other);
    const bundle = (await other.inject({ method: 'GET', url: `/api/snapshot?namespaces=${namespaces.join(',')}&duration=600&queryTime=${T}` })).rawPayload;
    const app = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false });
    apps.push(app);
    const live = (await app.inject({ method: 'GET', url: fixed })).body;
    const opened = await app.inject({ method: 'POST', url: '/api/snapshots?name=other.json.gz', headers: { 'content-type': 'application/octet-stream' }, payload: bundle });
    expect(opened.statusCode).toBe(201);
    const id = (opened.json() as { id: string }).id;
    const fromSnapshot = (await app.inject({ method: 'GET', url: `${fixed}&snapshot=${id}` })).body;
    expect(fromSnapshot).not.toBe(live);
    expect(JSON.parse(fromSnapshot).elements).toEqual(JSON.parse((await other.inject({ method: 'GET', url: fixed })).body).elements);
    expect((await app.inject({ method: 'GET', url: fixed })).body).toBe(live);
  });
});

/**
 * Load shedding: 503 with Retry-After and the API's error shape under pressure (memory, a sustained event loop
 * delay, a full queue of graph computations), `/api/health` answered whatever the pressure and quickly while heavy
 * graphs are being computed.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDemoSource, staticTelemetry, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { GraphCache } from './graph-cache.js';
import { GraphWorkers } from './graph-workers/pool.js';
import { MESH_TIME, syntheticMesh } from './graph-workers/__fixtures__/mesh.js';
import { containerMemoryLimit, LoopMonitor } from './load-shedding.js';

const apps: FastifyInstance[] = [];
const pools: GraphWorkers[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(pools.map((p) => p.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* the event loop is blocked */ }
};

/** The 1k-workload mesh as a source answering one samples file. */
function meshSource(): MeshSource & { namespaces: string[] } {
  const { inventory, samples, namespaces } = syntheticMesh({ namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5 });
  return {
    name: 'Synthetic mesh', kind: 'files', namespaces,
    inventory: () => inventory,
    telemetry: staticTelemetry(samples),
    status: () => ({ name: 'Synthetic mesh', kind: 'files', state: 'ready', objects: inventory.objects.length, errors: [], telemetry: { kind: 'samples' } }),
  };
}

describe('event loop verdict', () => {
  it('sheds only when the loop has been late for two checks in a row, and recovers at the first good one', () => {
    const loop = new LoopMonitor(500, 2);
    expect(loop.judge({ meanDelayMs: 800, lateMs: 0 })).toBe(true);
    expect(loop.judge({ meanDelayMs: 20, lateMs: 0 })).toBe(true);
    expect(loop.judge({ meanDelayMs: 800, lateMs: 0 })).toBe(true);
    expect(loop.judge({ meanDelayMs: 600, lateMs: 0 })).toBe(false);
    expect(loop.overloaded).toBe(true);
    expect(loop.judge({ meanDelayMs: 5, lateMs: 0 })).toBe(true);
    // A check with no timer tick since the last one (the loop was blocked throughout): how late the check ran.
    expect(loop.judge({ meanDelayMs: Number.NaN, lateMs: 900 })).toBe(true);
    expect(loop.judge({ meanDelayMs: Number.NaN, lateMs: 900 })).toBe(false);
    expect(loop.judge({ meanDelayMs: Number.NaN, lateMs: 100 })).toBe(true);
    loop.close();
  });

  it('reads the container\'s memory limit from cgroup v2 or v1, none when unlimited', () => {
    const files = (map: Record<string, string>) => (path: string) => {
      if (!(path in map)) throw new Error('ENOENT');
      return map[path]!;
    };
    expect(containerMemoryLimit(files({ '/sys/fs/cgroup/memory.max': '536870912\n' }))).toBe(536870912);
    expect(containerMemoryLimit(files({ '/sys/fs/cgroup/memory.max': 'max\n' }))).toBeUndefined();
    expect(containerMemoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' }))).toBeUndefined();
    expect(containerMemoryLimit(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '1073741824' }))).toBe(1073741824);
    expect(containerMemoryLimit(files({}))).toBeUndefined();
  });
});

describe('503 under pressure', () => {
  it('answers 503 with Retry-After and a sentence over memory pressure, and /api/health as usual', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false, loadShedding: { maxHeapUsedBytes: 1, sampleInterval: 20 } });
    apps.push(app);
    await sleep(100);
    const shed = await app.inject({ method: 'GET', url: '/api/namespaces' });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('5');
    expect(shed.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Meshlens is too busy to answer now (its heap is near its limit); retry in 5 s.' });
    // Security headers on the 503 too.
    expect(shed.headers['x-content-type-options']).toBe('nosniff');
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
  });

  it('sheds after a sustained event loop delay with requests waiting, not after one long task nor for a lone client, and recovers', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false, loadShedding: { maxEventLoopDelay: 100, sampleInterval: 50, minWaitingToShed: 3 } });
    apps.push(app);
    await sleep(150);
    // One long synchronous task (a snapshot opened, a full rebuild): requests right after it are answered.
    busy(400);
    await sleep(0);
    expect((await app.inject({ method: 'GET', url: '/api/namespaces' })).statusCode).toBe(200);
    const blockAgainAndAgain = async () => {
      for (let i = 0; i < 4; i++) {
        busy(300);
        await sleep(1);
      }
    };
    // The loop blocked again and again, but only one client asks (its own long requests): answered.
    await blockAgainAndAgain();
    expect((await app.inject({ method: 'GET', url: '/api/namespaces' })).statusCode).toBe(200);
    // Again, with requests waiting: shed.
    await blockAgainAndAgain();
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.inject({ method: 'GET', url: '/api/namespaces' })));
    const shed = answers.find((a) => a.statusCode === 503)!;
    expect(shed).toBeDefined();
    expect(shed.headers['retry-after']).toBe('5');
    expect(shed.json().message).toBe('Meshlens is too busy to answer now (its event loop has been more than 100 ms late for 0.1 s); retry in 5 s.');
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    // Idle again: answered.
    await sleep(400);
    expect((await app.inject({ method: 'GET', url: '/api/namespaces' })).statusCode).toBe(200);
  });

  it('answers 503 with Retry-After when the queue of graph computations is full', async () => {
    const source = meshSource();
    const workers = new GraphWorkers({ mode: 'always', threads: 1, maxQueue: 1 });
    pools.push(workers);
    const app = await buildApp({ source, webRoot: false, graph: { workers } });
    apps.push(app);
    const url = (i: number) => `/api/graph?namespaces=${source.namespaces.join(',')}&responseTime=false&queryTime=${MESH_TIME + i}`;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => app.inject({ method: 'GET', url: url(i) })));
    const refused = answers.filter((a) => a.statusCode === 503);
    expect(answers.filter((a) => a.statusCode === 200).length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const a of refused) {
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(a.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/^Meshlens is computing as many graphs as it can hold .*; retry in \d+ s$/) });
    }
    expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 503)).toBe(true);
  });
});

describe('/api/health under load', () => {
  /**
   * The target is < 100 ms. This machine has 2 cores shared with other work (load average ~5 while these tests were
   * written; an idle server's health p99 measured 27 ms over loopback then), so the bound here is 250 ms: still far
   * below what an event loop busy with 20 graphs of this size gives (each ~200-500 ms of assembly: seconds).
   */
  const BOUND_MS = 250;

  it('answers while 20 different heavy graphs are being computed', async () => {
    const source = meshSource();
    const cache = new GraphCache();
    const workers = new GraphWorkers({ mode: 'auto', maxQueue: 32 });
    pools.push(workers);
    const app = await buildApp({ source, webRoot: false, graph: { cache, workers } });
    apps.push(app);
    const url = (i: number) => `/api/graph?namespaces=${source.namespaces.join(',')}&responseTime=false&queryTime=${MESH_TIME + i}`;
    const heavy = Promise.all(Array.from({ length: 20 }, (_, i) => app.inject({ method: 'GET', url: url(i) })));
    const latencies: number[] = [];
    let inFlightSeen = 0;
    await sleep(20);
    while (cache.stats().inFlight > 0) {
      inFlightSeen = Math.max(inFlightSeen, cache.stats().inFlight);
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      latencies.push(performance.now() - t0);
      expect(res.statusCode).toBe(200);
      await sleep(20);
    }
    const answers = await heavy;
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect(workers.stats()).toMatchObject({ inWorkers: 20, inProcess: 0 });
    expect(inFlightSeen).toBeGreaterThanOrEqual(10);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    latencies.sort((a, b) => a - b);
    process.stderr.write(`/api/health during 20 heavy graphs: ${latencies.length} probes, median ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms\n`);
    expect(latencies.at(-1)!).toBeLessThan(BOUND_MS);
  }, 120_000);
});

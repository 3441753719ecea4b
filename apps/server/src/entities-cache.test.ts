/**
 * The Overview's and the lists' answers are shared by identical requests (routes/entities.ts): counted by the
 * telemetry reads behind them, through the real Fastify app over the demo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Inventory } from '@meshlens/mesh';
import type { OverviewResponse, WorkloadListResponse } from '@meshlens/model';
import { createDemoSource, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';

const T = 1790000000;
const demo = createDemoSource({ seed: 7, now: () => T });
let reads = 0;
let inventory: Inventory = demo.inventory();
// The demo with its telemetry reads counted and its inventory replaceable (as a live source's watch replaces it).
const counted: MeshSource = new Proxy(demo, {
  get(target, prop, receiver) {
    if (prop === 'inventory') return () => inventory;
    if (prop === 'telemetry') {
      const t = target.telemetry;
      return new Proxy(t, {
        get(tt, p, r) {
          if (p === 'samples') return (q: Parameters<typeof t.samples>[0]) => { reads++; return t.samples(q); };
          return Reflect.get(tt, p, r);
        },
      });
    }
    return Reflect.get(target, prop, receiver);
  },
});
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp({ source: counted, webRoot: false });
});
afterAll(async () => app.close());

describe('shared answers of the Overview and the lists', () => {
  it('computes a past window once for identical requests, apart for another window, and again for a new inventory', async () => {
    const url = `/api/overview?duration=600&queryTime=${T}`;
    const first = await app.inject(url);
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    const again = await Promise.all([app.inject(url), app.inject(url)]);
    expect(reads).toBe(afterFirst);
    for (const r of again) expect(r.body).toBe(first.body);
    expect((first.json() as OverviewResponse).timestamp).toBe(T);

    // another window is another answer
    await app.inject(`/api/overview?duration=600&queryTime=${T - 600}`);
    expect(reads).toBeGreaterThan(afterFirst);

    // lists are keyed by their own path and namespaces
    const before = reads;
    const wl = await app.inject(`/api/workloads?namespaces=circuit-breaking&duration=600&queryTime=${T}`);
    await app.inject(`/api/workloads?namespaces=circuit-breaking&duration=600&queryTime=${T}`);
    expect(reads).toBe(before + 1);
    expect((wl.json() as WorkloadListResponse).workloads.map((w) => w.name)).toEqual(['fortio-deploy', 'httpbin']);
    await app.inject(`/api/services?namespaces=circuit-breaking&duration=600&queryTime=${T}`);
    expect(reads).toBe(before + 2);

    // a changed inventory (a live source's watch makes a new one) is never answered from the old one
    inventory = { ...demo.inventory() };
    const n = reads;
    await app.inject(url);
    expect(reads).toBe(n + 1);
  });
});

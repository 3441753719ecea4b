import { afterAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildInventory, parseManifests, type DraftBaseResponse } from '@meshlens/mesh';
import type { DraftBaseExtras } from '@meshlens/model';
import { loadTrafficModel } from '@meshlens/demo';
import { createDemoSource, type MeshSource } from '@meshlens/sources';
import { draftRoutes } from './drafts.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterAll(async () => { for (const a of apps) await a.close(); });

async function serve(source: MeshSource, simulator?: Parameters<typeof draftRoutes>[1]) {
  const app = Fastify();
  apps.push(app);
  await app.register(draftRoutes(source, simulator));
  return app;
}

describe('GET /api/drafts/base', () => {
  it("answers the demo inventory's objects as the engine's input (ref, object, origin; no positions) with its load errors", async () => {
    const demo = createDemoSource();
    const app = await serve(demo);
    const r = await app.inject({ method: 'GET', url: '/api/drafts/base' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json() as DraftBaseResponse;
    const inv = demo.inventory();
    expect(body.objects).toHaveLength(inv.objects.length);
    expect(body.clusterDomain).toBe('cluster.local');
    expect(body.errors).toEqual(JSON.parse(JSON.stringify(inv.errors)));
    const eg1 = body.objects.find((o) => o.ref.kind === 'VirtualService' && o.ref.name === 'eg1')!;
    expect(Object.keys(eg1).sort()).toEqual(['object', 'origin', 'ref']);
    expect(eg1.origin).toMatchObject({ file: 'scenarios/egress-gateway-broken.yaml' });
  });

  it('never gives a Secret\'s data: metadata and type only, without the last-applied copy', async () => {
    const parsed = parseManifests([
      'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: tls-cert', '  namespace: istio-system', '  annotations:',
      '    kubectl.kubernetes.io/last-applied-configuration: \'{"data":{"key":"c2VjcmV0"}}\'', '    team: edge',
      'type: kubernetes.io/tls', 'data:', '  tls.key: c2VjcmV0', 'stringData:', '  password: hunter2', '',
    ].join('\n'), { file: 's.yaml' });
    const inv = buildInventory(parsed.objects);
    // even if an inventory held a Secret's data, the route drops it
    const leaky = { ...inv, objects: [...inv.objects, { ...parsed.objects[0]!, ref: { ...parsed.objects[0]!.ref, name: 'raw' } }] };
    const app = await serve({ ...createDemoSource(), inventory: () => leaky });
    const text = (await app.inject({ method: 'GET', url: '/api/drafts/base' })).body;
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('hunter2');
    const body = JSON.parse(text) as DraftBaseResponse;
    expect(body.objects.map((o) => o.object)).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls-cert', namespace: 'istio-system', annotations: { team: 'edge' } }, type: 'kubernetes.io/tls' },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls-cert', namespace: 'istio-system', annotations: { team: 'edge' } }, type: 'kubernetes.io/tls' },
    ]);
  });

  it('gives the demo simulator\'s traffic model, seed and cluster when the source is the demo with its simulator', async () => {
    const demo = createDemoSource({ seed: 7 });
    const app = await serve(demo, demo.simulator);
    const body = (await app.inject({ method: 'GET', url: '/api/drafts/base' })).json() as DraftBaseResponse & DraftBaseExtras;
    expect(body.simulation).toEqual({ kind: 'demo', seed: 7, cluster: 'Kubernetes', trafficModel: JSON.parse(JSON.stringify(loadTrafficModel())) });
    expect(body.version).toMatch(/^[0-9a-f]{8}-\d+$/);
  });

  it('says "no simulated traffic" for other sources, and for the demo without its simulator', async () => {
    const demo = createDemoSource();
    const files: MeshSource = { ...demo, status: () => ({ ...demo.status(), kind: 'files' }) };
    const noSim = (await (await serve(files, demo.simulator)).inject({ method: 'GET', url: '/api/drafts/base' })).json() as DraftBaseExtras;
    expect(noSim.simulation).toEqual({ kind: 'none', reason: "no simulated traffic: the files source's graph comes from its recorded or live telemetry" });
    const prom: MeshSource = { ...demo, telemetry: { ...demo.telemetry, kind: 'prometheus' } };
    expect(((await (await serve(prom, demo.simulator)).inject({ method: 'GET', url: '/api/drafts/base' })).json() as DraftBaseExtras).simulation)
      .toEqual({ kind: 'none', reason: "no simulated traffic: the demo's telemetry comes from Prometheus" });
  });

  it('answers 304 to If-None-Match while the inventory is the same, and a new version once it changes', async () => {
    const demo = createDemoSource();
    let inv = demo.inventory();
    const app = await serve({ ...demo, inventory: () => inv }, demo.simulator);
    const first = await app.inject({ method: 'GET', url: '/api/drafts/base' });
    const etag = first.headers.etag as string;
    expect(etag).toBe(`"${(first.json() as DraftBaseExtras).version}"`);
    const again = await app.inject({ method: 'GET', url: '/api/drafts/base', headers: { 'if-none-match': etag } });
    expect([again.statusCode, again.body]).toEqual([304, '']);
    // a live source's rebuild makes a new Inventory object
    inv = buildInventory(inv.objects.filter((o) => o.ref.name !== 'eg1'), inv.errors);
    const changed = await app.inject({ method: 'GET', url: '/api/drafts/base', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect((changed.json() as DraftBaseResponse).objects).toHaveLength(inv.objects.length);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildInventory, parseManifests, type DraftBaseResponse } from '@meshlens/mesh';
import { createDemoSource, type MeshSource } from '@meshlens/sources';
import { draftRoutes } from './drafts.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
afterAll(async () => { for (const a of apps) await a.close(); });

async function serve(source: MeshSource) {
  const app = Fastify();
  apps.push(app);
  await app.register(draftRoutes(source));
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
});

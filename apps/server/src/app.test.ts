import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { GraphResponse, HealthResponse, NamespacesResponse } from '@meshlens/model';
import { createDemoSource } from '@meshlens/sources';
import { buildApp } from './app.js';

describe('API over the demo mesh', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
  });
  afterAll(async () => app.close());

  it('lists the namespaces with their counts', async () => {
    const res = await app.inject('/api/namespaces');
    expect(res.statusCode).toBe(200);
    const body = res.json() as NamespacesResponse;
    const routing = body.namespaces.find((n) => n.name === 'bookinfo-routing')!;
    expect(routing).toMatchObject({ name: 'bookinfo-routing', injection: true });
    expect(routing.counts.services).toBe(4);
    expect(routing.counts.workloads).toBe(6);
    expect(body.namespaces.map((n) => n.name)).toContain('istio-system');
    // the demo opens on Bookinfo's request routing rather than the whole mesh at once
    expect(body.defaultNamespaces).toEqual(['bookinfo-routing']);
  });

  it('lists no clusters for the demo (200, so the console loads without a 404) and ignores cluster=', async () => {
    const res = await app.inject('/api/clusters');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ clusters: [] });
    expect((await app.inject('/api/namespaces?cluster=prod')).statusCode).toBe(200);
  });

  it('compresses answers for clients that ask (brotli first, then gzip), and not the small ones', async () => {
    const url = '/api/graph?namespaces=bookinfo-routing&duration=600&queryTime=1790000000';
    const plain = await app.inject(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect([br.headers['content-encoding'], gzip.headers['content-encoding'], gzip.headers.vary]).toEqual(['br', 'gzip', 'accept-encoding']);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    // under the 1 KiB threshold: sent as is
    expect((await app.inject({ url: '/api/clusters', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
  });

  it('answers the graph for a namespace at a fixed time, deterministically', async () => {
    const url = '/api/graph?namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=1790000000';
    const a = (await app.inject(url)).json() as GraphResponse;
    const b = (await app.inject(url)).json() as GraphResponse;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ timestamp: 1790000000, duration: 600, graphType: 'versionedApp' });
    const labels = a.elements.nodes.filter((n) => n.data.nodeType !== 'box').map((n) => n.data.label).sort();
    // The VirtualService sends jason to v2 and everyone else to v1: reviews v3 gets no traffic.
    expect(labels).toEqual(['details v1', 'istio-ingressgateway', 'productpage v1', 'ratings v1', 'reviews v1', 'reviews v2']);
    const idle = (await app.inject(`${url}&includeIdle=true`)).json() as GraphResponse;
    const v3 = idle.elements.nodes.find((n) => n.data.label === 'reviews v3');
    expect(v3?.data).toMatchObject({ isIdle: true, namespace: 'bookinfo-routing', app: 'reviews', version: 'v3' });
    for (const e of a.elements.edges) {
      for (const v of Object.values(e.data.traffic.rates)) expect(typeof v).toBe('number');
    }
  });

  it('rates change with the window', async () => {
    const at = async (t: number) => ((await app.inject(`/api/graph?namespaces=bookinfo-routing&queryTime=${t}&duration=300`)).json() as GraphResponse)
      .elements.edges.map((e) => e.data.traffic.rates.http ?? e.data.traffic.rates.tcp).join(',');
    expect(await at(1790000000)).not.toEqual(await at(1790003600));
  });

  it('says how long the server took in Server-Timing, on answers and errors', async () => {
    for (const url of ['/api/namespaces', '/api/graph?namespaces=nowhere', '/api/nothing-here']) {
      const res = await app.inject(url);
      expect(res.headers['server-timing'], url).toMatch(/^app;dur=\d+\.\d$/);
    }
  });

  it('names the bad parameter in a 400', async () => {
    const cases: Array<[string, RegExp]> = [
      ['graphType=bogus', /graphType/],
      ['duration=5', /duration/],
      ['duration=abc', /duration/],
      ['namespaces=Not_A_Namespace', /namespaces/],
      ['namespaces=nope', /unknown namespace "nope"/],
      ['colour=red', /colour|additional/],
    ];
    for (const [query, message] of cases) {
      const res = await app.inject(`/api/graph?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message, query).toMatch(message);
    }
  });

  it('reports health with the source and telemetry kind', async () => {
    const body = (await app.inject('/api/health')).json() as HealthResponse;
    expect(body.status).toBe('ok');
    expect(body.sources[0]).toMatchObject({ kind: 'demo', state: 'ready', telemetry: { kind: 'simulator' } });
    // Seed 001's author re-declared the installed egress gateway by hand: the demo keeps that, and says so.
    expect(body.sources[0]!.errors.map((e) => `${e.file}:${e.line} ${e.object}`)).toEqual([
      'scenarios/egress-gateway-broken.yaml:92 Service istio-system/istio-egressgateway',
      'scenarios/egress-gateway-broken.yaml:111 Deployment istio-system/istio-egressgateway',
    ]);
  });

  it('serves the simulator\'s counters at /metrics for a real Prometheus to scrape, demo only', async () => {
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toMatch(/^# TYPE istio_requests_total counter$/m);
    expect(res.body).toMatch(/^istio_requests_total\{.*destination_workload="reviews-v2".*\} \d+(\.\d+)?/m);
    // A source without a simulator (manifest files, a cluster) has no such endpoint.
    const { simulator: _simulator, ...withoutSimulator } = createDemoSource({ seed: 1 });
    const other = await buildApp({ source: withoutSimulator, webRoot: false });
    expect((await other.inject('/metrics')).statusCode).toBe(404);
    await other.close();
  });

  it('answers unknown API routes with JSON 404', async () => {
    const res = await app.inject('/api/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toMatch(/No API route/);
  });
});

describe('default namespace selection over manifest files', () => {
  it('selects every application namespace when there are few, none when there are many', async () => {
    const { buildInventory, parseManifests } = await import('@meshlens/mesh');
    const sourceWith = (names: string[]) => {
      const yaml = names.map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n');
      const inv = buildInventory(parseManifests(yaml).objects);
      return { name: 'files', kind: 'files' as const, inventory: () => inv, telemetry: { kind: 'none' as const, samples: async () => ({}) },
        status: () => ({ name: 'files', kind: 'files' as const, state: 'ready' as const, objects: 0, errors: [], telemetry: { kind: 'none' as const } }) };
    };
    const few = await buildApp({ source: sourceWith(['istio-system', 'shop', 'payments']), webRoot: false });
    await expect(few.inject("/api/namespaces").then((r) => r.json().defaultNamespaces)).resolves.toEqual(['payments', 'shop']);
    const many = await buildApp({ source: sourceWith(['istio-system', ...Array.from({ length: 7 }, (_, i) => `team-${i}`)]), webRoot: false });
    await expect(many.inject('/api/namespaces').then((r) => r.json().defaultNamespaces)).resolves.toEqual([]);
    await few.close();
    await many.close();
  });
});

describe('response times are opt-out', () => {
  it('drops edge response times, and only them, with responseTime=false', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
    const url = '/api/graph?namespaces=bookinfo-routing&queryTime=1790000000';
    const full = (await app.inject(url)).json() as GraphResponse;
    const lean = (await app.inject(`${url}&responseTime=false`)).json() as GraphResponse;
    const http = full.elements.edges.filter((e) => e.data.traffic.protocol === 'http');
    expect(http.length).toBeGreaterThan(0);
    expect(http.every((e) => typeof e.data.responseTime === 'number' && e.data.responseTimes?.p99 !== undefined)).toBe(true);
    const strip = (g: GraphResponse) => g.elements.edges.map(({ data: { responseTime: _rt, responseTimes: _rts, ...rest } }) => rest);
    expect(lean.elements.edges.some((e) => e.data.responseTime !== undefined || e.data.responseTimes !== undefined)).toBe(false);
    expect(strip(lean)).toEqual(strip(full));
    expect(lean.elements.nodes).toEqual(full.elements.nodes);
    await app.close();
  });
});

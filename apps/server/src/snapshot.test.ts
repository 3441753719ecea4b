/**
 * `GET /api/snapshot` and `meshlens snapshot` / `serve --snapshot`: a bundle taken from a source reopens offline
 * with the same inventory, findings and graph, and never carries a Secret's data.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildInventory, checkInventory } from '@meshlens/mesh';
import type { GraphResponse, HealthResponse, MetricsResponse, TimeOptionsResponse } from '@meshlens/model';
import { createDemoSource, createFileSource, createSnapshotSource, decodeSnapshot, type MeshSource } from '@meshlens/sources';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { main } from './cli.js';
import { loadSnapshotSource } from './snapshot-command.js';

const T = 1_763_776_800;
const dir = mkdtempSync(join(tmpdir(), 'meshlens-snapshot-test-'));
const apps: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function appOf(source: MeshSource): Promise<FastifyInstance> {
  const app = await buildApp({ source, webRoot: false });
  apps.push(app);
  return app;
}

async function graphOf(app: FastifyInstance, query: string): Promise<GraphResponse> {
  const res = await app.inject({ method: 'GET', url: `/api/graph?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as GraphResponse;
}

async function snapshotOf(app: FastifyInstance, query: string): Promise<{ bytes: Buffer; disposition: string; type: string }> {
  const res = await app.inject({ method: 'GET', url: `/api/snapshot?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return { bytes: res.rawPayload, disposition: String(res.headers['content-disposition']), type: String(res.headers['content-type']) };
}

/** Manifests with a Secret holding data, stringData and a last-applied annotation that repeats the data. */
const SECRET_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
  labels:
    app: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"tls.key":"U0VDUkVULUtFWS1CWVRFUw=="}}'
type: kubernetes.io/tls
data:
  tls.crt: Q0VSVC1CWVRFUw==
  tls.key: U0VDUkVULUtFWS1CWVRFUw==
stringData:
  password: hunter2-plain
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gw
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["shop.example.com"]
    tls: {mode: SIMPLE, credentialName: shop-tls}
`;

describe('GET /api/snapshot', () => {
  it('bundles the demo: every object, secrets as metadata, the findings, the view; offline graphs equal the live ones', async () => {
    const demo = createDemoSource({ seed: 1 });
    const live = await appOf(demo);
    const { bytes, disposition, type } = await snapshotOf(live, `namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`);
    expect(type).toBe('application/gzip');
    expect(disposition).toMatch(/^attachment; filename="meshlens-snapshot-\d{8}T\d{6}Z\.json\.gz"$/);

    const text = gunzipSync(bytes).toString('utf8');
    expect(text).not.toContain('ZmFrZQ=='); // the demo TLS secrets' data
    const bundle = decodeSnapshot(bytes, 'demo');
    expect(bundle.source).toEqual({ name: demo.name, kind: 'demo' });
    expect(Math.abs(bundle.capturedAt - Date.now() / 1000)).toBeLessThan(60);
    expect(bundle.view).toBe(`namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`);
    expect(bundle.objects.length).toBe(demo.inventory().objects.length);
    const secrets = bundle.objects.filter((o) => o.ref.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(Object.keys(s.object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'type'].filter((k) => k in s.object));
    expect(bundle.findings).toEqual(JSON.parse(JSON.stringify(checkInventory(demo.inventory()))));
    expect(bundle.findings!.length).toBeGreaterThan(0);
    // One window, every namespace: any selection can be redrawn from it.
    expect(bundle.windows.map((w) => ({ q: w.queryTime, d: w.duration, ns: w.namespaces }))).toEqual([{ q: T, d: 600, ns: [...demo.inventory().namespaces.keys()].sort() }]);

    const offlineSource = createSnapshotSource(bundle);
    const offline = await appOf(offlineSource);
    const namespaces = [...demo.inventory().namespaces.keys()].sort();
    for (const query of [
      `namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`,
      `namespaces=${namespaces.join(',')}&graphType=workload&duration=600&queryTime=${T}`,
      `namespaces=${namespaces.filter((n) => n !== 'bookinfo-routing').slice(0, 2).join(',')}&graphType=service&duration=600&queryTime=${T}`,
    ]) {
      const [a, b] = [await graphOf(live, query), await graphOf(offline, query)];
      expect(b).toEqual(a);
    }
    expect((await graphOf(live, `namespaces=bookinfo-routing&duration=600&queryTime=${T}`)).elements.edges.length).toBeGreaterThan(3);
    // Without a queryTime the snapshot shows its recorded window, not "now".
    expect(await graphOf(offline, 'namespaces=bookinfo-routing&duration=600')).toEqual(await graphOf(live, `namespaces=bookinfo-routing&duration=600&queryTime=${T}`));
    const health = (await offline.inject({ method: 'GET', url: '/api/health' })).json() as HealthResponse;
    expect(health.sources[0]).toMatchObject({ kind: 'snapshot', snapshotOf: demo.name, capturedAt: new Date(bundle.capturedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const time = (await offline.inject({ method: 'GET', url: '/api/time-options' })).json() as { now: number };
    expect(time.now).toBe(T);
    // The offline console opens on the captured view's namespaces.
    const ns = (await offline.inject({ method: 'GET', url: '/api/namespaces' })).json() as { defaultNamespaces: string[] };
    expect(ns.defaultNamespaces).toEqual(['bookinfo-routing']);
  });

  it('never carries a Secret\'s data, stringData or last-applied copy', async () => {
    const file = join(dir, 'shop.yaml');
    writeFileSync(file, SECRET_YAML);
    // The loaders already drop secret data; the bundle must not rely on that, so put it back.
    const loaded = (await createFileSource([file])).inventory();
    const raw = loaded.objects.map((o) => (o.ref.kind === 'Secret'
      ? { ...o, object: { ...o.object, metadata: { ...o.object.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"tls.key":"U0VDUkVULUtFWS1CWVRFUw=="}}' } }, data: { 'tls.crt': 'Q0VSVC1CWVRFUw==', 'tls.key': 'U0VDUkVULUtFWS1CWVRFUw==' }, stringData: { password: 'hunter2-plain' } } }
      : o));
    // buildInventory strips them too, so the raw objects go straight into the inventory a buggy source could hand over.
    const inv = { ...buildInventory(raw, []), objects: raw };
    const source: MeshSource = { name: 'shop files', kind: 'files', inventory: () => inv, telemetry: { kind: 'none', samples: async () => ({}) }, status: () => ({ name: 'shop files', kind: 'files', state: 'ready', objects: inv.objects.length, errors: [], telemetry: { kind: 'none' } }) };
    expect(JSON.stringify(source.inventory().objects)).toContain('hunter2-plain'); // the source does hold secret data
    const { bytes } = await snapshotOf(await appOf(source), 'namespaces=shop');
    const text = gunzipSync(bytes).toString('utf8');
    for (const secret of ['Q0VSVC1CWVRFUw==', 'U0VDUkVULUtFWS1CWVRFUw==', 'hunter2-plain', '"data"', 'stringData']) expect(text).not.toContain(secret);
    const secret = decodeSnapshot(bytes).objects.find((o) => o.ref.kind === 'Secret')!;
    expect(secret.object).toEqual({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'shop-tls', namespace: 'shop', labels: { app: 'shop' }, annotations: {} } });
    expect(decodeSnapshot(bytes).objects.length).toBe(source.inventory().objects.length);
  });

  it('refuses an unknown namespace, naming it', async () => {
    const res = await (await appOf(createDemoSource({ seed: 1 }))).inject({ method: 'GET', url: '/api/snapshot?namespaces=nope' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.stringContaining('unknown namespace "nope"') });
  });
});

describe('snapshots of Gateway API objects', () => {
  it('keep every Gateway API object; reopened, each Gateway of one namespace/name has its own page and findings', async () => {
    const GW = 'Gateway.gateway.networking.k8s.io';
    const live = await appOf(await createFileSource(['src/__fixtures__/gateway-api/gateway-api.yaml']));
    const { bytes } = await snapshotOf(live, `namespaces=bookinfo&queryTime=${T}`);
    const bundle = decodeSnapshot(bytes, 'gateway-api');
    const kinds = bundle.objects.map((o) => o.ref.kind);
    for (const k of ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant']) expect(kinds).toContain(`${k}.gateway.networking.k8s.io`);
    expect(kinds).toContain('Gateway');
    const findings = bundle.findings as Array<{ object: { kind: string; name: string } }>;
    expect(findings.some((f) => f.object.kind === 'Gateway' && f.object.name === 'bookinfo-gateway')).toBe(true);
    expect(findings.some((f) => f.object.kind === GW)).toBe(false);

    const offline = await appOf(createSnapshotSource(decodeSnapshot(bytes)));
    const list = (await offline.inject(`/api/config?kind=${GW}`)).json() as { items: Array<{ ref: { name: string } }> };
    expect(list.items.map((i) => i.ref.name)).toEqual(['bookinfo-gateway', 'waypoint']);
    const page = await offline.inject(`/api/config/${GW}/bookinfo/bookinfo-gateway`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ apiVersion: 'gateway.networking.k8s.io/v1', findings: [] });
    const istio = await offline.inject('/api/config/Gateway/bookinfo/bookinfo-gateway');
    expect(istio.json().apiVersion).toBe('networking.istio.io/v1');
    expect(istio.json().findings.length).toBeGreaterThan(0);
  });
});

describe('a reopened snapshot\'s charts and windows', () => {
  const node = 'namespace=bookinfo-routing&app=reviews&version=v2&direction=inbound';
  const edge = `${node}&peerNamespace=bookinfo-routing&peerApp=productpage&peerVersion=v1`;
  const window = `start=${T - 600}&end=${T}`;
  let live: FastifyInstance;
  let offline: FastifyInstance;

  async function metricsOf(app: FastifyInstance, query: string): Promise<MetricsResponse> {
    const res = await app.inject({ method: 'GET', url: `/api/metrics?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MetricsResponse;
  }

  it('draws the node and edge charts of the recorded window as the live demo does', async () => {
    const demo = createDemoSource({ seed: 1 });
    live = await appOf(demo);
    const { bytes } = await snapshotOf(live, `namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`);
    offline = await appOf(createSnapshotSource(decodeSnapshot(bytes, 'demo')));
    const tcp = demo.simulator.samplesAt(T, 600).istio_tcp_received_bytes_total!.find((s) => s.metric.reporter === 'destination')!.metric;
    const tcpNode = `namespace=${tcp.destination_workload_namespace}&workload=${tcp.destination_workload}`;
    for (const query of [node, edge, `${node.replace('inbound', 'outbound')}`, tcpNode]) {
      // What the console asks: the graph's window, the server's default step and rate interval.
      const [a, b] = [await metricsOf(offline, `${query}&${window}`), await metricsOf(live, `${query}&${window}`)];
      const { series: sa, ...ra } = a;
      const { series: sb, ...rb } = b;
      expect(ra).toEqual(rb);
      expect(ra).toMatchObject({ start: T - 600, end: T, step: 15, rateInterval: 60 });
      expect(a.timestamps).toHaveLength(41);
      expect(a.warnings).toBeUndefined();
      expect(sa.map(({ values: _, ...spec }) => spec)).toEqual(sb.map(({ values: _, ...spec }) => spec));
      expect(sa.length).toBeGreaterThanOrEqual(query === tcpNode ? 2 : 5);
      // Equal to the wire's 4 decimals, give or take the last one (the bundle keeps 10 significant digits).
      sa.forEach((s, i) => s.values.forEach((v, j) => {
        const w = sb[i]!.values[j]!;
        expect(v === null, `${query} ${s.id}[${j}] ${v} vs ${w}`).toBe(w === null);
        if (v !== null) expect(Math.abs(v - w), `${query} ${s.id}[${j}] ${v} vs ${w}`).toBeLessThanOrEqual(1.01e-4 + 1e-8 * Math.abs(w));
      }));
    }
  });

  it('says the charts hold only the recorded window', async () => {
    const after = await metricsOf(offline, `${edge}&start=${T}&end=${T + 600}`);
    expect(after.timestamps).toHaveLength(41);
    expect(after.series.find((s) => s.id === 'requests.2xx')!.values.map((v) => v !== null)).toEqual([true, ...new Array(40).fill(false)]);
    expect(after.warnings).toEqual(['This snapshot recorded only 01:50:00–02:00:00 UTC; the charts have no data outside it.']);
    // Without a time, the charts show the recorded window (the snapshot's "now"), as the graph does.
    const noTime = await metricsOf(offline, edge);
    expect({ start: noTime.start, end: noTime.end, warnings: noTime.warnings }).toEqual({ start: T - 600, end: T, warnings: undefined });
  });

  it('says why a snapshot of a source without telemetry has no charts', async () => {
    const file = join(dir, 'shop-charts.yaml');
    writeFileSync(file, SECRET_YAML);
    const { bytes } = await snapshotOf(await appOf(await createFileSource([file])), `namespaces=shop&queryTime=${T}`);
    const app = await appOf(createSnapshotSource(decodeSnapshot(bytes)));
    const charts = await metricsOf(app, 'namespace=shop&workload=shop');
    expect(charts.series).toEqual([]);
    expect(charts.warnings).toEqual(['This snapshot did not record charts over time: the source it was taken from had no telemetry.']);
  });

  it('offers the recorded duration only, and flags a graph asked for another window', async () => {
    const time = (await offline.inject({ method: 'GET', url: '/api/time-options' })).json() as TimeOptionsResponse;
    expect(time).toEqual({
      durations: [{ seconds: 600, label: '10m' }], defaultDuration: 600, now: T, frozen: true, scrapeInterval: 15, retention: 600, earliest: T - 600,
      telemetry: 'samples', notes: ['snapshot: it recorded 01:50:00–02:00:00 UTC (10m) only'],
    });
    const recorded = await graphOf(offline, `namespaces=bookinfo-routing&duration=600&queryTime=${T}`);
    expect(recorded.warnings ?? []).toEqual((await graphOf(live, `namespaces=bookinfo-routing&duration=600&queryTime=${T}`)).warnings ?? []);
    const earlier = await graphOf(offline, `namespaces=bookinfo-routing&duration=600&queryTime=${T - 1200}`);
    expect(earlier.warnings).toEqual([...(recorded.warnings ?? []), 'This snapshot recorded 01:50:00–02:00:00 UTC (10m); the graph shows that window in place of the requested 01:30:00–01:40:00 UTC.']);
    // The same recorded traffic, not a graph without it.
    expect(earlier.elements).toEqual(recorded.elements);
  });
});

describe('meshlens snapshot', () => {
  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
    return { code, out, err };
  }

  it('writes the demo to a file, prints path and size; serve --snapshot answers the same graph', async () => {
    const file = join(dir, 'demo.json.gz');
    const { code, out, err } = await run('snapshot', '--out', file, '--namespaces', 'bookinfo-routing', '--query-time', String(T));
    expect(err).toBe('');
    expect(code).toBe(0);
    const size = statSync(file).size;
    expect(out).toContain(`${file} (`);
    expect(out).toContain(`${size} bytes`);
    expect(size).toBeLessThan(300_000);

    const offline = await appOf(await loadSnapshotSource(file));
    const live = await appOf(createDemoSource({ seed: 1 }));
    const query = `namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`;
    expect(await graphOf(offline, query)).toEqual(await graphOf(live, query));
    expect(await graphOf(offline, 'namespaces=bookinfo-routing')).toEqual(await graphOf(live, query));
  });

  it('fetches the bundle from a running server with --server', async () => {
    const live = await appOf(createDemoSource({ seed: 1 }));
    const address = await live.listen({ port: 0, host: '127.0.0.1' });
    const file = join(dir, 'from-server.json.gz');
    const { code, out, err } = await run('snapshot', '--out', file, '--server', address, '--namespaces', 'bookinfo-routing', '--query-time', String(T), '--graph-type', 'app');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`${statSync(file).size} bytes`);
    const bundle = decodeSnapshot(readFileSync(file));
    expect(bundle.view).toBe(`namespaces=bookinfo-routing&graphType=app&duration=600&queryTime=${T}`);
    expect(bundle.source.kind).toBe('demo');
  });

  it('says what is wrong with a bad file or an unreachable server', async () => {
    const bad = join(dir, 'bad.json.gz');
    writeFileSync(bad, 'not a snapshot');
    await expect(loadSnapshotSource(bad)).rejects.toThrow(/bad.json.gz: not JSON/);
    await expect(loadSnapshotSource(join(dir, 'missing.gz'))).rejects.toThrow(/cannot read .*missing.gz \(ENOENT\)/);
    const r = await run('snapshot', '--out', join(dir, 'x.gz'), '--server', 'http://127.0.0.1:1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^meshlens: cannot reach http:\/\/127.0.0.1:1 .*is `meshlens serve` running there\?\n$/);
    const u = await run('snapshot', '--out', join(dir, 'y.gz'), '--namespaces', 'nope');
    expect(u.code).toBe(2);
    expect(u.err).toContain('unknown namespace "nope"');
  });
});

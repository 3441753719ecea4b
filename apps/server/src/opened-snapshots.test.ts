/**
 * `POST /api/snapshots` and `?snapshot=<id>`: a bundle file sent by the browser is answered from, offline, by every
 * route, on a server whose own source is something else entirely; bad files are refused with a sentence and
 * never disturb what is already open.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FindingsResponse, GraphResponse, HealthResponse, NamespacesResponse, OpenedSnapshot } from '@meshlens/model';
import { createDemoSource, createFileSource, decodeSnapshot, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { openedSnapshots } from './routes/opened-snapshots.js';

const T = 1_763_776_800;
const VIEW = `namespaces=bookinfo-routing&graphType=versionedApp&duration=600&queryTime=${T}`;
const apps: FastifyInstance[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

async function appOf(source: MeshSource): Promise<FastifyInstance> {
  const app = await buildApp({ source, webRoot: false });
  apps.push(app);
  return app;
}

/** A laptop's server on some manifests: nothing of the demo mesh in it. */
const SHOP_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    app: cart
  ports:
  - name: http
    port: 8080
`;

let demo: MeshSource;
let live: FastifyInstance;
let laptop: FastifyInstance;
let bundle: Buffer;

async function get<T>(app: FastifyInstance, url: string): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as T };
}

async function upload(app: FastifyInstance, bytes: Buffer | string, name = 'incident.json.gz', type = 'application/octet-stream') {
  const res = await app.inject({ method: 'POST', url: `/api/snapshots?name=${encodeURIComponent(name)}`, headers: { 'content-type': type }, payload: bytes });
  return { status: res.statusCode, body: res.json() as OpenedSnapshot & { message: string } };
}

beforeAll(async () => {
  demo = createDemoSource({ seed: 1 });
  live = await appOf(demo);
  bundle = (await live.inject({ method: 'GET', url: `/api/snapshot?${VIEW}` })).rawPayload;
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-opened-'));
  writeFileSync(join(dir, 'shop.yaml'), SHOP_YAML);
  laptop = await appOf(await createFileSource([join(dir, 'shop.yaml')]));
});

describe('POST /api/snapshots', () => {
  it('opens a dropped bundle: every route answers from it with ?snapshot=, the server\'s own source without', async () => {
    const { status, body } = await upload(laptop, bundle);
    expect(status).toBe(201);
    const b = decodeSnapshot(bundle);
    expect(body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      name: `Snapshot of ${demo.name} taken ${new Date(b.capturedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
      snapshotOf: demo.name,
      capturedAt: new Date(b.capturedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      view: VIEW,
      objects: demo.inventory().objects.length,
      bytes: bundle.length,
    });
    const id = body.id;

    // The graph of the captured view, and of another selection and graph type, equal the live demo's.
    const namespaces = [...demo.inventory().namespaces.keys()].sort();
    for (const q of [VIEW, `namespaces=${namespaces.join(',')}&graphType=workload&duration=600&queryTime=${T}`]) {
      const offline = await get<GraphResponse>(laptop, `/api/graph?${q}&snapshot=${id}`);
      expect(offline.status).toBe(200);
      expect(offline.body).toEqual((await get<GraphResponse>(live, `/api/graph?${q}`)).body);
    }
    expect((await get<GraphResponse>(laptop, `/api/graph?${VIEW}&snapshot=${id}`)).body.elements.edges.length).toBeGreaterThan(3);
    // Findings come from the same checks, over the bundle's inventory.
    const all = `namespaces=${namespaces.join(',')}`;
    expect((await get<FindingsResponse>(laptop, `/api/findings?${all}&snapshot=${id}`)).body).toEqual((await get<FindingsResponse>(live, `/api/findings?${all}`)).body);
    const health = (await get<HealthResponse>(laptop, `/api/health?snapshot=${id}`)).body;
    expect(health.sources).toEqual([expect.objectContaining({ kind: 'snapshot', name: body.name, snapshotOf: demo.name, capturedAt: body.capturedAt, objects: body.objects })]);
    expect((await get<NamespacesResponse>(laptop, `/api/namespaces?snapshot=${id}`)).body.defaultNamespaces).toEqual(['bookinfo-routing']);
    expect((await get<{ now: number }>(laptop, `/api/time-options?snapshot=${id}`)).body.now).toBe(T);
    // An object page of the bundle.
    const vs = demo.inventory().istio.VirtualService![0]!.ref;
    const objectUrl = `/api/config/VirtualService/${vs.namespace}/${vs.name}`;
    const object = await get<{ ref: unknown; yaml: string }>(laptop, `${objectUrl}?snapshot=${id}`);
    expect(object.status).toBe(200);
    expect(object.body).toEqual((await get(live, objectUrl)).body);

    // Without the parameter, the server's own source answers, untouched.
    expect((await get<NamespacesResponse>(laptop, '/api/namespaces')).body.namespaces.map((n) => n.name)).toEqual(['shop']);
    expect((await get<HealthResponse>(laptop, '/api/health')).body.sources[0]!.kind).toBe('files');
    expect((await get<{ message: string }>(laptop, `/api/graph?${VIEW}`)).body.message).toContain('unknown namespace "bookinfo-routing"');
  });

  it('gives the same file the same id, and a plain JSON bundle opens too', async () => {
    const a = await upload(laptop, bundle, 'a.json.gz');
    const b = await upload(laptop, bundle, 'copy of a.json.gz', 'application/gzip');
    expect(b.body.id).toBe(a.body.id);
    const plain = await upload(laptop, decompress(bundle), 'plain.json', 'application/json');
    expect(plain.status).toBe(201);
    expect(plain.body.objects).toBe(a.body.objects);
    expect(plain.body.id).not.toBe(a.body.id);
  });

  it('refuses what is not a snapshot with a sentence naming the file, and keeps what is open', async () => {
    const { body: opened } = await upload(laptop, bundle);
    const cases: Array<[Buffer | string, string, number, RegExp]> = [
      ['just some text', 'notes.txt', 400, /^notes\.txt: not JSON; is it a file written by `meshlens snapshot`\?$/],
      [gzipSync(JSON.stringify({ format: 'kiali-dump/3' })), 'kiali.json.gz', 400, /^kiali\.json\.gz: not a Meshlens snapshot \(format "kiali-dump\/3", expected "meshlens-snapshot\/1"\)$/],
      [gzipSync(JSON.stringify({ format: 'meshlens-snapshot/1', objects: [] })), 'half.json.gz', 400, /^half\.json\.gz: snapshot is incomplete/],
      [bundle.subarray(0, Math.floor(bundle.length / 2)), 'cut.json.gz', 400, /^cut\.json\.gz: cannot decompress .*is it a file written by `meshlens snapshot` or "Download snapshot"\?$/],
      ['', 'empty.json.gz', 400, /^empty\.json\.gz is empty; choose a file written by `meshlens snapshot` or "Download snapshot"$/],
    ];
    for (const [bytes, name, status, message] of cases) {
      const res = await upload(laptop, bytes, name);
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.body.message).toMatch(message);
    }
    const wrongType = await laptop.inject({ method: 'POST', url: '/api/snapshots', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().message).toBe('send the snapshot file\'s bytes as the request body with Content-Type: application/octet-stream');
    expect((await get<GraphResponse>(laptop, `/api/graph?${VIEW}&snapshot=${opened.id}`)).status).toBe(200);
  });

  it('opens a damaged file with its good part, listing what it left out as load errors', async () => {
    const raw = JSON.parse(decompress(bundle).toString()) as { objects: unknown[] };
    raw.objects.push({ object: { kind: 'VirtualService', metadata: { name: 'hand-edited', namespace: 'bookinfo-routing' } } }, 'garbage');
    const { status, body } = await upload(laptop, gzipSync(JSON.stringify(raw)), 'edited.json.gz');
    expect(status).toBe(201);
    expect(body.objects).toBe(demo.inventory().objects.length);
    const graph = await get<GraphResponse>(laptop, `/api/graph?${VIEW}&snapshot=${body.id}`);
    expect(graph.body.elements).toEqual((await get<GraphResponse>(live, `/api/graph?${VIEW}`)).body.elements);
    const n = demo.inventory().objects.length;
    const health = (await get<HealthResponse>(laptop, `/api/health?snapshot=${body.id}`)).body;
    expect(health.sources[0]!.errors.slice(-2)).toEqual([
      { file: 'edited.json.gz', object: 'VirtualService hand-edited', message: `objects[${n}]: object is missing apiVersion; left out` },
      { file: 'edited.json.gz', message: `objects[${n + 1}]: item is not a Kubernetes object (expected a mapping); left out` },
    ]);
  });

  it('says how to get the file back on screen when the id is unknown, and never answers from the base source instead', async () => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'not-an-id', '']) {
      const res = await get<{ message: string }>(laptop, `/api/namespaces?snapshot=${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('The snapshot file this page shows is not open on the server any more (it keeps the 8 most recently opened files in memory, and none across a restart). Drop the file on the page again, or choose it with "Open snapshot".');
    }
  });
});

describe('limits', () => {
  it('closes the least recently used file beyond maxOpen, and its check engine with it', async () => {
    const closed: string[] = [];
    const opened = openedSnapshots(createDemoSource({ seed: 2 }), { maxOpen: 2, onClose: (n) => closed.push(n) });
    const app = (await import('fastify')).default();
    apps.push(app);
    await app.register(opened.plugin);
    app.get('/api/name', async () => ({ name: opened.source.name }));
    const bundles = await Promise.all([T, T + 60, T + 120].map(async (t) => (await live.inject({ method: 'GET', url: `/api/snapshot?namespaces=bookinfo-routing&queryTime=${t}` })).rawPayload));
    const ids: string[] = [];
    for (const b of bundles.slice(0, 2)) ids.push((await upload(app, b)).body.id);
    // Using the first makes the second the least recently used.
    expect((await get<{ name: string }>(app, `/api/name?snapshot=${ids[0]}`)).body.name).toMatch(/^Snapshot of Demo mesh taken/);
    ids.push((await upload(app, bundles[2]!)).body.id);
    expect(opened.ids()).toEqual([ids[0], ids[2]]);
    expect(closed).toHaveLength(1);
    expect((await get<{ message: string }>(app, `/api/name?snapshot=${ids[1]}`)).status).toBe(404);
    expect((await get<{ name: string }>(app, '/api/name')).body.name).toBe('Demo mesh');
  });

  it('refuses files and decompressed JSON above the limits, saying what to use instead', async () => {
    const small = openedSnapshots(createDemoSource({ seed: 1 }), { maxFileBytes: 1024 });
    const app1 = (await import('fastify')).default();
    apps.push(app1);
    await app1.register(small.plugin);
    const big = await upload(app1, bundle, 'big.json.gz');
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('big.json.gz is larger than the 1 KiB Meshlens opens from a browser; open it with `meshlens serve --snapshot FILE` instead');

    const bomb = openedSnapshots(createDemoSource({ seed: 1 }), { maxJsonBytes: 64 * 1024 });
    const app2 = (await import('fastify')).default();
    apps.push(app2);
    await app2.register(bomb.plugin);
    const res = await upload(app2, bundle, 'huge.json.gz');
    expect(res.status).toBe(413);
    expect(res.body.message).toBe('huge.json.gz: decompresses to more than 64 KiB, more than Meshlens opens in a browser session; open it with `meshlens serve --snapshot huge.json.gz` instead');
    expect(bomb.ids()).toEqual([]);
  });
});

function decompress(gz: Buffer): Buffer {
  return Buffer.from(JSON.stringify(decodeSnapshot(gz)));
}

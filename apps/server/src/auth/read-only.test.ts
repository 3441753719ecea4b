/**
 * Read-only by design: every route the server registers, in every auth mode and with every optional part (live
 * clusters, the web app), answers GET/HEAD only, except logging in and out of the console itself and opening a
 * snapshot file in memory.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createClusterSet, createDemoSource, loadKubeConfig, type ClusterSet } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp } from '../app.js';
import { IDENTITIES, OBJECTS, SA_TOKEN } from './__fixtures__/cluster.js';

/**
 * Logging in and out of the console, and opening a snapshot file the browser sends: it is held in this process's
 * memory only (routes/opened-snapshots.ts) and nothing reaches the cluster or the disk.
 */
const ALLOWED_WRITES = ['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/snapshots'];

/** Routes as "METHOD /path", read from Fastify's route tree (`printRoutes`), children joined to their parents. */
export function registeredRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(path);
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) out.push(`${method} ${path}`);
  }
  return out.sort();
}

let api: TestApiServer;
let clusters: ClusterSet;
let kubeconfigPath: string;
const apps: FastifyInstance[] = [];
const webRoot = mkdtempSync(join(tmpdir(), 'meshlens-web-'));

beforeAll(async () => {
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Meshlens</title>');
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'assets', 'index.js'), 'export {};');
  api = await startTestApiServer({ tls: generateTestTls(), objects: OBJECTS, identities: IDENTITIES });
  kubeconfigPath = writeKubeconfig([{ name: 'prod', server: api, token: SA_TOKEN }]);
  clusters = createClusterSet({ kubeconfigPath });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await clusters?.close();
  await api?.close();
});

describe('read-only API', () => {
  it.each(['anonymous', 'token', 'header'] as const)('--auth %s registers no writing route besides login and logout', async (mode) => {
    const kc = loadKubeConfig({ kubeconfigPath }).kc;
    const app = mode === 'anonymous'
      ? await buildApp({ source: createDemoSource({ seed: 1 }), webRoot })
      : await buildApp({ source: clusters.source, clusters, webRoot, auth: { config: { mode }, cluster: { clusters, kubeConfigFor: () => kc } } });
    apps.push(app);
    await app.ready();
    const routes = registeredRoutes(app);
    // The parse found the real table: the API, the console's own routes, and the web app's files.
    expect(routes).toEqual(expect.arrayContaining(['GET /api/graph', 'HEAD /api/graph', 'GET /api/namespaces', 'GET /api/auth/info', 'GET /index.html', 'GET /assets/index.js', ...ALLOWED_WRITES]));
    if (mode !== 'anonymous') expect(routes).toContain('GET /api/clusters');
    const writes = routes.filter((r) => !r.startsWith('GET ') && !r.startsWith('HEAD '));
    expect(writes).toEqual(ALLOWED_WRITES);
  });

  it('the route parser sees nested routes and methods (it would catch a PUT under /api/config)', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false });
    app.put('/api/config/:kind/:namespace/:name', async () => ({}));
    apps.push(app);
    await app.ready();
    expect(registeredRoutes(app).filter((r) => r.startsWith('PUT'))).toEqual(['PUT /api/config/:kind/:namespace/:name']);
  });
});

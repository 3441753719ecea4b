/**
 * The access probe: against the Kubernetes test API server in token and header modes, every route Fastify has
 * registered (read from the app's own route table, so a new route is probed without editing this test) is requested
 * in every spelling a router might decode differently — percent-encoding, double slashes, dot segments, case,
 * absolute-form targets, `;` parameters, trailing characters — without a session, with a forged cookie and with an
 * expired one. Outside the allowlist every answer is 401; the allowlist answers without touching the cluster; and
 * the API server sees no request made with Meshlens's own identity on behalf of these anonymous callers.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createClusterSet, loadKubeConfig, staticTelemetry, type ClusterSet } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp, type RouteEntry } from '../app.js';
import type { AuthConfig } from './config.js';
import { hostPolicy } from './request-guard.js';
import { LOGIN_LIMITS } from './plugin.js';
import { startAuthFront, type AuthFront } from './testing/auth-front.js';
import { FRONT_USERS, IDENTITIES, OBJECTS, SAMPLES, SA_TOKEN, VIEWER_TOKEN } from './__fixtures__/cluster.js';

const SA_USER = 'system:serviceaccount:meshlens:meshlens';

let api: TestApiServer;
let front: AuthFront;
let clusters: ClusterSet;
let kubeconfigPath: string;
let webRoot: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  api = await startTestApiServer({ tls: generateTestTls(), objects: OBJECTS, identities: IDENTITIES });
  front = await startAuthFront(api, { users: FRONT_USERS, reviewers: [SA_TOKEN], impersonators: [SA_TOKEN] });
  // A second context on the same API server: an anonymous `?cluster=staging` must not make Meshlens start it.
  kubeconfigPath = writeKubeconfig([{ name: 'prod', server: front.server, token: SA_TOKEN }, { name: 'staging', server: front.server, token: SA_TOKEN }]);
  clusters = createClusterSet({ kubeconfigPath, timing: { backoffInitialMs: 20 }, telemetryFor: async () => staticTelemetry(SAMPLES, 'fixture samples') });
  await clusters.source.synced!(10_000);
  // A built web app: its files are the login page, so they are public.
  webRoot = mkdtempSync(join(tmpdir(), 'meshlens-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Meshlens</title><div id="root"></div>');
  writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log("meshlens")');
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await clusters?.close();
  await front?.close();
  await api?.close();
});

async function serve(config: AuthConfig): Promise<{ app: FastifyInstance; port: number }> {
  const kc = loadKubeConfig({ kubeconfigPath }).kc;
  const app = await buildApp({ source: clusters.source, clusters, webRoot, hosts: hostPolicy('127.0.0.1'), auth: { config, cluster: { clusters, kubeConfigFor: () => kc, timing: { backoffInitialMs: 20 } } } });
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request with the target exactly as given (no client normalises it). */
function raw(port: number, method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      const all: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'close', ...headers };
      if (body || method === 'POST') all['Content-Length'] = String(Buffer.byteLength(body));
      socket.write(`${method} ${target} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
    });
    socket.on('data', (c: string) => (data += c));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const hdrs: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) hdrs[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: hdrs, body: rest.join('\r\n\r\n') });
    });
  });
}

/** A concrete path for a route pattern (`:kind` → a real kind, `*` → a file name). */
function concrete(url: string): string {
  const values: Record<string, string> = { kind: 'VirtualService', namespace: 'payments', ns: 'payments', name: 'ledger', id: 'AAAAAAAAAAAAAAAAAAAAAA', pod: 'ledger-v1-abc', workload: 'ledger-v1', service: 'ledger', app: 'ledger' };
  return url.replace(/:([A-Za-z_]+)/g, (_, p: string) => values[p] ?? 'x').replace(/\*/g, 'x');
}

/** The same request path in every spelling that must land on the same decision. */
function spellings(path: string): string[] {
  const [, first = '', rest = ''] = /^\/([^/]*)(.*)$/.exec(path) ?? [];
  const enc = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  const out = [
    path,
    first ? `/${enc(first[0]!)}${first.slice(1)}${rest}` : path,
    first.length > 2 ? `/${first.slice(0, 2)}${enc(first[2]!)}${first.slice(3)}${rest}` : path,
    `/${first.toUpperCase()}${rest}`,
    `//${first}${rest}`,
    `/${first}/${rest}`,
    `/${first}/.${rest}`,
    `/static/..${path}`,
    `${path};jsessionid=1`,
    `${path}/`,
    `${path}%20`,
    `${path}%00`,
    `${path}?`,
    `${path}#frag`,
    `/%25${first.charCodeAt(0).toString(16)}${first.slice(1)}${rest}`,
    `http://x${path}`,
    `http://127.0.0.1${first ? `/${enc(first[0]!)}${first.slice(1)}${rest}` : path}`,
  ];
  return [...new Set(out)];
}

const FORGED = 'meshlens_session=Zm9yZ2VkLXNlc3Npb24taWQtdGhhdC1uZXZlci1leGlzdGVk';

/** The probe: every route × every spelling × each credential; returns "METHOD target cred → status" lines that are not 401. */
async function probe(routes: RouteEntry[], port: number, credentials: Record<string, Record<string, string>>): Promise<string[]> {
  const leaks: string[] = [];
  for (const route of routes.filter((r) => !r.public)) {
    for (const target of spellings(concrete(route.url))) {
      for (const [name, headers] of Object.entries(credentials)) {
        const body = route.method === 'POST' ? '{}' : '';
        const res = await raw(port, route.method, target, { ...headers, ...(body ? { 'Content-Type': 'application/octet-stream' } : {}) }, body);
        if (res.status !== 401) leaks.push(`${route.method} ${target} [${name}] → ${res.status} ${res.body.slice(0, 80)}`);
      }
    }
  }
  return leaks;
}

/** Requests the API server received with Meshlens's own identity that are not its long-running list/watch. */
const serviceAccountRequestsSince = (from: number) =>
  api.requests.slice(from).filter((r) => r.user === SA_USER && r.verb !== 'watch' && !(r.verb === 'list' && !r.namespace));

describe('token mode', () => {
  let app: FastifyInstance;
  let port: number;
  let expiredCookie: string;

  beforeAll(async () => {
    ({ app, port } = await serve({ mode: 'token', sessionTtlMs: 1_000 }));
    const login = await raw(port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, JSON.stringify({ token: VIEWER_TOKEN }));
    expect(login.status).toBe(200);
    expiredCookie = /meshlens_session=[^;]+/.exec(login.headers['set-cookie'] ?? '')![0];
    await new Promise((r) => setTimeout(r, 1_100));
  });

  it('has an allowlist of exactly login, logout, auth info, liveness and the web app files', () => {
    const open = app.meshlensRoutes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`).sort();
    expect(open).toEqual([
      'GET /', 'GET /api/auth/info', 'GET /api/health', 'GET /assets/index-abc123.js', 'GET /index.html',
      'HEAD /', 'HEAD /api/auth/info', 'HEAD /api/health', 'HEAD /assets/index-abc123.js', 'HEAD /index.html',
      'POST /api/auth/login', 'POST /api/auth/logout',
    ].sort());
    // Not vacuous: the protected routes are there to be probed.
    expect(app.meshlensRoutes.filter((r) => !r.public).map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([
      'GET /api/namespaces', 'GET /api/graph', 'GET /api/config/:kind/:namespace/:name', 'POST /api/snapshots', 'GET /api/clusters',
    ]));
  });

  it('answers 401 to every other route in every spelling, without a session, with a forged and with an expired cookie', async () => {
    const from = api.requests.length;
    const reviewsBefore = front.reviews.length;
    const leaks = await probe(app.meshlensRoutes, port, { none: {}, forged: { Cookie: FORGED }, expired: { Cookie: expiredCookie } });
    expect(leaks).toEqual([]);
    // Nothing was read from the cluster as Meshlens on their behalf, and no token was reviewed.
    expect(serviceAccountRequestsSince(from)).toEqual([]);
    expect(front.reviews.length).toBe(reviewsBefore);
  }, 120_000);

  it('starts no cluster source for an anonymous cluster selector, and opens no snapshot for one', async () => {
    const from = api.requests.length;
    for (const target of ['/api/namespaces?cluster=staging', '/%61pi/graph?namespaces=payments&cluster=staging', '/api/clusters?cluster=staging', '/api/namespaces?snapshot=AAAAAAAAAAAAAAAAAAAAAA']) {
      expect((await raw(port, 'GET', target)).status, target).toBe(401);
    }
    expect(clusters.contexts().find((c) => c.context === 'staging')).toMatchObject({ started: false });
    expect(serviceAccountRequestsSince(from)).toEqual([]);
  });

  it('answers unrouted API paths with 401 too, and the web app with its page', async () => {
    for (const target of ['/api/nothing-here', '/API/nothing', '/%61pi', '/x/../api/graph%3Fnamespaces=payments']) {
      expect((await raw(port, 'GET', target)).status, target).toBe(401);
    }
    const page = await raw(port, 'GET', '/namespaces/payments/workloads/ledger');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    // The page names the hashed files, so it is revalidated on every load; the files never are.
    expect(page.headers['cache-control']).toBe('no-cache');
    expect((await raw(port, 'GET', '/index.html')).headers['cache-control']).toBe('no-cache');
    const script = await raw(port, 'GET', '/assets/index-abc123.js');
    expect([script.status, script.headers['cache-control'], script.body]).toEqual([200, 'public, max-age=31536000, immutable', 'console.log("meshlens")']);
  });

  it('says only "up" on /api/health without a session, and everything with one', async () => {
    const anonymous = await raw(port, 'GET', '/api/health');
    expect(JSON.parse(anonymous.body)).toEqual({ status: 'ok', version: expect.any(String), sources: [] });
    const login = await raw(port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, JSON.stringify({ token: VIEWER_TOKEN }));
    const cookie = /meshlens_session=[^;]+/.exec(login.headers['set-cookie'] ?? '')![0];
    const health = JSON.parse((await raw(port, 'GET', '/api/health', { Cookie: cookie })).body) as { sources: Array<{ kind: string }> };
    expect(health.sources).toHaveLength(1);
    expect(health.sources[0]!.kind).toBe('kubernetes');
  });

  it('refuses a cross-origin login and a login under a foreign Host (DNS rebinding)', async () => {
    const body = JSON.stringify({ token: VIEWER_TOKEN });
    const cross = await raw(port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body);
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.body).message).toBe(`Meshlens refused this request: its Origin https://evil.example is not this console (127.0.0.1:${port}). Use the console from its own address.`);
    expect((await raw(port, 'POST', '/api/auth/logout', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await raw(port, 'POST', '/api/snapshots', { 'Content-Type': 'application/octet-stream', Origin: 'null' }, '{}')).status).toBe(403);
    const rebound = await raw(port, 'GET', '/api/auth/info', { Host: `rebind.attacker.example:${port}` });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).message).toContain('--allowed-hosts');
    // The console's own origin is fine.
    const same = await raw(port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' }, body);
    expect(same.status).toBe(200);
  });

  it('rate-limits login per client address, with Retry-After', async () => {
    const fresh = await serve({ mode: 'token' });
    const answers: number[] = [];
    let last: RawAnswer | undefined;
    for (let i = 0; i < LOGIN_LIMITS.perAddress.max + 3; i++) {
      last = await raw(fresh.port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, JSON.stringify({ token: `wrong-token-${i}` }));
      answers.push(last.status);
    }
    expect(answers).toEqual([...Array(LOGIN_LIMITS.perAddress.max).fill(401), 429, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(last!.body)).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^Too many login attempts from this address \(10 a minute\)\. Wait .+ and try again with a valid token\.$/) });
  });

  it('rate-limits login per token, before the address limit is reached', async () => {
    const fresh = await serve({ mode: 'token' });
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.perToken.max + 1; i++) {
      statuses.push((await raw(fresh.port, 'POST', '/api/auth/login', { 'Content-Type': 'application/json' }, JSON.stringify({ token: 'the-same-wrong-token' }))).status);
    }
    expect(statuses).toEqual([...Array(LOGIN_LIMITS.perToken.max).fill(401), 429]);
  });
});

describe('header mode', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    ({ app, port } = await serve({ mode: 'header' }));
  });

  it('answers 401 to every route outside the allowlist, in every spelling, without the proxy\'s user header', async () => {
    const from = api.requests.length;
    const impersonationsBefore = front.impersonations.length;
    const leaks = await probe(app.meshlensRoutes, port, { none: {}, empty: { 'X-Forwarded-User': ' ' }, cookie: { Cookie: FORGED } });
    expect(leaks).toEqual([]);
    expect(serviceAccountRequestsSince(from)).toEqual([]);
    expect(front.impersonations.length).toBe(impersonationsBefore);
  }, 120_000);

  it('reads as the named user once the proxy names one, in any spelling of the path', async () => {
    const res = await raw(port, 'GET', '/%61pi/namespaces', { 'X-Forwarded-User': 'jane', 'X-Forwarded-Groups': 'bookinfo-viewers' });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { namespaces: Array<{ name: string }> }).namespaces.map((n) => n.name)).toEqual(['bookinfo']);
  });

  it('refuses cross-origin state changes and foreign hosts', async () => {
    expect((await raw(port, 'POST', '/api/snapshots', { 'X-Forwarded-User': 'jane', Origin: 'https://evil.example', 'Content-Type': 'application/octet-stream' }, '{}')).status).toBe(403);
    expect((await raw(port, 'GET', '/api/namespaces', { 'X-Forwarded-User': 'jane', Host: 'evil.example' })).status).toBe(421);
  });
});

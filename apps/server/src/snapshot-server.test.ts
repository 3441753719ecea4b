/**
 * `meshlens snapshot --server URL` against real servers on 127.0.0.1 that guard their API: `--auth token` (log in
 * with --server-token / MESHLENS_SERVER_TOKEN, log out afterwards), `--auth header` (the proxy's headers given
 * with --server-header), and a two-context server (--cluster). The Kubernetes side is the test API server behind
 * the TokenReview / impersonation front, as in auth/auth.test.ts. The token never appears in what is printed.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '@meshlens/model';
import { createClusterSet, createDemoSource, decodeSnapshot, loadKubeConfig, staticTelemetry, withContext, type ClusterSet, type MeshSource } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp } from './app.js';
import { main } from './cli.js';
import type { AuthConfig } from './auth/config.js';
import { startAuthFront, type AuthFront } from './auth/testing/auth-front.js';
import { ADMIN_TOKEN, FRONT_USERS, IDENTITIES, OBJECTS, SAMPLES, SA_TOKEN, VIEWER_TOKEN } from './auth/__fixtures__/cluster.js';

/** A second cluster with other objects, so a snapshot shows which context it came from. */
const STAGING_OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop', labels: { app: 'cart' } }, spec: { selector: { app: 'cart' }, ports: [{ name: 'http', port: 8080 }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'cart', namespace: 'shop' }, spec: { host: 'cart', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } },
];

interface Seen { method: string; path: string; query: string; cookie?: string; headers: Record<string, string | string[] | undefined> }

const dir = mkdtempSync(join(tmpdir(), 'meshlens-snapshot-server-test-'));
const stopping: Array<() => Promise<unknown>> = [];
let prodApi: TestApiServer;
let stagingApi: TestApiServer;
let prodFront: AuthFront;
let stagingFront: AuthFront;
let clusters: ClusterSet;
let kubeconfigPath: string;

beforeAll(async () => {
  const tls = generateTestTls();
  prodApi = await startTestApiServer({ tls, objects: OBJECTS, identities: IDENTITIES });
  stagingApi = await startTestApiServer({ tls, objects: STAGING_OBJECTS, identities: IDENTITIES });
  prodFront = await startAuthFront(prodApi, { users: FRONT_USERS, reviewers: [SA_TOKEN], impersonators: [SA_TOKEN] });
  stagingFront = await startAuthFront(stagingApi, { users: FRONT_USERS, reviewers: [SA_TOKEN], impersonators: [SA_TOKEN] });
  kubeconfigPath = writeKubeconfig([{ name: 'prod', server: prodFront.server, token: SA_TOKEN }, { name: 'staging', server: stagingFront.server, token: SA_TOKEN }]);
  clusters = createClusterSet({ kubeconfigPath, timing: { backoffInitialMs: 20 }, telemetryFor: async () => staticTelemetry(SAMPLES, 'fixture samples') });
  await clusters.source.synced!(10_000);
}, 30_000);
afterAll(async () => {
  for (const stop of stopping.reverse()) await stop();
  await clusters?.close();
  for (const x of [prodFront, stagingFront, prodApi, stagingApi]) await x?.close();
});

/** Starts a server on a free port of 127.0.0.1 that records every request it gets. */
async function serverWith(config: AuthConfig | undefined, source?: MeshSource): Promise<{ url: string; app: FastifyInstance; seen: Seen[] }> {
  const kc = loadKubeConfig({ kubeconfigPath }).kc;
  const app = await buildApp(source
    ? { source, webRoot: false }
    : { source: clusters.source, clusters, webRoot: false, auth: { config: config!, cluster: { clusters, kubeConfigFor: (context) => withContext(kc, context), timing: { backoffInitialMs: 20 } } } });
  const seen: Seen[] = [];
  app.addHook('onRequest', (req, _reply, done) => {
    const url = new URL(req.url, 'http://x');
    const cookie = /(?:^|;\s*)meshlens_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    seen.push({ method: req.method, path: url.pathname, query: url.search, ...(cookie ? { cookie } : {}), headers: { ...req.headers } });
    done();
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  stopping.push(() => app.close());
  return { url, app, seen };
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'meshlens', 'snapshot', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

/** Every object of a bundle as "Kind namespace/name", sorted. */
function objectsOf(file: string): string[] {
  return decodeSnapshot(readFileSync(file), file).objects.map((o) => `${o.ref.kind} ${o.ref.namespace ?? ''}/${o.ref.name}`).sort();
}

const PROD_ALL = ['Namespace /bookinfo', 'Namespace /payments', 'Service bookinfo/productpage', 'Service bookinfo/reviews', 'Service payments/ledger', 'VirtualService bookinfo/reviews', 'VirtualService payments/ledger'];
const PROD_BOOKINFO = ['Service bookinfo/productpage', 'Service bookinfo/reviews', 'VirtualService bookinfo/reviews'];
const STAGING_ALL = ['DestinationRule shop/cart', 'Namespace /shop', 'Service shop/cart'];

const savedEnv = process.env.MESHLENS_SERVER_TOKEN;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.MESHLENS_SERVER_TOKEN;
  else process.env.MESHLENS_SERVER_TOKEN = savedEnv;
});

describe('a server running --auth token', () => {
  let server: Awaited<ReturnType<typeof serverWith>>;
  let origin: string;
  beforeAll(async () => {
    server = await serverWith({ mode: 'token' });
    origin = new URL(server.url).origin;
  });

  it('without a token: says to give --server-token or MESHLENS_SERVER_TOKEN, and writes nothing', async () => {
    delete process.env.MESHLENS_SERVER_TOKEN;
    const file = join(dir, 'none.json.gz');
    server.seen.length = 0;
    const r = await run('--out', file, '--server', server.url);
    expect(r).toEqual({ code: 2, out: '', err: `meshlens: ${origin} runs with --auth token: give a Kubernetes bearer token with --server-token <token> or, to keep it out of the shell history, the MESHLENS_SERVER_TOKEN environment variable (for example the output of \`kubectl create token <service-account> -n <namespace>\`)\n` });
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/auth/info']);
    expect(existsSync(file)).toBe(false);
  });

  it('a token the cluster refuses: prints the server\'s refusal, not the token', async () => {
    const file = join(dir, 'refused.json.gz');
    const r = await run('--out', file, '--server', server.url, '--server-token', 'wrong-token-0123');
    expect(r).toEqual({ code: 2, out: '', err: `meshlens: ${origin} refused the login with --server-token (HTTP 401: The cluster did not accept this token (invalid bearer token). Paste a valid Kubernetes bearer token, for example the output of \`kubectl create token <service-account> -n <namespace>\`.)\n` });
    expect(prodFront.reviews.at(-1)).toEqual({ caller: SA_TOKEN, token: 'wrong-token-0123', authenticated: false });
    expect(existsSync(file)).toBe(false);
  });

  it('a good token: logs in, writes the cluster\'s objects, logs out with the session cookie', async () => {
    delete process.env.MESHLENS_SERVER_TOKEN;
    const file = join(dir, 'admin.json.gz');
    server.seen.length = 0;
    const r = await run('--out', file, '--server', server.url, '--server-token', ADMIN_TOKEN, '--namespaces', 'bookinfo', '--query-time', '1760000000');
    expect(r.err).toBe(`meshlens: logged in to ${origin} as ops (cluster prod): the snapshot holds what that user may read\n`);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${file} (`);
    expect(objectsOf(file)).toEqual(PROD_ALL);
    const bundle = decodeSnapshot(readFileSync(file));
    expect(bundle.view).toBe('namespaces=bookinfo&graphType=versionedApp&duration=600&queryTime=1760000000');
    expect(bundle.source.name).toBe('Kubernetes context prod as ops');
    expect(bundle.windows[0]!.samples.istio_requests_total!.length).toBe(3);

    // info, login, the snapshot with the session cookie, logout with it; the token only ever in the login body.
    expect(server.seen.map((s) => `${s.method} ${s.path}${s.cookie ? ' +cookie' : ''}`)).toEqual(['GET /api/auth/info', 'POST /api/auth/login', 'GET /api/snapshot +cookie', 'POST /api/auth/logout +cookie']);
    const cookie = server.seen[2]!.cookie!;
    expect(server.seen[3]!.cookie).toBe(cookie);
    expect(JSON.stringify(server.seen)).not.toContain(ADMIN_TOKEN);
    // The session is the (encrypted) cookie itself, not stored on the server: logout clears it in the client, and the
    // command forgets it (auth/sessions.ts).
  });

  it('reads MESHLENS_SERVER_TOKEN, and --server-token wins over it', async () => {
    process.env.MESHLENS_SERVER_TOKEN = VIEWER_TOKEN;
    const viewer = join(dir, 'viewer.json.gz');
    const r = await run('--out', viewer, '--server', server.url, '--namespaces', 'bookinfo');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`meshlens: logged in to ${origin} as jane (cluster prod): the snapshot holds what that user may read\n`);
    expect(objectsOf(viewer)).toEqual(PROD_BOOKINFO);
    const admin = join(dir, 'flag-wins.json.gz');
    expect((await run('--out', admin, '--server', server.url, '--server-token', ADMIN_TOKEN)).code).toBe(0);
    expect(objectsOf(admin)).toEqual(PROD_ALL);
  });

  it('--cluster logs in to that context and snapshots it; an unknown one gets the server\'s list of contexts', async () => {
    const file = join(dir, 'staging.json.gz');
    server.seen.length = 0;
    const r = await run('--out', file, '--server', server.url, '--server-token', ADMIN_TOKEN, '--cluster', 'staging');
    expect(r.err).toBe(`meshlens: logged in to ${origin} as ops (cluster staging): the snapshot holds what that user may read\n`);
    expect(r.code).toBe(0);
    expect(objectsOf(file)).toEqual(STAGING_ALL);
    expect(server.seen.map((s) => `${s.method} ${s.path}${s.query}`)).toEqual(['/api/auth/info', '/api/auth/login', '/api/clusters', '/api/snapshot', '/api/auth/logout']
      .map((p) => `${p === '/api/auth/login' || p === '/api/auth/logout' ? 'POST' : 'GET'} ${p}${p === '/api/snapshot' ? '?graphType=versionedApp&duration=600&cluster=staging' : '?cluster=staging'}`));
    expect(stagingFront.reviews.at(-1)).toEqual({ caller: SA_TOKEN, token: ADMIN_TOKEN, authenticated: true });

    const unknown = await run('--out', join(dir, 'nope.json.gz'), '--server', server.url, '--server-token', ADMIN_TOKEN, '--cluster', 'nope');
    expect(unknown).toEqual({ code: 2, out: '', err: `meshlens: ${origin} refused the request for cluster "nope" (HTTP 400: querystring/cluster: unknown cluster "nope"; GET /api/clusters lists the contexts (prod, staging))\n` });
  });

  it('a snapshot the server refuses after the login still logs out, and prints its message', async () => {
    server.seen.length = 0;
    const r = await run('--out', join(dir, 'badns.json.gz'), '--server', server.url, '--server-token', VIEWER_TOKEN, '--namespaces', 'payments');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\nmeshlens: http:\/\/127\.0\.0\.1:\d+ refused the snapshot \(HTTP 400: namespaces: unknown namespace "payments"; GET \/api\/namespaces lists the known ones\)\n$/);
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/auth/info', 'POST /api/auth/login', 'GET /api/snapshot', 'POST /api/auth/logout']);
    expect([server.seen[2]!.cookie, server.seen[3]!.cookie]).toEqual([expect.stringMatching(/^[A-Za-z0-9%]+$/), server.seen[2]!.cookie]);
  });
});

describe('a server running --auth header behind a proxy', () => {
  let server: Awaited<ReturnType<typeof serverWith>>;
  beforeAll(async () => {
    server = await serverWith({ mode: 'header' });
  });

  it('--server-header reaches the server on every request: it reads as the user the header names', async () => {
    const file = join(dir, 'header.json.gz');
    server.seen.length = 0;
    const r = await run('--out', file, '--server', server.url, '--server-header', 'X-Forwarded-User: jane', '--server-header', 'X-Forwarded-Groups:bookinfo-viewers', '--namespaces', 'bookinfo');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(objectsOf(file)).toEqual(PROD_BOOKINFO);
    expect(server.seen.map((s) => [s.method, s.path, s.headers['x-forwarded-user'], s.headers['x-forwarded-groups']])).toEqual([
      ['GET', '/api/auth/info', 'jane', 'bookinfo-viewers'],
      ['GET', '/api/snapshot', 'jane', 'bookinfo-viewers'],
    ]);
    expect(prodFront.impersonations.find((i) => i.user === 'jane')).toMatchObject({ user: 'jane', groups: ['bookinfo-viewers'] });
  });

  it('without the proxy\'s headers: says to go through the proxy with --server-header; a token does not help', async () => {
    const origin = new URL(server.url).origin;
    const r = await run('--out', join(dir, 'noproxy.json.gz'), '--server', server.url, '--server-token', ADMIN_TOKEN);
    expect(r).toEqual({ code: 2, out: '', err: `meshlens: ${origin} runs with --auth header and expects a proxy in front of it to name the user: give --server the proxy's URL and your credentials for it with --server-header "Name: value" (such as "Authorization: Bearer <token>")\n` });
  });
});

describe('options', () => {
  it('an anonymous server needs no token: no login, nothing said', async () => {
    const server = await serverWith(undefined, createDemoSource({ seed: 1 }));
    const file = join(dir, 'anon.json.gz');
    const r = await run('--out', file, '--server', server.url, '--server-token', ADMIN_TOKEN, '--namespaces', 'bookinfo-routing');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(decodeSnapshot(readFileSync(file)).source.kind).toBe('demo');
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/auth/info', 'GET /api/snapshot']);
    // A server with one source has no contexts: --cluster is refused rather than ignored.
    const c = await run('--out', join(dir, 'anon-cluster.json.gz'), '--server', server.url, '--cluster', 'prod');
    expect(c).toEqual({ code: 2, out: '', err: `meshlens: --cluster: ${new URL(server.url).origin} reads a single source with no kubeconfig contexts to choose from; leave --cluster out\n` });
  });

  it('rejects malformed --server-header values with exit 2, before any request, without repeating the value', async () => {
    const server = await serverWith(undefined, createDemoSource({ seed: 1 }));
    const cases: Array<[string[], string]> = [
      [['Authorization Bearer s3cret-credential'], '--server-header must be "Name: value", such as "Authorization: Bearer <token>"; this one has no ":"'],
      [['X-Ok: 1', 'Bad Name s3cret-credential: v'], '--server-header (the 2nd) must be "Name: value": the part before the first ":" must be a header name (letters, digits and "-"), such as "Authorization: Bearer <token>"'],
      [['X-Empty:  '], '--server-header: X-Empty has an empty value; give "X-Empty: <value>"'],
      [['Host: s3cret-credential.example'], '--server-header: Host is set by meshlens itself; leave it out'],
    ];
    for (const [headers, message] of cases) {
      const r = await run('--out', join(dir, 'h.json.gz'), '--server', server.url, ...headers.flatMap((h) => ['--server-header', h]));
      expect(r).toEqual({ code: 2, out: '', err: `meshlens: ${message}\n` });
    }
    expect(server.seen).toEqual([]);
    const alone = await run('--out', join(dir, 'alone.json.gz'), '--server-token', ADMIN_TOKEN);
    expect(alone).toEqual({ code: 2, out: '', err: 'meshlens: --server-token, --server-header and --cluster apply to --server; to read a kubeconfig context here, use --context\n' });
  });

  it('an exported MESHLENS_SERVER_TOKEN does not stop a snapshot read here', async () => {
    process.env.MESHLENS_SERVER_TOKEN = ADMIN_TOKEN;
    const file = join(dir, 'local.json.gz');
    const r = await run('--out', file, '--namespaces', 'bookinfo-routing');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(decodeSnapshot(readFileSync(file)).source.kind).toBe('demo');
  });
});

describe('the token is never printed', () => {
  const TOKEN = 'tok-5ecret-0123456789';
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    // A careless server or proxy that repeats the credentials it was sent in its refusals and redirects.
    echo = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += String(c); });
      req.on('end', () => {
        if (req.url!.startsWith('/api/auth/info')) {
          if (req.headers.authorization) {
            res.writeHead(302, { location: `https://sso.example/login?rd=${encodeURIComponent(req.headers.authorization)}` });
            return res.end();
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ mode: 'token', authenticated: false }));
        }
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 401, message: `token ${(JSON.parse(body || '{}') as { token?: string }).token} is not valid` }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    stopping.push(() => new Promise((resolve) => echo.close(resolve)));
  });

  it('not when the server repeats it, redirects with it, or any step fails', async () => {
    const outputs: string[] = [];
    const echoed = await run('--out', join(dir, 't1.json.gz'), '--server', echoUrl, '--server-token', TOKEN);
    expect(echoed).toEqual({ code: 2, out: '', err: `meshlens: ${echoUrl} refused the login with --server-token (HTTP 401: token <redacted> is not valid)\n` });
    const redirected = await run('--out', join(dir, 't2.json.gz'), '--server', echoUrl, '--server-token', TOKEN, '--server-header', `Authorization: Bearer ${TOKEN}-proxy`);
    expect(redirected).toEqual({ code: 2, out: '', err: `meshlens: ${echoUrl} redirected GET /api/auth/info to https://sso.example/login: if that is the login page of a proxy in front of Meshlens, give its credentials with --server-header "Name: value"; if Meshlens moved, give its new URL to --server\n` });
    outputs.push(JSON.stringify(echoed), JSON.stringify(redirected));
    process.env.MESHLENS_SERVER_TOKEN = TOKEN;
    const token = await serverWith({ mode: 'token' });
    for (const args of [
      ['--server', token.url, '--server-token', TOKEN], // refused by the cluster
      ['--server', token.url, '--cluster', 'nope'], // unknown context, token from the environment
      ['--server', 'http://127.0.0.1:1'], // nothing listening
      ['--server', `${echoUrl.replace('http', 'ftp')}`],
      ['--server', token.url, '--server-header', `X-Token ${TOKEN}`],
    ]) {
      const r = await run('--out', join(dir, 't3.json.gz'), ...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/^meshlens: \S.*\n$/);
      outputs.push(r.out, r.err);
    }
    for (const o of outputs) expect(o).not.toContain(TOKEN);
  });
});

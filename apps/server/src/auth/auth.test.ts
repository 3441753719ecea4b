/**
 * Token and header auth through the real API (app.inject) over the Kubernetes test API server: the viewer, who may
 * not read `payments`, never sees its objects or traffic; the admin does (so the filter is not vacuous).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AuthInfo, GraphResponse, HealthResponse, NamespacesResponse } from '@meshlens/model';
import { createClusterSet, loadKubeConfig, staticTelemetry, type ClusterSet } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp } from '../app.js';
import type { AuthConfig } from './config.js';
import { startAuthFront, type AuthFront } from './testing/auth-front.js';
import { ADMIN_TOKEN, FRONT_USERS, IDENTITIES, OBJECTS, SAMPLES, SA_TOKEN, VIEWER_TOKEN } from './__fixtures__/cluster.js';

let api: TestApiServer;
let front: AuthFront;
let clusters: ClusterSet;
let kubeconfigPath: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  api = await startTestApiServer({ tls: generateTestTls(), objects: OBJECTS, identities: IDENTITIES });
  front = await startAuthFront(api, { users: FRONT_USERS, reviewers: [SA_TOKEN], impersonators: [SA_TOKEN] });
  kubeconfigPath = writeKubeconfig([{ name: 'prod', server: front.server, token: SA_TOKEN }]);
  clusters = createClusterSet({ kubeconfigPath, timing: { backoffInitialMs: 20 }, telemetryFor: async () => staticTelemetry(SAMPLES, 'fixture samples') });
  await clusters.source.synced!(10_000);
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await clusters?.close();
  await front?.close();
  await api?.close();
});

async function appWith(config: AuthConfig): Promise<FastifyInstance> {
  const kc = loadKubeConfig({ kubeconfigPath }).kc;
  const app = await buildApp({ source: clusters.source, clusters, webRoot: false, auth: { config, cluster: { clusters, kubeConfigFor: () => kc, timing: { backoffInitialMs: 20 } } } });
  apps.push(app);
  return app;
}

const cookieOf = (res: LightMyRequestResponse): Record<string, string> => {
  const c = res.cookies.find((x) => x.name === 'meshlens_session');
  return c ? { meshlens_session: c.value } : {};
};

/** Every node's namespace and every edge as "source namespace → target namespace". */
function graphNamespaces(g: GraphResponse): { nodes: string[]; edges: string[] } {
  const nsOf = new Map(g.elements.nodes.map((n) => [n.data.id, n.data.namespace]));
  return {
    nodes: [...new Set(g.elements.nodes.map((n) => n.data.namespace))].sort(),
    edges: [...new Set(g.elements.edges.map((e) => `${nsOf.get(e.data.source)} → ${nsOf.get(e.data.target)}`))].sort(),
  };
}

describe('token mode', () => {
  let app: FastifyInstance;
  let viewerCookies: Record<string, string> = {};
  beforeAll(async () => {
    app = await appWith({ mode: 'token' });
  });

  it('refuses the API without a session, saying how to log in; health and info stay open', async () => {
    const res = await app.inject('/api/namespaces');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Log in to Meshlens with a Kubernetes bearer token: this console reads the cluster with your own identity (POST /api/auth/login).' });
    expect((await app.inject('/api/graph?namespaces=bookinfo')).statusCode).toBe(401);
    // Opening a snapshot file is for those who may use the console, too.
    expect((await app.inject({ method: 'POST', url: '/api/snapshots', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('{}') })).statusCode).toBe(401);
    expect((await app.inject('/api/health')).json<HealthResponse>().status).toBe('ok');
    expect((await app.inject('/api/auth/info')).json()).toEqual({ mode: 'token', authenticated: false });
  });

  it('a bad token gets a clear error and no cookie', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: 'not-a-real-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ message: string }>().message).toBe('The cluster did not accept this token (invalid bearer token). Paste a valid Kubernetes bearer token, for example the output of `kubectl create token <service-account> -n <namespace>`.');
    expect(res.cookies).toEqual([]);
    expect(front.reviews.at(-1)).toEqual({ caller: SA_TOKEN, token: 'not-a-real-token', authenticated: false });
    const empty = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: '' } });
    expect(empty.statusCode).toBe(400);
  });

  it('the viewer logs in with a TokenReview, gets an encrypted httpOnly SameSite=Strict cookie, and sees only bookinfo', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: VIEWER_TOKEN } });
    expect(login.statusCode).toBe(200);
    expect(login.json<AuthInfo>()).toMatchObject({ mode: 'token', authenticated: true, user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'], cluster: 'prod' });
    const [cookie] = login.cookies;
    expect(cookie).toMatchObject({ name: 'meshlens_session', path: '/', httpOnly: true, sameSite: 'Strict', maxAge: 8 * 3600 });
    expect(cookie!.secure).toBeUndefined();
    // Sealed (secretbox ciphertext;nonce): neither the token nor the user can be read from it.
    expect(decodeURIComponent(cookie!.value)).toMatch(/^[A-Za-z0-9+/]+=*;[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(decodeURIComponent(cookie!.value).split(';')[0]!, 'base64').toString('latin1')).not.toMatch(/jane|viewer-token/);
    expect(login.body).not.toContain(VIEWER_TOKEN);
    const cookies = cookieOf(login);
    viewerCookies = cookies;

    expect((await app.inject({ url: '/api/auth/info', cookies })).json<AuthInfo>()).toMatchObject({ authenticated: true, user: 'jane' });
    const namespaces = (await app.inject({ url: '/api/namespaces', cookies })).json<NamespacesResponse>();
    expect(namespaces.namespaces.map((n) => [n.name, n.counts])).toEqual([['bookinfo', { services: 2, workloads: 0, istioObjects: 1 }]]);
    expect(namespaces.defaultNamespaces).toEqual(['bookinfo']);

    const graph = await app.inject({ url: '/api/graph?namespaces=bookinfo&graphType=workload', cookies });
    expect(graph.statusCode).toBe(200);
    expect(graphNamespaces(graph.json<GraphResponse>())).toEqual({ nodes: ['bookinfo'], edges: ['bookinfo → bookinfo'] });
    expect(graph.body).not.toMatch(/payments|ledger/);
    const hidden = await app.inject({ url: '/api/graph?namespaces=payments', cookies });
    expect(hidden.statusCode).toBe(400);

    const health = (await app.inject({ url: '/api/health', cookies })).json<HealthResponse>();
    expect(health.sources[0]!.name).toBe('Kubernetes context prod as jane');
    expect(JSON.stringify(health)).not.toContain('payments');

    // The API server was read with the viewer's own token, and nothing of payments was served to it.
    const janes = api.requests.filter((r) => r.user === 'jane');
    expect(janes.length).toBeGreaterThan(0);
    expect(janes.filter((r) => r.namespace === 'payments')).toEqual([]);
  });

  it('the admin sees payments and the traffic into it (the viewer\'s view is a filter, not an empty cluster)', async () => {
    const cookies = cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: ADMIN_TOKEN } }));
    expect((await app.inject({ url: '/api/namespaces', cookies })).json<NamespacesResponse>().namespaces.map((n) => n.name)).toEqual(['bookinfo', 'payments']);
    const graph = (await app.inject({ url: '/api/graph?namespaces=bookinfo,payments&graphType=workload', cookies })).json<GraphResponse>();
    expect(graphNamespaces(graph)).toEqual({ nodes: ['bookinfo', 'payments'], edges: ['bookinfo → bookinfo', 'bookinfo → payments', 'payments → payments'] });
  });

  it('logout clears the cookie and closes the viewer\'s source here; the client without the cookie gets 401', async () => {
    const second = cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: VIEWER_TOKEN } }));
    expect((await app.inject({ url: '/api/namespaces', cookies: second })).statusCode).toBe(200);
    const watching = api.openWatches();
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies: second });
    expect(out.json()).toEqual({ mode: 'token', authenticated: false });
    expect(out.cookies).toEqual([{ name: 'meshlens_session', value: '', maxAge: 0, expires: new Date(0), path: '/', httpOnly: true, sameSite: 'Strict' }]);
    // The browser drops the cookie: what it sends next has none.
    expect((await app.inject({ url: '/api/namespaces' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/auth/info' })).json()).toEqual({ mode: 'token', authenticated: false });
    // This server stops reading the cluster as jane (her watches close)…
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && api.openWatches() >= watching) await new Promise((r) => setTimeout(r, 50));
    expect(api.openWatches()).toBeLessThan(watching);
    // …and her other session, a cookie of its own, still reads (the source is opened again for it).
    expect((await app.inject({ url: '/api/namespaces', cookies: viewerCookies })).json<NamespacesResponse>().namespaces.map((n) => n.name)).toEqual(['bookinfo']);
    // Sessions are not stored on the server: a copy of a logged-out cookie stays valid until it expires or its key
    // is removed (deploy/README.md says so).
    expect((await app.inject({ url: '/api/auth/info', cookies: second })).json<AuthInfo>()).toMatchObject({ authenticated: true, user: 'jane' });
  }, 15_000);

  it('refuses a cookie sealed by a server with another key, and a tampered one', async () => {
    const other = await appWith({ mode: 'token', sessionKeys: [Buffer.alloc(32, 9)] });
    const foreign = cookieOf(await other.inject({ method: 'POST', url: '/api/auth/login', payload: { token: ADMIN_TOKEN } }));
    expect((await other.inject({ url: '/api/namespaces', cookies: foreign })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/namespaces', cookies: foreign })).statusCode).toBe(401);
    const own = decodeURIComponent(cookieOf(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: ADMIN_TOKEN } })).meshlens_session!);
    const flipped = `${own[0] === 'A' ? 'B' : 'A'}${own.slice(1)}`;
    expect((await app.inject({ url: '/api/namespaces', cookies: { meshlens_session: flipped } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/namespaces', cookies: { meshlens_session: own } })).statusCode).toBe(200);
  });

  it('marks the cookie Secure behind an HTTPS proxy', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: VIEWER_TOKEN }, headers: { 'x-forwarded-proto': 'https' } });
    expect(login.cookies[0]).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  });
});

describe('header mode', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith({ mode: 'header', headerUser: 'X-Auth-Request-User', headerGroups: 'X-Auth-Request-Groups' });
  });

  it('impersonates the user and groups the proxy names, with Meshlens\'s own credentials', async () => {
    const headers = { 'x-auth-request-user': 'jane', 'x-auth-request-groups': 'bookinfo-viewers, system:authenticated' };
    expect((await app.inject({ url: '/api/auth/info', headers })).json()).toEqual({ mode: 'header', authenticated: true, user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'], cluster: 'prod' });
    const namespaces = (await app.inject({ url: '/api/namespaces', headers })).json<NamespacesResponse>();
    expect(namespaces.namespaces.map((n) => n.name)).toEqual(['bookinfo']);
    const graph = (await app.inject({ url: '/api/graph?namespaces=bookinfo&graphType=workload', headers })).json<GraphResponse>();
    expect(graphNamespaces(graph)).toEqual({ nodes: ['bookinfo'], edges: ['bookinfo → bookinfo'] });
    expect(front.impersonations.find((i) => i.user === 'jane')).toMatchObject({ user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'] });
  });

  it('refuses requests that did not come through the proxy', async () => {
    const res = await app.inject('/api/namespaces');
    expect(res.statusCode).toBe(401);
    expect(res.json<{ message: string }>().message).toBe('Meshlens expects the authenticating proxy in front of it to name the user in the X-Auth-Request-User header; this request has none. Open Meshlens through the proxy.');
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { token: VIEWER_TOKEN } })).statusCode).toBe(400);
  });
});

/**
 * Security headers on every kind of response (page, SPA deep link, static file, JSON, errors from routes, from
 * onRequest hooks, from Fastify's router and from node's parser), the embedding option, HSTS only over TLS, the
 * request timeout (a slow body gets 408; a followed log outlives it) and the snapshot upload rate limit.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createClusterSet, createDemoSource, loadKubeConfig, type ClusterSet } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp, type AppOptions } from '../app.js';
import { main } from '../cli.js';
import { IDENTITIES, OBJECTS, SA_TOKEN } from '../auth/__fixtures__/cluster.js';
import { cspString, HSTS, parseFrameAncestors } from './headers.js';
import { UPLOAD_LIMITS } from './rate-limits.js';

const CSP = "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';style-src-elem 'self' 'unsafe-inline';style-src-attr 'none';img-src 'self' data: blob:;font-src 'self';connect-src 'self';worker-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'";

/** Every response carries exactly these (over plain http). */
const EXPECTED: Record<string, string> = {
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const SECURITY_NAMES = [...Object.keys(EXPECTED), 'strict-transport-security', 'x-powered-by', 'cross-origin-embedder-policy'];

/** The security headers of a response, by lower-case name. */
function securityOf(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (SECURITY_NAMES.includes(k.toLowerCase())) out[k.toLowerCase()] = String(v);
  return out;
}

let webRoot: string;
const apps: FastifyInstance[] = [];
async function app(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const a = await buildApp({ source: createDemoSource({ seed: 3 }), webRoot, ...options });
  apps.push(a);
  return a;
}

beforeAll(() => {
  webRoot = mkdtempSync(join(tmpdir(), 'meshlens-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Meshlens</title><div id="root"></div><script type="module" src="/assets/x.js"></script>');
  writeFileSync(join(webRoot, 'assets', 'x.js'), 'console.log("meshlens")');
});
afterAll(async () => {
  for (const a of apps) await a.close();
});

describe('security headers on every response', () => {
  let server: FastifyInstance;
  beforeAll(async () => {
    server = await app();
    // A route that fails: the 500 path of the error handler.
    server.get('/api/test-failure', async () => {
      throw new Error('a test failure');
    });
  });

  const cases: Array<[string, () => Promise<LightMyRequestResponse>, number, RegExp]> = [
    ['page GET /', () => server.inject('/'), 200, /^text\/html/],
    ['SPA deep link /workloads', () => server.inject('/workloads'), 200, /^text\/html/],
    ['static /assets/x.js', () => server.inject('/assets/x.js'), 200, /javascript/],
    ['HEAD of a static file', () => server.inject({ method: 'HEAD', url: '/assets/x.js' }), 200, /javascript/],
    ['GET /api/health', () => server.inject('/api/health'), 200, /^application\/json/],
    ['GET /api/graph', () => server.inject('/api/graph?namespaces=bookinfo-routing'), 200, /^application\/json/],
    ['unknown /api/x (404)', () => server.inject('/api/x'), 404, /^application\/json/],
    ['bad parameter (400)', () => server.inject('/api/graph?duration=5'), 400, /^application\/json/],
    ['unparsable URL (400, Fastify router)', () => server.inject('/api/%zz'), 400, /^application\/json/],
    ['bad Host (421, onRequest hook)', () => server.inject({ url: '/api/health', headers: { host: 'rebind.attacker.example' } }), 421, /^application\/json/],
    ['cross-origin POST (403, onRequest hook)', () => server.inject({ method: 'POST', url: '/api/auth/logout', headers: { origin: 'https://evil.example' } }), 403, /^application\/json/],
    ['body too large (413)', () => server.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: 'x'.repeat(1_100_000) }) }), 413, /^application\/json/],
    ['route failure (500)', () => server.inject('/api/test-failure'), 500, /^application\/json/],
  ];
  for (const [name, request, status, type] of cases) {
    it(name, async () => {
      const res = await request();
      expect([res.statusCode, String(res.headers['content-type'])]).toEqual([status, expect.stringMatching(type)]);
      expect(securityOf(res.headers)).toEqual(EXPECTED);
    });
  }

  it('the policy allows no inline or evaluated script, and is what cspString says', () => {
    expect(cspString()).toBe(CSP);
    const scriptSrc = CSP.split(';').find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
  });

  it('says how to open a too-large body, under the same headers (413 body)', async () => {
    const res = await server.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: 'x'.repeat(1_100_000) }) });
    expect(res.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });
});

describe('in token mode', () => {
  let api: TestApiServer;
  let clusters: ClusterSet;
  let server: FastifyInstance;
  beforeAll(async () => {
    api = await startTestApiServer({ tls: generateTestTls(), objects: OBJECTS, identities: IDENTITIES });
    const kubeconfigPath = writeKubeconfig([{ name: 'prod', server: api, token: SA_TOKEN }]);
    clusters = createClusterSet({ kubeconfigPath, timing: { backoffInitialMs: 20 } });
    await clusters.source.synced!(10_000);
    const kc = loadKubeConfig({ kubeconfigPath }).kc;
    server = await app({ source: clusters.source, clusters, auth: { config: { mode: 'token' }, cluster: { clusters, kubeConfigFor: () => kc, timing: { backoffInitialMs: 20 } } } });
  });
  afterAll(async () => {
    await server?.close();
    await clusters?.close();
    await api?.close();
  });

  it('the 401 of the auth hook and the public login page carry them', async () => {
    const refused = await server.inject('/api/namespaces');
    expect(refused.statusCode).toBe(401);
    expect(securityOf(refused.headers)).toEqual(EXPECTED);
    const page = await server.inject('/overview');
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html']);
    expect(securityOf(page.headers)).toEqual(EXPECTED);
  });
});

describe('snapshot upload rate limit', () => {
  it('answers 429 with Retry-After and a sentence past 20 uploads a minute from one address, with the headers', async () => {
    const server = await app();
    const upload = () => server.inject({ method: 'POST', url: '/api/snapshots?name=x.json', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('{}') });
    const statuses: number[] = [];
    for (let i = 0; i < UPLOAD_LIMITS.perAddress.max; i++) statuses.push((await upload()).statusCode);
    // Not a snapshot: refused, but counted.
    expect(new Set(statuses)).toEqual(new Set([400]));
    const res = await upload();
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(res.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^Too many snapshot files opened from this address \(20 a minute\)\. Wait \d+ s and open the file again\.$/) });
    expect(securityOf(res.headers)).toEqual(EXPECTED);
    // Another address is not affected.
    expect((await server.inject({ method: 'POST', url: '/api/snapshots', remoteAddress: '127.0.0.2', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('{}') })).statusCode).toBe(400);
  });
});

describe('embedding and HSTS', () => {
  it('frameAncestors lists the origins in frame-ancestors and drops X-Frame-Options', async () => {
    const server = await app({ frameAncestors: parseFrameAncestors('https://portal.example.com, https://*.ops.example:8443') });
    for (const url of ['/', '/api/health', '/api/x']) {
      const res = await server.inject(url);
      const expected: Record<string, string> = { ...EXPECTED, 'content-security-policy': CSP.replace("frame-ancestors 'none'", 'frame-ancestors https://portal.example.com https://*.ops.example:8443') };
      delete expected['x-frame-options'];
      expect(securityOf(res.headers), url).toEqual(expected);
    }
  });

  it("'self' alone is X-Frame-Options SAMEORIGIN", async () => {
    const res = await (await app({ frameAncestors: parseFrameAncestors("'self'") })).inject('/');
    expect(res.headers['content-security-policy']).toMatch(/;frame-ancestors 'self'$/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('refuses frame ancestors that are not origins (anything, schemes, paths, policy syntax)', async () => {
    expect(parseFrameAncestors("self,https://Portal.Example.com/,'none'")).toEqual(["'self'", 'https://portal.example.com']);
    expect(parseFrameAncestors('')).toEqual([]);
    for (const bad of ['*', 'https:', 'portal.example.com', 'https://portal.example.com/app', "https://a.example;script-src 'unsafe-inline'", 'javascript:alert(1)', "'unsafe-inline'", 'ftp://x.example']) {
      expect(() => parseFrameAncestors(bad), bad).toThrow(/is not an origin that may frame the console/);
    }
    await expect(buildApp({ source: createDemoSource(), webRoot: false, frameAncestors: ['*'] })).rejects.toThrow(/not an origin/);
  });

  it('the CLI refuses a bad --frame-ancestors (exit 2) before serving', async () => {
    let err = '';
    const code = await main(['node', 'meshlens', 'serve', '--frame-ancestors', 'https://ok.example,*'], { out: () => undefined, err: (s) => { err += s; } });
    expect(code).toBe(2);
    expect(err).toMatch(/--frame-ancestors.*"\*" is not an origin that may frame the console/s);
  });

  it('sends HSTS only when the request came over TLS (here: through a TLS-terminating proxy)', async () => {
    const server = await app();
    expect((await server.inject('/')).headers['strict-transport-security']).toBeUndefined();
    expect((await server.inject('/api/x')).headers['strict-transport-security']).toBeUndefined();
    for (const url of ['/', '/api/health', '/api/x']) {
      const res = await server.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
      expect(securityOf(res.headers), url).toEqual({ ...EXPECTED, 'strict-transport-security': HSTS });
    }
  });
});

/** Sends `data` on a raw socket to the app and resolves with what the server wrote and when it closed. */
function rawExchange(port: number, data: string, waitMs: number): Promise<{ text: string; closedAfterMs: number | undefined }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    let text = '';
    let closedAfterMs: number | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfterMs });
    }, waitMs);
    socket.on('data', (c) => { text += c.toString('latin1'); });
    socket.on('error', reject);
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      clearTimeout(timer);
      resolve({ text, closedAfterMs });
    });
  });
}

/** Security headers of a raw HTTP answer. */
function rawSecurity(text: string): Record<string, string> {
  const head = text.split('\r\n\r\n')[0]!.split('\r\n').slice(1);
  return securityOf(Object.fromEntries(head.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])));
}

describe('request timeout', () => {
  it('answers 408 and closes a connection whose body does not arrive in time', async () => {
    const server = await app({ requestTimeoutMs: 1000 });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as AddressInfo;
    const { text, closedAfterMs } = await rawExchange(port, 'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":"', 5000);
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(text.split('\r\n\r\n')[1]!)).toEqual({ statusCode: 408, error: 'Request Timeout', message: 'The request was not received in time; send it again.' });
    expect(rawSecurity(text)).toEqual(EXPECTED);
    // Within the timeout plus the check interval (a quarter of it), with some slack for a busy machine.
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it('answers 431 with the headers when the request headers are too large (node\'s parser)', async () => {
    const server = await app();
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as AddressInfo;
    const { text } = await rawExchange(port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 5000);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(rawSecurity(text)).toEqual(EXPECTED);
  });

  it('does not cut a followed log streaming longer than the request timeout', async () => {
    const source = createDemoSource({ seed: 7 });
    const server = await app({ source, requestTimeoutMs: 1000 });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as AddressInfo;
    const pod = source.inventory().workloadsByKey.get('circuit-breaking/fortio-deploy')!.pods[0]!.name;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/namespaces/circuit-breaking/pods/${pod}/logs?container=istio-proxy&tailLines=1&follow=true`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(securityOf(Object.fromEntries(res.headers))).toEqual(EXPECTED);
    const reader = res.body!.getReader();
    const started = Date.now();
    let lastChunkAt = 0;
    while (Date.now() - started < 3500) {
      const { done } = await reader.read();
      if (done) break;
      lastChunkAt = Date.now() - started;
    }
    abort.abort();
    // Lines still arrive well after the 1 s request timeout (and its check) would have fired.
    expect(lastChunkAt).toBeGreaterThan(2500);
  }, 20_000);
});

/**
 * Two replicas, one key file: two real `meshlens serve --auth token --session-key-file` processes (the CLI, as the
 * Deployment runs it) over the Kubernetes test API server, behind a round-robin HTTP proxy. A login through one is
 * read by both; after logout through one, the client (whose cookie the logout cleared) gets 401 from both, and so
 * does a tampered cookie. Needs the server built (`npx turbo run build --filter=@meshlens/server...`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthInfo, NamespacesResponse } from '@meshlens/model';
import { generateTestTls, startTestApiServer, writeKubeconfig, type TestApiServer } from '@meshlens/sources/testing';
import { startAuthFront, type AuthFront } from './testing/auth-front.js';
import { generateSessionKey } from './session-keys.js';
import { FRONT_USERS, IDENTITIES, OBJECTS, SA_TOKEN, VIEWER_TOKEN } from './__fixtures__/cluster.js';

const BIN = fileURLToPath(new URL('../../bin/meshlens.js', import.meta.url));

interface Replica { name: string; url: string; child: ChildProcess; output: () => string }

let api: TestApiServer;
let front: AuthFront;
let replicas: Replica[] = [];
let proxy: Server;
let proxyUrl = '';
/** Which replica answered each request through the proxy, in order. */
const answeredBy: string[] = [];

/** Starts `meshlens serve` and resolves once it prints its address. */
function startReplica(name: string, args: string[]): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start in 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /^Meshlens .* serving .* at (http:\/\/\S+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ name, url: m[1]!.replace(/\/$/, ''), child, output: () => output });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`replica ${name} exited with ${code}:\n${output}`)));
  });
}

/** Round-robin over the replicas; names the one that answered in `x-test-replica`. */
async function startProxy(backends: Replica[]): Promise<Server> {
  let next = 0;
  const server = createServer((req, res) => {
    const backend = backends[next++ % backends.length]!;
    const target = new URL(backend.url);
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (upRes) => {
      answeredBy.push(backend.name);
      res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'x-test-replica': backend.name });
      upRes.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A client with a one-cookie jar: it sends what the server set and drops what the server cleared. */
class Client {
  cookie: string | undefined;

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; replica: string; json: unknown }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${proxyUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const set of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = set.split(';').map((s) => s.trim());
      if (!pair.startsWith('meshlens_session=')) continue;
      const cleared = pair === 'meshlens_session=' || attrs.some((a) => /^max-age=0$/i.test(a));
      this.cookie = cleared ? undefined : pair;
    }
    return { status: res.status, replica: res.headers.get('x-test-replica') ?? '', json: await res.json() };
  }
}

beforeAll(async () => {
  api = await startTestApiServer({ tls: generateTestTls(), objects: OBJECTS, identities: IDENTITIES });
  front = await startAuthFront(api, { users: FRONT_USERS, reviewers: [SA_TOKEN], impersonators: [SA_TOKEN] });
  const kubeconfig = writeKubeconfig([{ name: 'prod', server: front.server, token: SA_TOKEN }]);
  // The Secret's file: a new key first, the previous one below it (both replicas read the same file).
  const keyFile = join(mkdtempSync(join(tmpdir(), 'meshlens-session-keys-')), 'keys');
  writeFileSync(keyFile, `${generateSessionKey()}\n${generateSessionKey()}\n`, { mode: 0o600 });
  const args = ['--kubeconfig', kubeconfig, '--auth', 'token', '--session-key-file', keyFile, '--prometheus', 'http://127.0.0.1:9'];
  replicas = await Promise.all([startReplica('a', args), startReplica('b', args)]);
  proxy = await startProxy(replicas);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await Promise.all(replicas.map(async (r) => {
    if (r.child.exitCode !== null) return;
    const exited = new Promise((done) => r.child.once('exit', done));
    r.child.kill('SIGTERM');
    await exited;
  }));
  await front?.close();
  await api?.close();
});

describe('two replicas sharing a session key file, behind a round-robin proxy', () => {
  const client = new Client();

  it('start with the key file: no warning about a random key', () => {
    for (const r of replicas) expect(r.output()).not.toContain('--session-key-file');
  });

  it('a login through one replica is read by both', async () => {
    const before = await Promise.all([client.call('GET', '/api/namespaces'), client.call('GET', '/api/namespaces')]);
    expect(before.map((r) => r.status)).toEqual([401, 401]);

    const login = await client.call('POST', '/api/auth/login', { token: VIEWER_TOKEN });
    expect([login.status, login.json]).toEqual([200, { mode: 'token', authenticated: true, user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'], expiresAt: expect.any(Number), cluster: 'prod' }]);
    expect(client.cookie).toMatch(/^meshlens_session=[A-Za-z0-9%]+$/);

    const reads: Array<{ status: number; replica: string; json: unknown }> = [];
    for (let i = 0; i < 4; i++) reads.push(await client.call('GET', '/api/namespaces'));
    expect(reads.map((r) => [r.replica, r.status, (r.json as NamespacesResponse).namespaces?.map((n) => n.name)])).toEqual([
      [reads[0]!.replica, 200, ['bookinfo']], [reads[1]!.replica, 200, ['bookinfo']], [reads[2]!.replica, 200, ['bookinfo']], [reads[3]!.replica, 200, ['bookinfo']],
    ]);
    expect(new Set(reads.map((r) => r.replica))).toEqual(new Set(['a', 'b']));
    const infos = [await client.call('GET', '/api/auth/info'), await client.call('GET', '/api/auth/info')];
    expect(infos.map((r) => r.replica).sort()).toEqual(['a', 'b']);
    for (const r of infos) expect(r.json).toEqual(login.json);
    // Each replica reviewed nothing more: one TokenReview, at the login.
    expect(front.reviews.filter((r) => r.token === VIEWER_TOKEN)).toEqual([{ caller: SA_TOKEN, token: VIEWER_TOKEN, authenticated: true }]);
    // Both read the cluster with jane's own token.
    expect(api.requests.some((r) => r.user === 'jane')).toBe(true);
  }, 20_000);

  it('refuses a tampered cookie on both replicas', async () => {
    const value = decodeURIComponent(client.cookie!.slice('meshlens_session='.length));
    const tampered = new Client();
    tampered.cookie = `meshlens_session=${encodeURIComponent(`${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`)}`;
    const answers = [await tampered.call('GET', '/api/namespaces'), await tampered.call('GET', '/api/namespaces')];
    expect(answers.map((r) => [r.replica, r.status]).sort()).toEqual([['a', 401], ['b', 401]]);
  });

  it('after logout through one replica, the client is logged out on both', async () => {
    const out = await client.call('POST', '/api/auth/logout');
    expect([out.status, out.json]).toEqual([200, { mode: 'token', authenticated: false }]);
    expect(client.cookie).toBeUndefined();
    const after = [await client.call('GET', '/api/namespaces'), await client.call('GET', '/api/namespaces'), await client.call('GET', '/api/auth/info'), await client.call('GET', '/api/auth/info')];
    expect(after.map((r) => [r.replica, r.status]).sort()).toEqual([['a', 200], ['a', 401], ['b', 200], ['b', 401]]);
    expect(after.filter((r) => r.status === 200).map((r) => r.json)).toEqual([{ mode: 'token', authenticated: false }, { mode: 'token', authenticated: false }]);
    // Round robin really spread the test's requests.
    expect(answeredBy.filter((r) => r === 'a').length).toBeGreaterThan(4);
    expect(answeredBy.filter((r) => r === 'b').length).toBeGreaterThan(4);
  });
});

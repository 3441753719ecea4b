/**
 * The container as the Deployment runs it: the real CLI with the manifest's args and env, in-cluster config from
 * KUBERNETES_SERVICE_HOST/PORT and a service-account token and CA at a configurable path (MESHLENS_SA_DIR), against
 * the Kubernetes test API server. The readiness probe answers; the default auth (token, from the manifest) guards
 * the API; a login reads with the user's identity. (e2e/src/kube-serve.e2e.ts covers in-cluster reading itself.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, KubeObject, NamespacesResponse } from '@meshlens/model';
import { generateTestTls, startTestApiServer, writeServiceAccountDir, type TestApiServer } from '@meshlens/sources/testing';
import { startAuthFront, type AuthFront } from '@meshlens/server/testing';
import { loadManifests, REPO_ROOT } from './manifests.js';

const SA = { token: 'meshlens-sa-token', user: 'system:serviceaccount:meshlens:meshlens' };
const VIEWER = { token: 'viewer-token', user: 'jane' };
const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger', namespace: 'payments' }, spec: { selector: { app: 'ledger' }, ports: [{ name: 'http', port: 8080 }] } },
];

interface Container { args: string[]; env: Array<{ name: string; value: string }>; readinessProbe: { httpGet: { path: string } } }
const container = (loadManifests().find((m) => m.object.kind === 'Deployment')!.object as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers[0]!;

let api: TestApiServer;
let front: AuthFront;
let child: ChildProcess | undefined;
let url = '';
let output = '';

beforeAll(async () => {
  api = await startTestApiServer({ tls: generateTestTls(), objects, identities: [SA, { ...VIEWER, deny: [{ namespaces: ['payments'] }, { allNamespaces: true }, { resources: ['namespaces'] }] }] });
  front = await startAuthFront(api, { users: [SA, VIEWER], reviewers: [SA.token] });
  const saDir = writeServiceAccountDir(front.server, SA.token);
  const env: Record<string, string> = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
  // The pod listens on 0.0.0.0:20080; here a free port on loopback. No Prometheus runs here.
  Object.assign(env, { MESHLENS_HOST: '127.0.0.1', MESHLENS_PORT: '0' });
  delete env.MESHLENS_PROMETHEUS_URL;
  // The Secret's file, mounted in the pod: here a file of one key at a temporary path.
  const keyFile = join(mkdtempSync(join(tmpdir(), 'meshlens-session-keys-')), 'keys');
  writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`);
  const args = container.args.map((a, i) => (container.args[i - 1] === '--session-key-file' ? keyFile : a));
  expect(args).toEqual(['serve', '--in-cluster', '--session-key-file', keyFile]);
  child = spawn(process.execPath, [join(REPO_ROOT, 'apps/server/bin/meshlens.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(front.url).port, MESHLENS_SA_DIR: saDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`meshlens did not start in 30 s:\n${output}`)), 30_000);
    const onData = (c: Buffer) => {
      output += c.toString();
      const m = /^Meshlens .* serving .* at (http:\/\/[^\s"]+)$/m.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace(/\/$/, ''));
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child!.once('exit', (code) => reject(new Error(`meshlens exited with ${code}:\n${output}`)));
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await front?.close();
  await api?.close();
});

describe('meshlens serve --in-cluster, as deploy/kubernetes runs it', () => {
  it('is ready on the probe path, reading with the service account from MESHLENS_SA_DIR, and tells the probe nothing else', async () => {
    const res = await fetch(`${url}${container.readinessProbe.httpGet.path}`);
    expect(res.status).toBe(200);
    // Without a session the probe path is liveness only: no source details, no namespace names.
    expect((await res.json()) as HealthResponse).toEqual({ status: 'ok', version: expect.any(String), sources: [] });
    expect(new Set(api.requests.map((r) => r.user))).toEqual(new Set([SA.user]));
    // It read the mounted key file: no warning about a random key.
    expect(output).not.toContain('no --session-key-file');
  });

  it('asks for a login (MESHLENS_AUTH=token), then reads as the user who logged in', async () => {
    expect((await fetch(`${url}/api/namespaces`)).status).toBe(401);
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: VIEWER.token }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^meshlens_session=[A-Za-z0-9%]+; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    const res = await fetch(`${url}/api/namespaces`, { headers: { cookie: cookie.split(';')[0]! } });
    expect((await res.json() as NamespacesResponse).namespaces.map((n) => [n.name, n.counts.services])).toEqual([['bookinfo', 1]]);
    expect(api.requests.some((r) => r.user === VIEWER.user)).toBe(true);
    const health = (await (await fetch(`${url}/api/health`, { headers: { cookie: cookie.split(';')[0]! } })).json()) as HealthResponse;
    expect(health.sources[0]).toMatchObject({ kind: 'kubernetes', state: 'ready', cluster: 'in-cluster', objectsByKind: { Service: 1 } });
  });
});

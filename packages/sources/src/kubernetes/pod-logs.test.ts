/** Pod logs through the test API server: tail, since, follow, the container rules, and RBAC on `pods/log`. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesSource, type KubernetesSource } from './source.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type TestApiServer, type TestTls } from './testing/index.js';
import { eventually, fastTiming, fixtureObjects } from './__fixtures__/helpers.js';
import { PodLogError, type MeshSource } from '../source.js';
import { scopedSource } from '../scoped-source.js';
import { createDemoSource } from '../static-source.js';

let tls: TestTls;
let server: TestApiServer;
let source: KubernetesSource | undefined;

beforeAll(() => {
  tls = generateTestTls();
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  await server?.close();
});

const POD = 'reviews-v1-5b8c7d9f4-x2x7q';
const admin = { token: DEFAULT_TOKEN, user: 'kubernetes-admin' };
// May read everything in bookinfo except pod logs (a namespaced viewer whose Role leaves out pods/log).
const viewer = { token: 'viewer-token', user: 'jane@example.com', deny: [{ resources: ['pods/log'], namespaces: ['bookinfo'] }] };

const ACCESS = [
  '[2026-11-22T03:55:01.120Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 295 12 11 "-" "python-requests/2.31.0" "5a1c7d0e-1b2c-4d3e-8f90-1a2b3c4d5e6f" "reviews:9080" "10.244.1.17:9080" inbound|9080|| 127.0.0.6:46113 10.244.1.17:9080 10.244.1.12:52344 outbound_.9080_._.reviews.bookinfo.svc.cluster.local default',
  '[2026-11-22T03:56:40.002Z] "GET /ratings/0 HTTP/1.1" 503 UO upstream_reset_before_response_started{overflow} - "-" 0 81 0 - "-" "Java/17.0.12" "9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4" "ratings:9080" "-" outbound|9080||ratings.bookinfo.svc.cluster.local - 10.96.113.8:9080 10.244.1.17:40112 - default',
  '[2026-11-22T03:56:58.610Z] "GET /reviews/1 HTTP/1.1" 200 - via_upstream - "-" 0 295 9 8 "-" "python-requests/2.31.0" "0f1e2d3c-4b5a-4968-8776-655443322110" "reviews:9080" "10.244.1.17:9080" inbound|9080|| 127.0.0.6:46118 10.244.1.17:9080 10.244.1.12:52350 outbound_.9080_._.reviews.bookinfo.svc.cluster.local default',
];

async function startAs(token: string) {
  server = await startTestApiServer({ tls, objects: fixtureObjects(), identities: [admin, viewer] });
  const now = Date.now();
  server.appendLog('bookinfo', POD, 'istio-proxy', ACCESS[0]!, new Date(now - 120_000));
  server.appendLog('bookinfo', POD, 'istio-proxy', ACCESS[1]!, new Date(now - 30_000));
  server.appendLog('bookinfo', POD, 'istio-proxy', ACCESS[2]!, new Date(now - 5_000));
  server.appendLog('bookinfo', POD, 'reviews', '[INFO] reviews-v1 listening on 9080', new Date(now - 300_000));
  source = createKubernetesSource({ kubeconfigPath: writeKubeconfig([{ name: 'prod', server, token }]), timing: fastTiming });
  expect(await source.synced(10_000)).toBe(true);
  return source;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

const TIMESTAMPED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /;

describe('pod logs from the API server', () => {
  it('reads the newest lines (tailLines) and the recent ones (sinceSeconds), with the kubelet\'s timestamps', async () => {
    const s = await startAs(DEFAULT_TOKEN);
    const tail = await s.podLogs!({ namespace: 'bookinfo', pod: POD, container: 'istio-proxy', tailLines: 2 });
    const lines = await collect(tail.lines);
    expect(tail.container).toBe('istio-proxy');
    expect(lines.map((l) => l.replace(TIMESTAMPED, ''))).toEqual([ACCESS[1], ACCESS[2]]);
    for (const l of lines) expect(l).toMatch(TIMESTAMPED);
    const since = await collect((await s.podLogs!({ namespace: 'bookinfo', pod: POD, container: 'istio-proxy', sinceSeconds: 60 })).lines);
    expect(since.map((l) => l.replace(TIMESTAMPED, ''))).toEqual([ACCESS[1], ACCESS[2]]);
    const all = await collect((await s.podLogs!({ namespace: 'bookinfo', pod: POD, container: 'istio-proxy' })).lines);
    expect(all.map((l) => l.replace(TIMESTAMPED, ''))).toEqual(ACCESS);
    const logRequests = server.requests.filter((r) => r.resource === 'pods/log');
    expect(logRequests.map((r) => r.path)).toEqual([
      `/api/v1/namespaces/bookinfo/pods/${POD}/log?container=istio-proxy&tailLines=2&timestamps=true`,
      `/api/v1/namespaces/bookinfo/pods/${POD}/log?container=istio-proxy&sinceSeconds=60&timestamps=true`,
      `/api/v1/namespaces/bookinfo/pods/${POD}/log?container=istio-proxy&timestamps=true`,
    ]);
    expect(new Set(logRequests.map((r) => `${r.verb} ${r.user}`))).toEqual(new Set(['get kubernetes-admin']));
  });

  it('follows: new lines arrive on the open stream until the reader aborts', async () => {
    const s = await startAs(DEFAULT_TOKEN);
    const abort = new AbortController();
    const stream = await s.podLogs!({ namespace: 'bookinfo', pod: POD, container: 'istio-proxy', tailLines: 1, follow: true, signal: abort.signal });
    const it = stream.lines[Symbol.asyncIterator]();
    expect((await it.next()).value.replace(TIMESTAMPED, '')).toBe(ACCESS[2]);
    const next = it.next();
    server.appendLog('bookinfo', POD, 'istio-proxy', 'info\tEnvoy proxy is ready');
    expect((await next).value).toMatch(/^\S+Z info\tEnvoy proxy is ready$/);
    expect(server.logs.followers()).toBe(1);
    abort.abort();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.logs.followers()).toBe(0);
  });

  it('names the only container itself, and answers 404 for an unknown pod or container, 400 when the pod has several', async () => {
    const s = await startAs(DEFAULT_TOKEN);
    const err = (q: Parameters<NonNullable<KubernetesSource['podLogs']>>[0]) => s.podLogs!(q).then(() => undefined, (e: unknown) => e as PodLogError);
    const noPod = await err({ namespace: 'bookinfo', pod: 'reviews-v9-0000000000-zzzzz', container: 'istio-proxy' });
    expect(noPod).toBeInstanceOf(PodLogError);
    expect([noPod!.statusCode, noPod!.message]).toEqual([404, 'pods "reviews-v9-0000000000-zzzzz" not found']);
    const noContainer = await err({ namespace: 'bookinfo', pod: POD, container: 'sidecar' });
    expect([noContainer!.statusCode, noContainer!.message]).toEqual([404, `container sidecar is not valid for pod ${POD}`]);
    const which = await err({ namespace: 'bookinfo', pod: POD });
    expect([which!.statusCode, which!.message]).toEqual([400, `a container name must be specified for pod ${POD}, choose one of: [reviews istio-proxy]`]);
    // A pod with one container (no sidecar): its log needs no container name, and the answer names it.
    server.apply({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'batch-report-29817340-9xq4t', namespace: 'bookinfo', labels: { 'job-name': 'batch-report-29817340' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'registry.example.com/report:2.1' }] },
      status: { phase: 'Succeeded', podIP: '10.244.1.40' },
    });
    server.appendLog('bookinfo', 'batch-report-29817340-9xq4t', 'report', 'report written to s3://reports/2026-11-22.csv');
    await eventually(() => s.inventory().pods.some((p) => p.name === 'batch-report-29817340-9xq4t'), 3000, 'the new pod');
    const only = await s.podLogs!({ namespace: 'bookinfo', pod: 'batch-report-29817340-9xq4t' });
    expect(only.container).toBe('report');
    expect((await collect(only.lines)).map((l) => l.replace(TIMESTAMPED, ''))).toEqual(['report written to s3://reports/2026-11-22.csv']);
  });

  it('a viewer without get on pods/log gets a 403 naming the verb, the resource and the namespace', async () => {
    const s = await startAs('viewer-token');
    // The viewer still reads the pod itself: only its log is refused.
    expect(s.inventory().pods.some((p) => p.name === POD)).toBe(true);
    const e = await s.podLogs!({ namespace: 'bookinfo', pod: POD, container: 'istio-proxy', tailLines: 10 }).then(() => undefined, (x: unknown) => x as PodLogError);
    expect(e).toBeInstanceOf(PodLogError);
    expect(e!.statusCode).toBe(403);
    expect(e!.message).toBe(`Reading this log needs the RBAC verb "get" on the resource "pods/log" in namespace "bookinfo", and the API server refused it: pods "${POD}" is forbidden: User "jane@example.com" cannot get resource "pods/log" in API group "" in the namespace "bookinfo"`);
    expect(server.requests.filter((r) => r.resource === 'pods/log')).toEqual([]);
  });
});

describe('scopedSource and logs', () => {
  it('reads the log of whichever source the request selected, with that source\'s identity; a source without logs says why', async () => {
    const s = await startAs('viewer-token');
    const admin = createKubernetesSource({ kubeconfigPath: writeKubeconfig([{ name: 'prod', server, token: DEFAULT_TOKEN }]), timing: fastTiming });
    try {
      expect(await admin.synced(10_000)).toBe(true);
      const snapshotLike: MeshSource = { ...createDemoSource({ seed: 1 }), kind: 'snapshot', podLogs: undefined };
      let selected: MeshSource = s;
      const scoped = scopedSource(() => selected, admin);
      const q = { namespace: 'bookinfo', pod: POD, container: 'istio-proxy', tailLines: 1 };
      // The viewer's own identity is refused, even though the shape's (admin) source could read it.
      await expect(scoped.podLogs!(q)).rejects.toMatchObject({ statusCode: 403 });
      selected = admin;
      expect((await collect((await scoped.podLogs!(q)).lines)).map((l) => l.replace(TIMESTAMPED, ''))).toEqual([ACCESS[2]]);
      selected = snapshotLike;
      await expect(scoped.podLogs!(q)).rejects.toMatchObject({ statusCode: 501, message: 'Snapshots do not carry logs: a snapshot records the configuration and the telemetry of its window, never pod logs.' });
    } finally {
      await admin.close();
    }
  });
});

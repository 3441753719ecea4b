/**
 * The real `meshlens serve` against the Kubernetes test API server: in-cluster mode from the service-account mount
 * and KUBERNETES_SERVICE_HOST/PORT, and --kubeconfig with a context switch, over HTTP. No browser needed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, NamespacesResponse } from '@meshlens/model';
import { generateTestTls, startTestApiServer, writeKubeconfig, writeServiceAccountDir, DEFAULT_TOKEN, type TestApiServer, type TestTls } from '@meshlens/sources/testing';
import { startServer, type RunningServer } from './harness.js';

let tls: TestTls;
let api: TestApiServer;
let meshlens: RunningServer | undefined;

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger', namespace: 'payments' }, spec: { selector: { app: 'ledger' }, ports: [{ name: 'grpc', port: 8443 }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
];

beforeAll(async () => {
  tls = generateTestTls();
  api = await startTestApiServer({
    tls,
    objects,
    identities: [
      { token: DEFAULT_TOKEN, user: 'kubernetes-admin' },
      { token: 'sa-token', user: 'system:serviceaccount:meshlens:meshlens', deny: [{ namespaces: ['payments'] }, { allNamespaces: true }] },
    ],
  });
});
afterAll(async () => {
  await meshlens?.stop();
  await api?.close();
});

const get = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${meshlens!.url}${path}`);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
};

describe('meshlens serve --in-cluster', () => {
  it('reads the cluster with the pod service account, and says which namespaces it may not see', async () => {
    const saDir = writeServiceAccountDir(api, 'sa-token');
    // --auth anonymous: in a pod the default is token login (apps/server/src/auth), not what this test is about.
    meshlens = await startServer(['serve', '--in-cluster', '--auth', 'anonymous'], { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(api.url).port, MESHLENS_SA_DIR: saDir });
    const health = await get<HealthResponse>('/api/health');
    expect(health.sources[0]).toMatchObject({ kind: 'kubernetes', state: 'ready', cluster: 'in-cluster', connected: true, objectsByKind: { Namespace: 2, Service: 1, VirtualService: 1 } });
    expect(health.sources[0]!.visibility).toMatchObject({ complete: false, hiddenNamespaces: ['payments'] });
    const namespaces = await get<NamespacesResponse>('/api/namespaces');
    expect(namespaces.namespaces.map((n) => [n.name, n.counts.services, n.counts.istioObjects])).toEqual([['bookinfo', 1, 1], ['payments', 0, 0]]);
    expect(new Set(api.requests.map((r) => r.user))).toEqual(new Set(['system:serviceaccount:meshlens:meshlens']));
    await meshlens.stop();
    meshlens = undefined;
  });

  it('refuses to start outside a pod, saying why', async () => {
    await expect(startServer(['serve', '--in-cluster'], { KUBERNETES_SERVICE_HOST: '', KUBERNETES_SERVICE_PORT: '' })).rejects.toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/);
  });
});

describe('meshlens serve --kubeconfig --context', () => {
  it('opens the named context, lists the others, and follows live edits', async () => {
    const kubeconfig = writeKubeconfig([{ name: 'staging', server: api, token: 'sa-token' }, { name: 'prod', server: api, token: DEFAULT_TOKEN }]);
    meshlens = await startServer(['serve', '--kubeconfig', kubeconfig, '--context', 'prod']);
    const clusters = await get<{ default: string; clusters: Array<{ context: string; current: boolean; default: boolean }> }>('/api/clusters');
    expect(clusters.default).toBe('prod');
    expect(clusters.clusters.map((c) => [c.context, c.current, c.default])).toEqual([['staging', true, false], ['prod', false, true]]);
    expect((await get<NamespacesResponse>('/api/namespaces')).namespaces.map((n) => [n.name, n.counts.services])).toEqual([['bookinfo', 1], ['payments', 1]]);
    expect((await get<NamespacesResponse>('/api/namespaces?cluster=staging')).namespaces.map((n) => [n.name, n.counts.services])).toEqual([['bookinfo', 1], ['payments', 0]]);

    api.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings', namespace: 'bookinfo' }, spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 9080 }] } });
    const deadline = Date.now() + 5000;
    let services = 0;
    while (Date.now() < deadline && services !== 2) {
      services = (await get<NamespacesResponse>('/api/namespaces')).namespaces.find((n) => n.name === 'bookinfo')!.counts.services;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(services).toBe(2);
  });
});

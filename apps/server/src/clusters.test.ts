/** The API over live clusters: two kubeconfig contexts on two test API servers, `?cluster=` and `/api/clusters`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { HealthResponse, KubeObject, NamespacesResponse } from '@meshlens/model';
import { createClusterSet, type ClusterSet } from '@meshlens/sources';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type TestApiServer } from '@meshlens/sources/testing';
import { buildApp } from './app.js';
import type { ClustersResponse } from '@meshlens/model';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'istio-injection': 'enabled' } } });
const svc = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] } });

let prod: TestApiServer;
let staging: TestApiServer;
let clusters: ClusterSet;
let app: FastifyInstance;

beforeAll(async () => {
  const tls = generateTestTls();
  prod = await startTestApiServer({ tls, objects: [ns('shop'), svc('shop', 'cart'), svc('shop', 'checkout')] });
  staging = await startTestApiServer({ tls, istio: false, objects: [ns('shop-staging'), svc('shop-staging', 'cart')] });
  const kubeconfigPath = writeKubeconfig([{ name: 'prod', server: prod, token: DEFAULT_TOKEN }, { name: 'staging', server: staging, token: DEFAULT_TOKEN }]);
  clusters = createClusterSet({ kubeconfigPath, timing: { backoffInitialMs: 20 } });
  await clusters.source.synced!(10_000);
  app = await buildApp({ source: clusters.source, clusters, webRoot: false });
});
afterAll(async () => {
  await app?.close();
  await clusters?.close();
  await prod?.close();
  await staging?.close();
});

describe('clusters', () => {
  it('GET /api/clusters lists the contexts; only the default has started', async () => {
    const res = await app.inject('/api/clusters');
    expect(res.statusCode).toBe(200);
    expect(res.json<ClustersResponse>()).toEqual({
      default: 'prod',
      clusters: [
        { context: 'prod', cluster: 'prod-cluster', server: prod.url, user: 'prod-user', current: true, default: true, started: true, state: 'ready' },
        { context: 'staging', cluster: 'staging-cluster', server: staging.url, user: 'staging-user', current: false, default: false, started: false },
      ],
    });
  });

  it('?cluster= answers from that context, started on first use; no parameter stays on the default', async () => {
    const first = await app.inject('/api/namespaces');
    expect(first.json<NamespacesResponse>().namespaces.map((n) => [n.name, n.counts.services])).toEqual([['shop', 2]]);
    const other = await app.inject('/api/namespaces?cluster=staging');
    expect(other.statusCode).toBe(200);
    expect(other.json<NamespacesResponse>().namespaces.map((n) => [n.name, n.counts.services])).toEqual([['shop-staging', 1]]);
    // Routes with strict query schemas accept it too: the parameter is consumed before validation.
    const graph = await app.inject('/api/graph?cluster=staging&namespaces=shop-staging&includeIdle=true');
    expect(graph.statusCode).toBe(200);
    expect(graph.json<{ elements: { nodes: Array<{ data: { namespace: string } }> } }>().elements.nodes.every((n) => n.data.namespace === 'shop-staging')).toBe(true);
    const wrongCluster = await app.inject('/api/graph?cluster=prod&namespaces=shop-staging');
    expect(wrongCluster.statusCode).toBe(400);
    const listed = (await app.inject('/api/clusters')).json<ClustersResponse>();
    expect(listed.clusters.map((c) => [c.context, c.started, c.state])).toEqual([['prod', true, 'ready'], ['staging', true, 'ready']]);
  });

  it('/api/health reports the selected cluster: connection, objects per kind, visibility', async () => {
    const res = await app.inject('/api/health?cluster=staging');
    const health = res.json<HealthResponse>();
    expect(health.status).toBe('ok');
    expect(health.sources).toEqual([expect.objectContaining({
      name: 'Kubernetes context staging', kind: 'kubernetes', state: 'ready', cluster: 'staging', server: staging.url, connected: true, objects: 2,
      objectsByKind: { Namespace: 1, Service: 1 }, errors: [], telemetry: { kind: 'none' },
      visibility: { complete: true, hiddenKinds: [], hiddenNamespaces: [], forbidden: [] },
    })]);
    expect(Date.parse(health.sources[0]!.lastEventTime!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('an unknown cluster is a 400 naming the known ones', async () => {
    const res = await app.inject('/api/namespaces?cluster=dev');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'querystring/cluster: unknown cluster "dev"; GET /api/clusters lists the contexts (prod, staging)' });
  });
});

/** Prometheus found in the cluster and queried through the API server's service proxy with the kubeconfig's credentials. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@meshlens/model';
import { createPrometheusClient } from '../prometheus/client.js';
import { loadKubeConfig } from './config.js';
import { discoverPrometheus } from './prometheus-discovery.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type ServiceProxyRequest, type TestApiServer, type TestTls } from './testing/index.js';

let tls: TestTls;
let server: TestApiServer;
beforeAll(() => {
  tls = generateTestTls();
});
afterEach(async () => {
  await server?.close();
});

const service = (namespace: string, name: string, labels: Record<string, string>, ports: Array<{ name?: string; port: number }>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels }, spec: { ports } });

async function discover(objects: KubeObject[]) {
  const proxied: ServiceProxyRequest[] = [];
  server = await startTestApiServer({
    tls,
    objects,
    serviceProxy: (req) => {
      proxied.push(req);
      return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'kubernetes-pods' }, value: [1767225600, '1'] }] } }) };
    },
  });
  const { kc } = loadKubeConfig({ kubeconfigPath: writeKubeconfig([{ name: 'prod', server, token: DEFAULT_TOKEN }]) });
  return { found: await discoverPrometheus(kc), proxied };
}

describe('discoverPrometheus', () => {
  it('finds istio-system/prometheus and queries it through the service proxy', async () => {
    const { found, proxied } = await discover([service('istio-system', 'prometheus', { app: 'prometheus' }, [{ name: 'http', port: 9090 }])]);
    expect(found).toEqual({
      url: `${server.url}/api/v1/namespaces/istio-system/services/prometheus:http/proxy`,
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}` },
      caFile: tls.caFile,
      ca: tls.caPem,
      service: { namespace: 'istio-system', name: 'prometheus', port: 'http' },
      description: 'Prometheus istio-system/prometheus:9090 through the API server proxy',
    });
    // The Prometheus client takes the description as it is.
    const client = createPrometheusClient(found!);
    const answer = await client.query('up', 1767225600);
    expect(answer.data).toEqual({ resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'kubernetes-pods' }, value: [1767225600, '1'] }] });
    expect(proxied).toEqual([expect.objectContaining({ method: 'POST', namespace: 'istio-system', service: 'prometheus', port: 'http', path: '/api/v1/query', body: expect.stringContaining('query=up') })]);
  });

  it('otherwise takes a Service labelled as Prometheus, not its Alertmanager', async () => {
    const { found } = await discover([
      service('monitoring', 'alertmanager-main', { 'app.kubernetes.io/name': 'prometheus' }, [{ name: 'web', port: 9093 }]),
      service('monitoring', 'prometheus-k8s', { 'app.kubernetes.io/name': 'prometheus' }, [{ name: 'web', port: 9090 }, { name: 'reloader-web', port: 8080 }]),
      service('default', 'web', { app: 'web' }, [{ port: 80 }]),
    ]);
    expect(found?.url).toBe(`${server.url}/api/v1/namespaces/monitoring/services/prometheus-k8s:web/proxy`);
    expect(found?.description).toBe('Prometheus monitoring/prometheus-k8s:9090 through the API server proxy');
  });

  it('is undefined when the cluster has no Prometheus', async () => {
    const { found } = await discover([service('default', 'web', { app: 'web' }, [{ port: 80 }])]);
    expect(found).toBeUndefined();
  });
});

/** An identity that may not read everything: the rest works, and what is hidden is reported with verb and resource. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesSource, type KubernetesSource } from './source.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, writeServiceAccountDir, DEFAULT_TOKEN, type TestApiServer, type TestTls } from './testing/index.js';
import { eventually, fastTiming, fixtureObjects } from './__fixtures__/helpers.js';

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

const admin = { token: DEFAULT_TOKEN, user: 'kubernetes-admin' };
// Bound by RoleBindings (nothing across all namespaces), none in `payments`, and no Secrets at all.
const viewer = { token: 'viewer-token', user: 'jane@example.com', deny: [{ allNamespaces: true }, { namespaces: ['payments'] }, { resources: ['secrets'] }] };
// Not even allowed to list Namespaces: it knows only its kubeconfig namespace.
const tenant = { token: 'tenant-token', user: 'system:serviceaccount:bookinfo:meshlens', deny: [{ resources: ['namespaces'] }, { allNamespaces: true }, { namespaces: ['payments', 'istio-system'] }] };

async function startAs(token: string, namespace?: string) {
  server = await startTestApiServer({ tls, objects: fixtureObjects(), identities: [admin, viewer, tenant] });
  source = createKubernetesSource({ kubeconfigPath: writeKubeconfig([{ name: 'prod', server, token, namespace }]), timing: fastTiming });
  expect(await source.synced(10_000)).toBe(true);
  return source;
}

const namespacesOf = (s: KubernetesSource) => [...new Set(s.inventory().objects.map((o) => o.ref.namespace ?? '(cluster)'))].sort();

describe('RBAC-limited identities', () => {
  it('watches namespace by namespace when it may not list across namespaces; forbidden namespaces never appear', async () => {
    const s = await startAs('viewer-token');
    expect(namespacesOf(s)).toEqual(['(cluster)', 'bookinfo', 'istio-system']);
    expect(s.inventory().objects.filter((o) => o.ref.namespace === 'payments')).toEqual([]);
    expect(s.inventory().secrets).toEqual([]);
    // Namespaces themselves are cluster-scoped and visible: payments is known to exist, but not what is in it.
    expect([...s.inventory().namespaces.keys()].sort()).toEqual(['bookinfo', 'istio-system', 'payments']);
    expect(s.inventory().istio.VirtualService.map((o) => o.ref.name)).toEqual(['reviews']);
    const v = s.visibility();
    expect(v.complete).toBe(false);
    expect(v.hiddenKinds).toEqual(['Secret']);
    expect(v.hiddenNamespaces).toEqual(['bookinfo', 'istio-system', 'payments']);
    const pods = v.forbidden.filter((f) => f.kind === 'Pod');
    expect(pods).toEqual([{ kind: 'Pod', resource: 'pods', verb: 'list', namespace: 'payments', message: expect.stringContaining('User "jane@example.com" cannot list resource "pods" in API group "" in the namespace "payments"') }]);
    const vsDenied = v.forbidden.find((f) => f.kind === 'VirtualService');
    expect(vsDenied).toMatchObject({ resource: 'virtualservices.networking.istio.io', verb: 'list', namespace: 'payments' });
    expect(v.forbidden.filter((f) => f.kind === 'Secret').map((f) => f.namespace).sort()).toEqual(['bookinfo', 'istio-system', 'payments']);
    // The per-namespace watches are live too.
    server.apply({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'ratings', namespace: 'bookinfo' }, spec: { host: 'ratings' } });
    server.apply({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'ledger', namespace: 'payments' }, spec: { host: 'ledger' } });
    await eventually(() => s.inventory().istio.DestinationRule.length === 2, 3000, 'the new DestinationRule');
    expect(s.inventory().istio.DestinationRule.map((o) => `${o.ref.namespace}/${o.ref.name}`).sort()).toEqual(['bookinfo/ratings', 'bookinfo/reviews']);
    expect(s.status()).toMatchObject({ state: 'ready', connected: true, visibility: v });
  });

  it('starts watching a namespace created later, and drops one that is deleted', async () => {
    const s = await startAs('viewer-token');
    server.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    server.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    await eventually(() => s.inventory().byKey.has('Service/shop/cart'), 3000, 'the Service in the new namespace');
    server.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
    await eventually(() => !s.inventory().byKey.has('Service/shop/cart'), 3000, 'the deleted namespace to be forgotten');
  });

  it('without the right to list Namespaces, reads its kubeconfig namespace and says Namespaces are hidden', async () => {
    const s = await startAs('tenant-token', 'bookinfo');
    expect(namespacesOf(s)).toEqual(['bookinfo']);
    const v = s.visibility();
    // The istio ConfigMap is only looked for in istio-system, which this identity may not read.
    expect(v.hiddenKinds).toEqual(['ConfigMap', 'Namespace']);
    expect(v.forbidden.find((f) => f.kind === 'Namespace')).toEqual({ kind: 'Namespace', resource: 'namespaces', verb: 'list', message: expect.stringContaining('cannot list resource "namespaces" in API group "" at the cluster scope') });
    expect(v.forbidden.find((f) => f.kind === 'ConfigMap')).toMatchObject({ namespace: 'istio-system', verb: 'list' });
    expect(s.inventory().meshConfig.obj).toBeUndefined();
  });
});

describe('in-cluster configuration', () => {
  it('reads KUBERNETES_SERVICE_HOST/PORT and the service-account token and CA from the configured directory', async () => {
    server = await startTestApiServer({ tls, objects: fixtureObjects(), identities: [admin, { token: 'sa-token', user: 'system:serviceaccount:meshlens:meshlens' }] });
    const dir = writeServiceAccountDir(server, 'sa-token');
    const port = new URL(server.url).port;
    source = createKubernetesSource({ inCluster: true, env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port, MESHLENS_SA_DIR: dir }, timing: fastTiming });
    expect(await source.synced(10_000)).toBe(true);
    expect(source.context).toBe('in-cluster');
    expect(source.status()).toMatchObject({ state: 'ready', cluster: 'in-cluster', server: `https://127.0.0.1:${port}`, objects: 27 });
    expect(new Set(server.requests.map((r) => r.user))).toEqual(new Set(['system:serviceaccount:meshlens:meshlens']));
  });

  it('says what is missing outside a pod', () => {
    expect(() => createKubernetesSource({ inCluster: true, env: {} })).toThrow(/KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/);
    expect(() => createKubernetesSource({ inCluster: true, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', MESHLENS_SA_DIR: '/nonexistent/sa' } })).toThrow(/\/nonexistent\/sa\/token does not exist; mount the service-account token/);
  });
});

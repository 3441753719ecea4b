/** The live source and the Kubernetes Gateway API: discovered when its CRDs are installed, simply absent when not. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@meshlens/model';
import { createKubernetesSource, type KubernetesSource } from './source.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type TestApiServer, type TestTls } from './testing/index.js';
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

const GW = 'Gateway.gateway.networking.k8s.io';
const gatewayApiObjects = (v = 'v1'): KubeObject[] => [
  { apiVersion: `gateway.networking.k8s.io/${v}`, kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: 'istio.io/gateway-controller' } },
  // same namespace/name as the fixture's Istio Gateway
  { apiVersion: `gateway.networking.k8s.io/${v}`, kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: 'bookinfo' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  { apiVersion: `gateway.networking.k8s.io/${v}`, kind: 'Gateway', metadata: { name: 'waypoint', namespace: 'bookinfo' }, spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] } },
  { apiVersion: `gateway.networking.k8s.io/${v}`, kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] } },
  { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-bookinfo', namespace: 'payments' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'bookinfo' }], to: [{ group: '', kind: 'Service' }] } },
  { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'ledger', namespace: 'payments' }, spec: { parentRefs: [{ name: 'bookinfo-gateway', namespace: 'bookinfo' }], rules: [{ backendRefs: [{ name: 'ledger', port: 5432 }] }] } },
];

async function start(options: Parameters<typeof startTestApiServer>[0] = {}, token = DEFAULT_TOKEN) {
  server = await startTestApiServer({ tls, bookmarkIntervalMs: 100, ...options });
  const kubeconfigPath = writeKubeconfig([{ name: 'kind-test', server, token }]);
  source = createKubernetesSource({ kubeconfigPath, timing: fastTiming });
  expect(await source.synced(10_000)).toBe(true);
  return source;
}

describe('Gateway API CRDs installed', () => {
  it('discovers every Gateway API kind at its newest served version and lists it; both Gateways of one name are kept', async () => {
    const s = await start({ gatewayApi: true, objects: [...fixtureObjects(), ...gatewayApiObjects()] });
    const versions = s.kinds().filter((k) => k.resource.group === 'gateway.networking.k8s.io').map((k) => `${k.resource.kind} ${k.resource.version} ${k.resource.resource}${k.resource.namespaced ? '' : ' (cluster)'}`);
    expect(versions).toEqual([
      'GatewayClass v1 gatewayclasses (cluster)', 'Gateway v1 gateways', 'HTTPRoute v1 httproutes', 'GRPCRoute v1 grpcroutes',
      'TCPRoute v1alpha2 tcproutes', 'TLSRoute v1alpha2 tlsroutes', 'ReferenceGrant v1beta1 referencegrants',
    ]);
    const inv = s.inventory();
    expect(inv.byKey.get('Gateway/bookinfo/bookinfo-gateway')!.object.apiVersion).toBe('networking.istio.io/v1');
    expect(inv.byKey.get(`${GW}/bookinfo/bookinfo-gateway`)!.object.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(inv.gatewayApi.Gateway.map((o) => o.ref.name).sort()).toEqual(['bookinfo-gateway', 'waypoint']);
    expect(inv.gatewayApi.GatewayClass.map((o) => o.ref)).toEqual([{ kind: 'GatewayClass.gateway.networking.k8s.io', name: 'istio' }]);
    expect(inv.gatewayApi.ReferenceGrant[0]!.object.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
    expect(inv.gatewayApi.TCPRoute[0]!.object.apiVersion).toBe('gateway.networking.k8s.io/v1alpha2');
    expect(inv.istio.Gateway.map((o) => o.ref.name)).toEqual(['bookinfo-gateway']);
    expect(s.status()).toMatchObject({ state: 'ready', errors: [] });
    expect(s.status().objectsByKind).toMatchObject({ Gateway: 1, [GW]: 2, 'HTTPRoute.gateway.networking.k8s.io': 1 });
  });

  it('reads v1beta1 where the CRDs do not serve v1 yet, and has no TCPRoute/TLSRoute without the experimental channel', async () => {
    const s = await start({ gatewayApi: { standardVersions: ['v1beta1'], experimental: false }, objects: [...fixtureObjects(), ...gatewayApiObjects('v1beta1').filter((o) => o.kind !== 'TCPRoute')] });
    const versions = Object.fromEntries(s.kinds().filter((k) => k.resource.group === 'gateway.networking.k8s.io').map((k) => [k.resource.kind, k.resource.version]));
    expect(versions).toEqual({ GatewayClass: 'v1beta1', Gateway: 'v1beta1', HTTPRoute: 'v1beta1', GRPCRoute: 'v1', ReferenceGrant: 'v1beta1' });
    expect(s.inventory().gatewayApi.HTTPRoute[0]!.object.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
  });

  it('follows a new HTTPRoute and a deleted one', async () => {
    const s = await start({ gatewayApi: true, objects: [...fixtureObjects(), ...gatewayApiObjects()] });
    server.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'ratings', namespace: 'bookinfo' }, spec: { parentRefs: [{ name: 'waypoint', kind: 'Gateway', group: 'gateway.networking.k8s.io' }] } });
    await eventually(() => s.inventory().byKey.has('HTTPRoute.gateway.networking.k8s.io/bookinfo/ratings'), 5000, 'the new HTTPRoute');
    server.delete({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' });
    await eventually(() => !s.inventory().byKey.has(`${GW}/bookinfo/bookinfo-gateway`), 5000, 'the Gateway API Gateway to go');
    // the Istio Gateway of the same name stays
    expect(s.inventory().byKey.has('Gateway/bookinfo/bookinfo-gateway')).toBe(true);
  });

  it('a Gateway API Gateway RBAC hides is reported by its qualified kind, not as Istio Gateways', async () => {
    const s = await start({
      gatewayApi: true,
      objects: [...fixtureObjects(), ...gatewayApiObjects()],
      identities: [{ token: 'restricted', user: 'system:serviceaccount:meshlens:meshlens', deny: [{ resources: ['gateways'], groups: ['gateway.networking.k8s.io'] }] }],
    }, 'restricted');
    expect(s.visibility().hiddenKinds).toEqual([GW]);
    expect(s.inventory().istio.Gateway.map((o) => o.ref.name)).toEqual(['bookinfo-gateway']);
    expect(s.visibility().forbidden.map((f) => `${f.kind} ${f.resource}`)).toContain(`${GW} gateways.gateway.networking.k8s.io`);
  });
});

describe('Gateway API CRDs absent', () => {
  it('syncs with no Gateway API kind, no watch of one and no error', async () => {
    const s = await start({ objects: fixtureObjects() });
    expect(s.kinds().some((k) => k.resource.group === 'gateway.networking.k8s.io')).toBe(false);
    expect(Object.values(s.inventory().gatewayApi).flat()).toEqual([]);
    expect(s.status()).toMatchObject({ state: 'ready', connected: true, errors: [] });
    expect(server.requests.some((r) => r.path.includes('gateway.networking.k8s.io'))).toBe(false);
  });
});

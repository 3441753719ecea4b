import { describe, expect, it } from 'vitest';
import { checkInventory } from './index.js';
import { findingsOf, inventoryOf } from './__fixtures__/load.js';
import { full, rawObject as raw, replayEdits } from './__fixtures__/full.js';

// Gateway API checks (gateway-api-routes.ts, gateway-api-gateways.ts) on __fixtures__/gateway-api: base.yaml is a
// shop behind a shared Gateway of istio-ingress; good.yaml attaches routes that resolve; bad.yaml breaks each rule.
const BASE = 'gateway-api/base.yaml';
const GW = 'Gateway.gateway.networking.k8s.io';
const find = (code: string, name: string, path?: string) =>
  checkInventory(inventoryOf(BASE, 'gateway-api/bad.yaml')).find((f) => f.code === code && f.object.name === name && (!path || f.path === path))!;

describe('Gateway API: a shared gateway, cross-namespace backends, GAMMA and egress routes (good.yaml)', () => {
  it('finds nothing at all', () => {
    expect(findingsOf(BASE, 'gateway-api/good.yaml')).toEqual([]);
  });
});

describe('Gateway API: what goes wrong (bad.yaml)', () => {
  it('reports every broken reference, conflict and missing object, each with the objects involved', () => {
    expect(checkInventory(inventoryOf(BASE, 'gateway-api/bad.yaml')).map(full)).toEqual([
      // parentRef to a Gateway that does not exist
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io shop/missing-gateway spec.parentRefs[0].name @11',
      // no namespace written: looked up in shop, while the Gateway lives in istio-ingress
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io shop/gateway-in-own-namespace spec.parentRefs[0].name @25\n  → Gateway.gateway.networking.k8s.io istio-ingress/public metadata.name @43',
      // catalog lacks the label the listeners' allowedRoutes selector asks for (Kiali's "inaccessible")
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io catalog/products spec.parentRefs[0].name @38\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[0] @48\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[1] @58',
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io shop/admin spec.parentRefs[0].sectionName @56\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners @47',
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io shop/other-domain spec.hostnames @71\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[0].hostname @49\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[1].hostname @59',
      // backends: missing, cross-namespace without a ReferenceGrant, written as a host, on a port the Service lacks
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io shop/bad-backends spec.rules[0].backendRefs[0].name @96',
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io shop/bad-backends spec.rules[1].backendRefs[0].namespace @104\n  → Service catalog/products metadata.name @147',
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io shop/bad-backends spec.rules[2].backendRefs[0].name @111',
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io shop/bad-backends spec.rules[3].backendRefs[0].port @115\n  → Service shop/storefront spec.ports @88',
      // a GAMMA route on a Service that does not exist
      'KIA1402 error GRPCRoute.gateway.networking.k8s.io shop/inventory spec.parentRefs[0].name @126',
      // the egress pattern Kiali skips: a missing ServiceEntry parent, a Hostname backend no ServiceEntry defines
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io egress/httpbin spec.parentRefs[0].name @141',
      'KIA1402 error HTTPRoute.gateway.networking.k8s.io egress/httpbin spec.rules[0].backendRefs[0].name @146',
      'KIA1502 warning Gateway.gateway.networking.k8s.io istio-ingress/public-copy spec.addresses[0].value @157\n  → Gateway.gateway.networking.k8s.io shop/internal spec.addresses @186',
      'KIA1501 warning Gateway.gateway.networking.k8s.io istio-ingress/public-copy spec.listeners[0].hostname @160\n  → Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[0].hostname @49',
      'MLS0602 error Gateway.gateway.networking.k8s.io istio-ingress/public-copy spec.listeners[1].tls.certificateRefs[0].namespace @170',
      'KIA1504 error Gateway.gateway.networking.k8s.io shop/internal spec.gatewayClassName @185\n  → GatewayClass.gateway.networking.k8s.io /istio metadata.name @36',
      'KIA1502 warning Gateway.gateway.networking.k8s.io shop/internal spec.addresses[0].value @188\n  → Gateway.gateway.networking.k8s.io istio-ingress/public-copy spec.addresses @156',
      'MLS0601 error Gateway.gateway.networking.k8s.io shop/internal spec.listeners[1].name @193\n  → Gateway.gateway.networking.k8s.io shop/internal spec.listeners[0].name @190',
      // two hostname-less listeners on 8080/HTTP (Kiali compares only listeners with hostnames)
      'KIA1503 error Gateway.gateway.networking.k8s.io shop/internal spec.listeners[2].name @196\n  → Gateway.gateway.networking.k8s.io shop/internal spec.listeners[0] @190',
      'MLS0602 error Gateway.gateway.networking.k8s.io shop/internal spec.listeners[3].tls.certificateRefs[0].name @205',
      'KIA1601 error ReferenceGrant.gateway.networking.k8s.io catalog/allow-storefront spec.from[0].namespace @216',
      // an HTTPRoute on a Gateway whose only listener is TCP
      'KIA1401 error HTTPRoute.gateway.networking.k8s.io shop/db-admin spec.parentRefs[0].name @240\n  → Gateway.gateway.networking.k8s.io shop/db spec.listeners[0] @229',
      // base.yaml's Gateway is told of the conflict too, on its own line
      'KIA1501 warning Gateway.gateway.networking.k8s.io istio-ingress/public spec.listeners[0].hostname @49\n  → Gateway.gateway.networking.k8s.io istio-ingress/public-copy spec.listeners[0].hostname @160',
    ]);
  });

  it('says why in the route\'s words and what to write', () => {
    const own = find('KIA1401', 'gateway-in-own-namespace');
    expect(own.message).toBe('This HTTPRoute is attached to Gateway shop/public, which does not exist (a Gateway of that name exists in namespace istio-ingress): the route is accepted by no gateway, so its rules serve no traffic there.');
    expect(own.fix).toBe('Set namespace: istio-ingress on this parentRef.');
    const products = find('KIA1401', 'products');
    expect(products.message).toBe('Gateway istio-ingress/public does not accept routes from namespace catalog: "http" admits namespaces labelled shared-gateway-access=true and "https" admits namespaces labelled shared-gateway-access=true (allowedRoutes.namespaces). The route is refused (NotAllowedByListeners) and serves no traffic there.');
    expect(products.fix).toBe('Label namespace catalog shared-gateway-access=true (kubectl label namespace catalog shared-gateway-access=true), or widen allowedRoutes.namespaces on listener "http" of Gateway istio-ingress/public.');
    expect(find('KIA1401', 'db-admin').message).toBe('No listener of Gateway shop/db accepts an HTTPRoute: "postgres" is TCP. The route is refused (NotAllowedByListeners) and serves no traffic there.');
    const grant = find('KIA1402', 'bad-backends', 'spec.rules[1].backendRefs[0].namespace');
    expect(grant.message).toBe('This backendRef sends to Service catalog/products in another namespace, and no ReferenceGrant in namespace catalog allows HTTPRoutes of namespace shop to refer to it: the reference is refused (RefNotPermitted) and requests this rule sends there get HTTP 500.');
    expect(grant.fix).toBe('Add to namespace catalog: apiVersion: gateway.networking.k8s.io/v1beta1, kind: ReferenceGrant, metadata: {name: allow-shop-httproutes, namespace: catalog}, spec: {from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}], to: [{group: "", kind: Service, name: products}]}.');
    expect(find('KIA1402', 'bad-backends', 'spec.rules[2].backendRefs[0].name').fix).toBe('Write name: storefront and namespace: shop (a Service reference takes the Service\'s name, not its host).');
    expect(find('KIA1402', 'httpbin', 'spec.rules[0].backendRefs[0].name').message).toBe('This backendRef sends to host httpbin.com, which no ServiceEntry (or Service) visible from namespace egress defines: the backend cannot be resolved and requests this rule sends there get HTTP 500.');
    expect(find('KIA1503', 'internal').message).toBe('Listener "web-alt" has the same hostname, port and protocol ((any hostname):8080 HTTP) as listener "web": each listener must have a unique combination, so the controller marks them Conflicted and does not serve this one as written.');
    expect(find('KIA1504', 'internal').message).toBe('GatewayClass "istio-internal" does not exist (GatewayClasses: istio), so no controller programs this Gateway: it gets no proxy and no address, and routes attached to it serve nothing.');
    expect(find('KIA1601', 'allow-storefront').message).toBe('This ReferenceGrant allows HTTPRoutes of namespace shopp, which does not exist: it grants nothing (or will grant whoever creates that namespace later).');
    // Kiali's codes, no istioctl alias: istioctl reports these through the controller's status conditions only
    expect(find('KIA1402', 'inventory').istioCode).toBeUndefined();
    expect(find('KIA1501', 'public').severity).toBe('warning');
  });

  it('knows the classes istiod creates itself, and never reports an Istio Gateway API object twice', () => {
    const findings = checkInventory(inventoryOf(BASE, 'gateway-api/bad.yaml'));
    expect(findings.filter((f) => f.code === 'KIA1504').map((f) => f.object.name)).toEqual(['internal']);
    expect(findings.filter((f) => f.object.kind === 'Gateway')).toEqual([]);
  });

  it('update(): granting, labelling and creating what is missing removes exactly those findings, as a full run does', () => {
    replayEdits([BASE, 'gateway-api/bad.yaml'], /^(KIA14|KIA15|KIA16|MLS06)/, [
      [{ kind: 'ReferenceGrant.gateway.networking.k8s.io', namespace: 'catalog', name: 'allow-shop-routes' }, () => ({
        apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow-shop-routes', namespace: 'catalog' },
        spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service' }] },
      }), '-KIA1402 shop/bad-backends spec.rules[1].backendRefs[0].namespace'],
      [{ kind: 'Namespace', name: 'catalog' }, (o) => {
        const ns = raw(o, 'Namespace', undefined as unknown as string, 'catalog');
        ns.metadata.labels['shared-gateway-access'] = 'true';
        return ns;
      }, '-KIA1401 catalog/products spec.parentRefs[0].name'],
      [{ kind: 'Secret', namespace: 'shop', name: 'internal-cert' }, () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'internal-cert', namespace: 'shop' }, type: 'kubernetes.io/tls' }),
        '-MLS0602 shop/internal spec.listeners[3].tls.certificateRefs[0].name'],
      [{ kind: GW, namespace: 'istio-ingress', name: 'public-copy' }, () => null,
        '-KIA1502 istio-ingress/public-copy spec.addresses[0].value, -KIA1501 istio-ingress/public-copy spec.listeners[0].hostname, -MLS0602 istio-ingress/public-copy spec.listeners[1].tls.certificateRefs[0].namespace, -KIA1502 shop/internal spec.addresses[0].value, -KIA1501 istio-ingress/public spec.listeners[0].hostname'],
      [{ kind: 'GatewayClass.gateway.networking.k8s.io', name: 'istio-internal' }, () => ({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio-internal' }, spec: { controllerName: 'istio.io/gateway-controller' },
      }), '-KIA1504 shop/internal spec.gatewayClassName'],
      [{ kind: 'ServiceEntry', namespace: 'egress', name: 'httpbin' }, () => ({
        apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin', namespace: 'egress' },
        spec: { hosts: ['httpbin.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' },
      }), '-KIA1402 egress/httpbin spec.parentRefs[0].name, -KIA1402 egress/httpbin spec.rules[0].backendRefs[0].name'],
    ], (actual, expected, label) => expect(actual, label).toEqual(expected));
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatRef, kindLabel, refKey, refKindOf, refOf, splitRefKind } from '@meshlens/model';
import {
  buildInventory, GATEWAY_API_KINDS, ingressUsesWaypoint, inAmbientMesh, isWaypoint, parseManifests, waypointOf, waypoints, ztunnelPods,
} from './index.js';
import { createCheckEngine, referencesOf } from '../checks/index.js';

const text = readFileSync(fileURLToPath(new URL('./__fixtures__/gateway-api.yaml', import.meta.url)), 'utf8');
const load = () => parseManifests(text, { file: 'gateway-api.yaml' });
const GW = 'Gateway.gateway.networking.k8s.io';

describe('Gateway API kinds are keyed by group and kind', () => {
  it('qualifies the kinds of the Gateway API group and leaves core, apps and Istio kinds bare', () => {
    expect(refKindOf('gateway.networking.k8s.io/v1', 'Gateway')).toBe(GW);
    expect(refKindOf('gateway.networking.k8s.io/v1alpha2', 'TCPRoute')).toBe('TCPRoute.gateway.networking.k8s.io');
    expect(refKindOf('networking.istio.io/v1', 'Gateway')).toBe('Gateway');
    expect(refKindOf('v1', 'Service')).toBe('Service');
    expect(refKindOf('apps/v1', 'Deployment')).toBe('Deployment');
    expect(refOf({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' } })).toEqual({ kind: 'GatewayClass.gateway.networking.k8s.io', name: 'istio' });
    expect(splitRefKind(GW)).toEqual({ kind: 'Gateway', group: 'gateway.networking.k8s.io' });
    expect(splitRefKind('Gateway')).toEqual({ kind: 'Gateway' });
    expect(splitRefKind('Odd.example.com')).toEqual({ kind: 'Odd.example.com' });
    expect(kindLabel('XListenerSet.gateway.networking.x-k8s.io')).toBe('XListenerSet (gateway.networking.x-k8s.io)');
    expect(kindLabel(GW)).toBe('Gateway (Gateway API)');
    expect(kindLabel('Gateway')).toBe('Gateway');
    expect(kindLabel('HTTPRoute.gateway.networking.k8s.io')).toBe('HTTPRoute');
  });

  it('loads an Istio Gateway and a Gateway API Gateway of the same namespace/name as two objects, without a duplicate error', () => {
    const { objects, errors } = load();
    expect(errors).toEqual([]);
    const inv = buildInventory(objects);
    expect(inv.errors).toEqual([]);
    const istio = inv.byKey.get(refKey({ kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' }))!;
    const k8s = inv.byKey.get(refKey({ kind: GW, namespace: 'bookinfo', name: 'bookinfo-gateway' }))!;
    expect(istio.object.apiVersion).toBe('networking.istio.io/v1');
    expect(k8s.object.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(k8s.object.kind).toBe('Gateway');
    expect(formatRef(k8s.ref)).toBe('Gateway (Gateway API) bookinfo/bookinfo-gateway');
    expect(formatRef(istio.ref)).toBe('Gateway bookinfo/bookinfo-gateway');
    expect(inv.istio.Gateway.map((o) => o.ref.name)).toEqual(['bookinfo-gateway']);
    expect(inv.gatewayApi.Gateway.map((o) => o.ref.name)).toEqual(['bookinfo-gateway', 'waypoint']);
  });

  it('indexes every Gateway API kind at the version it was written in; GatewayClass is cluster-scoped', () => {
    const inv = buildInventory(load().objects);
    const got = Object.fromEntries(GATEWAY_API_KINDS.map((k) => [k, inv.gatewayApi[k].map((o) => `${o.object.apiVersion} ${o.ref.namespace ?? '-'}/${o.ref.name}`)]));
    expect(got).toEqual({
      GatewayClass: ['gateway.networking.k8s.io/v1 -/istio'],
      Gateway: ['gateway.networking.k8s.io/v1 bookinfo/bookinfo-gateway', 'gateway.networking.k8s.io/v1 bookinfo/waypoint'],
      HTTPRoute: ['gateway.networking.k8s.io/v1 bookinfo/bookinfo'],
      GRPCRoute: ['gateway.networking.k8s.io/v1 bookinfo/ratings-grpc'],
      TCPRoute: ['gateway.networking.k8s.io/v1alpha2 bookinfo/mongo'],
      TLSRoute: ['gateway.networking.k8s.io/v1alpha2 bookinfo/passthrough'],
      ReferenceGrant: ['gateway.networking.k8s.io/v1beta1 legacy/allow-bookinfo-routes'],
    });
    // a cluster-scoped GatewayClass gets no namespace even when read with a default one
    expect(inv.byKey.get('GatewayClass.gateway.networking.k8s.io//istio')?.object.metadata.namespace).toBeUndefined();
    // positions still point at the written lines
    expect(inv.byKey.get(refKey({ kind: 'HTTPRoute.gateway.networking.k8s.io', namespace: 'bookinfo', name: 'bookinfo' }))!.origin.line).toBe(56);
  });

  it('never shows the findings of the Istio Gateway on the Gateway API Gateway of the same name', () => {
    const inv = buildInventory(load().objects);
    const engine = createCheckEngine(inv);
    const istioRef = { kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' };
    const k8sRef = { kind: GW, namespace: 'bookinfo', name: 'bookinfo-gateway' };
    // the Istio Gateway selects istio=ingressgateway, which no pod of this input carries
    const istioFindings = engine.findingsFor(istioRef);
    expect(istioFindings.length).toBeGreaterThan(0);
    expect(istioFindings.every((f) => f.object.kind === 'Gateway')).toBe(true);
    expect(engine.findingsFor(k8sRef)).toEqual([]);
    expect(engine.findings().filter((f) => f.object.kind === GW)).toEqual([]);
    expect(engine.findingsInvolving(k8sRef)).toEqual([]);
    expect(referencesOf(inv, k8sRef).referencedBy).toEqual([]);
  });
});

describe('Istio checks and Gateway API Gateways', () => {
  it('a VirtualService bound to a Gateway API Gateway (no Istio Gateway of that name) finds it by its qualified key', () => {
    const vs = parseManifests(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
  namespace: bookinfo
spec:
  hosts: [productpage]
  gateways: [waypoint, missing]
  http:
  - route:
    - destination:
        host: productpage
`, { file: 'vs.yaml' }).objects;
    const inv = buildInventory([...load().objects, ...vs]);
    const engine = createCheckEngine(inv);
    const codes = engine.findingsFor({ kind: 'VirtualService', namespace: 'bookinfo', name: 'productpage' }).filter((f) => f.code === 'KIA1102').map((f) => f.path);
    expect(codes).toEqual(['spec.gateways[1]']);
  });
});

describe('ambient mode in the inventory', () => {
  it('reads enrollment, waypoint use and ingress-use-waypoint from namespaces, pods and Services', () => {
    const inv = buildInventory(load().objects);
    const bookinfo = inv.namespaces.get('bookinfo')!;
    expect(bookinfo).toMatchObject({ ambient: true, useWaypoint: 'waypoint', ingressUseWaypoint: false });
    expect(inv.namespaces.get('legacy')).toMatchObject({ ambient: false, injection: true, ingressUseWaypoint: false });
    const productpage = inv.workloadsByKey.get('bookinfo/productpage-v1')!;
    const reviews = inv.workloadsByKey.get('bookinfo/reviews-v1')!;
    expect(inAmbientMesh(inv, productpage)).toBe(true);
    expect(inAmbientMesh(inv, productpage.pods[0]!)).toBe(true);
    // the pod's own istio.io/dataplane-mode=none opts out of its namespace's ambient mode
    expect(inAmbientMesh(inv, reviews)).toBe(false);
    expect(waypointOf(inv, productpage)).toBe('bookinfo/waypoint');
    expect(waypointOf(inv, reviews)).toBe('waypoints/reviews-waypoint');
    const svc = inv.services.find((s) => s.name === 'productpage')!;
    const svcLabels = { namespace: svc.namespace, labels: svc.obj.object.metadata.labels ?? {} };
    expect(ingressUsesWaypoint(inv, svcLabels)).toBe(true);
    expect(ingressUsesWaypoint(inv, { namespace: 'bookinfo', labels: {} })).toBe(false);
    expect(waypointOf(inv, { namespace: 'bookinfo', labels: { 'istio.io/use-waypoint': 'none' } })).toBeUndefined();
    expect(waypointOf(inv, { namespace: 'legacy', labels: {} })).toBeUndefined();
  });

  it('finds the waypoints (Gateways of class istio-waypoint, never Istio Gateways) and the ztunnel pods', () => {
    const inv = buildInventory(load().objects);
    expect(waypoints(inv).map((g) => refKey(g.ref))).toEqual([`${GW}/bookinfo/waypoint`]);
    expect(inv.objects.filter(isWaypoint).map((g) => g.ref.name)).toEqual(['waypoint']);
    expect(ztunnelPods(inv).map((p) => `${p.namespace}/${p.name} ${p.workload}`)).toEqual(['istio-system/ztunnel-7xk2p ztunnel']);
    expect(inv.workloadsByKey.get('istio-system/ztunnel')?.kind).toBe('DaemonSet');
  });
});

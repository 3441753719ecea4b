import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory/index.js';
import { checkInventory } from '../checks/index.js';
import { buildGraph } from '../graph/index.js';
import { inventory, shopSamples, WINDOW } from './__fixtures__/load.js';
import {
  applicationRows, configForService, configForWorkload, controlPlaneSummary, entityModel, focusGraph, namespaceMtls, namespaceOverviews, serviceDetail,
  serviceRows, workloadDetail, workloadEntity, workloadRows, entityNodeIds, namespaceInjection, trafficEdges, namespaceSparklines,
} from './index.js';

const inv = inventory('shop.yaml');
const findings = checkInventory(inv);
const model = () => entityModel({ inv, samples: shopSamples(), findings, namespaces: [...inv.namespaces.keys()].sort(), ...WINDOW });
const wl = (ns: string, name: string) => inv.workloadsByKey.get(`${ns}/${name}`)!;
const svc = (ns: string, name: string) => inv.servicesByHost.get(`${name}.${ns}.svc.cluster.local`)!;
const configOf = (list: ReturnType<typeof configForWorkload>) => list.map((a) => [`${a.obj.ref.kind} ${a.obj.ref.namespace}/${a.obj.ref.name}`, a.via, a.badges]);

describe('mTLS mode of a namespace', () => {
  it('namespace PeerAuthentication over the mesh-wide one over the default; UNSET inherits', () => {
    const mesh = { kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' };
    expect(namespaceMtls(inv, 'payments')).toEqual({ mode: 'PERMISSIVE', source: 'namespace', policy: { kind: 'PeerAuthentication', namespace: 'payments', name: 'default' }, workloadPolicies: [] });
    expect(namespaceMtls(inv, 'shop')).toEqual({ mode: 'STRICT', source: 'mesh', policy: mesh, workloadPolicies: [{ kind: 'PeerAuthentication', namespace: 'shop', name: 'checkout-metrics' }] });
    expect(namespaceMtls(inv, 'legacy')).toEqual({ mode: 'STRICT', source: 'mesh', policy: mesh, workloadPolicies: [] });
    expect(namespaceMtls(inv, 'istio-system')).toEqual({ mode: 'STRICT', source: 'mesh', policy: mesh, workloadPolicies: [] });
    // Without the mesh-wide policy: Istio's default, PERMISSIVE, except where a namespace says otherwise.
    const noMesh = buildInventory(inv.objects.filter((o) => !(o.ref.kind === 'PeerAuthentication' && o.ref.namespace === 'istio-system')));
    expect(namespaceMtls(noMesh, 'shop')).toEqual({ mode: 'PERMISSIVE', source: 'default', workloadPolicies: [{ kind: 'PeerAuthentication', namespace: 'shop', name: 'checkout-metrics' }] });
    expect(namespaceMtls(noMesh, 'legacy')).toEqual({ mode: 'PERMISSIVE', source: 'default', workloadPolicies: [] });
    expect(namespaceMtls(noMesh, 'payments')).toMatchObject({ mode: 'PERMISSIVE', source: 'namespace' });
  });

  it('reads the injection and revision labels, flagging more than one (IST0123)', () => {
    expect(namespaceInjection({ 'istio-injection': 'enabled' })).toEqual({ mode: 'enabled', label: 'istio-injection=enabled', revision: 'default' });
    expect(namespaceInjection({ 'istio.io/rev': 'canary' })).toEqual({ mode: 'revision', label: 'istio.io/rev=canary', revision: 'canary' });
    expect(namespaceInjection({ 'istio-injection': 'disabled', 'istio.io/rev': '1-24-0' })).toEqual({ mode: 'disabled', label: 'istio-injection=disabled', conflicting: true });
    expect(namespaceInjection({ 'istio.io/dataplane-mode': 'ambient' })).toEqual({ mode: 'ambient', label: 'istio.io/dataplane-mode=ambient' });
    expect(namespaceInjection({})).toEqual({ mode: 'unset' });
  });
});

describe('Istio configuration that applies', () => {
  it('to a workload: its Services\' VirtualServices and DestinationRules (CB only from a subset that selects it), the Gateways they bind, and its policies by selector, namespace and mesh', () => {
    expect(configOf(configForWorkload(inv, wl('shop', 'cart-v1')))).toEqual([
      ['DestinationRule shop/cart', 'host', ['DR']],
      ['Gateway shop/shop-gateway', 'gateway', ['GW']],
      ['PeerAuthentication istio-system/default', 'mesh', ['PA']],
      ['Sidecar shop/default', 'namespace', ['SC']],
      ['VirtualService shop/cart', 'host', ['VS', 'RR', 'TS', 'RT']],
    ]);
    expect(configOf(configForWorkload(inv, wl('shop', 'cart-v2')))[0]).toEqual(['DestinationRule shop/cart', 'host', ['DR', 'CB']]);
    expect(configOf(configForWorkload(inv, wl('shop', 'checkout')))).toEqual([
      ['AuthorizationPolicy shop/checkout-from-cart', 'selector', ['AP']],
      ['PeerAuthentication istio-system/default', 'mesh', ['PA']],
      ['PeerAuthentication shop/checkout-metrics', 'selector', ['PA']],
      ['Sidecar shop/default', 'namespace', ['SC']],
    ]);
    // The gateway proxy: the Gateway that selects it.
    expect(configOf(configForWorkload(inv, wl('istio-system', 'istio-ingressgateway')))).toEqual([
      ['Gateway shop/shop-gateway', 'selector', ['GW']],
      ['PeerAuthentication istio-system/default', 'mesh', ['PA']],
    ]);
  });

  it('to a Service: its host configuration, a circuit breaker in any subset', () => {
    expect(configOf(configForService(inv, svc('shop', 'cart')))).toEqual([
      ['DestinationRule shop/cart', 'host', ['DR', 'CB']],
      ['Gateway shop/shop-gateway', 'gateway', ['GW']],
      ['VirtualService shop/cart', 'host', ['VS', 'RR', 'TS', 'RT']],
    ]);
    expect(configForService(inv, svc('payments', 'ledger'))).toEqual([]);
  });
});

describe('list rows', () => {
  it('workloads: health from inbound, outbound and replicas; missing sidecars; rates; findings of their objects and config', () => {
    const rows = workloadRows(model());
    expect(rows.map((r) => [`${r.namespace}/${r.name}`, r.kind, r.health, r.missingSidecar, r.traffic, r.findings, r.istioConfig.badges, r.services])).toEqual([
      ['istio-system/istio-ingressgateway', 'Deployment', { status: 'Degraded', reason: '5xx on 4.5% of outbound requests (degraded above 0%)', outbound: { rate: 11, errorRatio: 0.0455 }, replicas: { desired: 2, current: 2, available: 2 } }, false, { requestRate: 0 }, { error: 0, warning: 2, info: 0 }, ['GW', 'PA'], []],
      ['istio-system/istiod-1-24-0', 'Deployment', { status: 'Healthy', replicas: { desired: 1, current: 1, available: 1 } }, false, { requestRate: 0 }, { error: 0, warning: 0, info: 0 }, ['PA'], []],
      ['legacy/mainframe-adapter', 'Deployment', { status: 'Healthy', replicas: { desired: 1, current: 1, available: 1, assumed: true } }, true, { requestRate: 0 }, { error: 0, warning: 0, info: 0 }, ['PA'], []],
      ['payments/ledger', 'Deployment', { status: 'Healthy', replicas: { desired: 1, current: 1, available: 1, assumed: true } }, false, { requestRate: 0 }, { error: 0, warning: 0, info: 0 }, ['PA'], ['ledger']],
      ['shop/cart-v1', 'Deployment', { status: 'Degraded', reason: '5xx on 5% of inbound requests (degraded above 0%)', requests: { rate: 10, errorRatio: 0.05 }, replicas: { desired: 2, current: 2, available: 2 } }, false, { requestRate: 10, errorPercent: 5 }, { error: 0, warning: 2, info: 0 }, ['VS', 'RR', 'TS', 'RT', 'DR', 'GW', 'SC', 'PA'], ['cart']],
      ['shop/cart-v2', 'Deployment', { status: 'Failure', reason: '5xx on 40% of outbound requests (failure from 10%)', requests: { rate: 1, errorRatio: 0.15 }, outbound: { rate: 1, errorRatio: 0.4 }, replicas: { desired: 2, current: 2, available: 1 } }, false, { requestRate: 1, errorPercent: 15 }, { error: 0, warning: 2, info: 0 }, ['VS', 'RR', 'TS', 'RT', 'DR', 'CB', 'GW', 'SC', 'PA'], ['cart']],
      ['shop/checkout', 'Deployment', { status: 'Failure', reason: '0 of 1 replicas available', requests: { rate: 0.6, errorRatio: 0 }, replicas: { desired: 1, current: 1, available: 0 } }, false, { requestRate: 0.6, errorPercent: 0 }, { error: 0, warning: 0, info: 0 }, ['SC', 'PA', 'AP'], ['checkout']],
      ['shop/reports', 'Deployment', { status: 'NotReady', reason: 'scaled to 0 replicas', replicas: { desired: 0, current: 0, available: 0 } }, false, { requestRate: 0 }, { error: 0, warning: 0, info: 0 }, ['SC', 'PA'], []],
    ]);
  });

  it('services: request health only (the client-side UO overflows count against checkout); applications: merged workloads', () => {
    const m = model();
    expect(serviceRows(m).map((r) => [`${r.namespace}/${r.name}`, r.health, r.traffic, r.workloads, r.ports])).toEqual([
      ['payments/ledger', { status: 'NA' }, { requestRate: 0 }, ['ledger'], ['http 80/TCP']],
      ['shop/cart', { status: 'Degraded', reason: '5xx on 4.5% of inbound requests (degraded above 0%)', requests: { rate: 11, errorRatio: 0.0455 } }, { requestRate: 11, errorPercent: 5.9 }, ['cart-v1', 'cart-v2'], ['http-web 8080/TCP']],
      ['shop/checkout', { status: 'Failure', reason: '5xx on 40% of inbound requests (failure from 10%)', requests: { rate: 1, errorRatio: 0.4 } }, { requestRate: 1, errorPercent: 40 }, ['checkout'], ['grpc 9090/TCP']],
    ]);
    const cart = applicationRows(m).find((r) => r.namespace === 'shop' && r.name === 'cart')!;
    expect(cart).toEqual({
      namespace: 'shop', name: 'cart', labels: { app: 'cart' },
      health: { status: 'Failure', reason: '5xx on 40% of outbound requests (failure from 10%)', requests: { rate: 11, errorRatio: 0.0455 }, outbound: { rate: 1, errorRatio: 0.4 }, replicas: { desired: 4, current: 4, available: 3 } },
      missingSidecar: false, ambient: false,
      istioConfig: {
        objects: [
          { ref: { kind: 'DestinationRule', namespace: 'shop', name: 'cart' }, via: 'host', badges: ['DR', 'CB'], findings: { error: 0, warning: 0, info: 0 } },
          { ref: { kind: 'Gateway', namespace: 'shop', name: 'shop-gateway' }, via: 'gateway', badges: ['GW'], findings: { error: 0, warning: 1, info: 0 } },
          { ref: { kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' }, via: 'mesh', badges: ['PA'], findings: { error: 0, warning: 0, info: 0 } },
          { ref: { kind: 'Sidecar', namespace: 'shop', name: 'default' }, via: 'namespace', badges: ['SC'], findings: { error: 0, warning: 0, info: 0 } },
          { ref: { kind: 'VirtualService', namespace: 'shop', name: 'cart' }, via: 'host', badges: ['VS', 'RR', 'TS', 'RT'], findings: { error: 0, warning: 1, info: 0 } },
        ],
        badges: ['VS', 'RR', 'TS', 'RT', 'DR', 'CB', 'GW', 'SC', 'PA'],
      },
      traffic: { requestRate: 11, errorPercent: 5.9 },
      findings: { error: 0, warning: 2, info: 0 },
      workloads: ['cart-v1', 'cart-v2'], versions: ['v1', 'v2'], services: ['cart'],
    });
  });
});

describe('the Overview', () => {
  it('counts health per entity type, sums inbound traffic, resolves mTLS and injection, and keeps the worst status', () => {
    const cards = namespaceOverviews(model(), ['payments', 'shop']);
    const none = { healthy: 0, degraded: 0, failure: 0, notReady: 0, noTraffic: 0 };
    expect(cards).toEqual([
      {
        name: 'payments', labels: { 'istio-injection': 'enabled' },
        injection: { mode: 'enabled', label: 'istio-injection=enabled', revision: 'default' },
        mtls: { mode: 'PERMISSIVE', source: 'namespace', policy: { kind: 'PeerAuthentication', namespace: 'payments', name: 'default' }, workloadPolicies: [] },
        isControlPlane: false,
        counts: { applications: 1, workloads: 1, services: 1, istioObjects: 1 },
        health: { applications: { ...none, healthy: 1 }, workloads: { ...none, healthy: 1 }, services: { ...none, noTraffic: 1 } },
        traffic: { requestRate: 0 },
        findings: { error: 0, warning: 0, info: 0 },
        worstStatus: 'Healthy',
      },
      {
        name: 'shop', labels: { 'istio.io/rev': '1-24-0' },
        injection: { mode: 'revision', label: 'istio.io/rev=1-24-0', revision: '1-24-0' },
        mtls: { mode: 'STRICT', source: 'mesh', policy: { kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' }, workloadPolicies: [{ kind: 'PeerAuthentication', namespace: 'shop', name: 'checkout-metrics' }] },
        isControlPlane: false,
        counts: { applications: 3, workloads: 4, services: 2, istioObjects: 6 },
        health: {
          applications: { ...none, failure: 2, notReady: 1 },
          workloads: { ...none, degraded: 1, failure: 2, notReady: 1 },
          services: { ...none, degraded: 1, failure: 1 },
        },
        // 11 req/s to cart, 1 to checkout; 0.5 + 0.15 + 0.4 failed.
        traffic: { requestRate: 12, errorPercent: 8.8 },
        findings: { error: 0, warning: 2, info: 0 },
        worstStatus: 'Failure',
      },
    ]);
  });

  it('shows istiod pods and the gateways of the whole mesh', () => {
    expect(controlPlaneSummary(model())).toEqual({
      istiod: [{ name: 'istiod-1-24-0-7d4b9c8f6-kq2lz', namespace: 'istio-system', phase: 'Running', ready: '1/1', isReady: true, version: '1.24.0', revision: '1-24-0', restarts: 1 }],
      gateways: [{
        namespace: 'istio-system', name: 'istio-ingressgateway', kind: 'ingress',
        health: { status: 'Degraded', reason: '5xx on 4.5% of outbound requests (degraded above 0%)', outbound: { rate: 11, errorRatio: 0.0455 }, replicas: { desired: 2, current: 2, available: 2 } },
        ready: '2/2', revision: '1-24-0', version: '1.24.0', requestRate: 11,
      }],
      rootNamespace: 'istio-system',
      meshMtls: { mode: 'STRICT', source: 'mesh', policy: { kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' }, workloadPolicies: [] },
      outboundTrafficPolicy: 'REGISTRY_ONLY',
    });
  });

  it('draws sparklines per namespace from request series over time, every request counted once', () => {
    const s = (reporter: string, code: string, flags: string, values: Array<number | null>) => ({
      metric: { reporter, source_workload_namespace: 'shop', source_workload: 'cart-v2', destination_workload_namespace: reporter === 'destination' ? 'shop' : 'unknown', destination_workload: reporter === 'destination' ? 'checkout' : 'unknown', destination_service: 'checkout.shop.svc.cluster.local', destination_service_name: 'checkout', destination_service_namespace: 'shop', request_protocol: 'http', response_code: code, response_flags: flags },
      values,
    });
    const matrix = {
      timestamps: [100, 125, 150, 175],
      series: [s('destination', '200', '-', [1, 1, 2, null]), s('source', '503', 'UO', [null, 1, 2, null])],
    };
    expect(namespaceSparklines(matrix, new Set(['shop', 'payments']), 2)).toEqual(new Map([
      ['shop', { timestamps: [125, 175], requestRate: [1.5, 4], errorPercent: [33.3, 50] }],
      ['payments', { timestamps: [125, 175], requestRate: [null, null], errorPercent: [null, null] }],
    ]));
  });
});

describe('detail pages', () => {
  const graphOf = (graphType: 'workload' | 'service') => buildGraph(inv, shopSamples(), { graphType, namespaces: ['shop'], ...WINDOW });

  it('a workload: pods with containers (the native sidecar), readiness, restarts, addresses and host aliases; its traffic edges', () => {
    const m = entityModel({ inv, samples: shopSamples(), findings, namespaces: ['shop'], ...WINDOW });
    const d = workloadDetail(m, wl('shop', 'cart-v1'), graphOf('workload'));
    expect(d.pods).toEqual([
      {
        name: 'cart-v1-6f7c9d5b8-2lq9x', namespace: 'shop', workload: 'cart-v1', phase: 'Running', ready: '2/2', isReady: true, restarts: 2,
        podIP: '10.244.2.31', nodeName: 'worker-2', hostIP: '172.18.0.3', hostAliases: [{ ip: '192.0.2.10', hostnames: ['inventory.legacy.example'] }],
        containers: [
          { name: 'cart', image: 'registry.example.com/shop/cart:1.8.2', isProxy: false, ready: true, restarts: 2, state: 'running' },
          { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', isProxy: true, ready: true, restarts: 0, state: 'running' },
        ],
        istioProxyVersion: '1.24.0', labels: { app: 'cart', version: 'v1', 'pod-template-hash': '6f7c9d5b8' }, serviceAccount: 'cart', createdAt: '2026-11-21T10:15:00Z',
      },
      {
        name: 'cart-v1-6f7c9d5b8-8tbwn', namespace: 'shop', workload: 'cart-v1', phase: 'Running', ready: '1/2', isReady: false, restarts: 5,
        podIP: '10.244.1.44', nodeName: 'worker-1', hostIP: '172.18.0.2', hostAliases: [],
        containers: [
          { name: 'cart', image: 'registry.example.com/shop/cart:1.8.2', isProxy: false, ready: false, restarts: 5, state: 'waiting: CrashLoopBackOff' },
          { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', isProxy: true, ready: true, restarts: 0, state: 'running' },
        ],
        istioProxyVersion: '1.24.0', labels: { app: 'cart', version: 'v1', 'pod-template-hash': '6f7c9d5b8' }, serviceAccount: 'cart', createdAt: '2026-11-21T10:15:00Z',
      },
    ]);
    expect(d.services).toEqual([{ namespace: 'shop', name: 'cart', ports: ['http-web 8080/TCP'] }]);
    expect(d.traffic).toEqual([{
      direction: 'inbound', node: 'wl:shop:cart-v1', protocol: 'http', rate: 10, errorPercent: 5, mtlsPercent: 100, reporter: 'destination', health: 'Degraded',
      peer: { id: 'wl:istio-system:istio-ingressgateway', nodeType: 'workload', namespace: 'istio-system', label: 'istio-ingressgateway', workload: 'istio-ingressgateway', app: 'istio-ingressgateway', isOutside: true },
      responseCodes: { 200: 95, 503: 5 }, responseFlags: { '-': 100 },
    }]);
    expect(d.istioConfig.find((c) => c.ref.kind === 'VirtualService')!.findingList.map((f) => f.code)).toEqual(['MLS0101']);
  });

  it("a workload whose callers' proxies refused requests for its Service: those requests, with the caller (their log lines are in its proxy)", () => {
    const m = entityModel({ inv, samples: shopSamples(), findings, namespaces: ['shop'], ...WINDOW });
    const d = workloadDetail(m, wl('shop', 'checkout'), graphOf('workload'));
    expect(d.unreached).toEqual([{
      direction: 'inbound', node: 'svc:shop:checkout', protocol: 'http', rate: 0.4, errorPercent: 100, reporter: 'source', health: 'Failure',
      peer: { id: 'wl:shop:cart-v2', nodeType: 'workload', namespace: 'shop', label: 'cart-v2', workload: 'cart-v2', app: 'cart', version: 'v2' },
      responseCodes: { 503: 100 }, responseFlags: { UO: 100 },
      explained: [{ flag: 'UO', name: 'UpstreamOverflow', meaning: expect.stringMatching(/^Circuit breaking/) }],
    }]);
    // What reached checkout is in its own traffic, and the refused requests are not.
    expect(d.traffic.map((e) => [e.direction, e.peer.id, e.rate, e.responseFlags])).toEqual([['inbound', 'wl:shop:cart-v2', 0.6, { '-': 100 }]]);
    // A workload whose callers were all served has none.
    expect(workloadDetail(m, wl('shop', 'cart-v1'), graphOf('workload')).unreached).toBeUndefined();
  });

  it('a service: the workloads behind it with their subsets and default-route weights, the VirtualService rules, and edges from the service graph', () => {
    const m = entityModel({ inv, samples: shopSamples(), findings, namespaces: ['shop'], ...WINDOW });
    const d = serviceDetail(m, svc('shop', 'cart'), graphOf('service'));
    expect(d.backends.map((b) => [b.name, b.version, b.subsets, b.weight, b.health.status])).toEqual([['cart-v1', 'v1', ['v1'], 90, 'Degraded'], ['cart-v2', 'v2', ['v2'], 10, 'Failure']]);
    expect(d.routes).toEqual([
      { virtualService: { kind: 'VirtualService', namespace: 'shop', name: 'cart' }, path: 'spec.http[0]', protocol: 'http', matched: true, match: 'header x-canary exact true', destinations: [{ host: 'cart.shop.svc.cluster.local', subset: 'v2', weight: 100, workloads: ['cart-v2'] }] },
      { virtualService: { kind: 'VirtualService', namespace: 'shop', name: 'cart' }, path: 'spec.http[1]', protocol: 'http', matched: false, destinations: [
        { host: 'cart.shop.svc.cluster.local', subset: 'v1', weight: 90, workloads: ['cart-v1'] },
        { host: 'cart.shop.svc.cluster.local', subset: 'v2', weight: 10, workloads: ['cart-v2'] },
      ] },
    ]);
    expect(d.ports).toEqual([{ name: 'http-web', port: 8080, targetPort: 8080, protocol: 'TCP', istioProtocol: 'http' }]);
    expect(d.clusterIP).toBe('10.96.40.11');
    expect(d.traffic.map((t) => [t.direction, t.peer.id, t.rate, t.errorPercent, t.responseCodes, t.responseFlags])).toEqual([
      ['inbound', 'wl:istio-system:istio-ingressgateway', 11, 5.9, { 200: 94.1, 404: 1.4, 503: 4.5 }, { '-': 100 }],
      ['outbound', 'svc:shop:checkout', 1, 40, { 200: 60, 503: 40 }, { '-': 60, UO: 40 }],
    ]);
  });

  it('the node graph keeps the entity\'s nodes, their neighbours and the boxes they sit in', () => {
    const m = entityModel({ inv, samples: shopSamples(), findings, namespaces: ['shop'], ...WINDOW });
    const g = graphOf('workload');
    const focus = entityNodeIds(workloadEntity(m, wl('shop', 'cart-v2')), g);
    expect([...focus]).toEqual(['wl:shop:cart-v2']);
    const small = focusGraph(g, focus);
    expect(small.elements.nodes.map((n) => n.data.id)).toEqual(['box-ns-istio-system', 'box-ns-shop', 'wl:istio-system:istio-ingressgateway', 'svc:shop:checkout', 'wl:shop:cart-v2', 'wl:shop:checkout']);
    expect(small.elements.edges.map((e) => `${e.data.source} -> ${e.data.target}`)).toEqual([
      'wl:istio-system:istio-ingressgateway -> wl:shop:cart-v2', 'wl:shop:cart-v2 -> svc:shop:checkout', 'wl:shop:cart-v2 -> wl:shop:checkout',
    ]);
    expect(trafficEdges(g, focus).map((t) => `${t.direction} ${t.peer.id} ${t.rate}`)).toEqual(['inbound wl:istio-system:istio-ingressgateway 1', 'outbound svc:shop:checkout 0.4', 'outbound wl:shop:checkout 0.6']);
  });
});

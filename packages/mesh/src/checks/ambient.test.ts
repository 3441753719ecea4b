import { describe, expect, it } from 'vitest';
import { checkInventory } from './index.js';
import { findingsOf, inventoryOf } from './__fixtures__/load.js';
import { full, rawObject as raw, replayEdits } from './__fixtures__/full.js';

// Ambient checks (ambient-workloads.ts, ambient-policies.ts) on __fixtures__/ambient: good.yaml is ambient done right;
// workloads-bad.yaml has workloads between sidecar and ambient mode and waypoints that cannot serve them;
// policies-bad.yaml has L7 config that ztunnel alone cannot apply.
const all = (...files: string[]) => checkInventory(inventoryOf(...files.map((f) => `ambient/${f}`)));
const find = (file: string, code: string, name: string) => all(file).find((f) => f.code === code && f.object.name === name)!;

describe('ambient: namespace, workload and shared waypoints, targetRefs policies, sidecars kept apart (good.yaml)', () => {
  it('finds nothing at all', () => {
    expect(findingsOf('ambient/good.yaml')).toEqual([]);
  });
});

describe('ambient workloads (workloads-bad.yaml)', () => {
  it('reports each workload caught between modes or naming a waypoint that cannot serve it, once per problem', () => {
    expect(all('workloads-bad.yaml').map(full)).toEqual([
      // istioctl's IST0123 view of the namespace, and Kiali's of its workload: both modes at once, told once with
      // the sidecar its pods get (KIA1316 folded in)
      'MLS0503 warning Namespace /mixed metadata.labels @7',
      'KIA1311 error Deployment mixed/cart spec.template.metadata.labels @22\n  → Namespace /mixed metadata.labels @7',
      // a hand-injected pod of an ambient namespace (its controller absent from the input: the Pod carries it)
      'KIA1316 error Pod edge/api-7d9c8b6f4-x2k9p metadata.labels @42\n  → Namespace /edge metadata.labels @34\n  → Pod edge/api-7d9c8b6f4-x2k9p spec.containers @51',
      // a sidecar workload naming a waypoint that does not exist either
      'KIA1312 warning Deployment legacy/billing spec.template.metadata.labels @78',
      'KIA1313 error Deployment legacy/billing spec.template.metadata.labels @78',
      'KIA1314 error Pod legacy/reports metadata.labels @91\n  → Pod legacy/reports metadata.annotations @93',
      // missing waypoint, and the L7 policy that needed it
      'KIA1313 error Deployment shop/checkout spec.template.metadata.labels @121',
      'KIA1317 warning Deployment shop/checkout spec.template.metadata.labels @121\n  → AuthorizationPolicy shop/checkout-post-only spec.rules[0].to[0].operation.methods @191',
      // a waypoint of that name only in another namespace; a waypoint for service traffic named by a workload
      'KIA1313 error Deployment shop/catalog spec.template.metadata.labels @140\n  → Gateway.gateway.networking.k8s.io infra/shared metadata.name @204',
      'KIA1313 error Deployment shop/orders spec.template.metadata.labels @159\n  → Gateway.gateway.networking.k8s.io shop/shop-waypoint spec.listeners @174',
      'KIA0110 warning AuthorizationPolicy shop/checkout-post-only spec.selector.matchLabels @186\n  → Namespace /shop metadata.labels @107',
      // a shared waypoint whose HBONE listener admits only its own namespace
      'KIA1313 error Deployment team/planner spec.template.metadata.labels @233\n  → Namespace /team metadata.labels @217\n  → Gateway.gateway.networking.k8s.io infra/shared spec.listeners @208',
    ]);
  });

  it('says what each label does and what to change', () => {
    const cart = find('workloads-bad.yaml', 'KIA1311', 'cart');
    expect(cart.aliases).toEqual(['KIA1316']);
    expect(cart.message).toBe('This workload is enrolled in both data plane modes: namespace mixed enables sidecar injection (istio-injection=enabled), and namespace mixed is labelled istio.io/dataplane-mode=ambient. The injector adds a sidecar and ztunnel then leaves the pods to it, so they run in sidecar mode while the labels say ambient. Its pods run the sidecar in a namespace labelled istio.io/dataplane-mode=ambient, so they stay in sidecar mode (KIA1316).');
    expect(cart.fix).toBe('Choose one mode: for ambient, stop the injection (remove istio-injection from namespace mixed, or set sidecar.istio.io/inject: "false" on the pods) and restart the workload; for sidecars, label the pods istio.io/dataplane-mode: none.');
    expect(find('workloads-bad.yaml', 'KIA1316', 'api-7d9c8b6f4-x2k9p').aliases).toEqual(['KIA1315']);
    expect(find('workloads-bad.yaml', 'KIA1313', 'catalog').message).toBe('The workload\'s istio.io/use-waypoint label names waypoint shared, which is looked up in namespace shop (no istio.io/use-waypoint-namespace label) and does not exist there; a waypoint of that name exists in namespace infra.');
    expect(find('workloads-bad.yaml', 'KIA1313', 'catalog').fix).toBe('Add the label istio.io/use-waypoint-namespace: infra next to istio.io/use-waypoint.');
    expect(find('workloads-bad.yaml', 'KIA1313', 'orders').message).toBe('Waypoint shop/shop-waypoint serves service traffic (istio.io/waypoint-for: service, the default), so the workload traffic this workload sends it never goes through it.');
    expect(find('workloads-bad.yaml', 'KIA1313', 'planner').message).toBe('Waypoint infra/shared is in another namespace, and its HBONE listener does not admit namespace team (allowedRoutes.namespaces.from: Same, the default): istiod does not let team use it, so the L7 policies and routes meant for it are not applied.');
    expect(find('workloads-bad.yaml', 'KIA1312', 'billing').message).toBe('This workload names waypoint legacy/billing-waypoint (istio.io/use-waypoint), but the workload is not in the ambient mesh (it runs a sidecar, and ztunnel does not capture pods with a sidecar): its traffic never reaches the waypoint, and the L7 config meant for it does not apply.');
    expect(find('workloads-bad.yaml', 'KIA1317', 'checkout').message).toBe('L7 AuthorizationPolicy checkout-post-only of namespace shop applies to this ambient workload, but it has no usable waypoint: ztunnel alone cannot evaluate HTTP attributes and enforces such policies more strictly than written (failing closed).');
  });
});

describe('L7 config in ambient namespaces (policies-bad.yaml)', () => {
  it('reports policies, routing and telemetry that need a waypoint they do not get', () => {
    expect(all('policies-bad.yaml').map(full)).toEqual([
      'KIA1317 warning Deployment store/checkout spec.template.metadata.labels @34\n  → AuthorizationPolicy store/get-only spec.rules[0].to[0].operation.methods @52\n  → AuthorizationPolicy store/checkout-api spec.rules[0].to[0].operation.paths @67',
      // namespace-wide L7 policy: no waypoint enrollment (KIA0109), no targetRefs (KIA0110)
      'KIA0109 warning AuthorizationPolicy store/get-only spec.rules[0].to[0].operation.methods @52\n  → Namespace /store metadata.labels @8',
      'KIA0110 warning AuthorizationPolicy store/get-only spec.rules[0].to[0].operation.methods @52\n  → Namespace /store metadata.labels @8',
      // targetRefs, but the Service targeted does not use a waypoint
      'KIA0109 warning AuthorizationPolicy store/checkout-api spec.targetRefs[0] @61\n  → Service store/checkout metadata.labels @13',
      'KIA1110 warning RequestAuthentication store/checkout-jwt spec.selector.matchLabels @76\n  → Deployment store/checkout spec.template.metadata.labels @34',
      'KIA1115 warning RequestAuthentication store/checkout-jwt spec.selector.matchLabels @76\n  → Namespace /store metadata.labels @8',
      'KIA1112 warning Telemetry store/access-logs spec.accessLogging @88\n  → Namespace /store metadata.labels @8',
      'KIA1117 warning Telemetry store/access-logs spec.accessLogging @88\n  → Namespace /store metadata.labels @8',
      'KIA1111 warning WasmPlugin store/basic-auth spec.selector.matchLabels @99\n  → Deployment store/checkout spec.template.metadata.labels @34',
      'KIA1116 warning WasmPlugin store/basic-auth spec.selector.matchLabels @99\n  → Namespace /store metadata.labels @8',
      'KIA1113 warning VirtualService store/checkout spec.hosts[0] @111\n  → Service store/checkout metadata.labels @13',
      // a DestinationRule of ops for a store Service: not enrolled, and in the wrong namespace for a waypoint
      'KIA0211 warning DestinationRule ops/checkout-circuit-breaker spec.host @128\n  → Service store/checkout metadata.labels @13',
      'KIA0212 warning DestinationRule ops/checkout-circuit-breaker spec.host @128\n  → Service store/checkout metadata.name @14',
      // no ambient Service among the hosts (an external host): the config's own namespace must be enrolled
      'KIA1109 warning VirtualService lab/partner-api spec.hosts[0] @163\n  → Namespace /lab metadata.labels @138',
      'KIA0210 warning DestinationRule lab/partner-api spec.host @178\n  → Namespace /lab metadata.labels @138',
      'MLS0701 warning VirtualService web/frontend spec.hosts[0] @243\n  → HTTPRoute.gateway.networking.k8s.io web/frontend spec.parentRefs[0].name @261',
      // istioctl's IST0166 (the L4 ipBlocks rule needs no waypoint: no KIA0109/0110)
      'MLS0603 warning AuthorizationPolicy web/gateway-allowlist spec.selector.matchLabels @309\n  → Gateway.gateway.networking.k8s.io web/web-gateway metadata.name @271',
    ]);
  });

  it('names the L7 field, the objects not enrolled and the fix', () => {
    const getOnly = all('policies-bad.yaml').filter((f) => f.object.name === 'get-only');
    expect(getOnly.map((f) => f.message)).toEqual([
      'This AuthorizationPolicy uses HTTP methods (spec.rules[0].to[0].operation.methods) in ambient namespace store, but it applies to namespace store, which is not enrolled to use a waypoint (istio.io/use-waypoint): its traffic passes through ztunnel only, which cannot apply HTTP methods.',
      'This AuthorizationPolicy uses HTTP methods (spec.rules[0].to[0].operation.methods), which only a waypoint can apply in ambient namespace store; but it attaches by being namespace-wide (no selector), and waypoints apply only policies attached with targetRefs. ztunnel, which does apply selector and namespace-wide policies, cannot evaluate HTTP methods and enforces the policy more strictly than written (failing closed).',
    ]);
    expect(getOnly[0]!.fix).toBe('Deploy a waypoint and enroll namespace store (istioctl waypoint apply -n store --enroll-namespace, or label namespace store istio.io/use-waypoint=<waypoint>).');
    expect(find('policies-bad.yaml', 'KIA0212', 'checkout-circuit-breaker').message).toBe('Outlier detection for Service store/checkout (in ambient namespace store) is set by this DestinationRule in namespace ops; a waypoint applies DestinationRules from the destination Service\'s own namespace only, so this one does not take effect for ambient traffic to checkout.');
    expect(find('policies-bad.yaml', 'MLS0701', 'frontend').message).toBe('Service web/frontend is served by waypoint web/waypoint, and both this VirtualService and HTTPRoute web/frontend configure its traffic. Istio supports VirtualService on waypoints only as an alpha feature and does not support mixing it with Gateway API routes: which rules the waypoint applies is undefined.');
    const ist0166 = find('policies-bad.yaml', 'MLS0603', 'gateway-allowlist');
    expect(ist0166.istioCode).toBe('IST0166');
    expect(ist0166.fix).toBe('Replace the selector with targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: web-gateway}].');
  });

  it('update(): a waypoint for store, then enrolling the namespace, clears what enrollment fixes and keeps what it cannot', () => {
    replayEdits(['ambient/policies-bad.yaml'], /^(KIA0[12]|KIA11|KIA13|MLS0[67])/, [
      [{ kind: 'Gateway.gateway.networking.k8s.io', namespace: 'store', name: 'waypoint' }, () => ({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace: 'store' },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      }), ''],
      [{ kind: 'Namespace', name: 'store' }, (o) => {
        const ns = raw(o, 'Namespace', undefined as unknown as string, 'store');
        ns.metadata.labels['istio.io/use-waypoint'] = 'waypoint';
        return ns;
      }, '-KIA1317 store/checkout spec.template.metadata.labels, -KIA0109 store/get-only spec.rules[0].to[0].operation.methods, -KIA0109 store/checkout-api spec.targetRefs[0], -KIA1110 store/checkout-jwt spec.selector.matchLabels, -KIA1112 store/access-logs spec.accessLogging, -KIA1111 store/basic-auth spec.selector.matchLabels, -KIA1113 store/checkout spec.hosts[0], -KIA0211 ops/checkout-circuit-breaker spec.host'],
      // a Gateway API route for checkout next to its VirtualService, now that a waypoint serves it
      [{ kind: 'HTTPRoute.gateway.networking.k8s.io', namespace: 'store', name: 'checkout' }, () => ({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'checkout', namespace: 'store' },
        spec: { parentRefs: [{ group: '', kind: 'Service', name: 'checkout', port: 8080 }], rules: [{ backendRefs: [{ name: 'checkout', port: 8080 }] }] },
      }), '+MLS0701 store/checkout spec.hosts[0]'],
    ], (actual, expected, label) => expect(actual, label).toEqual(expected));
  });
});

import { describe, expect, it } from 'vitest';
import { checkInventory } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';
import { fullFindings, rawObject as raw, replayEdits } from './__fixtures__/full.js';

// AuthorizationPolicy fields that need mTLS (KIA0105) and HTTP methods (KIA0102), on mtls-base.yaml + authz-mtls.yaml.
const FILES = ['mtls-base.yaml', 'authz-mtls.yaml'];
const OFF = 'mesh-auto-mtls-off.yaml';
const find = (autoMtls: boolean, code: string, name: string, path?: string) =>
  checkInventory(inventoryOf(...FILES, ...(autoMtls ? [] : [OFF]))).find((f) => f.code === code && f.object.name === name && (!path || f.path === path))!;

const METHODS = [
  'KIA0102 warning AuthorizationPolicy shop/methods spec.rules[0].to[0].operation.methods[1] @142',
  'KIA0102 warning AuthorizationPolicy shop/methods spec.rules[0].to[0].operation.methods[4] @142',
  'KIA0102 warning AuthorizationPolicy shop/methods spec.rules[0].to[0].operation.methods[6] @142',
  'KIA0102 warning AuthorizationPolicy shop/methods spec.rules[0].to[0].operation.notMethods[0] @143',
];

describe('AuthorizationPolicy fields that need mTLS (KIA0105)', () => {
  it('with auto-mTLS on: a DISABLE namespace, a rule sending plain text and a DISABLE workload policy; STRICT vault and PERMISSIVE shop are fine', () => {
    expect(fullFindings(/^KIA010[25]$/, ...FILES)).toEqual([
      'KIA0105 error AuthorizationPolicy legacy/db-callers spec.rules[0].from[0].source.principals @25\n  → PeerAuthentication legacy/default spec.mtls.mode @10',
      'KIA0105 error AuthorizationPolicy edge/only-from-edge spec.rules[0].from[0].source.notNamespaces @88\n  → DestinationRule edge/plain-text spec.trafficPolicy.tls.mode @76',
      // quiet's namespace is STRICT, but api's own policy disables mTLS; the x-team header condition needs none
      'KIA0105 error AuthorizationPolicy quiet/api-callers spec.rules[0].when[0].key @123\n  → PeerAuthentication quiet/api-plain spec.mtls.mode @110',
      ...METHODS,
    ]);
  });

  it('with auto-mTLS off: PERMISSIVE shop gets plain-text callers too (one finding per field)', () => {
    expect(fullFindings(/^KIA0105$/, ...FILES, OFF)).toEqual([
      'KIA0105 error AuthorizationPolicy legacy/db-callers spec.rules[0].from[0].source.principals @25\n  → PeerAuthentication legacy/default spec.mtls.mode @10',
      'KIA0105 error AuthorizationPolicy shop/reviews-callers spec.rules[0].from[0].source.namespaces @40\n  → ConfigMap istio-system/istio data.mesh @8',
      'KIA0105 error AuthorizationPolicy shop/reviews-callers spec.rules[0].when[0].key @42\n  → ConfigMap istio-system/istio data.mesh @8',
      'KIA0105 error AuthorizationPolicy edge/only-from-edge spec.rules[0].from[0].source.notNamespaces @88\n  → DestinationRule edge/plain-text spec.trafficPolicy.tls.mode @76',
      'KIA0105 error AuthorizationPolicy quiet/api-callers spec.rules[0].when[0].key @123\n  → PeerAuthentication quiet/api-plain spec.mtls.mode @110',
    ]);
  });

  it('say which workloads lack mTLS, why, and what the rule then does', () => {
    expect(find(true, 'KIA0105', 'db-callers').message).toBe('The field source.principals needs the caller\'s mTLS identity, but mTLS is not in force for legacy/db: PeerAuthentication legacy/default (namespace-wide, DISABLE) disables mTLS there. Such requests carry no peer principal, namespace or SNI: this rule never matches them.');
    const deny = find(true, 'KIA0105', 'only-from-edge');
    expect(deny.message).toBe('The field source.notNamespaces needs the caller\'s mTLS identity, but mTLS is not in force for edge/web: the servers are PERMISSIVE (Istio\'s default) and DestinationRule edge/plain-text makes clients of web.edge.svc.cluster.local use tls.mode DISABLE, so requests carry no peer identity. Such requests carry no peer principal, namespace or SNI: the exclusion cannot exempt them, so this DENY rule denies them all.');
    expect(deny.fix).toBe('Enforce mTLS for these workloads (PeerAuthentication STRICT, or let clients send ISTIO_MUTUAL), or match callers on fields that need no mTLS (ipBlocks, requestPrincipals).');
    expect(find(false, 'KIA0105', 'reviews-callers', 'spec.rules[0].when[0].key').message).toContain('The condition on source.principal needs the caller\'s mTLS identity, but mTLS is not in force for shop/reviews: the servers are PERMISSIVE (Istio\'s default), auto-mTLS is off (enableAutoMtls: false) and no DestinationRule sends ISTIO_MUTUAL to reviews.shop.svc.cluster.local');
  });
});

describe('KIA0105 without workloads in the input', () => {
  it('judges a namespace-wide policy by its namespace, and stays silent on selector policies it cannot place', () => {
    expect(fullFindings(/^KIA0105$/, 'authz-mtls.yaml')).toEqual([
      'KIA0105 error AuthorizationPolicy edge/only-from-edge spec.rules[0].from[0].source.notNamespaces @88\n  → DestinationRule edge/plain-text spec.trafficPolicy.tls.mode @76',
    ]);
    expect(checkInventory(inventoryOf('authz-mtls.yaml')).find((f) => f.code === 'KIA0105')!.message).toContain('mTLS is not in force for namespace edge: ');
  });
});

describe('AuthorizationPolicy methods (KIA0102)', () => {
  it('accept HTTP methods (IANA ones too), *, PREFIX* and *SUFFIX; report wrong case, gRPC names and unknown methods', () => {
    expect(fullFindings(/^KIA0102$/, ...FILES)).toEqual(METHODS);
    const lower = find(true, 'KIA0102', 'methods', 'spec.rules[0].to[0].operation.methods[1]');
    expect(lower.message).toBe('"get" is not an HTTP method as sent on the wire: Istio compares the request method exactly (case-sensitive), so "get" never equals "GET" and this operation never matches. (Kiali accepts any case.)');
    expect(lower.fix).toBe('Write "GET".');
    expect(find(true, 'KIA0102', 'methods', 'spec.rules[0].to[0].operation.methods[4]').fix).toBe('Move "grpc.health.v1.Health/Check" to to.operation.paths (gRPC: "/package.Service/Method"), and use methods: ["POST"] if needed.');
    expect(find(true, 'KIA0102', 'methods', 'spec.rules[0].to[0].operation.notMethods[0]').message).toContain('this exclusion excludes nothing');
  });
});

describe('createCheckEngine().update on KIA0105', () => {
  it('re-validates the policies when PeerAuthentications, DestinationRules, the mesh config and workloads change', () => {
    const P = 'spec.rules[0].from[0].source';
    replayEdits(FILES, /^KIA0105$/, [
      // legacy turns mTLS on (PERMISSIVE; auto-mTLS makes sidecar clients send it)
      [{ kind: 'PeerAuthentication', namespace: 'legacy', name: 'default' }, (o) => { const p = raw(o, 'PeerAuthentication', 'legacy', 'default'); p.spec.mtls.mode = 'PERMISSIVE'; return p; }, `-KIA0105 legacy/db-callers ${P}.principals`],
      // auto-mTLS off: the PERMISSIVE servers of legacy and shop now get plain text
      [{ kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'enableAutoMtls: false\n' } }),
        `+KIA0105 legacy/db-callers ${P}.principals, +KIA0105 shop/reviews-callers ${P}.namespaces, +KIA0105 shop/reviews-callers spec.rules[0].when[0].key`],
      // a namespace-wide rule of shop sends ISTIO_MUTUAL: mTLS is in force again there
      [{ kind: 'DestinationRule', namespace: 'shop', name: 'mtls' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'mtls', namespace: 'shop' }, spec: { host: '*.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } }),
        `-KIA0105 shop/reviews-callers ${P}.namespaces, -KIA0105 shop/reviews-callers spec.rules[0].when[0].key`],
      // api's pods lose the label of the DISABLE workload policy: quiet's STRICT applies
      [{ kind: 'Deployment', namespace: 'quiet', name: 'api' }, (o) => { const d = raw(o, 'Deployment', 'quiet', 'api'); d.spec.template.metadata.labels = { app: 'api', version: 'v2' }; return d; }, ''],
      [{ kind: 'PeerAuthentication', namespace: 'quiet', name: 'api-plain' }, (o) => { const p = raw(o, 'PeerAuthentication', 'quiet', 'api-plain'); p.spec.selector.matchLabels = { version: 'v1' }; return p; }, '-KIA0105 quiet/api-callers spec.rules[0].when[0].key'],
    ], (actual, expected, label) => expect(actual, label).toBe(expected));
  });
});

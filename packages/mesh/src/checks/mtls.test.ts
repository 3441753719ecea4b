import { describe, expect, it } from 'vitest';
import type { InventoryObject, ObjectRef } from '@meshlens/model';
import { checkInventory } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';
import { fullFindings, rawObject as raw, replayEdits } from './__fixtures__/full.js';

// The mTLS matrix between PeerAuthentication and DestinationRule (mtls.ts), on mtls-base.yaml (shop, legacy, edge,
// vault, quiet: one injected Service and Deployment each), with auto-mTLS on (Istio's default) and off.
const MTLS = /^(KIA020[4-8]|KIA0401|KIA050[156])$/;
const OFF = 'mesh-auto-mtls-off.yaml';
const run = (file: string, autoMtls: boolean) => fullFindings(MTLS, 'mtls-base.yaml', file, ...(autoMtls ? [] : [OFF]));
const find = (file: string, autoMtls: boolean, code: string, name: string) =>
  checkInventory(inventoryOf('mtls-base.yaml', file, ...(autoMtls ? [] : [OFF]))).find((f) => f.code === code && f.object.name === name)!;

describe('namespace- and workload-level mTLS (mtls-ns-bad.yaml)', () => {
  const always = [
    // legacy: STRICT namespace policy, namespace-wide rule sending plain text
    'KIA0207 error DestinationRule legacy/plain-text spec.trafficPolicy.tls.mode @21\n  → PeerAuthentication legacy/default spec.mtls.mode @10',
    // edge: DISABLE policy, namespace-wide rule sending mTLS: both sides, whatever auto-mTLS says
    'KIA0505 error PeerAuthentication edge/default spec.mtls.mode @43\n  → DestinationRule edge/mtls spec.trafficPolicy.tls.mode @54',
    'KIA0206 error DestinationRule edge/mtls spec.trafficPolicy.tls.mode @54\n  → PeerAuthentication edge/default spec.mtls.mode @43',
    // vault: workload-level STRICT policy vs a Service rule sending plain text
    'KIA0207 error DestinationRule vault/kv spec.trafficPolicy.tls.mode @78\n  → PeerAuthentication vault/kv-strict spec.mtls.mode @67',
    // quiet: workload-level DISABLE policy vs a Service rule sending mTLS
    'KIA0505 error PeerAuthentication quiet/api-plain spec.mtls.mode @91\n  → DestinationRule quiet/api spec.trafficPolicy.tls.mode @102',
  ];

  it('with auto-mTLS on: only the contradictions that break traffic whatever auto-mTLS does', () => {
    expect(run('mtls-ns-bad.yaml', true)).toEqual(always);
  });

  it('with auto-mTLS off: also the STRICT namespace without a rule sending mTLS (KIA0501) and the rule without policy (KIA0206, a warning)', () => {
    expect(run('mtls-ns-bad.yaml', false)).toEqual([
      'KIA0501 error PeerAuthentication legacy/default spec.mtls.mode @10\n  → ConfigMap istio-system/istio data.mesh @8',
      always[0],
      'KIA0206 warning DestinationRule shop/mtls spec.trafficPolicy.tls.mode @33\n  → ConfigMap istio-system/istio data.mesh @8',
      ...always.slice(1),
    ]);
  });

  it('name the objects, the level of the deciding policy and what to change', () => {
    const kv = find('mtls-ns-bad.yaml', true, 'KIA0207', 'kv');
    expect(kv.message).toBe('This DestinationRule makes clients send plain text (tls.mode DISABLE) to kv.vault.svc.cluster.local, but PeerAuthentication vault/kv-strict (workload-level, STRICT) requires mTLS on its workloads (vault/kv): every connection is reset.');
    expect(kv.fix).toBe('Remove tls.mode DISABLE (auto-mTLS then sends ISTIO_MUTUAL), or set PeerAuthentication vault/kv-strict to PERMISSIVE.');
    expect(find('mtls-ns-bad.yaml', false, 'KIA0207', 'kv').fix).toBe('Set tls.mode ISTIO_MUTUAL, or set PeerAuthentication vault/kv-strict to PERMISSIVE.');
    const shop = find('mtls-ns-bad.yaml', false, 'KIA0206', 'mtls');
    expect(shop.object.namespace).toBe('shop');
    expect(shop.message).toContain("servers keep Istio's default PERMISSIVE, so mTLS is used but not required");
    expect(shop.message).toContain('(Kiali reports this as an error; Istio\'s traffic works.)');
    const edge = find('mtls-ns-bad.yaml', true, 'KIA0206', 'mtls');
    expect(edge.message).toContain('PeerAuthentication edge/default (namespace-wide, DISABLE) disables mTLS there');
    expect(edge.message).toContain('auto-mTLS does not correct it');
    expect(find('mtls-ns-bad.yaml', true, 'KIA0505', 'api-plain').fix).toBe('Set tls.mode DISABLE in DestinationRule quiet/api, or set this policy to PERMISSIVE.');
    expect(find('mtls-ns-bad.yaml', false, 'KIA0501', 'default').fix).toBe('Add a DestinationRule with host "*.legacy.svc.cluster.local" in namespace legacy and trafficPolicy.tls.mode ISTIO_MUTUAL, or turn enableAutoMtls back on.');
  });

  it('find nothing when both sides agree (PERMISSIVE accepts plain text, a workload policy overrides a STRICT namespace, UNSET inherits)', () => {
    expect(run('mtls-ns-good.yaml', true)).toEqual([]);
    expect(run('mtls-ns-good.yaml', false)).toEqual([]);
  });
});

describe('mesh-wide mTLS', () => {
  it('a mesh-wide STRICT policy: rules sending plain text where it decides are KIA0208; KIA0401 only with auto-mTLS off', () => {
    const strict = [
      'KIA0208 error DestinationRule istio-system/plain-text spec.trafficPolicy.tls.mode @21\n  → PeerAuthentication istio-system/default spec.mtls.mode @9',
      'KIA0208 error DestinationRule legacy/plain-text spec.trafficPolicy.tls.mode @33\n  → PeerAuthentication istio-system/default spec.mtls.mode @9',
      'KIA0208 error DestinationRule edge/web spec.trafficPolicy.tls.mode @45\n  → PeerAuthentication istio-system/default spec.mtls.mode @9',
      // shop/reviews sends plain text too, but shop's own PERMISSIVE policy decides there: nothing
    ];
    expect(run('mtls-mesh-strict.yaml', true)).toEqual(strict);
    expect(run('mtls-mesh-strict.yaml', false)).toEqual([
      'KIA0401 error PeerAuthentication istio-system/default spec.mtls.mode @9\n  → ConfigMap istio-system/istio data.mesh @8',
      ...strict,
    ]);
    expect(find('mtls-mesh-strict.yaml', true, 'KIA0208', 'web').message).toContain('PeerAuthentication istio-system/default (mesh-wide, STRICT) requires mTLS on its workloads (edge/web)');
  });

  it('a mesh-wide rule sending mTLS without policy (KIA0205) and rules without TLS shadowing it (KIA0204): auto-mTLS off only', () => {
    expect(run('mtls-mesh-dr.yaml', true)).toEqual([]);
    expect(run('mtls-mesh-dr.yaml', false)).toEqual([
      'KIA0205 warning DestinationRule istio-system/default spec.trafficPolicy.tls.mode @12\n  → ConfigMap istio-system/istio data.mesh @8',
      'KIA0204 warning DestinationRule shop/reviews spec.host @20\n  → DestinationRule istio-system/default spec.trafficPolicy.tls.mode @12\n  → ConfigMap istio-system/istio data.mesh @8',
      // vault is STRICT: the plain text its rule now sends is refused, so this one is an error
      'KIA0204 error DestinationRule vault/kv spec.trafficPolicy @42\n  → DestinationRule istio-system/default spec.trafficPolicy.tls.mode @12\n  → ConfigMap istio-system/istio data.mesh @8\n  → PeerAuthentication vault/default spec.mtls.mode @33',
      // edge/web keeps tls.mode ISTIO_MUTUAL: not affected
    ]);
    const kv = find('mtls-mesh-dr.yaml', false, 'KIA0204', 'kv');
    expect(kv.message).toBe('This DestinationRule for kv.vault.svc.cluster.local sets no TLS mode, and Istio applies only the most specific rule of a host: it replaces the ISTIO_MUTUAL of istio-system/default (host *.local) for kv.vault.svc.cluster.local. With auto-mTLS off, clients of kv.vault.svc.cluster.local send plain text, which PeerAuthentication vault/default (namespace-wide, STRICT) refuses: every connection is reset.');
    expect(kv.fix).toBe('Add trafficPolicy.tls.mode ISTIO_MUTUAL to this DestinationRule (rules are not merged), or turn enableAutoMtls back on.');
  });

  it('a DISABLE mesh policy with a mesh rule sending mTLS: KIA0506 and KIA0205 in both modes, KIA0505 where nothing shadows the rule', () => {
    const conflict = [
      'KIA0506 error PeerAuthentication istio-system/default spec.mtls.mode @10\n  → DestinationRule istio-system/default spec.trafficPolicy.tls.mode @21',
      'KIA0205 error DestinationRule istio-system/default spec.trafficPolicy.tls.mode @21\n  → PeerAuthentication istio-system/default spec.mtls.mode @10',
      // edge (PERMISSIVE) and legacy (own rule sending plain text) are consistent; vault inherits nothing that helps
      'KIA0505 error PeerAuthentication vault/default spec.mtls.mode @73\n  → DestinationRule istio-system/default spec.trafficPolicy.tls.mode @21',
    ];
    expect(run('mtls-mesh-conflict.yaml', true)).toEqual(conflict);
    expect(run('mtls-mesh-conflict.yaml', false)).toEqual(conflict);
    expect(find('mtls-mesh-conflict.yaml', true, 'KIA0505', 'default').fix).toBe('Add a DestinationRule in namespace vault with host "*.vault.svc.cluster.local" and tls.mode DISABLE, or set this policy to PERMISSIVE.');
  });

  it('find nothing for a consistent mesh (and ignore a selector policy in the root namespace, as Istio does)', () => {
    expect(run('mtls-mesh-good.yaml', true)).toEqual([]);
    expect(run('mtls-mesh-good.yaml', false)).toEqual([]);
  });
});

describe('createCheckEngine().update on the mTLS matrix', () => {
  it('re-validates both sides when the mesh config, policies, rules and workload labels change', () => {
    const setMode = (kind: string, ns: string, name: string, mode: string) => (o: InventoryObject[]) => {
      const x = raw(o, kind, ns, name);
      if (kind === 'PeerAuthentication') x.spec.mtls.mode = mode;
      else x.spec.trafficPolicy.tls.mode = mode;
      return x;
    };
    const mesh = (text: string) => () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: text } });
    const cm: ObjectRef = { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' };
    const p = 'spec.mtls.mode';
    const t = 'spec.trafficPolicy.tls.mode';
    replayEdits(['mtls-base.yaml', 'mtls-ns-bad.yaml'], MTLS, [
      // auto-mTLS off, then on again
      [cm, mesh('enableAutoMtls: false\n'), `+KIA0501 legacy/default ${p}, +KIA0206 shop/mtls ${t}`],
      [cm, mesh('enableAutoMtls: true\n'), `-KIA0501 legacy/default ${p}, -KIA0206 shop/mtls ${t}`],
      // legacy becomes PERMISSIVE: its namespace-wide plain text is accepted
      [{ kind: 'PeerAuthentication', namespace: 'legacy', name: 'default' }, setMode('PeerAuthentication', 'legacy', 'default', 'PERMISSIVE'), `-KIA0207 legacy/plain-text ${t}`],
      // a mesh-wide STRICT policy appears: legacy's own PERMISSIVE still decides; nothing else sends plain text where it decides
      [{ kind: 'PeerAuthentication', namespace: 'istio-system', name: 'default' }, () => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } }), ''],
      // legacy's policy goes: the mesh's STRICT now decides there
      [{ kind: 'PeerAuthentication', namespace: 'legacy', name: 'default' }, () => null, `+KIA0208 legacy/plain-text ${t}`],
      // kv's pods lose the label the workload policy selects: the mesh's STRICT decides for them instead
      [{ kind: 'Deployment', namespace: 'vault', name: 'kv' }, (o) => { const d = raw(o, 'Deployment', 'vault', 'kv'); d.spec.template.metadata.labels = { app: 'kv', tier: 'store' }; d.spec.selector.matchLabels = { app: 'kv' }; return d; }, ''],
      [{ kind: 'PeerAuthentication', namespace: 'vault', name: 'kv-strict' }, (o) => { const pa = raw(o, 'PeerAuthentication', 'vault', 'kv-strict'); pa.spec.selector.matchLabels = { tier: 'cache' }; return pa; }, `+KIA0208 vault/kv ${t}, -KIA0207 vault/kv ${t}`],
      // quiet's rule stops sending mTLS, then sends it again
      [{ kind: 'DestinationRule', namespace: 'quiet', name: 'api' }, setMode('DestinationRule', 'quiet', 'api', 'DISABLE'), `-KIA0505 quiet/api-plain ${p}`],
      [{ kind: 'DestinationRule', namespace: 'quiet', name: 'api' }, setMode('DestinationRule', 'quiet', 'api', 'ISTIO_MUTUAL'), `+KIA0505 quiet/api-plain ${p}`],
      // the edge rule goes: the edge policy's DISABLE contradicts nothing
      [{ kind: 'DestinationRule', namespace: 'edge', name: 'mtls' }, () => null, `-KIA0505 edge/default ${p}, -KIA0206 edge/mtls ${t}`],
    ], (actual, expected, label) => expect(actual, label).toBe(expected));
  });
});

import { describe, expect, it } from 'vitest';
import { checkInventory } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';
import { fullFindings, rawObject as raw, replayEdits } from './__fixtures__/full.js';

// Service appProtocol (KIA0602), Sidecar (KIA1004, KIA1006, KIA1007), gateway reference form (KIA1108) and
// WorkloadGroup (KIA1701, KIA1702) checks, on mtls-base.yaml.
const CODES = /^(KIA0602|KIA100[467]|KIA1108|KIA170[12])$/;
const BAD = ['mtls-base.yaml', 'fields-bad.yaml'];
const find = (files: string[], code: string, path: string) => checkInventory(inventoryOf(...files)).find((f) => f.code === code && f.path === path)!;

describe('Service port appProtocol (KIA0602)', () => {
  it('reports values Istio does not parse; accepts http-metrics (prefix), h2c/ws of kubernetes.io, well-known ports and UDP', () => {
    expect(fullFindings(/^KIA0602$/, ...BAD)).toEqual([
      'KIA0602 warning Service shop/ratings spec.ports[0].appProtocol @14',
      'KIA0602 warning Service shop/ratings spec.ports[1].appProtocol @17',
    ]);
    const web = find(BAD, 'KIA0602', 'spec.ports[0].appProtocol');
    expect(web.istioCode).toBe('IST0118');
    expect(web.message).toBe('Port 9080 (http-web) declares appProtocol "web", which Istio does not recognise. Istio reads appProtocol instead of the port name when it is set, so the name "http-web" is ignored and the port falls back to protocol sniffing: HTTP routing, retries and per-request metrics may not apply, and server-first protocols break.');
    expect(find(BAD, 'KIA0602', 'spec.ports[1].appProtocol').message).toContain('appProtocol "h2c", which Istio does not recognise (write kubernetes.io/h2c, or http2)');
  });
});

describe('Sidecar (KIA1004, KIA1006, KIA1007)', () => {
  it('reports egress hosts importing nothing, a root Sidecar with a selector and a policy without mode', () => {
    expect(fullFindings(/^KIA100[467]$/, ...BAD)).toEqual([
      'KIA1007 warning Sidecar shop/default spec.outboundTrafficPolicy @49',
      // ./reviews: a short name (Istio does not expand it); the reference is the Service it probably means
      'KIA1004 warning Sidecar shop/default spec.egress[0].hosts[0] @52\n  → Service shop/reviews metadata.name @45',
      // istio-system/reviews.shop…: the Service lives in shop
      'KIA1004 warning Sidecar shop/default spec.egress[0].hosts[1] @53\n  → Service shop/reviews metadata.name @45',
      // */api.payments.example.com: nothing defines it
      'KIA1004 warning Sidecar shop/default spec.egress[0].hosts[2] @54',
      // vault/secret-store…: exported to vault only
      'KIA1004 warning Sidecar shop/default spec.egress[0].hosts[3] @55\n  → Service vault/secret-store metadata.annotations @34',
      // */*.googleapis.com: no ServiceEntry matches
      'KIA1004 warning Sidecar shop/default spec.egress[0].hosts[4] @56',
      // ./*, istio-system/*, ~/* and edge/web.edge.svc.cluster.local are fine
      'KIA1006 warning Sidecar istio-system/default spec.workloadSelector @68',
    ]);
    expect(find(BAD, 'KIA1004', 'spec.egress[0].hosts[0]').fix).toBe('Write "./reviews.shop.svc.cluster.local".');
    const wrongNs = find(BAD, 'KIA1004', 'spec.egress[0].hosts[1]');
    expect(wrongNs.message).toBe('reviews.shop.svc.cluster.local is defined only in namespace shop (Service shop/reviews), not in namespace istio-system: Istio imports a host from the namespace written before the "/", so this entry imports nothing.');
    expect(wrongNs.fix).toBe('Write "shop/reviews.shop.svc.cluster.local" (or "*/reviews.shop.svc.cluster.local").');
    expect(find(BAD, 'KIA1004', 'spec.egress[0].hosts[3]').fix).toBe('Add shop (or "*") to the exportTo of Service vault/secret-store, or remove this entry.');
    const mode = find(BAD, 'KIA1007', 'spec.outboundTrafficPolicy');
    expect(mode.message).toContain('which Istio reads as REGISTRY_ONLY (the enum\'s default), not as the mesh\'s ALLOW_ANY');
  });

  it('keeps KIA1007 informational when the mesh is REGISTRY_ONLY anyway (no behaviour change)', () => {
    const inv = inventoryOf(...BAD);
    inv.meshConfig = { ...inv.meshConfig, outboundTrafficPolicy: 'REGISTRY_ONLY' };
    const f = checkInventory(inv).find((x) => x.code === 'KIA1007')!;
    expect(`${f.severity} ${f.object.namespace}/${f.object.name} ${f.path}`).toBe('info shop/default spec.outboundTrafficPolicy');
  });
});

describe('VirtualService gateway reference form (KIA1108)', () => {
  it('reports name.namespace references (spec.gateways and match gateways) with the Gateway they bind, not ns/name.with.dots', () => {
    expect(fullFindings(/^KIA1108$/, ...BAD)).toEqual([
      'KIA1108 info VirtualService shop/shop spec.gateways[0] @100\n  → Gateway istio-system/shop-gateway metadata.name @78',
      'KIA1108 info VirtualService shop/shop spec.http[0].match[0].gateways[0] @106\n  → Gateway istio-system/shop-gateway metadata.name @78',
    ]);
    expect(find(BAD, 'KIA1108', 'spec.http[0].match[0].gateways[0]').fix).toBe('Write "istio-system/shop-gateway".');
    // Istio binds the legacy form to that Gateway (resolveGatewayName): no "gateway not found", no host mismatch.
    expect(fullFindings(/^(KIA1102|MLS0101)$/, ...BAD)).toEqual([]);
  });
});

describe('WorkloadGroup (KIA1701, KIA1702)', () => {
  it('reports a missing service account and groups with the same labels (label order aside), each naming the other', () => {
    expect(fullFindings(/^KIA170[12]$/, ...BAD)).toEqual([
      'KIA1702 warning WorkloadGroup legacy/db-vms spec.metadata.labels @118\n  → WorkloadGroup legacy/db-vms-west spec.metadata.labels @131',
      'KIA1701 warning WorkloadGroup legacy/db-vms spec.template.serviceAccount @122',
      'KIA1702 warning WorkloadGroup legacy/db-vms-west spec.metadata.labels @131\n  → WorkloadGroup legacy/db-vms spec.metadata.labels @118',
    ]);
    expect(find(BAD, 'KIA1701', 'spec.template.serviceAccount').message).toBe('No service account db-vm exists in namespace legacy (no ServiceAccount object and no workload runs as it; known: default): the VMs of this group cannot get a token for it, so they cannot join the mesh with that identity.');
  });
});

describe('the same kinds written the way Istio reads them', () => {
  it('find nothing (valid appProtocols, imported hosts, explicit mode, selector-less root Sidecar, ns/name.with.dots, known accounts, distinct or no labels)', () => {
    expect(fullFindings(CODES, 'mtls-base.yaml', 'fields-good.yaml')).toEqual([]);
    expect(fullFindings(CODES, 'mtls-base.yaml', 'fields-good.yaml', 'mesh-auto-mtls-off.yaml')).toEqual([]);
  });
});

describe('createCheckEngine().update on Sidecar and WorkloadGroup checks', () => {
  it('re-validates when Services, ServiceEntries, ServiceAccounts and other WorkloadGroups change', () => {
    const H = 'spec.egress[0].hosts';
    replayEdits(BAD, /^(KIA1004|KIA170[12])$/, [
      // a ServiceEntry for the payments API appears, then one for *.googleapis.com
      [{ kind: 'ServiceEntry', namespace: 'istio-system', name: 'payments' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'payments', namespace: 'istio-system' }, spec: { hosts: ['api.payments.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } }),
        `-KIA1004 shop/default ${H}[2]`],
      [{ kind: 'ServiceEntry', namespace: 'istio-system', name: 'payments' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'payments', namespace: 'istio-system' }, spec: { hosts: ['api.payments.example.com', 'storage.googleapis.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' } }),
        `-KIA1004 shop/default ${H}[4]`],
      // vault's Service is exported everywhere
      [{ kind: 'Service', namespace: 'vault', name: 'secret-store' }, (o) => { const s = raw(o, 'Service', 'vault', 'secret-store'); delete s.metadata.annotations; return s; }, `-KIA1004 shop/default ${H}[3]`],
      // the missing account is created; the twin group gets a label of its own
      [{ kind: 'ServiceAccount', namespace: 'legacy', name: 'db-vm' }, () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'db-vm', namespace: 'legacy' } }), '-KIA1701 legacy/db-vms spec.template.serviceAccount'],
      [{ kind: 'WorkloadGroup', namespace: 'legacy', name: 'db-vms-west' }, (o) => { const w = raw(o, 'WorkloadGroup', 'legacy', 'db-vms-west'); w.spec.metadata.labels.zone = 'west'; return w; },
        '-KIA1702 legacy/db-vms spec.metadata.labels, -KIA1702 legacy/db-vms-west spec.metadata.labels'],
    ], (actual, expected, label) => expect(actual, label).toBe(expected));
  });
});

import { describe, expect, it } from 'vitest';
import { refKey, type InventoryObject, type ObjectRef } from '@meshlens/model';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory, createCheckEngine } from './index.js';
import { findingsOf, inventoryOf, line } from './__fixtures__/load.js';

const LEG_ONLY = ['egress-base.yaml', 'egress-gateway-leg-only.yaml'] as const;

describe('MLS1003 reverse half: an egress gateway route that no mesh rule feeds', () => {
  it('reports the gateway → external route when no mesh-bound VirtualService sends the host to the egress gateway', () => {
    expect(findingsOf(...LEG_ONLY)).toEqual(['MLS1003 VirtualService default/direct-cnn-through-egress-gateway spec.http[0].route[0].destination.host @20']);
    const f = checkInventory(inventoryOf(...LEG_ONLY))[0]!;
    expect(f.severity).toBe('error');
    // the routing core's own answer for the sleep pod's request is quoted: it leaves through the sidecar, not the gateway
    // (sleep is the one sidecar client of the fixture; the message says why it was the one traced)
    expect(f.message).toContain('tracing http://edition.cnn.com:80 from default/sleep (the only sidecar workload that can send it), the routing core answers edition.cnn.com:80 (ServiceEntry default/cnn, MESH_EXTERNAL) → edition.cnn.com:80 (delivered)');
    expect(f.references.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.path} @${r.line}`)).toEqual([
      'Gateway default/istio-egressgateway spec.selector @123',
      'ServiceEntry default/cnn spec.hosts[0] @107',
      'Service istio-system/istio-egressgateway spec.selector @59',
    ]);
    expect(f.fix).toBe('Add a VirtualService bound to mesh for edition.cnn.com (or add mesh to this VirtualService\'s gateways) with a http rule matching gateways: [mesh], port 80, that routes to istio-egressgateway.istio-system.svc.cluster.local port 80, subset cnn (DestinationRule default/egressgateway-for-cnn).');
  });

  it('finds nothing for the complete istio.io Egress Gateways task (both legs)', () => {
    expect(findingsOf('egress-base.yaml', 'egress-both-legs.yaml')).toEqual([]);
  });

  it('update(): adding a mesh-bound VirtualService that sends the host to the egress gateway removes the finding, deleting it brings it back', () => {
    const objects = inventoryOf(...LEG_ONLY).objects;
    const engine = createCheckEngine(buildInventory(objects));
    expect(engine.findings().map(line)).toEqual(findingsOf(...LEG_ONLY));
    const meshLeg = parseManifests(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: cnn-to-egress-gateway
  namespace: default
spec:
  hosts:
  - edition.cnn.com
  http:
  - match:
    - port: 80
    route:
    - destination:
        host: istio-egressgateway.istio-system.svc.cluster.local
        subset: cnn
        port:
          number: 80
`, { file: 'mesh-leg.yaml' }).objects;
    const ref: ObjectRef = { kind: 'VirtualService', namespace: 'default', name: 'cnn-to-egress-gateway' };
    const withLeg: InventoryObject[] = [...objects, ...meshLeg];
    const added = createCheckEngine(buildInventory(objects));
    const diff = added.update(buildInventory(withLeg), [ref]);
    expect(diff.added).toEqual([]);
    expect(diff.removed.map(line)).toEqual(['MLS1003 VirtualService default/direct-cnn-through-egress-gateway spec.http[0].route[0].destination.host @20']);
    expect(added.findings()).toEqual(checkInventory(buildInventory(withLeg)));
    expect(added.findings()).toEqual([]);
    const back = added.update(buildInventory(withLeg.filter((o) => refKey(o.ref) !== refKey(ref))), [ref]);
    expect(back.added.map(line)).toEqual(['MLS1003 VirtualService default/direct-cnn-through-egress-gateway spec.http[0].route[0].destination.host @20']);
    expect(back.removed).toEqual([]);
  });
});

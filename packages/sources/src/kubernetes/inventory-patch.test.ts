/** Patching the inventory for Istio and ServiceAccount changes gives what a full rebuild gives. */
import { describe, expect, it } from 'vitest';
import { buildInventory } from '@meshlens/mesh';
import { refKey, refOf, type InventoryObject, type KubeObject, type ObjectRef } from '@meshlens/model';
import { patchInventory } from './inventory-patch.js';
import { fixtureObjects } from './__fixtures__/helpers.js';

const wrap = (o: KubeObject): InventoryObject => ({ ref: { kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }, object: o, origin: { source: 'cluster', cluster: 'prod' } });

describe('patchInventory', () => {
  const base = fixtureObjects().map(wrap);
  const prev = buildInventory(base);

  it('matches a full rebuild after an edit, an addition and a deletion of Istio objects and ServiceAccounts', () => {
    const edited = wrap({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] } });
    const added = wrap({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all', namespace: 'bookinfo' }, spec: {} });
    const sa = wrap({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ratings', namespace: 'bookinfo' } });
    const removed: ObjectRef = { kind: 'DestinationRule', namespace: 'bookinfo', name: 'reviews' };
    const changes = new Map<string, { ref: ObjectRef; now: InventoryObject | undefined }>([
      [refKey(edited.ref), { ref: edited.ref, now: edited }],
      [refKey(added.ref), { ref: added.ref, now: added }],
      [refKey(sa.ref), { ref: sa.ref, now: sa }],
      [refKey(removed), { ref: removed, now: undefined }],
    ]);
    const patched = patchInventory(prev, changes)!;
    const after = new Map(base.map((o) => [refKey(o.ref), o]));
    for (const [k, c] of changes) (c.now ? after.set(k, c.now) : after.delete(k));
    const full = buildInventory([...after.values()]);
    expect(patched).toBeDefined();
    expect(patched.objects).toEqual(full.objects);
    expect([...patched.byKey.keys()]).toEqual([...full.byKey.keys()]);
    expect(patched.istio).toEqual(full.istio);
    expect(patched.serviceAccounts).toEqual(full.serviceAccounts);
    expect(patched.services).toBe(prev.services);
    expect(prev.istio.DestinationRule).toHaveLength(1);
  });

  it('patches Gateway API objects into their own lists, never into Istio\'s Gateways', () => {
    const gwApi = (o: KubeObject): InventoryObject => ({ ref: refOf(o), object: o, origin: { source: 'cluster', cluster: 'prod' } });
    const gateway = gwApi({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: 'bookinfo' }, spec: { gatewayClassName: 'istio', listeners: [] } });
    const route = gwApi({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }] } });
    const klass = gwApi({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: 'istio.io/gateway-controller' } });
    const add = (objs: InventoryObject[]) => new Map(objs.map((o) => [refKey(o.ref), { ref: o.ref, now: o as InventoryObject | undefined }]));
    const patched = patchInventory(prev, add([gateway, route, klass]))!;
    const full = buildInventory([...base, gateway, route, klass]);
    expect(patched).toBeDefined();
    expect(patched.objects).toEqual(full.objects);
    expect(patched.gatewayApi).toEqual(full.gatewayApi);
    expect(patched.istio).toEqual(full.istio);
    expect(patched.gatewayApi.Gateway).toEqual([gateway]);
    expect(patched.istio.Gateway.map((o) => o.object.apiVersion)).toEqual(['networking.istio.io/v1']);
    // and out again
    const removed = patchInventory(patched, new Map([[refKey(route.ref), { ref: route.ref, now: undefined }]]))!;
    expect(removed.gatewayApi.HTTPRoute).toEqual([]);
    expect(removed.byKey.has(refKey(route.ref))).toBe(false);
    expect(prev.gatewayApi.Gateway).toEqual([]);
  });

  it('declines changes that derived views depend on, and objects in a namespace it has not seen', () => {
    const svc = wrap({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'bookinfo' } });
    expect(patchInventory(prev, new Map([[refKey(svc.ref), { ref: svc.ref, now: svc }]]))).toBeUndefined();
    const elsewhere = wrap({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'brand-new' } });
    expect(patchInventory(prev, new Map([[refKey(elsewhere.ref), { ref: elsewhere.ref, now: elsewhere }]]))).toBeUndefined();
  });
});

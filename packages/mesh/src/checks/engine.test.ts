import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { refKey, type InventoryObject, type ObjectRef } from '@meshlens/model';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory, createCheckEngine, referencesOf } from './index.js';
import { inventoryOf, line } from './__fixtures__/load.js';

function objectsOf(...files: string[]): InventoryObject[] {
  return inventoryOf(...files).objects;
}

/** Replaces (or adds, or with `null` deletes) one object, re-parsed from YAML so positions stay real. */
function edit(objects: InventoryObject[], ref: ObjectRef, next: Record<string, unknown> | null): InventoryObject[] {
  const key = refKey(ref);
  const rest = objects.filter((o) => refKey(o.ref) !== key);
  if (!next) return rest;
  const parsed = parseManifests(stringify(next), { file: 'edit.yaml' }).objects;
  return [...rest, ...parsed];
}

const raw = (objects: InventoryObject[], kind: string, ns: string, name: string) =>
  parse(stringify(objects.find((o) => o.ref.kind === kind && o.ref.namespace === ns && o.ref.name === name)!.object)) as any;

describe('createCheckEngine().update', () => {
  it('gives the same findings as a full run after each edit (VS, DR, Gateway, Service, Deployment: add, modify, delete)', () => {
    let objects = objectsOf('base.yaml', 'vs-good.yaml', 'dr-bad.yaml', 'gw-bad.yaml', 'selectors-bad.yaml');
    let inv = buildInventory(objects);
    const engine = createCheckEngine(inv);
    expect(engine.findings()).toEqual(checkInventory(inv));
    const edits: Array<[ObjectRef, (o: InventoryObject[]) => Record<string, unknown> | null]> = [
      // subset v2 of reviews loses its pods, then gets them back
      [{ kind: 'Deployment', namespace: 'shop', name: 'reviews-v2' }, () => null],
      [{ kind: 'Deployment', namespace: 'shop', name: 'reviews-v2' }, () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews-v2', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'reviews', version: 'v2' } }, template: { metadata: { labels: { app: 'reviews', version: 'v2' } }, spec: { containers: [{ name: 'r', image: 'r', ports: [{ containerPort: 9080 }] }] } } } })],
      // the VirtualService routes to a subset nobody defines, then a DestinationRule defines it
      [{ kind: 'VirtualService', namespace: 'shop', name: 'reviews' }, (o) => { const v = raw(o, 'VirtualService', 'shop', 'reviews'); v.spec.http[0].route[0].destination.subset = 'v3'; return v; }],
      [{ kind: 'DestinationRule', namespace: 'shop', name: 'reviews' }, (o) => { const d = raw(o, 'DestinationRule', 'shop', 'reviews'); d.spec.subsets.push({ name: 'v3', labels: { version: 'v2' } }); return d; }],
      // the gateway-bound host goes away with its Service, then comes back
      [{ kind: 'Service', namespace: 'shop', name: 'ratings' }, () => null],
      [{ kind: 'Service', namespace: 'shop', name: 'ratings' }, () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ratings', namespace: 'shop' }, spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 9080 }] } })],
      // the Gateway the VirtualService binds is deleted, a new conflicting one is added
      [{ kind: 'Gateway', namespace: 'shop', name: 'shop-gateway' }, () => null],
      [{ kind: 'Gateway', namespace: 'shop', name: 'c' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'c', namespace: 'shop' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] } })],
      // a DestinationRule for a host that does not exist yet, then its ServiceEntry-less Service appears
      [{ kind: 'DestinationRule', namespace: 'shop', name: 'details' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'details', namespace: 'shop' }, spec: { host: 'details', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } })],
      [{ kind: 'Service', namespace: 'shop', name: 'details' }, () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'details', namespace: 'shop' }, spec: { selector: { app: 'details' }, ports: [{ name: 'http', port: 9080 }] } })],
      [{ kind: 'Deployment', namespace: 'shop', name: 'details-v1' }, () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'details-v1', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'details' } }, template: { metadata: { labels: { app: 'details', version: 'v1' } }, spec: { containers: [{ name: 'd', image: 'd' }] } } } })],
      // a pod's labels change so the PeerAuthentication overlap disappears
      [{ kind: 'PeerAuthentication', namespace: 'shop', name: 'reviews-v1' }, () => null],
    ];
    let changes = 0;
    for (const [ref, make] of edits) {
      const before = engine.findings().map((f) => JSON.stringify(f));
      objects = edit(objects, ref, make(objects));
      inv = buildInventory(objects);
      const diff = engine.update(inv, [ref]);
      const full = checkInventory(inv);
      expect(engine.findings()).toEqual(full);
      const after = full.map((f) => JSON.stringify(f));
      expect(diff.added.map((f) => JSON.stringify(f)).sort()).toEqual(after.filter((l) => !before.includes(l)).sort());
      expect(diff.removed.map((f) => JSON.stringify(f)).sort()).toEqual(before.filter((l) => !after.includes(l)).sort());
      if (diff.added.length + diff.removed.length > 0) changes++;
    }
    expect(changes).toBeGreaterThanOrEqual(8); // the edits really changed findings
  });

  it('summarises by namespace and answers per object', () => {
    const engine = createCheckEngine(inventoryOf('base.yaml', 'dr-bad.yaml'));
    expect(engine.summary(['shop'])).toEqual({ error: 3, warning: 4, info: 0, objects: 4 });
    expect(engine.findingsFor({ kind: 'DestinationRule', namespace: 'shop', name: 'ghost' }).map(line)).toEqual(['KIA0202 DestinationRule shop/ghost spec.host @21']);
  });
});

describe('suppression annotations', () => {
  it('kiali.io/ignore-validations (list, or empty for all) and meshlens.io/ignore (list or *) drop findings of that object only', () => {
    const text = (ann: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ghost
  namespace: shop
  annotations: {${ann}}
spec:
  host: ghost
  subsets:
  - name: any
`;
    const run = (ann: string) => checkInventory(buildInventory(parseManifests(text(ann), { file: 'x.yaml' }).objects)).map((f) => f.code);
    expect(run('')).toEqual(['KIA0202', 'KIA0209']);
    expect(run('"kiali.io/ignore-validations": "KIA0202"')).toEqual(['KIA0209']);
    expect(run('"kiali.io/ignore-validations": ""')).toEqual([]);
    expect(run('"meshlens.io/ignore": "IST0174, KIA0209"')).toEqual([]);
    expect(run('"meshlens.io/ignore": "*"')).toEqual([]);
  });
});

describe('referencesOf', () => {
  it('lists what a VirtualService points to and who points to a DestinationRule', () => {
    const inv = inventoryOf('base.yaml', 'vs-good.yaml');
    expect(referencesOf(inv, { kind: 'VirtualService', namespace: 'shop', name: 'shop-ingress' })).toEqual({
      references: [{ kind: 'Gateway', namespace: 'shop', name: 'shop-gateway' }, { kind: 'Service', namespace: 'shop', name: 'ratings' }],
      referencedBy: [],
    });
    // a DestinationRule refers to its host; the VirtualService routing to that host by name refers to it (listed once,
    // as referring to it — no longer also under "Refers to", where any VirtualService whose host intersected came along)
    expect(referencesOf(inv, { kind: 'DestinationRule', namespace: 'shop', name: 'reviews' })).toEqual({
      references: [{ kind: 'Service', namespace: 'shop', name: 'reviews' }],
      referencedBy: [{ kind: 'VirtualService', namespace: 'shop', name: 'reviews' }],
    });
  });
});

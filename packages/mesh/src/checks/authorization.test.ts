import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { refKey, type InventoryObject, type ObjectRef } from '@meshlens/model';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory, createCheckEngine } from './index.js';
import { findingsOf, inventoryOf } from './__fixtures__/load.js';

// Whole-list assertions: the bad fixtures list exactly the findings they must produce; the good ones none.
describe('AuthorizationPolicy principals (KIA0106, KIA0108) and operation hosts (KIA0104)', () => {
  it('report accounts that do not exist (typo, missing namespace, notPrincipals), a foreign trust domain and unknown hosts', () => {
    expect(findingsOf('base.yaml', 'vs-good.yaml', 'authz-bad.yaml')).toEqual([
      'KIA0106 AuthorizationPolicy shop/ratings-viewer spec.rules[0].from[0].source.principals[3] @53',
      'KIA0106 AuthorizationPolicy shop/ratings-viewer spec.rules[0].from[0].source.principals[4] @54',
      'KIA0108 AuthorizationPolicy shop/ratings-viewer spec.rules[0].from[0].source.principals[7] @57',
      'KIA0106 AuthorizationPolicy shop/ratings-viewer spec.rules[0].from[0].source.notPrincipals[0] @59',
      'KIA0104 AuthorizationPolicy shop/ratings-viewer spec.rules[0].to[0].operation.hosts[8] @71',
      'KIA0104 AuthorizationPolicy shop/ratings-viewer spec.rules[0].to[0].operation.hosts[9] @72',
      'KIA0104 AuthorizationPolicy shop/ratings-viewer spec.rules[0].to[0].operation.hosts[10] @73',
    ]);
  });

  it('keeps a missing cluster Service an error and lowers an unknown external host to a warning under ALLOW_ANY', () => {
    const f = checkInventory(inventoryOf('base.yaml', 'vs-good.yaml', 'authz-bad.yaml')).filter((x) => x.code === 'KIA0104');
    expect(f.map((x) => `${x.severity} ${x.path.replace(/^.*hosts/, 'hosts')}`)).toEqual(['error hosts[8]', 'error hosts[9]', 'warning hosts[10]']);
    expect(f[1]!.message).toContain('details.shop.svc.cluster.local (written "details.shop.svc.cluster.local:9080")');
    const typo = checkInventory(inventoryOf('base.yaml', 'vs-good.yaml', 'authz-bad.yaml')).find((x) => x.path.endsWith('principals[3]'))!;
    expect(typo.message).toBe('No service account bookinfo-review exists in namespace shop (no ServiceAccount object and no workload runs as it; known: bookinfo-productpage, bookinfo-reviews, default), so this source never matches.');
  });

  it('find nothing when accounts exist (object, workload, default), the trust domain is the mesh\'s or an alias, and hosts resolve', () => {
    expect(findingsOf('base.yaml', 'authz-good.yaml')).toEqual([]);
  });
});

describe('exportTo namespaces (KIA0005)', () => {
  it('report namespaces that do not exist and accept ".", "*", "~", existing and implicit namespaces', () => {
    expect(findingsOf('base.yaml', 'exportto-bad.yaml')).toEqual([
      'KIA0005 VirtualService shop/reviews spec.exportTo[1] @16',
      'KIA0005 ServiceEntry shop/stripe spec.exportTo[1] @37',
    ]);
  });
});

/** Replaces (or adds, or with `null` deletes) one object, re-parsed from YAML so positions stay real. */
function edit(objects: InventoryObject[], ref: ObjectRef, next: Record<string, unknown> | null): InventoryObject[] {
  const rest = objects.filter((o) => refKey(o.ref) !== refKey(ref));
  return next ? [...rest, ...parseManifests(stringify(next), { file: 'edit.yaml' }).objects] : rest;
}

const raw = (objects: InventoryObject[], kind: string, ns: string, name: string) =>
  parse(stringify(objects.find((o) => o.ref.kind === kind && o.ref.namespace === ns && o.ref.name === name)!.object)) as any;

type Edit = [ObjectRef, (o: InventoryObject[]) => Record<string, unknown> | null, string];

/**
 * Applies each edit, asserting update() equals a full run, that its diff is the full runs' difference, and that
 * the edit made exactly the named findings (`code name:path`) appear (+) or disappear (-).
 */
function replay(files: string[], edits: Edit[]): void {
  let objects = inventoryOf(...files).objects;
  let inv = buildInventory(objects);
  const engine = createCheckEngine(inv);
  expect(engine.findings()).toEqual(checkInventory(inv));
  for (const [ref, make, expected] of edits) {
    const before = engine.findings();
    objects = edit(objects, ref, make(objects));
    inv = buildInventory(objects);
    const diff = engine.update(inv, [ref]);
    const full = checkInventory(inv);
    expect(engine.findings()).toEqual(full);
    const json = (l: typeof full) => l.map((f) => JSON.stringify(f)).sort();
    expect(json(diff.added)).toEqual(json(full).filter((l) => !json(before).includes(l)));
    expect(json(diff.removed)).toEqual(json(before).filter((l) => !json(full).includes(l)));
    const short = (l: typeof full) => l.map((f) => `${f.code} ${f.object.name}:${f.path}`);
    const got = [...short(full).filter((l) => !short(before).includes(l)).map((l) => `+${l}`), ...short(before).filter((l) => !short(full).includes(l)).map((l) => `-${l}`)].join(', ');
    expect(got, `${ref.kind} ${ref.namespace}/${ref.name}`).toBe(expected);
  }
}

const P = 'ratings-viewer:spec.rules[0].from[0].source';
const H = 'ratings-viewer:spec.rules[0].to[0].operation';

describe('createCheckEngine().update on AuthorizationPolicy references and exportTo', () => {
  it('re-validates principals and hosts when ServiceAccounts, workloads, namespaces, mesh config, Services and VirtualServices change', () => {
    const sa = (name: string, ns = 'shop') => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
    replay(['base.yaml', 'vs-good.yaml', 'authz-bad.yaml'], [
      // the typo'd account is created, then deleted again
      [{ kind: 'ServiceAccount', namespace: 'shop', name: 'bookinfo-review' }, () => sa('bookinfo-review'), `-KIA0106 ${P}.principals[3]`],
      [{ kind: 'ServiceAccount', namespace: 'shop', name: 'bookinfo-review' }, () => null, `+KIA0106 ${P}.principals[3]`],
      // the ServiceAccount object goes away: the account now exists nowhere
      [{ kind: 'ServiceAccount', namespace: 'shop', name: 'bookinfo-reviews' }, () => null, `+KIA0106 ${P}.principals[0]`],
      // the only workload running as bookinfo-productpage switches account (known accounts change in messages too)
      [{ kind: 'Deployment', namespace: 'shop', name: 'productpage-v1' }, (o) => { const d = raw(o, 'Deployment', 'shop', 'productpage-v1'); d.spec.template.spec.serviceAccountName = 'sleep'; return d; },
        `+KIA0106 ${P}.principals[1], -KIA0106 ${P}.notPrincipals[0]`],
      // namespace shopp appears: its default account exists
      [{ kind: 'Namespace', name: 'shopp' }, () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shopp', labels: { 'istio-injection': 'enabled' } } }), `-KIA0106 ${P}.principals[4]`],
      // the mesh moves to trust domain example.org: the cluster.local principals become foreign, example.org's valid
      [{ kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'trustDomain: example.org\noutboundTrafficPolicy: {mode: REGISTRY_ONLY}\n' } }),
        `+KIA0108 ${P}.principals[0], +KIA0108 ${P}.principals[1], +KIA0108 ${P}.principals[2], +KIA0108 ${P}.principals[3], +KIA0108 ${P}.principals[4], +KIA0108 ${P}.notPrincipals[0], -KIA0106 ${P}.principals[0], -KIA0106 ${P}.principals[1], -KIA0106 ${P}.principals[3], -KIA0108 ${P}.principals[7]`],
      [{ kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, () => null,
        `+KIA0106 ${P}.principals[0], +KIA0106 ${P}.principals[1], +KIA0106 ${P}.principals[3], +KIA0108 ${P}.principals[7], -KIA0108 ${P}.principals[0], -KIA0108 ${P}.principals[1], -KIA0108 ${P}.principals[2], -KIA0108 ${P}.principals[3], -KIA0108 ${P}.principals[4], -KIA0108 ${P}.notPrincipals[0]`],
      // Service details appears (both spellings of its host resolve), then a VirtualService names api.partner.com
      [{ kind: 'Service', namespace: 'shop', name: 'details' }, () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'details', namespace: 'shop' }, spec: { selector: { app: 'details' }, ports: [{ name: 'http', port: 9080 }] } }),
        `-KIA0104 ${H}.hosts[8], -KIA0104 ${H}.hosts[9]`],
      [{ kind: 'VirtualService', namespace: 'shop', name: 'partner' }, () => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'partner', namespace: 'shop' }, spec: { hosts: ['*.partner.com'], gateways: ['shop-gateway'], http: [{ route: [{ destination: { host: 'ratings', port: { number: 9080 } } }] }] } }),
        // (shop-gateway does not serve *.partner.com, which MLS0101 reports on the new VirtualService)
        `+MLS0101 partner:spec.gateways[0], -KIA0104 ${H}.hosts[10]`],
    ]);
  });

  it('re-validates exportTo when the named namespace appears or disappears', () => {
    const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'istio-injection': 'enabled' } } });
    replay(['base.yaml', 'exportto-bad.yaml'], [
      [{ kind: 'Namespace', name: 'payments' }, () => ns('payments'), '-KIA0005 stripe:spec.exportTo[1]'],
      // billing exists only through its ServiceAccount: deleting that removes the namespace
      [{ kind: 'ServiceAccount', namespace: 'billing', name: 'default' }, () => null, '+KIA0005 reviews:spec.exportTo[2]'],
      [{ kind: 'Namespace', name: 'shopp' }, () => ns('shopp'), '-KIA0005 reviews:spec.exportTo[1]'],
      [{ kind: 'Namespace', name: 'payments' }, () => null, '+KIA0005 stripe:spec.exportTo[1]'],
    ]);
  });
});

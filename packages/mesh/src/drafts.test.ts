import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '@meshlens/model';
import { buildInventory, parseManifests } from './inventory/index.js';
import { checkInventory, createCheckEngine } from './checks/index.js';
import { traceRequest } from './routing/index.js';
import { demoObjects } from './checks/__fixtures__/load.js';
import { diffFindings, draftedInventory, draftedInventoryFrom, findingKey, overlayDrafts, parseDraft } from './drafts.js';

const FIXES = readFileSync(fileURLToPath(new URL('./drafts.seed-001-fixes.yaml', import.meta.url)), 'utf8');
const short = (f: Finding) => `${f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path}`;

const VS = (name: string, host: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: shop${extra}
spec:
  hosts: [${host}]
  http:
  - route:
    - destination: {host: ${host}}
`;

describe('parseDraft', () => {
  it('reads objects with their lines in the draft, delete markers apart, and a bad document as an error with its line', () => {
    const text = `${VS('a', 'ratings')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: old\n  namespace: shop\n  annotations:\n    meshlens.io/draft: delete\n---\nkind: [\n`;
    const d = parseDraft(text, 'draft-1.yaml');
    expect(d.objects.map((o) => [o.ref, o.origin.file, o.origin.line, o.positions?.['spec.http[0].route[0].destination']?.line])).toEqual([
      [{ kind: 'VirtualService', namespace: 'shop', name: 'a' }, 'draft-1.yaml', 1, 10],
    ]);
    expect(d.deletes).toEqual([{ kind: 'Service', namespace: 'shop', name: 'old' }]);
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toMatchObject({ file: 'draft-1.yaml', line: expect.any(Number) });
    expect(d.errors[0]!.line).toBeGreaterThanOrEqual(19);
  });

  it('gives a namespaced object without a namespace the default one, as kubectl does', () => {
    expect(parseDraft('apiVersion: v1\nkind: Service\nmetadata: {name: x}\n', 'd').objects[0]!.ref).toEqual({ kind: 'Service', namespace: 'default', name: 'x' });
  });
});

describe('overlayDrafts', () => {
  const base = parseManifests(`${VS('a', 'ratings')}---\n${VS('b', 'reviews')}---\n${VS('a', 'details')}`, { file: 'base.yaml' }).objects;

  it('replaces every copy of the same kind/namespace/name in place, adds new objects at the end, and deletes marked ones', () => {
    const drafts = [
      parseDraft(VS('a', 'productpage'), 'd1'),
      parseDraft(`${VS('c', 'ratings')}---\n${VS('b', 'reviews', '\n  annotations: {meshlens.io/draft: delete}')}`, 'd2'),
      parseDraft(VS('zz', 'x', '\n  annotations: {meshlens.io/draft: delete}'), 'd3'),
    ];
    const o = overlayDrafts(base, drafts);
    expect(o.objects.map((x) => `${x.ref.name} ${x.origin.file} ${(x.object.spec as { hosts: string[] }).hosts[0]}`)).toEqual(['a d1 productpage', 'c d2 ratings']);
    expect(o.replaced.map((r) => r.name)).toEqual(['a']);
    expect(o.added.map((r) => r.name)).toEqual(['c']);
    expect(o.deleted.map((r) => r.name)).toEqual(['b']);
    expect(o.missing.map((r) => r.name)).toEqual(['zz']);
    expect(o.changed.map((r) => r.name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a later draft of the same object wins; no draft leaves the base as it is', () => {
    const o = overlayDrafts(base, [parseDraft(VS('c', 'one'), 'd1'), parseDraft(VS('c', 'two'), 'd2')]);
    expect(o.objects.map((x) => x.origin.file)).toEqual(['base.yaml', 'base.yaml', 'base.yaml', 'd2']);
    expect(overlayDrafts(base, []).objects).toEqual(base);
  });
});

describe('diffFindings', () => {
  const f = (code: string, name: string, path: string, line: number): Finding => ({
    code, severity: 'error', message: 'm', object: { kind: 'VirtualService', namespace: 'shop', name }, path, line, references: [],
  });

  it('compares by code, object and path (not by line), as many times as each occurs', () => {
    const before = [f('KIA1101', 'a', 'spec.http[0]', 3), f('KIA1101', 'a', 'spec.http[0]', 9), f('MLS1001', 'b', 'spec.hosts[0]', 4)];
    const after = [f('KIA1101', 'a', 'spec.http[0]', 5), f('KIA1107', 'a', 'spec.http[1]', 12)];
    const d = diffFindings(before, after);
    expect(d.removed.map((x) => `${x.code} ${x.object.name} ${x.line}`)).toEqual(['KIA1101 a 3', 'MLS1001 b 4']);
    expect(d.added.map((x) => `${x.code} ${x.object.name} ${x.line}`)).toEqual(['KIA1107 a 12']);
    expect(findingKey(after[0]!)).toBe('KIA1101 VirtualService/shop/a spec.http[0]');
  });
});

describe('seed 001 fixed by drafts on the demo mesh', () => {
  const demo = demoObjects();
  const before = checkInventory(buildInventory(demo.objects, demo.errors));
  const fixes = parseDraft(FIXES, 'changes.yaml');
  const { inventory, overlay } = draftedInventory(demo, [fixes]);

  it('the three fixes (ServiceEntry, subset, gateway rule) remove MLS1001/1002 (1003) and KIA0203 (MLS1004) and add nothing', () => {
    expect(fixes.errors).toEqual([]);
    expect(overlay.added).toEqual([{ kind: 'ServiceEntry', namespace: 'istio-system', name: 'wikipedia' }]);
    expect(overlay.replaced.map((r) => `${r.kind} ${r.name}`)).toEqual(['DestinationRule egressgateway', 'VirtualService eg1']);
    const d = diffFindings(before, checkInventory(inventory));
    expect(d.removed.map(short)).toEqual([
      'MLS1001 VirtualService istio-system/eg1 spec.hosts[0]',
      'MLS1002 VirtualService istio-system/eg1 spec.gateways[1]',
      'KIA0203 DestinationRule istio-system/egressgateway spec.subsets[0].labels',
    ]);
    expect(d.added).toEqual([]);
  });

  it('the incremental engine, moved to the drafted inventory, gives the same findings as a full check', () => {
    const engine = createCheckEngine(buildInventory(demo.objects, demo.errors));
    engine.update(inventory, overlay.changed);
    expect(engine.findings().map(short)).toEqual(checkInventory(inventory).map(short));
  });

  it('turns https://en.wikipedia.org from default/pod1 into pod1 → istio-egressgateway → en.wikipedia.org', () => {
    const r = traceRequest(inventory, { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, sni: 'en.wikipedia.org' });
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => [p.outcome.kind, p.hops.map((h) => `${h.from.kind}>${h.to.kind}`).join(' '), p.destination])).toEqual([[
      'delivered',
      'workload>service service>gateway gateway>serviceEntry serviceEntry>external',
      { kind: 'external', host: 'en.wikipedia.org', port: 443 },
    ]]);
    expect(r.paths[0]!.hops[1]!.to).toMatchObject({ kind: 'gateway', namespace: 'istio-system', workload: 'istio-egressgateway' });
  });

  it('laid over the built inventory (config kinds only: no rebuild), gives the same inventory views and findings as a rebuild', () => {
    const built = buildInventory(demo.objects, demo.errors);
    const fast = draftedInventoryFrom(built, [fixes]);
    expect(fast.inventory.services).toBe(built.services);
    expect(fast.inventory.workloads).toBe(built.workloads);
    const keys = (inv: ReturnType<typeof buildInventory>) => ({
      objects: inv.objects.map((o) => `${o.ref.kind}/${o.ref.namespace}/${o.ref.name}@${o.origin.file}`),
      byKey: [...inv.byKey.keys()].sort(),
      istio: Object.fromEntries(Object.entries(inv.istio).map(([k, l]) => [k, l.map((o) => `${o.ref.namespace}/${o.ref.name}@${o.origin.file}`)])),
      gatewayApi: Object.fromEntries(Object.entries(inv.gatewayApi).map(([k, l]) => [k, l.map((o) => `${o.ref.namespace}/${o.ref.name}`)])),
      errors: inv.errors,
    });
    expect(keys(fast.inventory)).toEqual(keys(inventory));
    expect(checkInventory(fast.inventory).map(short)).toEqual(checkInventory(inventory).map(short));
    expect(fast.overlay.changed).toEqual(overlay.changed);
  });

  it('laid over the built inventory, a draft of another kind (a Service) rebuilds it; no draft leaves it as it is', () => {
    const built = buildInventory(demo.objects, demo.errors);
    const svc = parseDraft('apiVersion: v1\nkind: Service\nmetadata: {name: wikipedia-proxy, namespace: default}\nspec: {ports: [{port: 443, name: tls}]}\n', 's.yaml');
    const rebuilt = draftedInventoryFrom(built, [svc]).inventory;
    expect(rebuilt.services).not.toBe(built.services);
    expect(rebuilt.servicesByHost.has('wikipedia-proxy.default.svc.cluster.local')).toBe(true);
    expect(draftedInventoryFrom(built, []).inventory).toBe(built);
  });

  it('a load error about a replaced object (the demo\'s duplicate egress gateway Service) goes with it', () => {
    const svc = demo.objects.filter((o) => o.ref.kind === 'Service' && o.ref.name === 'istio-egressgateway').at(-1)!;
    const draft = parseDraft(`apiVersion: v1\nkind: Service\nmetadata: {name: istio-egressgateway, namespace: istio-system}\nspec: ${JSON.stringify(svc.object.spec)}\n`, 'svc.yaml');
    const dup = (inv: ReturnType<typeof buildInventory>) => inv.errors.filter((e) => e.object === 'Service istio-system/istio-egressgateway').length;
    expect(dup(buildInventory(demo.objects, demo.errors))).toBe(1);
    expect(dup(draftedInventory(demo, [draft]).inventory)).toBe(0);
  });
});

/**
 * "One answer everywhere": routing findings trace from the clients that plausibly send the traffic, each problem is
 * told once (related codes kept as aliases), lists name the relevant objects only, references are real references,
 * and a finding is found from every object it involves.
 */
import { describe, expect, it } from 'vitest';
import { refKey, type Finding, type InventoryObject } from '@meshlens/model';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory, createCheckEngine, referencesOf } from './index.js';
import { ALL_CHECKS } from './registry.js';
import { checkIndex } from './index-build.js';
import { tellOnce, RELATED_CODES } from './grouping.js';
import { someNames, tellsProblem } from './finding.js';
import { CODES } from './codes.js';
import { inventoryOf } from './__fixtures__/load.js';
import type { CheckContext } from './types.js';

const BASE = inventoryOf('told-once.yaml').objects;
const extra = (yaml: string) => parseManifests(yaml, { file: 'extra.yaml' }).objects;
const inv = (...more: InventoryObject[][]) => buildInventory([...BASE, ...more.flat()]);
const find = (fs: Finding[], code: string, name?: string) => fs.find((f) => f.code === code && (!name || f.object.name === name));
const short = (f: Finding) => `${f.code}${f.aliases ? `+${f.aliases.join('+')}` : ''} ${f.object.kind} ${f.object.namespace}/${f.object.name} ${f.path}`;

/** The findings every check gives for one object, before they are told once (as the engine's runSubject sees them). */
function rawFindings(objects: InventoryObject[], kind: string, name: string): Finding[] {
  const i = buildInventory(objects);
  const obj = i.objects.find((o) => o.ref.kind === kind && o.ref.name === name)!;
  const ctx: CheckContext = { inv: i, idx: checkIndex(i), read: () => {} };
  return ALL_CHECKS.filter((c) => c.kinds.includes(kind)).flatMap((c) => c.run(ctx, obj));
}

describe('the client a routing finding traces from', () => {
  it('is the pod that only sends traffic (a hand-made pod no Service selects), not the first workload of the inventory', () => {
    const fs = checkInventory(inv());
    const f = find(fs, 'MLS1001')!;
    expect(f.message).toContain('from tools/curl (the likely client: a hand-made pod no Service selects, so it only sends traffic) goes');
    expect(f.message).not.toContain('aaa/first');
    expect(f.references.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name}`)).toEqual(['Pod tools/curl']);
  });

  it('is a workload whose own spec names the host (env, args, hostAliases) before any other', () => {
    const caller = extra(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  namespace: tools
spec:
  selector:
    matchLabels:
      app: billing
  template:
    metadata:
      labels:
        app: billing
    spec:
      containers:
      - name: billing
        image: example/billing
        env:
        - name: UPSTREAM
          value: https://api.example.org/v2
---
apiVersion: v1
kind: Service
metadata:
  name: billing
  namespace: tools
spec:
  selector:
    app: billing
  ports:
  - name: http
    port: 80
`);
    const f = find(checkInventory(inv(caller)), 'MLS1001')!;
    expect(f.message).toContain('from tools/billing (the likely client: its containers name api.example.org) goes');
    const aliased = extra(`apiVersion: v1
kind: Pod
metadata:
  name: legacy
  namespace: aaa
spec:
  hostAliases:
  - ip: 192.0.2.10
    hostnames: [wiki.example.org]
  containers:
  - name: legacy
    image: example/legacy
  - name: istio-proxy
    image: docker.io/istio/proxyv2:1.23.2
`);
    expect(find(checkInventory(inv(aliased)), 'MLS1001')!.message).toContain('from aaa/legacy (the likely client: its hostAliases name wiki.example.org) goes');
  });

  it('skips namespaces that do see the host (a namespace-local ServiceEntry): their sidecars are not the ones that miss it', () => {
    const local = extra(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: example-org
  namespace: tools
spec:
  hosts: ["*.example.org"]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: NONE
  ports:
  - number: 443
    name: tls
    protocol: TLS
`);
    const f = find(checkInventory(inv(local)), 'MLS1001')!;
    expect(f.message).toContain('from aaa/first (the only sidecar workload that can send it) goes');
  });
});

describe('each problem told once', () => {
  it('folds MLS1004 into KIA0203 and MLS1003 into MLS1002, keeping codes as aliases, lines as references, istioctl codes as they were', () => {
    const fs = checkInventory(inv());
    expect(fs.filter((f) => f.object.namespace === 'istio-system').map(short)).toEqual([
      'MLS1001 VirtualService istio-system/ext spec.hosts[0]',
      'MLS1002+MLS1003 VirtualService istio-system/ext spec.gateways[1]',
      'KIA0203+MLS1004 DestinationRule istio-system/egw-dr spec.subsets[0].labels',
    ]);
    const subset = find(fs, 'KIA0203')!;
    expect(subset.istioCode).toBe('IST0173');
    expect(subset.message).toContain('The labels are elsewhere: tools/curl (set on the pod by hand) carries version=v9 but is not an endpoint of this host, so labelling it changes nothing for this subset (MLS1004).');
    // aaa/first carries version=v9 from its own Deployment template: not a pod someone labelled for this subset
    expect(subset.message).not.toContain('aaa/first');
    expect(subset.fix).toMatch(/^Set the subset labels to labels the host's pods carry, or add version=v9 to the pod template of the intended workload\. Remove version=v9 from tools\/curl/);
    expect(subset.references.map((r) => `${r.object.kind} ${r.object.namespace}/${r.object.name} ${r.path}`)).toEqual([
      'Service istio-system/istio-egressgateway spec.selector',
      'Pod tools/curl metadata.labels',
    ]);
    const deadEnd = find(fs, 'MLS1002')!;
    expect(deadEnd.message).toMatch(/Its mesh rule spec\.tls\[0\] sends \*\.example\.org to this gateway .*\(MLS1003\)\.$/);
    // MLS1003's own line (the route to the egress gateway) stays one click away
    expect(deadEnd.references.find((r) => r.object.name === 'ext')).toMatchObject({ path: 'spec.tls[0].route[0].destination.host', file: 'told-once.yaml', line: 147 });
    // the summary counts one per problem
    expect(fs.filter((f) => f.object.namespace === 'istio-system' && f.severity === 'error')).toHaveLength(3);
  });

  it('gives the same findings whatever order the checks produce them in', () => {
    for (const [kind, name] of [['DestinationRule', 'egw-dr'], ['VirtualService', 'ext']] as const) {
      const raw = rawFindings(BASE, kind, name);
      expect(raw.length).toBeGreaterThan(1);
      const once = JSON.stringify(tellOnce(raw));
      expect(JSON.stringify(tellOnce([...raw].reverse()))).toBe(once);
      expect(JSON.stringify(tellOnce([raw[raw.length - 1]!, ...raw.slice(0, -1)]))).toBe(once);
    }
  });

  it('leaves an alias alone without its primary, without a shared problem, or when it carries an istioctl code', () => {
    const f = (code: string, path: string, extraFields: Partial<Finding> = {}): Finding => ({
      code, severity: 'error', message: `${code} says.`, object: { kind: 'DestinationRule', namespace: 'ns', name: 'dr' }, path, references: [], fix: `${code} fix.`, ...extraFields,
    });
    const alone = tellsProblem(f('MLS1004', 'spec.subsets[0].labels'), { problem: 'p0' });
    expect(tellOnce([alone]).map((x) => x.code)).toEqual(['MLS1004']);
    const other = tellsProblem(f('KIA0203', 'spec.subsets[1].labels'), { problem: 'p1' });
    expect(tellOnce([alone, other]).map((x) => `${x.code}${x.aliases ?? ''}`).sort()).toEqual(['KIA0203', 'MLS1004']);
    const withIst = tellsProblem(f('MLS1004', 'spec.subsets[1].labels', { istioCode: 'IST0999' }), { problem: 'p1' });
    expect(tellOnce([withIst, other]).map((x) => x.code).sort()).toEqual(['KIA0203', 'MLS1004']);
    const folded = tellOnce([tellsProblem(f('MLS1004', 'spec.subsets[1].labels'), { problem: 'p1', sentence: 'Also this', fix: 'And that.' }), other]);
    expect(folded).toEqual([{ ...other, message: 'KIA0203 says. Also this (MLS1004).', fix: 'KIA0203 fix. And that.', aliases: ['MLS1004'] }]);
  });

  it('folds only codes without an istioctl code, so istioctl-code matching (conformance, SARIF users) counts the same', () => {
    for (const r of RELATED_CODES) for (const a of r.aliases) expect(CODES[a]?.istioCode, a).toBeUndefined();
  });

  it('is matched by an alias code in a suppression annotation or a filter of the primary-less run', () => {
    const ignored = BASE.map((o) => (o.ref.name === 'egw-dr' ? { ...o, object: { ...o.object, metadata: { ...o.object.metadata, annotations: { 'kiali.io/ignore-validations': 'KIA0203' } } } } : o));
    // Kiali's code suppressed: Meshlens's own finding of the problem still stands, on its own
    expect(checkInventory(buildInventory(ignored)).filter((f) => f.object.name === 'egw-dr').map(short)).toEqual(['MLS1004 DestinationRule istio-system/egw-dr spec.subsets[0].labels']);
    expect(checkInventory(inv(), { only: ['MLS1003'] }).map(short)).toEqual(['MLS1003 VirtualService istio-system/ext spec.tls[0].route[0].destination.host']);
  });
});

describe('lists of objects in messages', () => {
  it('name at most three, then "and N more"', () => {
    expect(someNames([])).toBe('');
    expect(someNames(['a'])).toBe('a');
    expect(someNames(['a', 'b'])).toBe('a and b');
    expect(someNames(['a', 'b', 'c'])).toBe('a, b and c');
    expect(someNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(someNames(['a', 'a', 'b'])).toBe('a and b');
    expect(someNames(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });

  it('count the pods that carry a subset\'s labels from their own templates instead of listing them', () => {
    // without the hand-labelled pod, only workloads whose own template says version=v9 carry it
    const many = Array.from({ length: 6 }, (_, i) => extra(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: aaa
spec:
  selector:
    matchLabels:
      app: svc-${i}
  template:
    metadata:
      labels:
        app: svc-${i}
        version: v9
    spec:
      containers:
      - name: c
        image: example/c
`)).flat();
    const objects = [...BASE.filter((o) => o.ref.name !== 'curl'), ...many];
    const subset = find(checkInventory(buildInventory(objects)), 'KIA0203')!;
    expect(subset.aliases).toEqual(['MLS1004']);
    expect(subset.message).toMatch(/The labels are elsewhere: 7 pods of other workloads carry version=v9 from their own template \(e\.g\. aaa\/\S+ and aaa\/\S+\), and none of them is an endpoint of this host \(MLS1004\)\.$/);
    expect(subset.message).not.toMatch(/more/);
    // none of them is named as involved: they did nothing wrong
    expect(subset.references.map((r) => r.object.kind)).toEqual(['Service']);
  });

  it('summarise the Gateways that claim the same port', () => {
    const gws = Array.from({ length: 5 }, (_, i) => extra(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${i}
  namespace: aaa
spec:
  selector:
    istio: egressgateway
  servers:
  - port:
      number: 443
      name: tls
      protocol: TLS
    hosts: ["*.example.org"]
    tls:
      mode: PASSTHROUGH
`)).flat();
    const f = checkInventory(inv(gws)).find((x) => x.code === 'KIA0301' && x.object.name === 'gw-0')!;
    // in path order: extra.yaml sorts before told-once.yaml, which declares istio-system/egw
    expect(f.message).toContain('Gateway aaa/gw-0 and 5 other Gateways (aaa/gw-1, aaa/gw-2, aaa/gw-3 and 2 more) claim port 443');
    expect(f.references).toHaveLength(5); // every one, with its line
  });
});

describe('references of a DestinationRule', () => {
  const shop = extra(`apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: productpage
  namespace: shop
spec:
  selector:
    app: productpage
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: everything
  namespace: shop
spec:
  host: "*.local"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: front
  namespace: shop
spec:
  hosts: ["*"]
  gateways: [shop-gw]
  http:
  - route:
    - destination:
        host: productpage
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catch-all-to-reviews
  namespace: shop
spec:
  hosts: ["*"]
  gateways: [shop-gw]
  http:
  - route:
    - destination:
        host: reviews.shop.svc.cluster.local
`);
  const i = buildInventory(shop);
  const names = (refs: Array<{ kind: string; namespace?: string; name: string }>) => refs.map((r) => `${r.kind} ${r.namespace}/${r.name}`);

  it('are its host, and the VirtualServices that route to that host by name — not one whose "*" host merely intersects', () => {
    const r = referencesOf(i, { kind: 'DestinationRule', namespace: 'shop', name: 'reviews' });
    // a DestinationRule refers to its host; VirtualServices refer to it (their routes name its host and subsets)
    expect(names(r.references)).toEqual(['Service shop/reviews']);
    expect(names(r.referencedBy)).toEqual(['VirtualService shop/reviews', 'VirtualService shop/catch-all-to-reviews']);
    // the gateway VirtualService with hosts "*" that routes to productpage is no reference of reviews' rule
    expect(names([...r.references, ...r.referencedBy])).not.toContain('VirtualService shop/front');
  });

  it('do not list a mesh-wide wildcard DestinationRule among what a VirtualService refers to', () => {
    const r = referencesOf(i, { kind: 'VirtualService', namespace: 'shop', name: 'front' });
    expect(names(r.references)).toEqual(['Service shop/productpage']);
    expect(names(referencesOf(i, { kind: 'DestinationRule', namespace: 'shop', name: 'everything' }).references)).toEqual([]);
  });
});

describe('findings involving an object', () => {
  it('are the findings of other objects whose references name it, kept current by update()', () => {
    const objects = BASE;
    const engine = createCheckEngine(buildInventory(objects));
    const pod = { kind: 'Pod', namespace: 'tools', name: 'curl' };
    expect(engine.findingsFor(pod)).toEqual([]);
    expect(engine.findingsInvolving(pod).map(short)).toEqual([
      'MLS1001 VirtualService istio-system/ext spec.hosts[0]',
      'KIA0203+MLS1004 DestinationRule istio-system/egw-dr spec.subsets[0].labels',
    ]);
    // the subset's labels move to the egress gateway: the DestinationRule no longer involves the pod
    const fixed = objects.map((o) => (o.ref.kind === 'DestinationRule' ? { ...o, object: { ...o.object, spec: { host: o.object.spec!.host, subsets: [{ name: 'ext', labels: { istio: 'egressgateway' } }] } } } : o));
    const next = buildInventory(fixed);
    engine.update(next, [{ kind: 'DestinationRule', namespace: 'istio-system', name: 'egw-dr' }]);
    expect(engine.findings()).toEqual(checkInventory(next));
    expect(engine.findingsInvolving(pod).map(short)).toEqual(['MLS1001 VirtualService istio-system/ext spec.hosts[0]']);
    expect(engine.findingsInvolving({ kind: 'Pod', namespace: 'tools', name: 'nope' })).toEqual([]);
    expect(refKey(engine.findingsInvolving(pod)[0]!.object)).not.toBe(refKey(pod));
  });
});

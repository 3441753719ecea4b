import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildInventory, checkInventory, parseManifests, type Inventory } from '@meshlens/mesh';
import type { ConfigListResponse, ConfigObjectResponse, Finding, FindingsResponse } from '@meshlens/model';
import { createDemoSource, createFileSource, noTelemetry, type InventoryChange, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { changedRefs } from './config-health/inventory-diff.js';
import { documentSlice } from './config-health/object-yaml.js';

const FIXTURE = 'src/__fixtures__/config/reviews.yaml';
const line = (f: Finding & { yamlLine?: number }) => `${f.code} ${f.path} file:${f.line} yaml:${f.yamlLine}`;
const ref = (r: { kind: string; namespace?: string; name: string }) => `${r.kind} ${r.namespace ?? '-'}/${r.name}`;

describe('config health API over the demo mesh (seed 001 in istio-system)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
  });
  afterAll(async () => app.close());

  it('shows VirtualService eg1 as written, each finding on its line, and what it refers to', async () => {
    const res = await app.inject('/api/config/VirtualService/istio-system/eg1');
    expect(res.statusCode).toBe(200);
    const body = res.json() as ConfigObjectResponse;
    expect(body.ref).toEqual({ kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' });
    expect(body.apiVersion).toBe('networking.istio.io/v1alpha3');
    // the author's text, quotes and all (not a re-serialization)
    expect(body.yaml).toBe(`apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: eg1
  namespace: istio-system
spec:
  hosts:
  - "*.wikipedia.org"
  gateways:
  - mesh
  - egressgateway
  tls:
  - match:
    - gateways:
      - mesh
      port: 443
      sniHosts:
      - "*.wikipedia.org"
    route:
    - destination:
        host: istio-egressgateway.istio-system.svc.cluster.local
        subset: wildcard
      weight: 100
`);
    // the dead end at the egress gateway is told once: MLS1002, with MLS1003 (the mesh rule sending traffic there) as its alias
    expect(body.findings.map(line)).toEqual([
      'MLS1001 spec.hosts[0] file:63 yaml:8',
      'MLS1002 spec.gateways[1] file:66 yaml:11',
    ]);
    expect(body.findings.map((f) => f.aliases)).toEqual([undefined, ['MLS1003']]);
    const yamlLines = body.yaml.split('\n');
    expect(body.findings.map((f) => yamlLines[f.yamlLine! - 1]!.trim())).toEqual(['- "*.wikipedia.org"', '- egressgateway']);
    expect(body.findings.every((f) => f.severity === 'error' && f.fix && f.file === 'scenarios/egress-gateway-broken.yaml')).toBe(true);
    // MLS1001 traces from the client pod of seed 001, and names it among the objects involved
    expect(body.findings[0]!.message).toContain('from default/pod1 (the likely client');
    expect(body.findings[0]!.references.map((r) => ref(r.object))).toEqual(['Pod default/pod1']);
    // MLS1003's line (the route to the egress gateway) is kept as a reference to eg1 itself
    expect(body.findings[1]!.references.map((r) => `${ref(r.object)} ${r.path} @${r.line}`)).toEqual([
      'Gateway istio-system/egressgateway spec.servers @46',
      'VirtualService istio-system/eg1 spec.tls[0].route[0].destination.host @76',
      'Service istio-system/istio-egressgateway spec.selector @105',
    ]);
    expect(body.involving).toEqual([]);
    expect(body.references.map(ref)).toEqual(['Gateway istio-system/egressgateway', 'Service istio-system/istio-egressgateway', 'DestinationRule istio-system/egressgateway']);
    expect(body.referencedBy).toEqual([]);
  });

  it('shows DestinationRule egressgateway with the subset finding told once on the labels line, naming the client pod', async () => {
    const body = (await app.inject('/api/config/DestinationRule/istio-system/egressgateway')).json() as ConfigObjectResponse;
    expect(body.yaml.split('\n')).toHaveLength(12);
    // KIA0203 (IST0173) tells MLS1004's part: one problem, one finding
    expect(body.findings.map(line)).toEqual(['KIA0203 spec.subsets[0].labels file:89 yaml:10']);
    expect(body.yaml.split('\n')[9]).toBe('    labels:');
    expect(body.findings.map((f) => [f.istioCode, f.aliases])).toEqual([['IST0173', ['MLS1004']]]);
    expect(body.findings[0]!.message).toContain('default/pod1 (set on the pod by hand) carries version=v1');
    expect(body.findings[0]!.references.map((r) => `${ref(r.object)} ${r.note}`)).toEqual([
      'Service istio-system/istio-egressgateway the host whose pods the subset narrows',
      'Pod default/pod1 carries version=v1 (set on the pod itself)',
    ]);
    expect(body.referencedBy.map(ref)).toEqual(['VirtualService istio-system/eg1']);
  });

  it("shows on the Pod default/pod1's page the findings of other objects that involve it, with its own line", async () => {
    const body = (await app.inject('/api/config/Pod/default/pod1')).json() as ConfigObjectResponse;
    expect(body.findings).toEqual([]);
    expect(body.involving.map((f) => `${f.code} ${ref(f.object)} ${f.involvement.path ?? '-'} yaml:${f.involvement.yamlLine}`)).toEqual([
      // the client MLS1001 traced from
      'MLS1001 VirtualService istio-system/eg1 - yaml:undefined',
      // the pod carries the subset's labels
      'KIA0203 DestinationRule istio-system/egressgateway metadata.labels yaml:7',
    ]);
    expect(body.yaml.split('\n')[6]).toBe('  labels:');
    expect(body.involving[1]!.involvement.note).toBe('carries version=v1 (set on the pod itself)');
    expect(body.involving[1]!.aliases).toEqual(['MLS1004']);
    // the DestinationRule's own page does not list its own finding as "involving" it
    const dr = (await app.inject('/api/config/DestinationRule/istio-system/egressgateway')).json() as ConfigObjectResponse;
    expect(dr.involving).toEqual([]);
    // the egress gateway's Service is involved in both the subset finding and the dead end at the gateway
    const svc = (await app.inject('/api/config/Service/istio-system/istio-egressgateway')).json() as ConfigObjectResponse;
    expect(svc.involving.map((f) => `${f.code} ${ref(f.object)}`)).toEqual(['MLS1002 VirtualService istio-system/eg1', 'KIA0203 DestinationRule istio-system/egressgateway']);
  });

  it('lists the Istio objects of a namespace with their worst severity and counts, plus the other objects that have findings', async () => {
    const body = (await app.inject('/api/config?namespaces=istio-system')).json() as ConfigListResponse;
    expect(body.items.map((i) => `${ref(i.ref)} ${i.severity ?? 'ok'} ${i.counts.error}/${i.counts.warning}/${i.counts.info} ${i.file}:${i.line}`)).toEqual([
      'Deployment istio-system/istio-egressgateway warning 0/2/0 scenarios/egress-gateway-broken.yaml:111',
      'DestinationRule istio-system/egressgateway error 1/0/0 scenarios/egress-gateway-broken.yaml:80',
      'Gateway istio-system/egressgateway ok 0/0/0 scenarios/egress-gateway-broken.yaml:38',
      'Service istio-system/istio-egressgateway warning 0/2/0 scenarios/egress-gateway-broken.yaml:92',
      'VirtualService istio-system/eg1 error 2/0/0 scenarios/egress-gateway-broken.yaml:56',
    ]);
    const errorsOnly = (await app.inject('/api/config?namespaces=istio-system&severity=error&kind=VirtualService,DestinationRule')).json() as ConfigListResponse;
    expect(errorsOnly.items.map((i) => ref(i.ref))).toEqual(['DestinationRule istio-system/egressgateway', 'VirtualService istio-system/eg1']);
  });

  it('answers the findings of namespaces, filtered by severity and kind, with a summary before the severity filter', async () => {
    const body = (await app.inject('/api/findings?namespaces=istio-system&severity=warning')).json() as FindingsResponse;
    expect(body.findings.map((f) => `${f.code} ${ref(f.object)}`)).toEqual([
      'MLS0000 Service istio-system/istio-egressgateway',
      'MLS1005 Service istio-system/istio-egressgateway',
      'MLS0000 Deployment istio-system/istio-egressgateway',
      'MLS1005 Deployment istio-system/istio-egressgateway',
    ]);
    // one per problem: KIA0203+MLS1004 and MLS1002+MLS1003 are one finding each
    expect(body.summary).toEqual({ error: 3, warning: 4, info: 0, objects: 4 });
    const vs = (await app.inject('/api/findings?namespaces=istio-system,bookinfo-routing&kind=VirtualService')).json() as FindingsResponse;
    expect(vs.findings.map((f) => `${f.code} ${ref(f.object)}`)).toEqual([
      'MLS0105 VirtualService bookinfo-routing/bookinfo',
      'MLS1001 VirtualService istio-system/eg1',
      'MLS1002 VirtualService istio-system/eg1',
    ]);
    // include=references adds istio-system's findings that involve the client pod default/pod1: the MLS1001 trace
    // from it, and the subset finding (KIA0203, telling MLS1004) whose labels it carries
    const involving = (await app.inject('/api/findings?namespaces=default&include=references')).json() as FindingsResponse;
    expect(involving.findings.map((f) => `${f.code} ${ref(f.object)}`)).toEqual(['MLS1001 VirtualService istio-system/eg1', 'KIA0203 DestinationRule istio-system/egressgateway']);
    expect(involving.summary).toEqual({ error: 0, warning: 0, info: 0, objects: 0 });
    const all = (await app.inject('/api/findings')).json() as FindingsResponse;
    expect(all.findings.length).toBe(all.summary.error + all.summary.warning + all.summary.info);
    expect(all.summary.error).toBeGreaterThanOrEqual(5);
  });

  it('names the bad parameter in a 400', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/findings?severity=fatal', /querystring\/severity/],
      ['/api/findings?namespaces=Bad_Ns', /querystring\/namespaces/],
      ['/api/findings?namespaces=nope', /unknown namespace "nope"/],
      ['/api/config?kind=VirtualServices', /querystring\/kind: unknown kind "VirtualServices"; known kinds: .*VirtualService/],
      ['/api/config?kind=virtualservice', /querystring\/kind/],
      ['/api/config?colour=red', /colour|additional/],
      ['/api/findings?include=everything', /querystring\/include/],
    ];
    for (const [url, message] of cases) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message, url).toMatch(message);
    }
  });

  it('answers 404 naming the object, and never shows a Secret', async () => {
    const missing = await app.inject('/api/config/VirtualService/istio-system/eg2');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No VirtualService istio-system/eg2 in the inventory of Demo mesh; check the kind, namespace and name (GET /api/config?namespaces=istio-system lists the namespace\'s objects).',
    });
    const secret = await app.inject('/api/config/Secret/istio-system/istio-ca-secret');
    expect(secret.statusCode).toBe(404);
    expect(secret.json().message).toMatch(/is a Secret: Meshlens keeps Secrets' metadata only/);
    // cluster-scoped objects use "-" for the namespace
    const ns = (await app.inject('/api/config/Namespace/-/istio-system')).json() as ConfigObjectResponse;
    expect(ns.ref).toEqual({ kind: 'Namespace', name: 'istio-system' });
    expect(ns.yaml).toMatch(/^apiVersion: v1\nkind: Namespace\nmetadata:\n  name: istio-system\n/);
  });
});

describe('config health API over manifest files', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshlens-config-'));
    await writeFile(join(dir, 'reviews.yaml'), await readFile(FIXTURE, 'utf8'));
    app = await buildApp({ source: await createFileSource([join(dir, 'reviews.yaml')]), webRoot: false });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the author\'s comments and places the finding on the subset line', async () => {
    const body = (await app.inject('/api/config/VirtualService/shop/reviews')).json() as ConfigObjectResponse;
    expect(body.yaml.split('\n')[16]).toBe('        subset: v2   # not defined by DestinationRule reviews');
    expect(body.findings.map(line)).toEqual(['KIA1107 spec.http[0].route[0].destination.subset file:88 yaml:17']);
    expect(body.findings[0]).toMatchObject({ severity: 'warning', istioCode: 'IST0101', fix: 'Add subset "v2" to DestinationRule shop/reviews, or use one of: v1.' });
    expect(body.references.map(ref)).toEqual(['Service shop/reviews', 'DestinationRule shop/reviews']);
    // a DestinationRule refers to its host, not to the VirtualServices of that host: nothing refers to this one
    expect(body.referencedBy.map(ref)).toEqual([]);
    const list = (await app.inject('/api/config')).json() as ConfigListResponse;
    expect(list.items.map((i) => `${ref(i.ref)} ${i.severity ?? 'ok'}`)).toEqual(['DestinationRule shop/reviews ok', 'VirtualService shop/reviews warning']);
    expect((await app.inject('/api/config/Secret/shop/reviews-tls')).statusCode).toBe(404);
  });

  it('serializes the stored object when the file changed since it was loaded, and places findings by path', async () => {
    const text = await readFile(join(dir, 'reviews.yaml'), 'utf8');
    await writeFile(join(dir, 'reviews.yaml'), text.replace('exact: jason', 'exact: someone-else'));
    const body = (await app.inject('/api/config/VirtualService/shop/reviews')).json() as ConfigObjectResponse;
    expect(body.yaml).not.toContain('#');
    expect(body.yaml).toContain('exact: jason');
    const at = body.findings[0]!.yamlLine!;
    expect(body.yaml.split('\n')[at - 1]!.trim()).toBe('subset: v2');
  });
});

/** A live source by hand: its inventory moves when the test says, with or without change events. */
function liveSource(initial: Inventory, withEvents: boolean) {
  let inv = initial;
  const listeners = new Set<(c: InventoryChange) => void>();
  const source: MeshSource = {
    name: 'live',
    kind: 'kubernetes',
    inventory: () => inv,
    telemetry: noTelemetry,
    status: () => ({ name: 'live', kind: 'kubernetes', state: 'ready', objects: inv.objects.length, errors: [], telemetry: { kind: 'none' } }),
    ...(withEvents ? { subscribe: (l: (c: InventoryChange) => void) => (listeners.add(l), () => listeners.delete(l)) } : {}),
  };
  return {
    source,
    listeners,
    move(next: Inventory, change?: Omit<InventoryChange, 'inventory' | 'firstEventAt'>) {
      inv = next;
      if (change) for (const l of listeners) l({ inventory: next, firstEventAt: 0, ...change });
    },
  };
}

describe('findings follow a changing inventory', () => {
  const load = (text: string) => {
    const p = parseManifests(text, { file: 'live', source: 'cluster' });
    return buildInventory(p.objects, p.errors);
  };
  const brokenText = async () => readFile(FIXTURE, 'utf8');
  // the fix: DestinationRule reviews gains subset v2
  const fixedText = async () => (await brokenText()).replace('  - name: v1\n    labels:\n      version: v1\n', '  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n');
  const codes = async (app: FastifyInstance) => ((await app.inject('/api/findings?namespaces=shop')).json() as FindingsResponse).findings.map((f) => `${f.code} ${ref(f.object)}`);

  it('re-validates from the change events of a live source', async () => {
    const broken = load(await brokenText());
    const live = liveSource(broken, true);
    const app = await buildApp({ source: live.source, webRoot: false });
    expect(await codes(app)).toEqual(['KIA1107 VirtualService shop/reviews']);
    expect(live.listeners.size).toBe(1);
    const fixed = load(await fixedText());
    live.move(fixed, { changed: [{ kind: 'DestinationRule', namespace: 'shop', name: 'reviews' }], removed: [] });
    expect(await codes(app)).toEqual([]);
    // and back: the same engine, moved by the events alone
    live.move(broken, { changed: [{ kind: 'DestinationRule', namespace: 'shop', name: 'reviews' }], removed: [] });
    expect(await codes(app)).toEqual(['KIA1107 VirtualService shop/reviews']);
    await app.close();
    expect(live.listeners.size).toBe(0);
  });

  it('compares the inventories itself when the source sends no events, matching a full validation', async () => {
    const broken = load(await brokenText());
    const live = liveSource(broken, false);
    const app = await buildApp({ source: live.source, webRoot: false });
    expect(await codes(app)).toEqual(['KIA1107 VirtualService shop/reviews']);
    const fixed = load(await fixedText());
    live.move(fixed);
    const body = (await app.inject('/api/findings')).json() as FindingsResponse;
    expect(body.findings).toEqual(checkInventory(fixed));
    await app.close();
  });

  it('names exactly the objects that differ', async () => {
    const broken = load(await brokenText());
    const fixed = load((await fixedText()).replace('  name: reviews-tls\n', '  name: reviews-tls2\n'));
    expect(changedRefs(broken, fixed).map(ref)).toEqual(['DestinationRule shop/reviews', 'Secret shop/reviews-tls2', 'Secret shop/reviews-tls']);
    expect(changedRefs(broken, load(await brokenText()))).toEqual([]);
  });
});

describe('documentSlice', () => {
  it('takes an object from its first line to the next document marker, without trailing comments', () => {
    const text = 'a: 1\n---\nkind: X\nb: 2\n\n# next one\n---\nkind: Y\n';
    expect(documentSlice(text, 3)).toBe('kind: X\nb: 2\n');
    expect(documentSlice(text, 8)).toBe('kind: Y\n');
    expect(documentSlice(text, 99)).toBeUndefined();
  });
});

describe('Gateway API objects in the config API', () => {
  const GW = 'Gateway.gateway.networking.k8s.io';
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ source: await createFileSource(['src/__fixtures__/gateway-api/gateway-api.yaml']), webRoot: false });
  });
  afterAll(async () => app.close());

  it('lists every Gateway API kind by its qualified kind, next to an Istio Gateway of the same namespace/name', async () => {
    const body = (await app.inject('/api/config?namespaces=bookinfo,legacy')).json() as ConfigListResponse;
    const rows = body.items.map((i) => `${ref(i.ref)} ${i.apiVersion}`);
    expect(rows).toEqual(expect.arrayContaining([
      'Gateway bookinfo/bookinfo-gateway networking.istio.io/v1',
      `${GW} bookinfo/bookinfo-gateway gateway.networking.k8s.io/v1`,
      `${GW} bookinfo/waypoint gateway.networking.k8s.io/v1`,
      'HTTPRoute.gateway.networking.k8s.io bookinfo/bookinfo gateway.networking.k8s.io/v1',
      'GRPCRoute.gateway.networking.k8s.io bookinfo/ratings-grpc gateway.networking.k8s.io/v1',
      'TCPRoute.gateway.networking.k8s.io bookinfo/mongo gateway.networking.k8s.io/v1alpha2',
      'TLSRoute.gateway.networking.k8s.io bookinfo/passthrough gateway.networking.k8s.io/v1alpha2',
      'ReferenceGrant.gateway.networking.k8s.io legacy/allow-bookinfo-routes gateway.networking.k8s.io/v1beta1',
    ]));
    // the HTTPRoute is found by the Gateway it attaches to
    expect(body.items.find((i) => i.ref.kind === 'HTTPRoute.gateway.networking.k8s.io')?.gateways).toEqual(['bookinfo-gateway']);
    // the cluster-scoped GatewayClass is listed without a namespace filter
    const all = (await app.inject('/api/config')).json() as ConfigListResponse;
    expect(all.items.filter((i) => i.ref.kind === 'GatewayClass.gateway.networking.k8s.io').map((i) => i.ref)).toEqual([{ kind: 'GatewayClass.gateway.networking.k8s.io', name: 'istio' }]);
  });

  it('filters by a qualified kind without mixing in the Istio Gateway, and the other way round', async () => {
    const k8s = (await app.inject(`/api/config?kind=${GW}`)).json() as ConfigListResponse;
    expect(k8s.items.map((i) => ref(i.ref))).toEqual([`${GW} bookinfo/bookinfo-gateway`, `${GW} bookinfo/waypoint`]);
    const istio = (await app.inject('/api/config?kind=Gateway')).json() as ConfigListResponse;
    expect(istio.items.map((i) => ref(i.ref))).toEqual(['Gateway bookinfo/bookinfo-gateway']);
    expect((await app.inject('/api/config?kind=Gateway.gateway.networking.k8s.io,HTTPRoute.gateway.networking.k8s.io')).statusCode).toBe(200);
    const bad = await app.inject('/api/config?kind=Gateway.Gateway');
    expect(bad.statusCode).toBe(400);
  });

  it('opens both Gateways of one namespace/name on their own pages, each with only its own findings', async () => {
    const istio = await app.inject('/api/config/Gateway/bookinfo/bookinfo-gateway');
    const k8s = await app.inject(`/api/config/${GW}/bookinfo/bookinfo-gateway`);
    expect([istio.statusCode, k8s.statusCode]).toEqual([200, 200]);
    const ib = istio.json() as ConfigObjectResponse;
    const kb = k8s.json() as ConfigObjectResponse;
    expect(ib.apiVersion).toBe('networking.istio.io/v1');
    expect(kb.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(kb.ref).toEqual({ kind: GW, namespace: 'bookinfo', name: 'bookinfo-gateway' });
    expect(kb.yaml).toContain('gatewayClassName: istio');
    expect(ib.yaml).toContain('istio: ingressgateway');
    // the Istio Gateway's selector matches no pod: its finding is on its page only
    expect(ib.findings.length).toBeGreaterThan(0);
    expect(kb.findings).toEqual([]);
    expect(kb.involving).toEqual([]);
    // the findings list keeps them apart too
    const findings = (await app.inject('/api/findings?namespaces=bookinfo')).json() as FindingsResponse;
    expect(findings.findings.filter((f) => f.object.kind === GW)).toEqual([]);
    expect(findings.findings.filter((f) => f.object.kind === 'Gateway' && f.object.name === 'bookinfo-gateway').length).toBe(ib.findings.length);
    // the cluster-scoped GatewayClass opens with "-" as namespace
    const gc = await app.inject('/api/config/GatewayClass.gateway.networking.k8s.io/-/istio');
    expect(gc.statusCode).toBe(200);
    expect((gc.json() as ConfigObjectResponse).yaml).toContain('controllerName: istio.io/gateway-controller');
    expect((await app.inject('/api/config/HTTPRoute.gateway.networking.k8s.io/bookinfo/bookinfo')).statusCode).toBe(200);
    expect((await app.inject(`/api/config/${GW}/bookinfo/nope`)).statusCode).toBe(404);
  });
});

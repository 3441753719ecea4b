/**
 * The route tracer over HTTP on the demo mesh, through the real Fastify app: seed 001 (the broken egress gateway) as a
 * whole answer, the same trace as `meshlens trace` for the same request, the sentences of bad requests, and the form's
 * suggestions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildInventory, traceRequest } from '@meshlens/mesh';
import type { TraceResponse, TraceResult, TraceSuggestions } from '@meshlens/model';
import { createDemoSource, loadManifestTexts } from '@meshlens/sources';
import { loadDemoManifests } from '@meshlens/demo';
import { buildApp } from './app.js';
import { main } from './cli.js';
import { parseSource, parseTarget } from './trace-command.js';
import { traceSuggestions } from './trace/suggestions.js';

const T = 1790000000;
let app: FastifyInstance;
const demo = createDemoSource({ seed: 7, now: () => T });

const get = async <R>(url: string): Promise<R> => {
  const res = await app.inject(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as R;
};
const refused = async (url: string): Promise<{ statusCode: number; message: string }> => {
  const res = await app.inject(url);
  const body = res.json() as { message: string };
  return { statusCode: res.statusCode, message: body.message };
};
const traceUrl = (from: string, url: string, extra = '') => `/api/trace?from=${encodeURIComponent(from)}&url=${encodeURIComponent(url)}${extra}`;

beforeAll(async () => {
  app = await buildApp({ source: demo, webRoot: false });
});
afterAll(async () => app.close());

const SEED_001_EXPLANATION = 'For the sidecar of default/pod1, no Service or ServiceEntry visible from namespace default defines en.wikipedia.org; '
  + 'outboundTrafficPolicy is ALLOW_ANY (from the mesh config), so the connection leaves through PassthroughCluster straight to the original destination, without mTLS or routing rules. '
  + 'VirtualService istio-system/eg1 names *.wikipedia.org but is not applied: a sidecar only applies VirtualService rules to hosts of the service registry (a ServiceEntry for *.wikipedia.org would make it apply).';
const EG1_SENTENCE = 'VirtualService istio-system/eg1 routes *.wikipedia.org from the mesh to istio-egressgateway.istio-system.svc.cluster.local, subset wildcard: the egress gateway istio-system/istio-egressgateway.';
const POD1 = { node: 'wl:default:pod1', label: 'default/pod1', detail: '1 pod', kind: 'workload', observed: true };

describe('GET /api/trace', () => {
  it("seed 001: default/pod1 → https://en.wikipedia.org leaves through PassthroughCluster, VirtualService eg1 is ignored, and the page says the configuration meant the egress gateway", async () => {
    const body = await get<TraceResponse>(`${traceUrl('default/pod1', 'https://en.wikipedia.org')}&queryTime=${T}`);
    expect(body).toEqual({
      query: { from: 'default/pod1', url: 'https://en.wikipedia.org', headers: [] },
      result: {
        request: { source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, sni: 'en.wikipedia.org' },
        paths: [{
          weight: 1,
          hops: [{
            from: { kind: 'workload', namespace: 'default', name: 'pod1', pods: 1, version: 'latest', app: 'pod1' },
            to: { kind: 'passthrough', host: 'en.wikipedia.org', port: 443 },
            protocol: 'https',
            decidedBy: [
              {
                object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.hosts[0]',
                note: 'Ignored: VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org, so the sidecar builds no route for it.',
                file: 'scenarios/egress-gateway-broken.yaml', line: 63, column: 5,
              },
              {
                object: { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, path: 'data.mesh',
                note: 'The mesh config sets outboundTrafficPolicy ALLOW_ANY.', file: 'scenarios/00-istio-system.yaml', line: 34, column: 3,
              },
            ],
            explanation: SEED_001_EXPLANATION,
          }],
          outcome: { kind: 'delivered' },
          destination: { kind: 'passthrough', host: 'en.wikipedia.org', port: 443 },
          tls: { mode: 'NONE' },
        }],
        problems: [],
      },
      // lines of each object page's YAML: eg1's `- "*.wikipedia.org"` under hosts, its tls route, the mesh config
      ruleLines: {
        'VirtualService/istio-system/eg1#spec.hosts[0]': 8,
        'ConfigMap/istio-system/istio#data.mesh': 13,
        'VirtualService/istio-system/eg1#spec.tls[0].route[0]': 20,
      },
      intents: [{
        pathIndex: 0,
        hopIndex: 0,
        rule: {
          object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.tls[0].route[0]', note: EG1_SENTENCE,
          file: 'scenarios/egress-gateway-broken.yaml', line: 75, column: 7,
        },
        target: {
          kind: 'gateway', host: 'istio-egressgateway.istio-system.svc.cluster.local', fqdn: 'istio-egressgateway.istio-system.svc.cluster.local', subset: 'wildcard',
          namespace: 'istio-system', name: 'istio-egressgateway', workloads: ['istio-system/istio-egressgateway'], role: 'egress gateway',
          description: 'the egress gateway istio-system/istio-egressgateway',
        },
        sentence: EG1_SENTENCE,
        whyIgnored: 'VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org, so the sidecar builds no route for it.',
      }],
      telemetry: {
        duration: 600,
        queryTime: T,
        sourceNode: 'wl:default:pod1',
        paths: [{
          nodes: [POD1, { node: 'egress:PassthroughCluster', label: 'PassthroughCluster', detail: 'en.wikipedia.org:443', kind: 'passthrough', observed: true }],
          expected: { node: 'egress:PassthroughCluster', label: 'PassthroughCluster' },
          matching: [{
            direction: 'outbound',
            peer: { id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', label: 'PassthroughCluster', service: 'PassthroughCluster', egressCluster: 'PassthroughCluster', isOutside: true },
            node: 'wl:default:pod1', protocol: 'tcp', rate: 62353.19, responseCodes: { '-': 100 }, responseFlags: { '-': 100 }, reporter: 'source', hosts: { unknown: 100 },
          }],
          elsewhere: [],
          verdict: 'agrees',
          summary: 'In the 10 minutes up to 2026-09-21T14:13:20Z default/pod1 sent 61 KiB/s of TCP to PassthroughCluster, as the configuration says (Istio does not report the host of TCP traffic there, so it may carry other hosts too).',
          // the gateway path the configuration meant: drawn dashed, no traffic of the window took it
          intended: [
            POD1,
            { label: 'istio-egressgateway.istio-system.svc.cluster.local', detail: 'subset wildcard', kind: 'service', observed: false },
            { node: 'wl:istio-system:istio-egressgateway', label: 'istio-system/istio-egressgateway', detail: 'egress gateway', kind: 'gateway', observed: false },
          ],
          disagreement: 'The configuration meant the egress gateway istio-system/istio-egressgateway: '
            + 'VirtualService istio-system/eg1 routes *.wikipedia.org from the mesh to istio-egressgateway.istio-system.svc.cluster.local, subset wildcard (spec.tls[0].route[0]), '
            + 'but the sidecar of default/pod1 never applies it, because no Service or ServiceEntry defines en.wikipedia.org. '
            + 'The telemetry agrees with the trace, not with that intent: in the 10 minutes up to 2026-09-21T14:13:20Z default/pod1 sent 61 KiB/s of TCP to PassthroughCluster and nothing to the egress gateway.',
        }],
      },
    });
  });

  it('ambient: productpage -> reviews goes through the waypoint, and the waypoint\'s own reports agree with each path', async () => {
    const body = await get<TraceResponse>(traceUrl('ambient-bookinfo/productpage-v1', 'http://reviews.ambient-bookinfo:9080/'));
    expect(body.result.paths.map((p) => Math.round(p.weight * 1000) / 1000)).toEqual([0.333, 0.333, 0.333]);
    expect(body.telemetry.paths.map((p) => [p.nodes.map((n) => `${n.label}${n.detail ? ` (${n.detail})` : ''}`).join(' > '), p.verdict])).toEqual(['v1', 'v2', 'v3'].map((v) => [
      `ambient-bookinfo/productpage-v1 (1 pod) > ambient-bookinfo/waypoint (waypoint, HBONE port 15008) > reviews.ambient-bookinfo.svc.cluster.local:9080 > ambient-bookinfo/reviews-${v} (1 pod)`,
      'agrees',
    ]));
    expect(body.telemetry.paths[0]!.summary).toMatch(/^In the last 10 minutes ambient-bookinfo\/productpage-v1 sent [\d.]+ rps of HTTP to ambient-bookinfo\/waypoint, as the configuration says/);
  });

  it('says "the last 10 minutes" for a live window', async () => {
    const body = await get<TraceResponse>(traceUrl('default/pod1', 'https://en.wikipedia.org'));
    expect(body.telemetry.paths[0]!.disagreement).toMatch(/^The configuration meant the egress gateway istio-system\/istio-egressgateway: .* in the last 10 minutes default\/pod1 sent [\d.]+ KiB\/s of TCP to PassthroughCluster and nothing to the egress gateway\.$/);
  });

  it('gives the same trace as `meshlens trace` for the same request (the CLI builds the demo inventory itself)', async () => {
    const loaded = loadManifestTexts(loadDemoManifests(), 'demo');
    const cliInventory = buildInventory(loaded.objects, loaded.errors);
    const requests: Array<{ from: string; url: string; headers?: string[]; method?: string; sni?: string }> = [
      { from: 'default/pod1', url: 'https://en.wikipedia.org' },
      { from: 'bookinfo-routing/productpage-v1', url: 'http://reviews:9080/reviews/0', headers: ['end-user: jason', 'x-trace: 1'] },
      { from: 'istio-io-tcp-traffic-shifting/sleep', url: 'tcp://tcp-echo:9000' },
      { from: 'gateway:istio-system/istio-ingressgateway', url: 'http://httpbin.example.com/status/200', method: 'POST' },
      { from: 'outside', url: 'http://httpbin.org/get' },
      { from: 'egress/sleep', url: 'https://www.google.com', sni: 'www.google.com' },
    ];
    for (const r of requests) {
      const extra = `${(r.headers ?? []).map((h) => `&header=${encodeURIComponent(h)}`).join('')}${r.method ? `&method=${r.method}` : ''}${r.sni ? `&sni=${r.sni}` : ''}`;
      const body = await get<TraceResponse>(traceUrl(r.from, r.url, extra));
      const expected = traceRequest(cliInventory, { source: parseSource(r.from), ...parseTarget(r.url, { headers: r.headers, method: r.method, sni: r.sni }) });
      expect(body.result, `${r.from} ${r.url}`).toEqual(JSON.parse(JSON.stringify(expected)));
      let out = '';
      const args = ['trace', '--from', r.from, r.url, '-o', 'json', ...(r.headers ?? []).flatMap((h) => ['-H', h]), ...(r.method ? ['-X', r.method] : []), ...(r.sni ? ['--sni', r.sni] : [])];
      expect(await main(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: () => {} })).toBe(0);
      expect(body.result, `meshlens ${args.join(' ')}`).toEqual(JSON.parse(out) as TraceResult);
    }
  });

  it('reads repeated header= parameters in order, a method and an SNI', async () => {
    const body = await get<TraceResponse>(traceUrl('bookinfo-routing/productpage-v1', 'http://reviews:9080/reviews/0', '&header=end-user%3A%20jason&header=X-Trace%3A%201&method=post'));
    expect(body.query).toEqual({ from: 'bookinfo-routing/productpage-v1', url: 'http://reviews:9080/reviews/0', headers: ['end-user: jason', 'X-Trace: 1'], method: 'POST' });
    expect(body.result.request).toEqual({
      source: { kind: 'workload', namespace: 'bookinfo-routing', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', method: 'POST',
      headers: { 'end-user': 'jason', 'x-trace': '1' },
    });
    expect(body.result.paths.map((p) => `${p.weight} ${p.destination.kind === 'workload' ? p.destination.name : p.destination.kind}`)).toEqual(['1 reviews-v2']);
    expect(body.telemetry.paths[0]!.verdict).toBe('agrees');
    expect(body.ruleLines['VirtualService/bookinfo-routing/reviews#spec.http[0].match[0].headers.end-user']).toBe(12);
    const tls = await get<TraceResponse>(traceUrl('egress/sleep', 'https://www.google.com', '&sni=www.google.com'));
    expect(tls.result.request.sni).toBe('www.google.com');
  });

  it('answers 400 with a sentence for a missing or bad from, url, header or method', async () => {
    expect(await refused('/api/trace')).toEqual({
      statusCode: 400,
      message: 'querystring/from: the request to trace needs from and url: from=<namespace>/<workload> (or gateway:<namespace>/<name>, or outside) and url=<URL>, e.g. /api/trace?from=default/pod1&url=https://en.wikipedia.org',
    });
    expect(await refused('/api/trace?from=default/pod1')).toEqual({
      statusCode: 400,
      message: 'querystring/url: the request to trace needs url: from=<namespace>/<workload> (or gateway:<namespace>/<name>, or outside) and url=<URL>, e.g. /api/trace?from=default/pod1&url=https://en.wikipedia.org',
    });
    expect(await refused(traceUrl('pod1', 'http://reviews:9080'))).toEqual({
      statusCode: 400,
      message: 'querystring/from: "pod1" is not a source; write <namespace>/<workload> (a pod name works too), gateway:<namespace>/<name> or outside, e.g. /api/trace?from=default/pod1&url=https://en.wikipedia.org',
    });
    expect(await refused(traceUrl('default/pod1', 'ftp://x'))).toEqual({ statusCode: 400, message: 'querystring/url: scheme "ftp:" is not one of http, https, grpc, tls, tcp' });
    expect(await refused(traceUrl('default/pod1', 'tcp://tcp-echo'))).toEqual({ statusCode: 400, message: 'querystring/url: "tcp://tcp-echo": a tcp:// URL needs a port' });
    expect(await refused(traceUrl('default/pod1', 'http://[x')).then((r) => r)).toEqual({ statusCode: 400, message: 'querystring/url: "http://[x" is not a URL: write it like https://en.wikipedia.org or tcp://tcp-echo:9000' });
    expect(await refused(traceUrl('default/pod1', 'http://reviews:9080', '&header=no-colon'))).toEqual({ statusCode: 400, message: 'querystring/header: "no-colon": expected "name: value"' });
    expect((await refused(traceUrl('default/pod1', 'http://reviews:9080', '&method=GET%20X'))).statusCode).toBe(400);
    expect((await refused(traceUrl('default/pod1', 'http://reviews:9080', '&frobnicate=1'))).statusCode).toBe(400);
  });

  it('answers 404 naming what exists when the source workload, gateway or namespace does not', async () => {
    expect(await refused(traceUrl('default/pod2', 'http://reviews:9080'))).toEqual({
      statusCode: 404, message: 'No workload or pod "pod2" in namespace "default" of Demo mesh; its workloads: pod1. GET /api/trace/suggestions lists the sources.',
    });
    expect(await refused(traceUrl('gateway:istio-system/nope', 'http://reviews:9080'))).toEqual({
      statusCode: 404,
      message: 'No gateway workload "nope" in namespace "istio-system" of Demo mesh; its workloads: istio-egressgateway, istio-ingressgateway, istiod, ztunnel. GET /api/trace/suggestions lists the sources.',
    });
    const ns = await refused(traceUrl('nowhere/pod1', 'http://reviews:9080'));
    expect(ns.statusCode).toBe(404);
    expect(ns.message).toBe('No namespace "nowhere" in Demo mesh; its namespaces: ambient-bookinfo, bookinfo-abort, bookinfo-faults, bookinfo-routing, bookinfo-shifting, bookinfo-shifting-80-20, bookinfo-timeouts, circuit-breaking, default, egress, egress-registry-only, egress-router, … (21 in all). GET /api/trace/suggestions lists the sources.');
    // a pod name is a source too: the trace starts from its workload
    const pod = demo.inventory().workloadsByKey.get('default/pod1')!.pods[0]!.name;
    expect((await get<TraceResponse>(traceUrl(`default/${pod}`, 'https://en.wikipedia.org'))).telemetry.sourceNode).toBe('wl:default:pod1');
  });

  it('says when no proxy can report a path: a source without a sidecar, a client outside the mesh', async () => {
    const router = await get<TraceResponse>(traceUrl('egress-router/hostaliases-pod', 'http://httpbin.org/get'));
    expect(router.telemetry.paths.map((p) => [p.verdict, p.summary])).toEqual([
      ['unknown', 'egress-router/hostaliases-pod has no sidecar and nothing on this path has a proxy: no proxy reports this request, so the telemetry cannot show it.'],
    ]);
    expect(router.telemetry.note).toBe('egress-router/hostaliases-pod has no sidecar: its requests appear in the telemetry only as the proxies that receive them report them, with the source unknown.');
    const outside = await get<TraceResponse>(traceUrl('outside', 'http://httpbin.org/get'));
    expect(outside.telemetry.sourceNode).toBe('unknown');
    expect(outside.telemetry.note).toBe('The trace touches no namespace of the inventory, so there is no telemetry to compare with. A client outside the mesh has no proxy: the telemetry shows its requests only as the proxies that receive them report them, with the source unknown.');
  });
});

describe('GET /api/trace/suggestions', () => {
  it('offers workloads, gateway proxies and URLs of registry and Gateway hosts, filtered by q', async () => {
    const all = await get<TraceSuggestions>('/api/trace/suggestions');
    expect(all.truncated).toBe(false);
    expect(all.workloads).toContain('default/pod1');
    expect(all.workloads).not.toContain('istio-system/istio-egressgateway');
    // Istio's gateways, the Gateway API ones istiod deploys and the ambient waypoint; never ztunnel (an L4 node proxy)
    expect(all.gateways).toEqual([
      'gateway:ambient-bookinfo/waypoint', 'gateway:gwapi-bookinfo/bookinfo-gateway-istio', 'gateway:gwapi-egress/cnn-egress-gateway-istio',
      'gateway:gwapi-ingress/httpbin-gateway-istio', 'gateway:istio-system/istio-egressgateway', 'gateway:istio-system/istio-ingressgateway',
    ]);
    expect(all.hosts).toContainEqual({ url: 'http://reviews.bookinfo-routing.svc.cluster.local:9080', host: 'reviews.bookinfo-routing.svc.cluster.local', kind: 'Service', object: 'bookinfo-routing/reviews' });
    expect(all.hosts).toContainEqual({ url: 'https://www.google.com', host: 'www.google.com', kind: 'ServiceEntry', object: 'egress/google' });
    expect(all.hosts).toContainEqual({ url: 'https://httpbin.example.com', host: 'httpbin.example.com', kind: 'Gateway', object: 'ingress/mygateway' });
    // a Service port named http2 is HTTP, whatever its Kubernetes protocol (TCP)
    expect(all.hosts.map((h) => h.url)).toContain('http://istio-ingressgateway.istio-system.svc.cluster.local');
    // wildcard hosts make no URL
    expect(all.hosts.some((h) => h.url.includes('*'))).toBe(false);
    expect(await get<TraceSuggestions>('/api/trace/suggestions?q=EGRESSGATEWAY')).toEqual({
      workloads: [],
      gateways: ['gateway:istio-system/istio-egressgateway'],
      hosts: [{ url: 'https://istio-egressgateway.istio-system.svc.cluster.local', host: 'istio-egressgateway.istio-system.svc.cluster.local', kind: 'Service', object: 'istio-system/istio-egressgateway' }],
      truncated: false,
    });
  });

  it('is bounded per kind and says so', () => {
    const cut = traceSuggestions(demo.inventory(), 'bookinfo', 3);
    expect(cut.workloads).toEqual(['ambient-bookinfo/details-v1', 'ambient-bookinfo/productpage-v1', 'ambient-bookinfo/ratings-v1']);
    expect(cut.hosts).toHaveLength(3);
    expect(cut.truncated).toBe(true);
  });
});

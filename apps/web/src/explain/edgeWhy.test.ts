import { describe, expect, it } from 'vitest';
import type { EdgeData, NodeData, PodLogLine, TraceResponse } from '@meshlens/model';
import wikipedia from './__fixtures__/trace-pod1-wikipedia.json';
import abort from './__fixtures__/trace-reviews-ratings-abort.json';
import timeout from './__fixtures__/trace-sleep-httpbin-timeout.json';
import breaker from './__fixtures__/trace-fortio-httpbin-breaker.json';
import { decidingRules, edgeFlags, edgeHasErrors, explainEdge, externalHostsOfConfig, hostsOfAccessLog, pathOfEdge, showsWhy, urlOfLoggedHost, whyReason, whyRequest } from './edgeWhy';

// The demo's graph of `default` (seed 001): pod1's TLS to en.wikipedia.org leaves through PassthroughCluster.
const pod1: NodeData = {
  id: 'app:default:pod1', nodeType: 'app', namespace: 'default', workload: 'pod1', app: 'pod1', label: 'pod1',
  pods: [{ name: 'pod1', hasSidecar: true, ip: '172.16.1.5' }],
};
const passthrough: NodeData = { id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', service: 'PassthroughCluster', label: 'PassthroughCluster', isEgressCluster: 'PassthroughCluster' };
const tcpEdge: EdgeData = {
  id: 'app:default:pod1->egress:PassthroughCluster:tcp', source: pod1.id, target: passthrough.id, reporter: 'source',
  traffic: { protocol: 'tcp', rates: { tcp: 53047.12, tcpPercentReq: 100 }, responses: { '-': { flags: { '-': 100 }, hosts: { unknown: 100 } } } },
};
const httpEdge: EdgeData = {
  id: 'app:default:pod1->egress:PassthroughCluster:http', source: pod1.id, target: passthrough.id, reporter: 'source',
  traffic: { protocol: 'http', rates: { http: 0.104, httpPercentReq: 100 }, responses: { '200': { flags: { '-': 100 }, hosts: { 'ifconfig.me': 100 } } } },
};
// bookinfo-abort: reviews v2 → ratings, every request aborted with 500 by the fault of VirtualService ratings (for end-user jason)
const reviewsV2: NodeData = { id: 'vapp:bookinfo-abort:reviews:v2', nodeType: 'app', namespace: 'bookinfo-abort', workload: 'reviews-v2', app: 'reviews', version: 'v2' };
const ratings: NodeData = { id: 'svc:bookinfo-abort:ratings', nodeType: 'service', namespace: 'bookinfo-abort', service: 'ratings' };
const abortEdge: EdgeData = {
  id: 'vapp:bookinfo-abort:reviews:v2->svc:bookinfo-abort:ratings:http', source: reviewsV2.id, target: ratings.id, reporter: 'source',
  traffic: { protocol: 'http', rates: { http: 1.283, http5xx: 1.283, httpPercentErr: 100 }, responses: { '500': { flags: { FI: 100 }, hosts: { 'ratings.bookinfo-abort.svc.cluster.local': 100 } } } },
};

const accessLine = (over: Partial<NonNullable<PodLogLine['accessLog']>>): PodLogLine => ({
  message: '…',
  accessLog: {
    startTime: '2026-12-04T21:49:14.786Z', responseCode: 0, responseFlags: [], bytesReceived: 780, bytesSent: 83667, durationMs: 1,
    upstreamHost: '203.0.113.71:443', upstreamCluster: 'PassthroughCluster', downstreamLocalAddress: '203.0.113.71:443',
    requestedServerName: 'en.wikipedia.org', routeName: 'allow_any', direction: 'outbound', ...over,
  },
});

describe('which edges get a Why section', () => {
  it('egress clusters and errors always; others are checked; configured edges never', () => {
    expect(whyReason(tcpEdge, passthrough)).toBe('passthrough');
    expect(whyReason(httpEdge, { ...passthrough, isEgressCluster: 'BlackHoleCluster' })).toBe('blackhole');
    expect(whyReason(abortEdge, ratings)).toBe('errors');
    expect(whyReason({ ...abortEdge, traffic: { ...abortEdge.traffic, rates: { http: 2, httpPercentErr: 0 }, responses: {} } }, ratings)).toBe('check');
    expect(whyReason({ ...tcpEdge, reporter: 'none', isConfigured: { kind: 'egressRouterForward', port: 80, protocol: 'TCP', targetPort: 80 } }, undefined)).toBeNull();
  });

  it('reads errors of TCP from response flags', () => {
    expect(edgeHasErrors(tcpEdge)).toBe(false);
    expect(edgeHasErrors({ ...tcpEdge, traffic: { ...tcpEdge.traffic, responses: { '-': { flags: { '-': 60, UF: 40 }, hosts: {} } } } })).toBe(true);
    expect(edgeFlags(abortEdge)).toEqual([{ flag: 'FI', share: 100 }]);
  });
});

describe('the request the tracer is asked about', () => {
  it('takes the host of passthrough HTTP from the telemetry', () => {
    expect(whyRequest(httpEdge, pod1, passthrough)).toEqual({ from: 'default/pod1', url: 'http://ifconfig.me', host: 'ifconfig.me', hostFrom: 'telemetry' });
  });

  it("takes the SNI of passthrough TCP from the source proxy's access log, most logged first", () => {
    const lines = [
      accessLine({}),
      accessLine({ requestedServerName: 'de.wikipedia.org' }),
      accessLine({}),
      accessLine({ upstreamCluster: 'outbound|9080||reviews.bookinfo.svc.cluster.local', requestedServerName: 'reviews' }),
      accessLine({ direction: 'inbound', upstreamCluster: 'PassthroughCluster', requestedServerName: 'x' }),
      accessLine({ requestedServerName: undefined, downstreamLocalAddress: '203.0.113.25:8443', upstreamHost: '203.0.113.25:8443' }),
      { message: 'not an access log line' },
    ];
    const logged = hostsOfAccessLog(lines, 'PassthroughCluster');
    expect(logged).toEqual([
      { host: 'en.wikipedia.org', port: 443, sni: true, count: 2 },
      { host: '203.0.113.25', port: 8443, sni: false, count: 1 },
      { host: 'de.wikipedia.org', port: 443, sni: true, count: 1 },
    ]);
    expect(whyRequest(tcpEdge, pod1, passthrough, { loggedHosts: logged })).toEqual({ from: 'default/pod1', url: 'https://en.wikipedia.org', host: 'en.wikipedia.org', hostFrom: 'access-log' });
    expect(urlOfLoggedHost(logged[1]!, 'tcp')).toBe('tcp://203.0.113.25:8443');
    expect(urlOfLoggedHost({ host: 'db.example.com', port: 5432, sni: true, count: 1 }, 'tcp')).toBe('tls://db.example.com:5432');
  });

  it('falls back to the external hosts the configuration names, then says why there is nothing to trace', () => {
    const items = [
      { ref: { kind: 'VirtualService' }, hosts: ['*.wikipedia.org'], gateways: ['mesh', 'egressgateway'] },
      { ref: { kind: 'VirtualService' }, hosts: ['httpbin.example.com'], gateways: ['istio-system/ingressgateway'] },
      { ref: { kind: 'VirtualService' }, hosts: ['reviews', 'ratings.bookinfo.svc.cluster.local'] },
      { ref: { kind: 'ServiceEntry' }, hosts: ['httpbin.org'] },
    ];
    const named = externalHostsOfConfig(items);
    expect(named).toEqual(['*.wikipedia.org']);
    expect(whyRequest(tcpEdge, pod1, passthrough, { loggedHosts: [], configHosts: named })).toEqual({ from: 'default/pod1', url: 'https://*.wikipedia.org', host: '*.wikipedia.org', hostFrom: 'configuration' });
    expect(whyRequest(tcpEdge, pod1, passthrough)).toEqual({
      from: 'default/pod1', url: null,
      missing: "Istio reports no host for TCP to PassthroughCluster, and neither the proxy's log nor the configuration names one",
    });
  });

  it("uses the destination Service's declared port", () => {
    const suggestions = [{ url: 'http://ratings.bookinfo-abort.svc.cluster.local:9080', host: 'ratings.bookinfo-abort.svc.cluster.local', kind: 'Service' as const, object: 'bookinfo-abort/ratings' }];
    expect(whyRequest(abortEdge, reviewsV2, ratings, { suggestions })).toEqual({
      from: 'bookinfo-abort/reviews-v2', url: 'http://ratings.bookinfo-abort.svc.cluster.local:9080', host: 'ratings.bookinfo-abort.svc.cluster.local', hostFrom: 'destination',
    });
    expect(whyRequest(abortEdge, { ...reviewsV2, workload: undefined }, ratings).url).toBeNull();
  });
});

describe("the tracer's answer in one sentence", () => {
  it('seed 001: the configuration meant the egress gateway, the traffic went to PassthroughCluster, and why', () => {
    const trace = wikipedia as unknown as TraceResponse;
    expect(pathOfEdge(trace, passthrough.id, passthrough)).toBe(0);
    const why = explainEdge(trace, tcpEdge, passthrough, 'PassthroughCluster', 'passthrough');
    expect(why).toEqual({
      sentence:
        'The configuration (VirtualService istio-system/eg1) meant this traffic (HTTPS to en.wikipedia.org:443 from default/pod1) for the egress gateway istio-system/istio-egressgateway, but it went to PassthroughCluster.',
      because: 'VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org, so the sidecar builds no route for it.',
      rules: decidingRules(trace, 0),
      disagrees: true,
      failsByConfig: false,
    });
    expect(why.rules.map((r) => [r.role, `${r.rule.object.kind} ${r.rule.object.namespace}/${r.rule.object.name}`, r.rule.path, r.line])).toEqual([
      ['meant', 'VirtualService istio-system/eg1', 'spec.tls[0].route[0]', 20],
      ['decided', 'VirtualService istio-system/eg1', 'spec.hosts[0]', 8],
      ['decided', 'ConfigMap istio-system/istio', 'data.mesh', 13],
    ]);
    expect(showsWhy('passthrough', why)).toBe(true);
  });

  it('without an intent, says where the configuration sends the traffic and why', () => {
    const trace = { ...(wikipedia as unknown as TraceResponse), intents: [] };
    const why = explainEdge(trace, tcpEdge, passthrough, 'PassthroughCluster', 'check');
    expect(why.sentence).toBe('The configuration sends this traffic (HTTPS to en.wikipedia.org:443 from default/pod1) to PassthroughCluster, as the telemetry shows.');
    expect(why.because).toMatch(/^For the sidecar of default\/pod1, no Service or ServiceEntry visible from namespace default defines en\.wikipedia\.org/);
    expect(why.disagrees).toBe(false);
    // an ordinary edge whose traffic agrees with the configuration gets no Why section
    expect(showsWhy('check', why)).toBe(false);
  });

  it('an injected fault the traced request does not match: names the fault rule and what to add', () => {
    const trace = abort as unknown as TraceResponse;
    const why = explainEdge(trace, abortEdge, ratings, 'ratings', 'errors', [{ kind: 'VirtualService', namespace: 'bookinfo-abort', name: 'ratings' }]);
    expect(why.sentence).toBe(
      '100% of this traffic (HTTP to ratings.bookinfo-abort.svc.cluster.local:9080 from bookinfo-abort/reviews-v2) carries Envoy flag FI: a fault that VirtualService bookinfo-abort/ratings injects for the requests its match conditions select, and the traced request, matching none of them, is delivered to the workload bookinfo-abort/ratings-v1.',
    );
    expect(why.because).toMatch(/add the headers the fault rule matches/);
    expect(why.rules.map((r) => `${r.rule.object.kind} ${r.rule.object.name} ${r.rule.path}`)).toEqual([
      'VirtualService ratings spec.http[1]',
      'VirtualService ratings spec.http[1].route[0]',
      'DestinationRule ratings spec.subsets[0]',
      'Service ratings spec.selector',
    ]);
  });

  it("errors the route's timeout and a circuit breaker cause: named with their rule", () => {
    // egress: sleep → httpbin.org with a 3 s timeout, 8% answered 504 UT
    const slow: EdgeData = { ...abortEdge, id: 'slow', target: 'se:egress:httpbin-ext', traffic: { protocol: 'http', rates: { http: 1, http5xx: 0.08 }, responses: { '200': { flags: { '-': 92 }, hosts: {} }, '504': { flags: { UT: 8 }, hosts: {} } } } };
    const slowWhy = explainEdge(timeout as unknown as TraceResponse, slow, undefined, 'httpbin.org', 'errors');
    expect(slowWhy.sentence).toBe('The configuration delivers this traffic (HTTP to httpbin.org:80 from egress/sleep) to httpbin.org:80 outside the mesh with a 3000 ms route timeout, and 8% of it took longer: the proxy answered 504 UT.');
    expect(slowWhy.rules.map((r) => `${r.rule.object.kind} ${r.rule.object.name} ${r.rule.path}`)).toEqual([
      'VirtualService httpbin-ext spec.http[0]', 'VirtualService httpbin-ext spec.http[0].route[0]', 'ServiceEntry httpbin-ext spec.hosts[0]',
    ]);
    // circuit-breaking: fortio → httpbin, 503 UO over maxConnections 1
    const overflow: EdgeData = { ...abortEdge, id: 'cb', target: 'svc:circuit-breaking:httpbin', traffic: { protocol: 'http', rates: { http: 3, http5xx: 1 }, responses: { '503': { flags: { UO: 100 }, hosts: {} } } } };
    const cbWhy = explainEdge(breaker as unknown as TraceResponse, overflow, undefined, 'httpbin', 'errors');
    expect(cbWhy.sentence).toBe(
      'The configuration delivers this traffic (HTTP to httpbin.circuit-breaking.svc.cluster.local:8000 from circuit-breaking/fortio-deploy) to the workload circuit-breaking/httpbin through a circuit breaker (DestinationRule circuit-breaking/httpbin), and 100% of it went over its limits: the proxy answered 503 UO.',
    );
    expect(cbWhy.because).toBe('DestinationRule circuit-breaking/httpbin limits connections to this destination (spec.trafficPolicy.connectionPool); overflow is answered 503 UO.');
    expect(cbWhy.rules.at(-1)).toMatchObject({ role: 'limit', rule: { path: 'spec.trafficPolicy.connectionPool' } });
  });

  it('a telemetry that disagrees with the configuration', () => {
    const base = abort as unknown as TraceResponse;
    const trace: TraceResponse = {
      ...base,
      telemetry: { ...base.telemetry, paths: [{ ...base.telemetry.paths[0]!, verdict: 'disagrees', disagreement: 'The configuration sends it to ratings v1; the telemetry shows ratings v2.' }] },
    };
    const why = explainEdge(trace, { target: 'vapp:bookinfo-abort:ratings:v2' }, undefined, 'ratings v2', 'check');
    expect(why.sentence).toBe('The configuration sends this traffic (HTTP to ratings.bookinfo-abort.svc.cluster.local:9080 from bookinfo-abort/reviews-v2) to the workload bookinfo-abort/ratings-v1, but it went to ratings v2.');
    expect(why.because).toBe('The configuration sends it to ratings v1; the telemetry shows ratings v2.');
    expect(showsWhy('check', why)).toBe(true);
  });
});

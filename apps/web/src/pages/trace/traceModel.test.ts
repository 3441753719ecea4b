import { describe, expect, it } from 'vitest';
import type { RuleRef, TracePath } from '@meshlens/model';
import { diagramLayout, diagramSummary, durationWords, endpointText, fitText, formatShare, outcomeView, pathLimits, ruleFile, ruleLine, securityStepView, shortHost } from './traceModel';

const rule = (path: string, line?: number): RuleRef => ({ object: { kind: 'DestinationRule', namespace: 'circuit-breaking', name: 'httpbin' }, path, note: 'n', ...(line ? { file: 'cb.yaml', line } : {}) });

describe('the tracer in words', () => {
  it('names each outcome with its HTTP code and Envoy flag', () => {
    expect([
      outcomeView({ kind: 'delivered' }),
      outcomeView({ kind: 'no-route', responseCode: 404, responseFlags: 'NR' }),
      outcomeView({ kind: 'blackhole', responseCode: 502, responseFlags: '-' }),
      outcomeView({ kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' }),
      outcomeView({ kind: 'timeout', responseCode: 504, responseFlags: 'UT' }),
      outcomeView({ kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' }),
      outcomeView({ kind: 'fault-abort', responseCode: 500, responseFlags: 'FI' }),
    ].map((o) => `${o.tone} ${o.title}`)).toEqual(['ok Delivered', 'error 404 NR', 'error 502 BlackHoleCluster', 'error 503 UH', 'error 504 UT', 'error 503 UF', 'fault 500 FI']);
    expect(outcomeView({ kind: 'no-route', responseCode: 404, responseFlags: 'NR' }).sentence).toBe('No route: the proxy has no route for this request and answers 404 itself (Envoy flag NR).');
  });

  it('reads the code and flag of no-healthy-upstream (503 UH, Gateway API 500 NC and 500)', () => {
    expect([
      outcomeView({ kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' }),
      outcomeView({ kind: 'no-healthy-upstream', responseCode: 500, responseFlags: 'NC' }),
      outcomeView({ kind: 'no-healthy-upstream', responseCode: 500, responseFlags: '-' }),
    ].map((o) => [o.title, o.sentence])).toEqual([
      ['503 UH', 'No healthy upstream: the destination has no endpoint to send the request to, and the proxy answers 503 (Envoy flag UH).'],
      ['500 NC', "No cluster: the route's backend cannot be resolved or is not allowed, and the proxy answers 500 (Envoy flag NC)."],
      ['500', 'No backend: every backend of the rule weighs 0, and the proxy answers 500 itself.'],
    ]);
  });

  it("tells a policy's 403 from STRICT mTLS refusing plaintext, and names each server-side check", () => {
    const deny = outcomeView({ kind: 'denied-by-policy', responseCode: 403, responseFlags: '-', action: 'DENY', policy: { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'deny-admin' }, ruleIndex: 1, enforcedBy: 'the sidecar of shop/orders' });
    expect(deny).toEqual({ tone: 'error', title: '403 RBAC', sentence: 'Denied by policy: the sidecar of shop/orders answers 403 "RBAC: access denied" because DENY AuthorizationPolicy shop/deny-admin (rule spec.rules[1]) matched. The application never sees the request.' });
    const allow = outcomeView({ kind: 'denied-by-policy', responseCode: 0, responseFlags: '-', action: 'ALLOW', considered: [{ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'db-allow-orders' }], enforcedBy: 'the sidecar of shop/db' });
    expect(allow).toEqual({ tone: 'error', title: 'Closed by RBAC', sentence: 'Denied by policy: the sidecar of shop/db closes the connection because no ALLOW policy matched (considered: shop/db-allow-orders).' });
    expect(outcomeView({ kind: 'plaintext-refused', responseCode: 503, responseFlags: 'UC', policy: { kind: 'PeerAuthentication', namespace: 'shop', name: 'default' }, enforcedBy: 'the sidecar of shop/orders' })).toEqual({
      tone: 'error', title: '503 UC: mTLS STRICT',
      sentence: "Refused: the request travels in plaintext, but the sidecar of shop/orders accepts only mTLS (PeerAuthentication STRICT from shop/default); the server resets the connection (its Envoy logs NR, no filter chain), and the client's sidecar answers 503 (Envoy flag UC). This is not a routing failure.",
    });
    expect(outcomeView({ kind: 'plaintext-refused', responseCode: 0, responseFlags: '-', enforcedBy: 'the sidecar of shop/orders' }).title).toBe('Reset: mTLS STRICT');
    const at = 'the sidecar of shop/orders';
    expect([
      securityStepView({ kind: 'mtls', enforcedBy: at, verdict: 'allowed', mtls: true, principal: 'cluster.local/ns/shop/sa/frontend', mode: 'STRICT', decidedBy: [], explanation: '' }),
      securityStepView({ kind: 'mtls', enforcedBy: at, verdict: 'allowed', mtls: false, mode: 'PERMISSIVE', decidedBy: [], explanation: '' }),
      securityStepView({ kind: 'mtls', enforcedBy: at, verdict: 'refused', mtls: false, mode: 'STRICT', decidedBy: [], explanation: '' }),
      securityStepView({ kind: 'authz', enforcedBy: at, verdict: 'denied', decidedBy: [], explanation: '' }),
    ].map((v) => `${v.tone} ${v.title}`)).toEqual([
      'ok mTLS as cluster.local/ns/shop/sa/frontend accepted (STRICT) at the sidecar of shop/orders',
      'ok Plaintext accepted (PERMISSIVE) at the sidecar of shop/orders',
      'error Refused: plaintext to STRICT mTLS at the sidecar of shop/orders',
      'error Authorization: denied at the sidecar of shop/orders',
    ]);
  });

  it('writes endpoints, shares and windows', () => {
    expect(endpointText({ kind: 'passthrough', host: 'en.wikipedia.org', port: 443 })).toBe('PassthroughCluster → en.wikipedia.org:443');
    expect(endpointText({ kind: 'service', namespace: 'b', name: 'reviews', host: 'reviews.b.svc.cluster.local', port: 9080, subset: 'v2' })).toBe('reviews.b.svc.cluster.local:9080 (subset v2)');
    expect(endpointText({ kind: 'workload', namespace: 'default', name: 'pod1', pods: 1 })).toBe('workload default/pod1 (1 pod)');
    expect(endpointText({ kind: 'gateway', namespace: 'istio-system', workload: 'istio-egressgateway', port: 443 })).toBe('gateway istio-system/istio-egressgateway (port 443)');
    expect([1, 0.8, 1 / 3, 0.005].map(formatShare)).toEqual(['100%', '80%', '33.3%', '0.5%']);
    expect([600, 3600, 90, 86400].map(durationWords)).toEqual(['10 minutes', '1 hour', '90 seconds', '1 day']);
  });

  it("finds a rule's line on its object page and where it is written", () => {
    const r: RuleRef = { object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.hosts[0]', note: 'n', file: 'scenarios/egress-gateway-broken.yaml', line: 63 };
    expect(ruleLine(r, { 'VirtualService/istio-system/eg1#spec.hosts[0]': 8 })).toBe(8);
    expect(ruleLine(r, {})).toBeUndefined();
    expect(ruleFile(r)).toBe('scenarios/egress-gateway-broken.yaml:63');
    expect(ruleFile({ ...r, file: undefined })).toBeUndefined();
  });

  it("lists a path's faults, timeout, retries, mirrors, connection pool and TLS", () => {
    const path: TracePath = {
      weight: 1, hops: [], outcome: { kind: 'delivered' }, destination: { kind: 'workload', namespace: 'a', name: 'b', pods: 1 },
      fault: { delay: { ms: 7000, fraction: 1, rule: rule('spec.http[0].fault.delay') }, abort: { httpStatus: 500, fraction: 0.1, rule: rule('spec.http[0].fault.abort') } },
      timeoutMs: 500,
      retries: { attempts: 3, perTryTimeoutMs: 2000, retryOn: '5xx' },
      mirrors: [{ to: { kind: 'service', namespace: 'm', name: 'httpbin', host: 'httpbin.m.svc.cluster.local', port: 8000, subset: 'v2' }, fraction: 1, rule: rule('spec.http[0].mirror') }],
      connectionPool: { maxConnections: 1, http1MaxPendingRequests: 1, maxRequestsPerConnection: 1, outlierDetection: { consecutive5xxErrors: 1, baseEjectionTime: '3m' }, rule: rule('spec.trafficPolicy.connectionPool', 12) },
      tls: { mode: 'ISTIO_MUTUAL' },
    };
    expect(pathLimits(path).map((l) => `${l.label}: ${l.text}${l.rule ? ` [${l.rule.path}]` : ''}`)).toEqual([
      'Fault: delay: 7 s on 100% of requests [spec.http[0].fault.delay]',
      'Fault: abort: HTTP 500 on 10% of requests [spec.http[0].fault.abort]',
      'Timeout: 500 ms',
      'Retries: 3 attempts, 2 s per try, on 5xx',
      'Mirror: 100% copied to httpbin.m.svc.cluster.local:8000 (subset v2) (responses ignored) [spec.http[0].mirror]',
      'Connection pool: max 1 connection, 1 pending request, 1 request per connection, outlier detection after 1 5xx, ejected 3m; requests beyond it fail with 503 (Envoy flag UO) [spec.trafficPolicy.connectionPool]',
      'TLS: mutual TLS (Istio certificates)',
    ]);
    expect(pathLimits({ ...path, fault: undefined, timeoutMs: undefined, retries: undefined, mirrors: undefined, connectionPool: undefined, tls: { mode: 'NONE' } })).toEqual([]);
  });
});

describe('the path diagram', () => {
  const rows = [
    { caption: 'The configuration sends it', nodes: [{ label: 'default/pod1', detail: '1 pod', kind: 'workload', observed: true }, { label: 'PassthroughCluster', detail: 'en.wikipedia.org:443', kind: 'passthrough', observed: true }] },
    { caption: 'VirtualService istio-system/eg1 meant (not applied)', nodes: [
      { label: 'default/pod1', kind: 'workload', observed: true },
      { label: 'istio-egressgateway.istio-system.svc.cluster.local', detail: 'subset wildcard', kind: 'service', observed: false },
      { label: 'istio-system/istio-egressgateway', detail: 'egress gateway', kind: 'gateway', observed: false },
    ] },
  ];

  it('lays rows out left to right, boxes as wide as their text, dashed where no traffic was seen', () => {
    const layout = diagramLayout(rows);
    expect(layout.rows.map((r) => ({ y: r.y, boxes: r.boxes.map((b) => `${b.x}+${b.width} ${b.label}${b.detail ? ` / ${b.detail}` : ''}${b.dashed ? ' dashed' : ''}`), arrows: r.arrows.map((a) => `${a.x1}→${a.x2}${a.dashed ? ' dashed' : ''}`) }))).toEqual([
      { y: 0, boxes: ['0+120 default/pod1 / 1 pod', '164+174 PassthroughCluster / en.wikipedia.org:443'], arrows: ['120→164'] },
      { y: 94, boxes: ['0+120 default/pod1', '164+264 istio-egressgateway.istio-system / subset wildcard dashed', '472+264 istio-system/istio-egressgateway / egress gateway dashed'], arrows: ['120→164 dashed', '428→472 dashed'] },
    ]);
  });

  it('cuts long text in the middle and drops the cluster domain of Service hosts', () => {
    expect(shortHost('reviews.bookinfo.svc.cluster.local:9080')).toBe('reviews.bookinfo:9080');
    expect(shortHost('www.wikipedia.org:443')).toBe('www.wikipedia.org:443');
    expect(fitText('abcdefghijklmnopqrstuvwxyz', 12)).toBe('abcdefgh…xyz');
    // a long row keeps its boxes narrow (and scrolls); a short one gives them the room it has
    const long = { label: 'x'.repeat(60), kind: 'external', observed: false };
    expect(diagramLayout([{ caption: 'c', nodes: [long, long, long, long, long] }]).rows[0]!.boxes[0]!.label).toBe(`${'x'.repeat(23)}…${'x'.repeat(10)}`);
    expect(diagramLayout([{ caption: 'c', nodes: [long] }]).rows[0]!.boxes[0]!.label).toBe('x'.repeat(60));
    expect(fitText('short', 12)).toBe('short');
  });

  it('says what it draws, for screen readers', () => {
    expect(diagramSummary(rows)).toBe(
      'The configuration sends it: default/pod1 → PassthroughCluster. VirtualService istio-system/eg1 meant (not applied): default/pod1 → istio-egressgateway.istio-system.svc.cluster.local (configuration only) → istio-system/istio-egressgateway (configuration only)',
    );
  });
});

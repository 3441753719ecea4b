import { describe, expect, it } from 'vitest';
import type { TraceRequest } from '@meshlens/model';
import { traceRequest } from './index.js';
import { compileRegex, regexMatches } from './regex.js';
import { inventoryOf, project } from './__fixtures__/load.js';

const inv = inventoryOf('istio-system.yaml', 'httpbin.yaml', 'hostile-regex.yaml');
const INGRESS = { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' } as const;
const INVALID = "regex '/(?=admin).*' is not valid RE2 (invalid or unsupported Perl syntax: `(?=`); the condition never matches.";

/** Traces an HTTP request arriving at the ingress gateway on port 80, timed. */
function trace(host: string, path: string, headers: Record<string, string> = {}) {
  const req: TraceRequest = { source: INGRESS, protocol: 'http', host, port: 80, path, headers };
  const t0 = performance.now();
  const r = traceRequest(inv, req);
  return { ms: performance.now() - t0, result: { problems: r.problems, paths: project(r.paths) } };
}

/** The one path of a request that rule `spec.http[rule]` (at `line`, its route at `routeLine`) of VirtualService demo/storefront sends to httpbin `subset`. */
function routedBy(rule: number, line: number, routeLine: number, match: string[], subset: 'v1' | 'v2') {
  const [subsetRef, workload] = subset === 'v1' ? ['DestinationRule demo/httpbin spec.subsets[0] @94', 'workload:demo/httpbin-v1(1)'] : ['DestinationRule demo/httpbin spec.subsets[1] @97', 'workload:demo/httpbin-v2(1)'];
  return {
    weight: 1,
    outcome: 'delivered',
    hops: [
      {
        step: `gateway:istio-system/istio-ingressgateway:80 -> service:httpbin.demo.svc.cluster.local:8000/${subset} [http]`,
        decidedBy: [
          'Gateway demo/storefront-gateway spec.servers[0] @12',
          `VirtualService demo/storefront spec.http[${rule}] @${line}`,
          ...match,
          `VirtualService demo/storefront spec.http[${rule}].route[0] @${routeLine}`,
          subsetRef,
        ],
      },
      { step: `service:httpbin.demo.svc.cluster.local:8000/${subset} -> ${workload} [http]`, decidedBy: [subsetRef, 'Service demo/httpbin spec.selector @19'] },
    ],
    destination: workload,
    dsh: 'httpbin.demo.svc.cluster.local',
    retries: { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled' },
    tls: 'ISTIO_MUTUAL',
  };
}

/** The catch-all rule `default`, after every regex rule was tried (the invalid one among them). */
const DEFAULT_ROUTE = { problems: [INVALID], paths: [routedBy(6, 80, 82, [], 'v1')] };

describe('VirtualService regexes run on RE2: linear in the input whatever the pattern', () => {
  // a JS RegExp backtracks through every split of the run: about 1 s for `(a+)+` on 28 a's before the dot, 2.5 s for
  // `(x+x+)+y` on 30 x's, and 4 times longer per character more; RE2 answers in microseconds
  it("authority regex '(a+)+' against a 40-character host that almost matches: no match, in < 100 ms", () => {
    trace('warm-up.example.com', '/');
    const { ms, result } = trace(`${'a'.repeat(28)}.example.com`, '/');
    expect(ms).toBeLessThan(100);
    expect(result).toEqual(DEFAULT_ROUTE);
  });

  it("uri regex '(x+x+)+y' against 30 x's with no y: no match, in < 100 ms", () => {
    trace('warm-up.example.com', '/');
    const { ms, result } = trace('shop.example.com', 'x'.repeat(30));
    expect(ms).toBeLessThan(100);
    expect(result).toEqual(DEFAULT_ROUTE);
  });

  it('the same patterns still match what they describe', () => {
    expect(trace('a'.repeat(40), '/').result).toEqual({ problems: [], paths: [routedBy(0, 30, 35, ['VirtualService demo/storefront spec.http[0].match[0].authority @32'], 'v2')] });
    expect(trace('shop.example.com', `${'x'.repeat(30)}y`).result).toEqual({ problems: [], paths: [routedBy(1, 38, 43, ['VirtualService demo/storefront spec.http[1].match[0].uri @40'], 'v2')] });
  });
});

describe('RE2 semantics of StringMatch regex', () => {
  it("is a full match: '/api/v[0-9]+' takes /api/v12, not /api/v12/users", () => {
    expect(trace('shop.example.com', '/api/v12').result).toEqual({ problems: [], paths: [routedBy(2, 46, 51, ['VirtualService demo/storefront spec.http[2].match[0].uri @48'], 'v2')] });
    expect(trace('shop.example.com', '/api/v12/users').result).toEqual(DEFAULT_ROUTE);
  });

  it("honours RE2's (?i) in a header regex: end-user JaSoN matches '(?i)jason'", () => {
    expect(trace('shop.example.com', '/', { 'End-User': 'JaSoN' }).result).toEqual({ problems: [], paths: [routedBy(3, 54, 60, ['VirtualService demo/storefront spec.http[3].match[0].headers.end-user @57'], 'v2')] });
    expect(trace('shop.example.com', '/', { 'end-user': 'jasonx' }).result).toEqual(DEFAULT_ROUTE);
  });

  it('matches a uri regex without case under ignoreUriCase', () => {
    expect(trace('shop.example.com', '/STATIC/app.js').result).toEqual({ problems: [INVALID], paths: [routedBy(5, 71, 77, ['VirtualService demo/storefront spec.http[5].match[0].uri @73'], 'v2')] });
  });

  it('treats a pattern RE2 cannot compile (a lookahead) as no match, and says so', () => {
    expect(trace('shop.example.com', '/admin').result).toEqual(DEFAULT_ROUTE);
    expect(compileRegex('/(?=admin).*')).toEqual({ error: 'invalid or unsupported Perl syntax: `(?=`' });
    expect(compileRegex('(a)\\1')).toEqual({ error: 'invalid escape sequence: `\\1`' });
    expect(regexMatches('[unclosed', '[unclosed')).toBe(false);
  });

  it('compiles each pattern once per case setting', () => {
    expect(compileRegex('v[0-9]+')).toBe(compileRegex('v[0-9]+'));
    expect(compileRegex('v[0-9]+', true)).not.toBe(compileRegex('v[0-9]+'));
    expect([regexMatches('V[0-9]+', 'v12'), regexMatches('V[0-9]+', 'v12', true), regexMatches('a|ab', 'ab'), regexMatches('caf.', 'café')]).toEqual([false, true, true, true]);
  });
});

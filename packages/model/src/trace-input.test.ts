import { describe, expect, it } from 'vitest';
import { parseTraceIdentity, parseTraceSource, parseTraceTarget, TraceInputError } from './trace-input.js';

describe('the trace request reader shared by the CLI, the API and the what-if worker', () => {
  it('reads the three kinds of source, and names the flag when it is none', () => {
    expect(['default/pod1', 'gateway:istio-system/istio-ingressgateway', 'outside'].map(parseTraceSource)).toEqual([
      { kind: 'workload', namespace: 'default', name: 'pod1' },
      { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' },
      { kind: 'outside' },
    ]);
    expect(() => parseTraceSource('pod1')).toThrow(new TraceInputError('--from "pod1": expected <namespace>/<workload>, gateway:<namespace>/<name> or outside'));
  });

  it('reads URLs of every scheme, with default ports, SNI, headers and IPs', () => {
    expect(parseTraceTarget('https://en.wikipedia.org/wiki', {})).toEqual({ protocol: 'https', host: 'en.wikipedia.org', port: 443, sni: 'en.wikipedia.org' });
    expect(parseTraceTarget('reviews:9080/reviews/0?x=1', { headers: ['End-User: jason'], method: 'POST' })).toEqual({
      protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0?x=1', method: 'POST', headers: { 'end-user': 'jason' },
    });
    expect(parseTraceTarget('tcp://10.0.0.7:5432', {})).toEqual({ protocol: 'tcp', ip: '10.0.0.7', port: 5432 });
    expect(parseTraceTarget('tls://db.example.com:8443', { sni: 'other.example.com' })).toEqual({ protocol: 'tls', host: 'db.example.com', port: 8443, sni: 'other.example.com' });
    expect(() => parseTraceTarget('ftp://x', {})).toThrow('scheme "ftp:" is not one of http, https, grpc, tls, tcp');
    expect(() => parseTraceTarget('tcp://echo', {})).toThrow('"tcp://echo": a tcp:// URL needs a port');
    expect(() => parseTraceTarget('http://[bad', {})).toThrow('"http://[bad" is not a URL');
    expect(() => parseTraceTarget('http://a', { headers: ['nocolon'] })).toThrow('-H "nocolon": expected "name: value"');
  });

  it('checks the shape of the caller\'s identities', () => {
    expect(parseTraceIdentity({ principal: ' shop/frontend ', requestPrincipal: 'https://auth.example.com/alice' })).toEqual({ principal: 'shop/frontend', requestPrincipal: 'https://auth.example.com/alice' });
    expect(parseTraceIdentity({ principal: 'spiffe://cluster.local/ns/shop/sa/frontend' })).toEqual({ principal: 'spiffe://cluster.local/ns/shop/sa/frontend' });
    expect(() => parseTraceIdentity({ principal: 'frontend' })).toThrow(/^--principal "frontend": expected spiffe:/);
    expect(() => parseTraceIdentity({ requestPrincipal: 'alice' })).toThrow(/^--request-principal "alice": expected <issuer>\/<subject>/);
  });
});

import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../routing/__fixtures__/load.js';
import {
  hostMatches, hostsIntersect, ipInCidr, isExportedTo, lookupRegistryAddress, lookupRegistryHost, mostSpecificMatch,
  normalizeHost, parseScopedHost, registryEntries, scopedHostAdmits, toFqdn, visibleRegistry,
} from './index.js';

describe('host names', () => {
  it('expands short names in the namespace of the rule, the way pilot does', () => {
    expect(toFqdn('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    // pilot's ResolveShortnameToFQDN only expands names without a dot (reference §3.1)
    expect(toFqdn('reviews.shop', 'default')).toBe('reviews.shop');
    expect(toFqdn('*.wikipedia.org', 'shop')).toBe('*.wikipedia.org');
    expect(toFqdn('*', 'shop')).toBe('*');
    expect(toFqdn('10.0.0.1', 'shop')).toBe('10.0.0.1');
  });

  it('expands DNS search forms of a requested name', () => {
    expect(toFqdn('reviews', 'shop', 'cluster.local', 'dns')).toBe('reviews.shop.svc.cluster.local');
    expect(toFqdn('reviews.shop', 'default', 'cluster.local', 'dns')).toBe('reviews.shop.svc.cluster.local');
    expect(toFqdn('reviews.shop.svc', 'default', 'cluster.local', 'dns')).toBe('reviews.shop.svc.cluster.local');
    expect(toFqdn('httpbin.org', 'default', 'cluster.local', 'dns')).toBe('httpbin.org');
  });

  it('normalises case, trailing dots and ports', () => {
    expect(normalizeHost('HTTPBIN.example.com.:80')).toBe('httpbin.example.com');
  });

  it('matches wildcards like Istio (left-most * only; *.foo.com does not cover foo.com)', () => {
    expect(hostMatches('*.wikipedia.org', 'en.wikipedia.org')).toBe(true);
    expect(hostMatches('*.wikipedia.org', 'wikipedia.org')).toBe(false);
    expect(hostMatches('*', 'anything.example')).toBe(true);
    expect(hostMatches('*.com', '*.example.com')).toBe(true);
    expect(hostMatches('*.example.com', '*.com')).toBe(false);
    expect(hostsIntersect('*.example.com', '*.com')).toBe(true);
    expect(hostsIntersect('a.example.com', 'b.example.com')).toBe(false);
    expect(mostSpecificMatch('en.wikipedia.org', ['*', '*.org', '*.wikipedia.org', 'www.wikipedia.org'])).toBe('*.wikipedia.org');
  });

  it('reads ns/host scopes of Gateway and Sidecar hosts', () => {
    expect(parseScopedHost('httpbin.example.com', 'demo')).toEqual({ namespace: '*', exclude: false, host: 'httpbin.example.com' });
    expect(parseScopedHost('./bare.example.com', 'demo')).toEqual({ namespace: 'demo', exclude: false, host: 'bare.example.com' });
    expect(parseScopedHost('*/*.example.com', 'demo')).toEqual({ namespace: '*', exclude: false, host: '*.example.com' });
    expect(parseScopedHost('~/*', 'demo')).toEqual({ namespace: '*', exclude: true, host: '*' });
    expect(scopedHostAdmits(parseScopedHost('prod/*', 'x'), 'prod', 'a.prod.svc.cluster.local')).toBe(true);
    expect(scopedHostAdmits(parseScopedHost('prod/*', 'x'), 'dev', 'a.dev.svc.cluster.local')).toBe(false);
  });

  it('tests addresses against CIDRs', () => {
    expect(ipInCidr('203.0.113.25', '203.0.113.0/24')).toBe(true);
    expect(ipInCidr('203.0.114.25', '203.0.113.0/24')).toBe(false);
    expect(ipInCidr('10.1.2.3', '10.1.2.3')).toBe(true);
  });
});

describe('exportTo', () => {
  it('exports everywhere by default and follows ., *, ~ and namespace names', () => {
    expect(isExportedTo(undefined, 'a', 'b')).toBe(true);
    expect(isExportedTo([], 'a', 'b')).toBe(true);
    expect(isExportedTo(['.'], 'a', 'a')).toBe(true);
    expect(isExportedTo(['.'], 'a', 'b')).toBe(false);
    expect(isExportedTo(['*'], 'a', 'b')).toBe(true);
    expect(isExportedTo(['~'], 'a', 'a')).toBe(false);
    expect(isExportedTo(['b', 'c'], 'a', 'c')).toBe(true);
  });
});

describe('service registry', () => {
  const inv = inventoryOf('bookinfo.yaml', 'exportto.yaml', 'istio-system.yaml', 'httpbin.yaml', 'egress-httpbin.yaml', 'seed-001-serviceentry.yaml');

  it('holds Kubernetes Services and ServiceEntry hosts with ports, resolution, location and addresses', () => {
    const se = registryEntries(inv).find((e) => e.host === 'httpbin.org')!;
    expect({ ...se, obj: se.obj.ref }).toEqual({
      kind: 'ServiceEntry', host: 'httpbin.org', namespace: 'demo', name: 'httpbin-ext', obj: { kind: 'ServiceEntry', namespace: 'demo', name: 'httpbin-ext' },
      hostPath: 'spec.hosts[0]',
      ports: [
        { number: 80, name: 'http', protocol: 'HTTP', targetPort: undefined, path: 'spec.ports[0]' },
        { number: 443, name: 'https', protocol: 'HTTPS', targetPort: undefined, path: 'spec.ports[1]' },
      ],
      exportTo: undefined, location: 'MESH_EXTERNAL', resolution: 'DNS', addresses: [], endpoints: [], workloadSelector: undefined,
    });
    const igw = registryEntries(inv).find((e) => e.name === 'istio-ingressgateway')!;
    expect([igw.kind, igw.host, igw.addresses, igw.ports.map((p) => `${p.name}:${p.number}->${p.targetPort}`)]).toEqual([
      'Service', 'istio-ingressgateway.istio-system.svc.cluster.local', ['10.10.200.31'], ['status-port:15021->15021', 'http2:80->8080', 'https:443->8443', 'tcp:31400->31400'],
    ]);
  });

  it('hides a Service exported only to its own namespace', () => {
    expect(visibleRegistry(inv, 'bookinfo').some((e) => e.name === 'internal')).toBe(true);
    expect(visibleRegistry(inv, 'frontend').some((e) => e.name === 'internal')).toBe(false);
  });

  it('looks up exact Service, exact ServiceEntry host, then the most specific wildcard ServiceEntry', () => {
    expect(lookupRegistryHost(inv, 'reviews.bookinfo.svc.cluster.local', 'frontend')?.name).toBe('reviews');
    expect(lookupRegistryHost(inv, 'httpbin.org', 'frontend')?.name).toBe('httpbin-ext');
    expect(lookupRegistryHost(inv, 'en.wikipedia.org', 'frontend')?.host).toBe('*.wikipedia.org');
    expect(lookupRegistryHost(inv, 'wikipedia.org', 'frontend')).toBeUndefined();
    expect(lookupRegistryAddress(inv, '10.10.200.31', 'demo')?.name).toBe('istio-ingressgateway');
  });
});

import { describe, expect, it } from 'vitest';
import { createSimulator } from './simulator.js';
import { inventoryOf, select, T, total, trace, trafficOf } from '../__fixtures__/support.js';

const inv = inventoryOf('shop.yaml', 'breaker.yaml', 'edges.yaml', 'mirror-gateway.yaml');

/** A one-class model from `sleep`-like sources; rps 10 unless given. */
function oneClass(source: string, request: string, extra = '') {
  return trafficOf(`
classes:
  - name: probe
    source: ${source}
    request: ${request}
    rps: 10
    bytes: {request: 100, response: 1000}
    latencyMs: {p50: 20, p95: 60}
${extra}`);
}

const samplesOf = (source: string, request: string, extra = '') => createSimulator(inv, oneClass(source, request, extra), { seed: 3, trace }).samplesAt(T, 600);
const SLEEP = '{kind: workload, namespace: shop, name: sleep}';
const CLIENT = '{kind: workload, namespace: mesh, name: client}';

describe('through the routing core', () => {
  it('splits 80/20 by route weight, seen alike by both reporters', () => {
    const s = samplesOf(SLEEP, '{protocol: http, host: reviews, port: 9080}');
    const all = total(s, 'istio_requests_total', { reporter: 'source' });
    expect(all).toBeGreaterThan(0);
    for (const reporter of ['source', 'destination']) {
      expect(total(s, 'istio_requests_total', { reporter, destination_workload: 'reviews-v1' }) / all).toBeCloseTo(0.8, 12);
      expect(total(s, 'istio_requests_total', { reporter, destination_workload: 'reviews-v2' }) / all).toBeCloseTo(0.2, 12);
    }
    expect(total(s, 'istio_requests_total', { destination_workload: 'reviews-v3' })).toBe(0);
  });

  it('routes by header: end-user jason goes to reviews-v3 only', () => {
    const s = samplesOf(SLEEP, '{protocol: http, host: reviews, port: 9080, headers: {end-user: jason}}');
    const all = total(s, 'istio_requests_total', { reporter: 'source' });
    expect(total(s, 'istio_requests_total', { reporter: 'source', destination_workload: 'reviews-v3', destination_version: 'v3' })).toBe(all);
  });

  it('aborts with 500 FI at the client sidecar: no destination report, no destination workload', () => {
    const s = samplesOf(SLEEP, '{protocol: http, host: ratings, port: 9080, headers: {x-fail: abort}}');
    const [only, ...rest] = select(s, 'istio_requests_total');
    expect(rest).toEqual([]);
    expect(only!.metric).toMatchObject({
      reporter: 'source', source_workload: 'sleep', response_code: '500', response_flags: 'FI',
      destination_workload: 'unknown', destination_service: 'ratings.shop.svc.cluster.local', destination_service_name: 'ratings',
      destination_service_namespace: 'shop', connection_security_policy: 'unknown',
    });
  });

  it('delays with DI: the caller waits 7 s more, the server does not', () => {
    const s = samplesOf(SLEEP, '{protocol: http, host: ratings, port: 9080, headers: {x-fail: delay}}');
    const bucket = (reporter: string, le: string) => total(s, 'istio_request_duration_milliseconds_bucket', { reporter, le });
    expect(select(s, 'istio_requests_total', { reporter: 'source' }).map((x) => x.metric.response_flags)).toEqual(['DI']);
    expect(select(s, 'istio_requests_total', { reporter: 'destination' }).map((x) => x.metric.response_flags)).toEqual(['-']);
    expect(bucket('source', '5000')).toBe(0);
    expect(bucket('source', '10000')).toBeCloseTo(bucket('source', '+Inf'), 9);
    expect(bucket('destination', '100') / bucket('destination', '+Inf')).toBeGreaterThan(0.99);
    const mean = total(s, 'istio_request_duration_milliseconds_sum', { reporter: 'source' }) / total(s, 'istio_request_duration_milliseconds_count', { reporter: 'source' });
    expect(mean).toBeGreaterThan(7000);
    expect(mean).toBeLessThan(7100);
  });

  it('overflows the connection pool: 3 in flight against 1 connection + 1 pending gives 1/3 503 UO', () => {
    const fortio = '{kind: workload, namespace: cb, name: fortio-deploy}';
    const s = samplesOf(fortio, '{protocol: http, host: httpbin, port: 8000}', '    concurrency: 3');
    const all = total(s, 'istio_requests_total', { reporter: 'source' });
    const uo = select(s, 'istio_requests_total', { reporter: 'source', response_flags: 'UO' });
    expect(uo).toHaveLength(1);
    expect(Number(uo[0]!.value[1]) / all).toBeCloseTo(1 / 3, 12);
    expect(uo[0]!.metric).toMatchObject({ response_code: '503', destination_workload: 'unknown', destination_service_name: 'httpbin' });
    // the overflowed requests never reach httpbin's sidecar
    expect(total(s, 'istio_requests_total', { reporter: 'destination' }) / all).toBeCloseTo(2 / 3, 12);
    const calm = samplesOf(fortio, '{protocol: http, host: httpbin, port: 8000}', '    concurrency: 1');
    expect(select(calm, 'istio_requests_total', { response_flags: 'UO' })).toEqual([]);
  });

  it('answers 502 from BlackHoleCluster under REGISTRY_ONLY, reported by the source only', () => {
    const s = samplesOf('{kind: workload, namespace: locked, name: sleep}', '{protocol: http, host: example.com, port: 80}');
    expect(select(s, 'istio_requests_total').map((x) => x.metric)).toEqual([expect.objectContaining({
      reporter: 'source', response_code: '502', response_flags: '-', destination_service_name: 'BlackHoleCluster',
      destination_service: 'example.com', destination_service_namespace: 'unknown', destination_workload: 'unknown', destination_cluster: 'unknown',
    })]);
  });

  it('leaves through PassthroughCluster under ALLOW_ANY: Host header for HTTP, unknown for TCP', () => {
    const http = samplesOf(CLIENT, '{protocol: http, host: example.com, port: 80}');
    expect(select(http, 'istio_requests_total').map((x) => [x.metric.reporter, x.metric.destination_service_name, x.metric.destination_service, x.metric.response_code]))
      .toEqual([['source', 'PassthroughCluster', 'example.com', '200']]);
    const tcp = samplesOf(CLIENT, '{protocol: tcp, ip: 203.0.113.25, port: 5432}');
    expect(select(tcp, 'istio_tcp_connections_opened_total').map((x) => [x.metric.reporter, x.metric.destination_service_name, x.metric.destination_service]))
      .toEqual([['source', 'PassthroughCluster', 'unknown']]);
  });

  it('reports a ServiceEntry host from the source only', () => {
    const s = samplesOf(CLIENT, '{protocol: http, host: httpbin.org, port: 80}');
    expect(select(s, 'istio_requests_total').map((x) => x.metric)).toEqual([expect.objectContaining({
      reporter: 'source', destination_service: 'httpbin.org', destination_service_name: 'httpbin.org', destination_service_namespace: 'mesh', destination_workload: 'unknown',
    })]);
  });

  it('duplicates reporters only where both ends have a proxy', () => {
    const both = samplesOf(CLIENT, '{protocol: http, host: web, port: 8080}');
    const byReporter = Object.fromEntries(select(both, 'istio_requests_total').map((x) => [x.metric.reporter, x.metric]));
    expect(Object.keys(byReporter).sort()).toEqual(['destination', 'source']);
    expect(byReporter.destination).toMatchObject({
      connection_security_policy: 'mutual_tls', source_principal: 'spiffe://cluster.local/ns/mesh/sa/client',
      destination_principal: 'spiffe://cluster.local/ns/mesh/sa/web', destination_workload: 'web-v1', destination_canonical_revision: 'v1',
    });
    expect(byReporter.source).toMatchObject({ connection_security_policy: 'unknown', destination_workload: 'web-v1' });
    expect(total(both, 'istio_requests_total', { reporter: 'source' })).toBe(total(both, 'istio_requests_total', { reporter: 'destination' }));

    const toPlain = samplesOf(CLIENT, '{protocol: http, host: plain.legacy, port: 80}');
    expect(select(toPlain, 'istio_requests_total').map((x) => [x.metric.reporter, x.metric.destination_workload, x.metric.destination_service]))
      .toEqual([['source', 'unknown', 'plain.legacy.svc.cluster.local']]);

    const fromLegacy = samplesOf('{kind: workload, namespace: legacy, name: old-client}', '{protocol: http, host: web.mesh, port: 8080}');
    expect(select(fromLegacy, 'istio_requests_total').map((x) => x.metric)).toEqual([expect.objectContaining({
      reporter: 'destination', source_workload: 'unknown', source_workload_namespace: 'unknown', source_principal: 'unknown',
      source_cluster: 'unknown', destination_workload: 'web-v1', connection_security_policy: 'none',
    })]);
  });

  it('counts TCP bytes both ways, alike from both proxies', () => {
    const s = samplesOf(CLIENT, '{protocol: tcp, host: tcp-echo, port: 9000}');
    const opened = total(s, 'istio_tcp_connections_opened_total', { reporter: 'source' });
    expect(opened).toBeGreaterThan(0);
    for (const reporter of ['source', 'destination']) {
      expect(total(s, 'istio_tcp_connections_opened_total', { reporter })).toBe(opened);
      expect(total(s, 'istio_tcp_connections_closed_total', { reporter })).toBe(opened);
      expect(total(s, 'istio_tcp_received_bytes_total', { reporter }) / opened / 100).toBeCloseTo(1, 8);
      expect(total(s, 'istio_tcp_sent_bytes_total', { reporter }) / opened / 1000).toBeCloseTo(1, 8);
    }
    const labels = select(s, 'istio_tcp_sent_bytes_total', { reporter: 'destination' })[0]!.metric;
    expect(labels).toMatchObject({ request_protocol: 'tcp', response_flags: '-', connection_security_policy: 'mutual_tls' });
    expect(labels).not.toHaveProperty('response_code');
    expect(s.istio_requests_total).toBeUndefined();
  });

  it('mirrors to v2: reported by v2\'s sidecar only, from the original client', () => {
    const s = samplesOf('{kind: workload, namespace: mirror, name: sleep}', '{protocol: http, host: httpbin, port: 8000}');
    const v1 = total(s, 'istio_requests_total', { reporter: 'destination', destination_workload: 'httpbin-v1' });
    expect(total(s, 'istio_requests_total', { reporter: 'destination', destination_workload: 'httpbin-v2', source_workload: 'sleep' })).toBeCloseTo(v1, 12);
    expect(total(s, 'istio_requests_total', { reporter: 'source', destination_workload: 'httpbin-v2' })).toBe(0);
  });

  it('reports a gateway\'s outbound leg as source, with the gateway as source workload', () => {
    const s = samplesOf('{kind: gateway, namespace: istio-system, name: istio-ingressgateway}', '{protocol: http, host: httpbin.example.com, port: 8080}');
    const src = select(s, 'istio_requests_total', { reporter: 'source' });
    expect(src.map((x) => [x.metric.source_workload, x.metric.source_workload_namespace, x.metric.destination_workload])).toEqual([['istio-ingressgateway', 'istio-system', 'httpbin-v1']]);
    expect(total(s, 'istio_requests_total', { reporter: 'destination', source_workload: 'istio-ingressgateway', destination_workload: 'httpbin-v1', connection_security_policy: 'mutual_tls' }))
      .toBe(total(s, 'istio_requests_total', { reporter: 'source' }));
  });

  it('keeps histograms cumulative, with +Inf equal to the request count', () => {
    const s = samplesOf(SLEEP, '{protocol: http, host: reviews, port: 9080}');
    for (const req of select(s, 'istio_requests_total')) {
      const buckets = select(s, 'istio_request_duration_milliseconds_bucket', req.metric);
      const values = buckets.map((b) => Number(b.value[1]));
      for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]! - 1e-9);
      expect(buckets.at(-1)!.metric.le).toBe('+Inf');
      expect(Number(buckets.at(-1)!.value[1])).toBeCloseTo(Number(req.value[1]), 9);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createDemoSource } from './static-source.js';
import { MetricsTargetError, resolveMetricsTarget } from './metrics-target.js';
import { metricSeries } from './metrics-series.js';

const inv = createDemoSource().inventory();

describe('metrics target', () => {
  it('selects an edge into a versioned app from the destination proxy, with the caller as peer', () => {
    expect(resolveMetricsTarget(inv, { namespace: 'bookinfo-routing', app: 'reviews', version: 'v2', peerNamespace: 'bookinfo-routing', peerApp: 'productpage', peerVersion: 'v1' })).toEqual({
      target: { namespace: 'bookinfo-routing', app: 'reviews', version: 'v2' },
      peer: { namespace: 'bookinfo-routing', app: 'productpage', version: 'v1' },
      direction: 'inbound',
      matchers: [
        { label: 'reporter', op: '=', value: 'destination' },
        { label: 'destination_workload_namespace', op: '=', value: 'bookinfo-routing' },
        { label: 'destination_canonical_service', op: '=', value: 'reviews' },
        { label: 'destination_canonical_revision', op: '=', value: 'v2' },
        { label: 'source_workload_namespace', op: '=', value: 'bookinfo-routing' },
        { label: 'source_canonical_service', op: '=', value: 'productpage' },
        { label: 'source_canonical_revision', op: '=', value: 'v1' },
      ],
    });
  });

  it('reads service nodes from their clients, and a calling service as its workloads', () => {
    const r = resolveMetricsTarget(inv, { namespace: 'bookinfo-routing', service: 'ratings', peerNamespace: 'bookinfo-routing', peerService: 'reviews' });
    expect(r.matchers).toEqual([
      { label: 'reporter', op: '=', value: 'source' },
      { label: 'destination_service_namespace', op: '=', value: 'bookinfo-routing' },
      { label: 'destination_service_name', op: '=', value: 'ratings' },
      { label: 'source_workload_namespace', op: '=', value: 'bookinfo-routing' },
      { label: 'source_workload', op: '=~', value: 'reviews-v1|reviews-v2|reviews-v3' },
    ]);
  });

  it('refuses ambiguous or impossible targets with a sentence', () => {
    expect(() => resolveMetricsTarget(inv, { namespace: 'a', workload: 'w', app: 'x' })).toThrow(new MetricsTargetError('the node: give exactly one of workload, app or service (as in the graph node\'s data)'));
    expect(() => resolveMetricsTarget(inv, { namespace: 'a', service: 's', direction: 'outbound' })).toThrow(/a service node has only inbound traffic/);
    expect(() => resolveMetricsTarget(inv, {})).toThrow(/namespace and one of workload, app or service are required/);
  });
});

describe('metric series', () => {
  it('computes code classes, error percent, quantiles and TCP, leaving out empty series', () => {
    const series = metricSeries({
      timestamps: [60, 120],
      requestsByCode: [{ '200': 9, '503': 1 }, {}],
      buckets: [{ '10': 5, '100': 10, '+Inf': 10 }, {}],
      tcpSent: [null, null],
      tcpReceived: [null, null],
      warnings: [],
    });
    expect(series).toEqual([
      { id: 'requests.2xx', chart: 'requests', label: '2xx', unit: 'req/s', values: [9, null] },
      { id: 'requests.5xx', chart: 'requests', label: '5xx', unit: 'req/s', values: [1, null] },
      { id: 'errors.percent', chart: 'errors', label: 'errors', unit: '%', values: [10, null] },
      { id: 'latency.p50', chart: 'latency', label: 'p50', unit: 'ms', values: [10, null] },
      { id: 'latency.p95', chart: 'latency', label: 'p95', unit: 'ms', values: [91, null] },
      { id: 'latency.p99', chart: 'latency', label: 'p99', unit: 'ms', values: [98.2, null] },
    ]);
  });
});

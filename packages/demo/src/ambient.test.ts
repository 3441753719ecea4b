import { describe, expect, it } from 'vitest';
import { buildGraph, waypoints, ztunnelPods } from '@meshlens/mesh';
import type { GraphResponse, PromSample } from '@meshlens/model';
import { loadDemoManifests, loadTrafficModel } from './scenarios.js';
import { createSimulator } from './simulator/simulator.js';
import { T, inventoryOf, select, trace } from './__fixtures__/support.js';

// The ambient-bookinfo scenario with the control plane it runs on, simulated, then drawn as the console draws it.
const files = loadDemoManifests().filter((f) => f.file === 'scenarios/00-istio-system.yaml' || f.file === 'scenarios/ambient-bookinfo.yaml');
const inv = inventoryOf(...files);
const traffic = loadTrafficModel();
const model = { ...traffic, scenarios: traffic.scenarios.filter((s) => s.scenario === 'ambient-bookinfo') };
const sim = createSimulator(inv, model, { seed: 1, trace });
const samples = sim.samplesAt(T, 600);
const NS = 'ambient-bookinfo';
const options = { graphType: 'workload' as const, namespaces: [NS], duration: 600, queryTime: T };
const hidden = buildGraph(inv, samples, options);
const shown = buildGraph(inv, samples, { ...options, showWaypoints: true });

const sum = (list: PromSample[]) => list.reduce((a, s) => a + Number(s.value[1]), 0);
const wl = (name: string) => `wl:${NS}:${name}`;
const INGRESS = 'wl:istio-system:istio-ingressgateway';
/** Each edge: ends, protocol, the proxies its numbers came from, reporter, mTLS, waypoint hop. */
const shape = (g: GraphResponse) => g.elements.edges.map(({ data: d }) => [d.source, d.target, d.traffic.protocol, d.telemetry, d.reporter, d.isMTLS, d.waypoint ?? null]);
const rate = (g: GraphResponse, source: string, target: string, protocol = 'http') =>
  g.elements.edges.find(({ data: d }) => d.source === source && d.target === target && d.traffic.protocol === protocol)?.data.traffic.rates[protocol] ?? 0;
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(0.002 * Math.max(1, b));

describe('the ambient-bookinfo scenario', () => {
  it('is an ambient namespace with a waypoint for reviews and ztunnel on every node, and simulates without problems', () => {
    expect(inv.namespaces.get(NS)?.ambient).toBe(true);
    expect(waypoints(inv).map((g) => `${g.ref.namespace}/${g.ref.name}`)).toEqual([`${NS}/waypoint`]);
    expect(ztunnelPods(inv).length).toBeGreaterThan(0);
    expect(inv.workloads.filter((w) => w.namespace === NS && w.hasSidecar).map((w) => w.name)).toEqual(['waypoint']);
    expect(sim.problems).toEqual([]);
  });

  it('writes the metric shapes of real ambient Istio: ztunnel L4 only on hops without a waypoint, waypoint L7 for reviews', () => {
    const requests = samples.istio_requests_total ?? [];
    // No sidecar in the namespace: the only L7 reports are the ingress gateway's and the waypoint's.
    expect([...new Set(requests.map((s) => `${s.metric.reporter} ${s.metric.source_workload} -> ${s.metric.destination_workload}`))].sort()).toEqual([
      'source istio-ingressgateway -> productpage-v1',
      'waypoint productpage-v1 -> reviews-v1',
      'waypoint productpage-v1 -> reviews-v2',
      'waypoint productpage-v1 -> reviews-v3',
    ]);
    const l4 = samples.istio_tcp_received_bytes_total ?? [];
    expect(l4.every((s) => s.metric.app === 'ztunnel' && s.metric.request_protocol === 'tcp' && s.metric.connection_security_policy === 'mutual_tls')).toBe(true);
    expect([...new Set(l4.map((s) => `${s.metric.reporter} ${s.metric.source_workload} -> ${s.metric.destination_workload} (${s.metric.destination_service_name})`))].sort()).toEqual([
      'destination istio-ingressgateway -> productpage-v1 (productpage)',
      'destination productpage-v1 -> details-v1 (details)',
      'destination reviews-v2 -> ratings-v1 (ratings)',
      'destination reviews-v3 -> ratings-v1 (ratings)',
      'destination waypoint -> reviews-v1 (reviews)',
      'destination waypoint -> reviews-v2 (reviews)',
      'destination waypoint -> reviews-v3 (reviews)',
      'source productpage-v1 -> details-v1 (details)',
      'source productpage-v1 -> waypoint (reviews)',
      'source reviews-v2 -> ratings-v1 (ratings)',
      'source reviews-v3 -> ratings-v1 (ratings)',
    ]);
    // Each waypoint report carries the workload that answered, and its latency histogram.
    expect(select(samples, 'istio_request_duration_milliseconds_bucket', { reporter: 'waypoint', le: '+Inf' }).length).toBe(requests.filter((s) => s.metric.reporter === 'waypoint').length);
  });

  it('draws the graph with waypoints hidden: client to workload, every request and byte counted once', () => {
    expect(hidden.elements.nodes.filter((n) => n.data.nodeType !== 'box').map((n) => [n.data.id, n.data.isAmbient ?? false, n.data.hasMissingSidecar ?? false])).toEqual([
      [wl('details-v1'), true, false],
      [wl('productpage-v1'), true, false],
      [wl('ratings-v1'), true, false],
      [wl('reviews-v1'), true, false],
      [wl('reviews-v2'), true, false],
      [wl('reviews-v3'), true, false],
      [INGRESS, false, false],
    ]);
    expect(shape(hidden)).toEqual([
      [wl('productpage-v1'), wl('details-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      [wl('productpage-v1'), wl('reviews-v1'), 'http', ['waypoint'], 'destination', 100, null],
      [wl('productpage-v1'), wl('reviews-v2'), 'http', ['waypoint'], 'destination', 100, null],
      [wl('productpage-v1'), wl('reviews-v3'), 'http', ['waypoint'], 'destination', 100, null],
      [wl('reviews-v2'), wl('ratings-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      [wl('reviews-v3'), wl('ratings-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      // The gateway's report counts the requests; ztunnel's report of the same connection only adds that it was mTLS.
      [INGRESS, wl('productpage-v1'), 'http', ['sidecar-source'], 'source', 100, null],
    ]);
    const waypointRequests = sum((samples.istio_requests_total ?? []).filter((s) => s.metric.reporter === 'waypoint'));
    close(['reviews-v1', 'reviews-v2', 'reviews-v3'].reduce((a, r) => a + rate(hidden, wl('productpage-v1'), wl(r)), 0), waypointRequests);
    close(rate(hidden, INGRESS, wl('productpage-v1')), sum(select(samples, 'istio_requests_total', { reporter: 'source', source_workload: 'istio-ingressgateway' })));
    // productpage → details: ztunnel reports the bytes on both nodes; counted once (the destination's).
    const details = { destination_workload: 'details-v1', reporter: 'destination' };
    close(rate(hidden, wl('productpage-v1'), wl('details-v1'), 'tcp'), sum(select(samples, 'istio_tcp_received_bytes_total', details)) + sum(select(samples, 'istio_tcp_sent_bytes_total', details)));
    // reviews got ~2% 500s from the application: the waypoint saw them.
    expect(hidden.elements.edges.find((e) => e.data.target === wl('reviews-v1'))?.data.traffic.rates.http5xx).toBeGreaterThan(0);
    expect(hidden.elements.edges.find((e) => e.data.target === wl('reviews-v1'))?.data.responseTime).toBeGreaterThan(0);
  });

  it('draws client → waypoint → workload when waypoints are shown, with the same numbers', () => {
    const waypoint = shown.elements.nodes.find((n) => n.data.id === wl('waypoint'))?.data;
    expect(waypoint).toMatchObject({ nodeType: 'workload', workload: 'waypoint', isWaypoint: true });
    const via = { namespace: NS, name: 'waypoint' };
    expect(shape(shown)).toEqual([
      [wl('productpage-v1'), wl('details-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      [wl('productpage-v1'), wl('waypoint'), 'http', ['waypoint'], 'destination', 100, { direction: 'to', ...via }],
      [wl('reviews-v2'), wl('ratings-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      [wl('reviews-v3'), wl('ratings-v1'), 'tcp', ['ztunnel-destination'], 'destination', 100, null],
      [wl('waypoint'), wl('reviews-v1'), 'http', ['waypoint'], 'destination', 100, { direction: 'from', ...via }],
      [wl('waypoint'), wl('reviews-v2'), 'http', ['waypoint'], 'destination', 100, { direction: 'from', ...via }],
      [wl('waypoint'), wl('reviews-v3'), 'http', ['waypoint'], 'destination', 100, { direction: 'from', ...via }],
      [INGRESS, wl('productpage-v1'), 'http', ['sidecar-source'], 'source', 100, null],
    ]);
    const into = rate(shown, wl('productpage-v1'), wl('waypoint'));
    close(into, ['reviews-v1', 'reviews-v2', 'reviews-v3'].reduce((a, r) => a + rate(shown, wl('waypoint'), wl(r)), 0));
    close(into, ['reviews-v1', 'reviews-v2', 'reviews-v3'].reduce((a, r) => a + rate(hidden, wl('productpage-v1'), wl(r)), 0));
    for (const r of ['reviews-v1', 'reviews-v2', 'reviews-v3']) close(rate(shown, wl('waypoint'), wl(r)), rate(hidden, wl('productpage-v1'), wl(r)));
  });
});

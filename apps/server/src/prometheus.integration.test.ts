/**
 * Meshlens against Debian's real Prometheus, filled by backfill with the demo simulator's counters:
 * the graph and the charts from Prometheus equal the ones built from the simulator's own samples; and
 * Prometheus down, slow, or answering an error gives the topology with a warning, never a 500.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildGraph } from '@meshlens/mesh';
import type { GraphResponse, MetricsResponse, TimeOptionsResponse } from '@meshlens/model';
import { createDemoSource, createPrometheusTelemetry, freePort, PrometheusError, type LocalPrometheus, type PrometheusTelemetry } from '@meshlens/sources';
import { buildApp } from './app.js';
import { startDemoPrometheus, type DemoPrometheus } from './__fixtures__/demo-prometheus.js';
import { withTelemetry } from './prometheus-options.js';

const INTERVAL = 60;
// The last sample, on the scrape grid, a few minutes in the past: inside retention, and a queryTime on the grid
// gives Prometheus' rate() exactly the simulator's window (first and last samples on the window's edges).
const END = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL - 300;
const HOURS = 1.25;

/** Relative difference, treating tiny numbers as equal. */
function close(a: number | undefined, b: number | undefined, tol = 0.005): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-6);
}

function compareGraphs(fromProm: GraphResponse, fromSim: GraphResponse, fields: ReadonlyArray<'responseTime' | 'throughput' | 'isMTLS'> = ['responseTime', 'throughput', 'isMTLS']): string[] {
  const problems: string[] = [];
  const ids = (g: GraphResponse, k: 'nodes' | 'edges') => g.elements[k].map((e) => e.data.id).sort();
  expect(ids(fromProm, 'nodes')).toEqual(ids(fromSim, 'nodes'));
  expect(ids(fromProm, 'edges')).toEqual(ids(fromSim, 'edges'));
  const simEdges = new Map(fromSim.elements.edges.map((e) => [e.data.id, e.data]));
  for (const { data: p } of fromProm.elements.edges) {
    const s = simEdges.get(p.id)!;
    expect(Object.keys(p.traffic.rates).sort(), p.id).toEqual(Object.keys(s.traffic.rates).sort());
    for (const [k, v] of Object.entries(s.traffic.rates)) if (!close(p.traffic.rates[k], v)) problems.push(`${p.id} ${k}: ${p.traffic.rates[k]} vs ${v}`);
    for (const k of fields) if (!close(p[k], s[k])) problems.push(`${p.id} ${k}: ${p[k]} vs ${s[k]}`);
    if (p.reporter !== s.reporter) problems.push(`${p.id} reporter ${p.reporter} vs ${s.reporter}`);
  }
  const simNodes = new Map(fromSim.elements.nodes.map((n) => [n.data.id, n.data]));
  for (const { data: p } of fromProm.elements.nodes) if (p.health !== simNodes.get(p.id)!.health) problems.push(`${p.id} health ${p.health} vs ${simNodes.get(p.id)!.health}`);
  return problems;
}

describe('Prometheus over backfilled demo data', () => {
  const demo = createDemoSource({ seed: 1 });
  const inv = demo.inventory();
  const namespaces = [...inv.namespaces.keys()].sort();
  let prom: LocalPrometheus;
  let telemetry: PrometheusTelemetry;
  let app: FastifyInstance;
  let demoApp: FastifyInstance;
  let demoProm: DemoPrometheus | undefined;

  beforeAll(async () => {
    demoProm = await startDemoPrometheus(demo.simulator, { end: END, hours: HOURS, interval: INTERVAL });
    prom = demoProm.prometheus;
    telemetry = createPrometheusTelemetry({ url: prom.url, cacheTtlMs: 0 });
    app = await buildApp({ source: withTelemetry(createDemoSource({ seed: 1 }), telemetry), webRoot: false });
    demoApp = await buildApp({ source: createDemoSource({ seed: 1 }), webRoot: false });
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await demoApp?.close();
    await demoProm?.stop();
  });

  // Raw samples (what snapshots record), and as a graph of one type asks them (quantiles computed by Prometheus, mean
  // duration and throughput from destination-side reporters and the sources of pairs no destination reported).
  for (const [duration, planned] of [[600, false], [1800, false], [600, true]] as const) {
    it(`builds the same graph as the simulator for every namespace over ${duration} s${planned ? ', asked for its graph type' : ''}`, async () => {
      const opts = { graphType: 'versionedApp' as const, namespaces, duration, queryTime: END, includeIdle: false, boxByNamespace: true };
      const fromProm = buildGraph(inv, await telemetry.samples({ queryTime: END, duration, namespaces, ...(planned ? { graphType: opts.graphType } : {}) }), opts);
      const fromSim = buildGraph(inv, demo.simulator.samplesAt(END, duration), opts);
      expect(fromSim.elements.edges.length).toBeGreaterThan(40);
      // Prometheus' quantiles interpolate inside a bucket as the builder does not always (the same bucket is checked by
      // prometheus-response-times.integration.test.ts); everything else is the same.
      expect(compareGraphs(fromProm, fromSim, planned ? ['throughput', 'isMTLS'] : undefined)).toEqual([]);
    }, 30_000);
  }

  it('builds the same workload graph for one namespace through the API, with at most 12 queries whatever the namespaces', async () => {
    const url = `/api/graph?namespaces=bookinfo-routing&graphType=workload&duration=600&queryTime=${END}`;
    const before = telemetry.client.requests;
    const fromProm = (await app.inject(url)).json() as GraphResponse;
    const oneNamespace = telemetry.client.requests - before;
    const fromSim = (await demoApp.inject(url)).json() as GraphResponse;
    expect(fromProm.warnings ?? []).toEqual(fromSim.warnings ?? []);
    expect(compareGraphs(fromProm, fromSim)).toEqual([]);
    const before2 = telemetry.client.requests;
    await app.inject(`/api/graph?namespaces=${namespaces.join(',')}&duration=600&queryTime=${END}`);
    // 4 (no buckets: the plan comes from the `_count` answer; mean duration and throughput come with the histogram) and
    // the histogram's bounds (from the index); with them, the destination side's quantiles in 1 range query (2 for
    // several namespaces, in halves) and its mean duration and throughput in 1 (a step per family); from the plan, the
    // quantiles of pairs only a source reported and 1 for their mean duration and throughput (one namespace: none),
    // and 1 for the buckets of edges of several pairs (one namespace: none); every namespace has delay faults (a p99
    // above 1 s, the top bound the quantiles are first read to), whose pairs a last round asks again from every bucket.
    expect([oneNamespace, telemetry.client.requests - before2]).toEqual([7, 12]);
  }, 30_000);

  it('shares one set of queries between identical concurrent requests', async () => {
    const shared = createPrometheusTelemetry({ url: prom.url });
    const q = { queryTime: END, duration: 600, namespaces: ['bookinfo-routing', 'ingress'] };
    const [a, b] = await Promise.all([shared.samples(q), shared.samples({ ...q, namespaces: ['ingress', 'bookinfo-routing'] })]);
    expect(a).toBe(b);
    await shared.samples(q); // cached for a few seconds
    expect(shared.client.requests).toBe(8);
  });

  it('serves the side-panel charts from range queries, equal to the simulator\'s', async () => {
    const url = `/api/metrics?namespace=bookinfo-routing&app=reviews&version=v2&direction=inbound&peerNamespace=bookinfo-routing&peerApp=productpage&peerVersion=v1&start=${END - 3600}&end=${END}&step=300`;
    const fromProm = (await app.inject(url)).json() as MetricsResponse;
    const fromSim = (await demoApp.inject(url)).json() as MetricsResponse;
    expect(fromProm.timestamps).toEqual(fromSim.timestamps);
    expect(fromProm.timestamps).toHaveLength(13);
    expect(fromProm.series.map((s) => s.id)).toEqual(['requests.2xx', 'errors.percent', 'latency.p50', 'latency.p95', 'latency.p99']);
    expect(fromProm.series.map((s) => s.id)).toEqual(fromSim.series.map((s) => s.id));
    fromProm.series.forEach((s, i) => s.values.forEach((v, j) => expect(close(v ?? undefined, fromSim.series[i]!.values[j] ?? undefined), `${s.id}[${j}] ${v} vs ${fromSim.series[i]!.values[j]}`).toBe(true)));
    expect(fromProm.series[0]!.values.every((v) => v !== null && v > 0)).toBe(true);
  }, 30_000);

  it('charts TCP bytes of a TCP workload', async () => {
    const tcpSeries = demo.simulator.samplesAt(END, 600).istio_tcp_received_bytes_total ?? [];
    const m = tcpSeries.find((s) => s.metric.reporter === 'destination')!.metric;
    const url = `/api/metrics?namespace=${m.destination_workload_namespace}&workload=${m.destination_workload}&start=${END - 1800}&end=${END}&step=600`;
    const fromProm = (await app.inject(url)).json() as MetricsResponse;
    const fromSim = (await demoApp.inject(url)).json() as MetricsResponse;
    const sent = (r: MetricsResponse) => r.series.find((s) => s.id === 'tcp.sent')?.values;
    expect(sent(fromProm)?.every((v) => v !== null && v > 0)).toBe(true);
    sent(fromProm)!.forEach((v, i) => expect(close(v!, sent(fromSim)![i]!)).toBe(true));
  }, 30_000);

  it('offers the durations retention and scrape interval allow', async () => {
    const body = (await app.inject('/api/time-options')).json() as TimeOptionsResponse;
    expect(body).toMatchObject({ scrapeInterval: 60, retention: 30 * 86400, telemetry: 'prometheus', defaultDuration: 600, notes: [] });
    expect(body.durations.map((d) => d.label)).toEqual(['5m', '10m', '30m', '1h', '3h', '6h', '12h', '1d', '7d', '30d']);
  });

  it('surfaces Prometheus\' error envelope for a bad query', async () => {
    const err = await telemetry.client.query('sum(rate(istio_requests_total[5m]', END).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).kind).toBe('api');
    expect((err as PrometheusError).detail?.errorType).toBe('bad_data');
    expect((err as Error).message).toMatch(new RegExp(`^Prometheus at ${prom.url} rejected the query \\(bad_data\\): .*parse error`));
  });

  it('caps the series of one query with a clear error', async () => {
    const capped = createPrometheusTelemetry({ url: prom.url, maxSeries: 10 });
    const err = await capped.samples({ queryTime: END, duration: 600, namespaces }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/returned \d+ series for one query, over the cap of 10 \(--prometheus-max-series\); choose fewer namespaces/);
  });
});

describe('Prometheus down, slow, or failing', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function graphWith(url: string, timeoutMs = 10_000): Promise<{ status: number; body: GraphResponse }> {
    const app = await buildApp({ source: withTelemetry(createDemoSource({ seed: 1 }), createPrometheusTelemetry({ url, timeoutMs })), webRoot: false });
    try {
      const res = await app.inject('/api/graph?namespaces=bookinfo-routing&duration=600');
      return { status: res.statusCode, body: res.json() as GraphResponse };
    } finally {
      await app.close();
    }
  }

  it('answers the configured topology with a warning saying what to do when nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { status, body } = await graphWith(url);
    expect(status).toBe(200);
    expect(body.elements.nodes.map((n) => n.data.id)).toContain('vapp:bookinfo-routing:reviews:v2');
    expect(body.warnings).toContainEqual(expect.stringContaining(`Prometheus at ${url} is unreachable (ECONNREFUSED); check that Prometheus is running and reachable from the Meshlens server, or pass another --prometheus URL`));
  });

  it('names the URL and the timeout when Prometheus is slow', async () => {
    server = createServer((_req, res) => { setTimeout(() => res.end('{}'), 3000).unref(); });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const started = Date.now();
    const { status, body } = await graphWith(url, 400);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(status).toBe(200);
    expect(body.warnings).toContainEqual(expect.stringContaining(`Prometheus at ${url} did not answer within 0.4 s`));
    server.closeAllConnections();
  });

  it('passes an error envelope on as the warning', async () => {
    const s = createServer((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' }));
    });
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    const url = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
    const { status, body } = await graphWith(url);
    s.close();
    expect(status).toBe(200);
    expect(body.warnings).toContainEqual(expect.stringContaining(`Prometheus at ${url} rejected the query (execution): query processing would load too many samples into memory`));
  });
});

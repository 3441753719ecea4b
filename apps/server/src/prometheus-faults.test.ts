/**
 * `meshlens serve --prometheus URL` against a Prometheus that misbehaves: an answer holding null or malformed series,
 * NaN values, garbage instead of JSON, a server that is down, one too slow for the timeout. Each page still answers
 * 200 with what it can show and a sentence saying what went wrong (never a 500, never a hang), and the server goes
 * on answering.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { GraphResponse, OverviewResponse, WorkloadListResponse } from '@meshlens/model';
import { createDemoSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { prometheusTelemetryFrom, withTelemetry } from './prometheus-options.js';

const T = 1_763_776_800;
type Mode = 'null-series' | 'nan' | 'garbage' | 'slow';
let mode: Mode = 'null-series';
let prometheus: Server;
let url: string;
const apps: FastifyInstance[] = [];

const good = (i: number) => ({
  metric: {
    reporter: 'destination', source_workload: 'productpage-v1', source_workload_namespace: 'bookinfo-routing', source_canonical_service: 'productpage',
    destination_workload: `reviews-v${i}`, destination_workload_namespace: 'bookinfo-routing', destination_canonical_service: 'reviews',
    destination_service: 'reviews.bookinfo-routing.svc.cluster.local', destination_service_name: 'reviews', destination_service_namespace: 'bookinfo-routing',
    request_protocol: 'http', response_code: '200', response_flags: '-',
  },
  value: [T, '2.5'],
});

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const isRequests = (req.url ?? '').includes('query') && mode !== 'garbage';
      if (mode === 'slow') return void setTimeout(() => { if (!res.destroyed) res.end('{"status":"success","data":{"resultType":"vector","result":[]}}'); }, 5_000);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (mode === 'garbage') return void res.end('<html>502 from a proxy</html>\u0000\u00ff');
      if (req.url?.includes('query_range')) return void res.end('{"status":"success","data":{"resultType":"matrix","result":[null,{"metric":null,"values":[[1,"x"]]}]}}');
      const result = mode === 'null-series'
        ? [good(1), null, { metric: null, value: [T, '1'] }, { metric: { a: 1 }, value: [T, '1'] }, { metric: {}, value: 'x' }, good(2)]
        : [{ ...good(1), value: [T, 'NaN'] }, { ...good(2), value: [T, '+Inf'] }, good(3)];
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: isRequests ? result : [] } }));
    });
  });
  prometheus.listen(0, '127.0.0.1');
  await once(prometheus, 'listening');
  url = `http://127.0.0.1:${(prometheus.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const a of apps) await a.close();
  prometheus?.closeAllConnections();
  await new Promise((r) => prometheus?.close(r));
});

async function serveAgainst(prometheusUrl: string, timeoutS = 30): Promise<FastifyInstance> {
  const telemetry = prometheusTelemetryFrom({ prometheus: prometheusUrl, prometheusTimeout: timeoutS, prometheusMaxSeries: 200_000 })!;
  const app = await buildApp({ source: withTelemetry(createDemoSource({ seed: 1 }), telemetry), webRoot: false });
  apps.push(app);
  return app;
}

const pages = [
  `/api/graph?namespaces=bookinfo-routing&graphType=workload&duration=600&queryTime=${T}`,
  `/api/overview?duration=600&queryTime=${T}`,
  `/api/workloads?namespaces=bookinfo-routing&duration=600&queryTime=${T}`,
];

describe('Prometheus faults', () => {
  it('null and malformed series are left out with a warning; the good ones are drawn', async () => {
    mode = 'null-series';
    const app = await serveAgainst(url);
    const res = await app.inject(pages[0]!);
    expect(res.statusCode).toBe(200);
    const graph = res.json() as GraphResponse;
    const labels = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data.workload ?? n.data.label]));
    const drawn = graph.elements.edges.filter((e) => (e.data.traffic.rates.http ?? 0) > 0).map((e) => `${labels.get(e.data.source)} -> ${labels.get(e.data.target)}`).sort();
    expect(drawn).toEqual(['productpage-v1 -> reviews-v1', 'productpage-v1 -> reviews-v2']);
    expect(graph.warnings?.join(' ')).toMatch(new RegExp(`Prometheus at ${url} sent 4 malformed series \\(not a label set with \\[time, value\\] samples\\); they are left out`));
    for (const page of pages.slice(1)) expect((await app.inject(page)).statusCode, page).toBe(200);
    // the overview's sparklines: a range answer of nothing but malformed series is empty, not a crash
    const overview = (await app.inject(pages[1]!)).json() as OverviewResponse;
    expect(overview.namespaces.length).toBeGreaterThan(10);
  });

  it('NaN and +Inf rates do not poison the numbers', async () => {
    mode = 'nan';
    const app = await serveAgainst(url);
    const res = await app.inject(pages[0]!);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/NaN|Infinity/);
    const list = (await app.inject(pages[2]!)).json() as WorkloadListResponse;
    for (const w of list.workloads) expect(JSON.stringify(w.traffic)).not.toMatch(/null|NaN/);
  });

  it('garbage instead of JSON, a server that is down, and one slower than the timeout: a sentence, not a 500 or a hang', async () => {
    mode = 'garbage';
    const garbage = await serveAgainst(url);
    const g = await garbage.inject(pages[0]!);
    expect(g.statusCode).toBe(200);
    expect((g.json() as GraphResponse).warnings?.join(' ')).toContain(`Telemetry is unavailable (Prometheus at ${url} sent an answer that is not the Prometheus API's JSON`);

    const down = await serveAgainst('http://127.0.0.1:9');
    const d = await down.inject(pages[1]!);
    expect(d.statusCode).toBe(200);
    expect((d.json() as OverviewResponse).warnings?.join(' ')).toMatch(/Telemetry is unavailable \(.*127\.0\.0\.1:9/);

    mode = 'slow';
    const slow = await serveAgainst(url, 1);
    const t0 = performance.now();
    const s = await slow.inject(pages[2]!);
    expect(performance.now() - t0).toBeLessThan(4_000);
    expect(s.statusCode).toBe(200);
    expect((s.json() as WorkloadListResponse).warnings?.join(' ')).toContain(`Prometheus at ${url} did not answer within 1 s`);
    // and the server still answers its health at once
    expect((await slow.inject('/api/health')).statusCode).toBe(200);
  }, 30_000);
});

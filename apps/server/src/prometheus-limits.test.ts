/**
 * `meshlens serve --prometheus URL --prometheus-timeout 120` against a Prometheus that answers ten million series:
 * before, the server read up to 512 MiB per query as strings, eight queries at once, and the heap limit ended the
 * process. Now the graph answers within seconds, with the configured topology and the client's sentence (which
 * Prometheus, the query, the limit, the option), the memory stays bounded, and the server goes on answering.
 * The fake Prometheus generates its answer lazily, as the socket drains: nobody ever holds it whole.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { GraphResponse } from '@meshlens/model';
import { createDemoSource, describeQuery, destinationQuantileQueries, graphQueries, namespaceSelections, PrometheusError, serverSideQueries } from '@meshlens/sources';
import { buildApp } from './app.js';
import { prometheusTelemetryFrom, withTelemetry } from './prometheus-options.js';
import { HttpError, telemetryError } from './routes/errors.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const T = 1_763_776_800;
const SERIES = 10_000_000;

let prometheus: Server;
let promUrl: string;
/** Per answer: bytes written, and whether the client closed the connection before its end. */
const answers: Array<{ sent: number; closed: boolean }> = [];
let app: FastifyInstance;

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = { sent: 0, closed: false };
      answers.push(answer);
      let ended = false;
      res.on('close', () => { answer.closed = !ended; });
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const write = (text: string) => {
        answer.sent += text.length;
        return res.write(text);
      };
      write('{"status":"success","data":{"resultType":"vector","result":[');
      const pump = () => {
        while (i < SERIES && !res.destroyed) {
          let chunk = '';
          for (let k = 0; k < 200 && i < SERIES; k++, i++) {
            chunk += `${i === 0 ? '' : ','}{"metric":{"reporter":"destination","source_workload":"productpage-v${i}","source_workload_namespace":"bookinfo-routing","destination_workload":"reviews-v1","destination_service":"reviews.bookinfo-routing.svc.cluster.local","response_code":"200"},"value":[${T},"0.5"]}`;
          }
          if (!write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) {
          ended = true;
          res.end(']}}');
        }
      };
      pump();
    });
  });
  prometheus.listen(0, '127.0.0.1');
  await once(prometheus, 'listening');
  promUrl = `http://127.0.0.1:${(prometheus.address() as { port: number }).port}`;
  // What `serve --prometheus URL --prometheus-timeout 120` builds, the series cap at its default.
  const telemetry = prometheusTelemetryFrom({ prometheus: promUrl, prometheusTimeout: 120, prometheusMaxSeries: 200_000 })!;
  app = await buildApp({ source: withTelemetry(createDemoSource({ seed: 1 }), telemetry), webRoot: false });
});

afterAll(async () => {
  await app?.close();
  prometheus?.closeAllConnections();
  await new Promise((r) => prometheus?.close(r));
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('a Prometheus answer of ten million series', () => {
  it('gives the graph its topology and the sentence within seconds, with bounded memory, and closes every connection', { timeout: 60000 }, async () => {
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.external - base.heapUsed - base.external);
    }, 5);
    const t0 = performance.now();
    const res = await app.inject(`/api/graph?namespaces=bookinfo-routing&duration=600&queryTime=${T}`);
    const ms = performance.now() - t0;
    clearInterval(timer);
    if (process.env.MESHLENS_TEST_MEMORY) console.log(`graph: ${ms.toFixed(0)} ms, peak +${(peak / MiB).toFixed(0)} MiB, Prometheus sent ${(answers.reduce((n, a) => n + a.sent, 0) / MiB).toFixed(0)} MiB`);

    // Not a 500, not a crash: the graph route shows the configured topology when telemetry fails, and says why.
    expect(res.statusCode).toBe(200);
    const graph = res.json() as GraphResponse;
    // The graph's first round of queries for its graph type (the histogram plan replaces the raw buckets).
    const round = graphQueries(['bookinfo-routing'], 600, { graphType: 'versionedApp' });
    // With it, the destination side's quantiles (one query for one namespace) and its mean duration and throughput (one,
    // a step per family), sent once the bounds' answer failed.
    const selections = namespaceSelections(['bookinfo-routing']);
    const quantiles = [...destinationQuantileQueries(selections, 600, { time: T, form: 'range' }), ...serverSideQueries(selections, 600, { time: T, form: 'range' })];
    expect(quantiles).toHaveLength(2);
    const queries = [...round, ...quantiles].map(({ promql }) => escape(describeQuery(promql))).join('|');
    // Which limit a query meets first depends on how the answers interleave: the one all answers share, or
    // the one of a single answer. Either way the sentence names the Prometheus, the query, the limit and what to do.
    const shared = `sent more than 64 MiB for the queries Meshlens was reading at once \\([\\d.]+ MiB of them for this one\\), the most it holds together whatever --prometheus-max-series allows \\(200000\\); choose fewer namespaces or a shorter duration, or retry once other views have loaded\\.`;
    const single = `sent more than 48 MiB for one query, over the 48 MiB Meshlens reads from one answer whatever --prometheus-max-series allows \\(200000\\); choose fewer namespaces or a shorter duration\\.`;
    const sentence = `Prometheus at ${escape(promUrl)} (${shared}|${single}) (${queries})`;
    expect(graph.warnings).toEqual([
      'No traffic telemetry was available for this window: the graph shows configuration only.',
      expect.stringMatching(new RegExp(`^Telemetry is unavailable \\(${sentence}\\); the graph shows the configured topology without traffic\\.$`)),
    ]);
    expect(graph.elements.nodes.length).toBeGreaterThan(3);
    expect(ms).toBeLessThan(15_000);
    expect(peak).toBeLessThan(150 * MiB);
    // Every query of the round (and the histogram's bounds, asked beside it, and the destination side's queries where
    // the bounds' answer failed first) stopped early: their connections closed, far from
    // the gigabytes of the full answers.
    await expect.poll(() => answers.length >= round.length + 1 && answers.every((a) => a.closed), { timeout: 5000 }).toBe(true);
    expect(answers.length).toBeLessThanOrEqual(round.length + 1 + quantiles.length);
    expect(answers.reduce((n, a) => n + a.sent, 0)).toBeLessThan(200 * MiB);
    // And the server answers the next request.
    expect((await app.inject('/api/namespaces')).statusCode).toBe(200);
  });

  it('is a 502 naming the query and the option wherever a route cannot do without telemetry (504 when it timed out)', () => {
    const tooLarge = new PrometheusError('too-large', `Prometheus at ${promUrl} sent more than 3.9 MiB for one query, over the 3.9 MiB that --prometheus-max-series 1000 allows an answer (4 KiB per series); choose fewer namespaces, or raise --prometheus-max-series. Query: up`, `${promUrl}/api/v1/query`);
    const timeout = new PrometheusError('timeout', `Prometheus at ${promUrl} did not answer within 120 s`, `${promUrl}/api/v1/query`);
    expect([telemetryError(tooLarge), telemetryError(timeout), telemetryError(new Error('other'))]).toEqual([
      new HttpError(502, tooLarge.message),
      new HttpError(504, timeout.message),
      undefined,
    ]);
    expect(telemetryError(tooLarge)!.statusCode).toBe(502);
  });
});

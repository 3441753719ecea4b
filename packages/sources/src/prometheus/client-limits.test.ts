/**
 * A Prometheus answer of ten million series (a query without a namespace filter on a big cluster, or a hostile
 * endpoint) must fail one request with a sentence, not the process: the client counts the body's bytes as they
 * arrive and stops reading — and closes the connection — as soon as the answer passes its cap. The fake Prometheus
 * here generates its answer lazily, with backpressure, so neither side ever holds it whole.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { answerByteCap, createPrometheusClient, describeQuery, IN_FLIGHT_BYTES } from './client.js';
import { PrometheusError } from './errors.js';
import { graphQueries } from './graph-queries.js';
import { createPrometheusTelemetry } from './telemetry.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const T = 1_763_776_800;

interface HugePrometheus {
  url: string;
  /** Bytes written per answer, and whether the client closed the connection before the end. */
  answers: Array<{ sent: number; closed: boolean; ended: boolean }>;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

/** Answers every query with `series` Istio-like series (about 300 bytes each), written as the socket drains. */
async function hugePrometheus(series: number, headers: Record<string, string> = {}): Promise<HugePrometheus> {
  const answers: HugePrometheus['answers'] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = { sent: 0, closed: false, ended: false };
      answers.push(answer);
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.on('close', () => { answer.closed = !answer.ended; });
      let i = 0;
      const write = (text: string) => {
        answer.sent += text.length;
        return res.write(text);
      };
      write('{"status":"success","data":{"resultType":"vector","result":[');
      const pump = () => {
        while (i < series && !res.destroyed) {
          let chunk = '';
          for (let k = 0; k < 200 && i < series; k++, i++) {
            chunk += `${i === 0 ? '' : ','}{"metric":{"reporter":"source","source_workload":"productpage-v${i}","source_workload_namespace":"bookinfo","destination_workload":"reviews-v${i % 3}","destination_service":"reviews.bookinfo.svc.cluster.local","response_code":"200","response_flags":"-","connection_security_policy":"mutual_tls"},"value":[${T},"1.5"]}`;
          }
          if (!write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) {
          answer.ended = true;
          res.end(']}}');
        }
      };
      pump();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, answers };
}

/** Samples heap + off-heap bytes every few ms while `run` goes on; returns the highest rise and the max-RSS rise. */
async function peakOf<T>(run: () => Promise<T>): Promise<{ result: T | Error; peakGrowth: number; rssGrowth: number; ms: number }> {
  gc();
  const at = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const base = at();
  const rss = process.resourceUsage().maxRSS * 1024;
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, at() - base); }, 5);
  const t0 = performance.now();
  let result: T | Error;
  try {
    result = await run();
  } catch (e) {
    result = e as Error;
  }
  clearInterval(timer);
  peak = Math.max(peak, at() - base);
  return { result, peakGrowth: peak, rssGrowth: process.resourceUsage().maxRSS * 1024 - rss, ms: performance.now() - t0 };
}

const TEN_MILLION = 10_000_000;
const QUERY = 'sum by (reporter, source_workload, destination_workload, response_code) (rate(istio_requests_total[10m]))';

describe('Prometheus answers too large to hold', () => {
  // First in the file: the process' max RSS is still low.
  it('stops reading ten million series at the answer ceiling, within seconds, under a 120 s timeout and the default series cap', { timeout: 60000 }, async () => {
    const prom = await hugePrometheus(TEN_MILLION);
    const client = createPrometheusClient({ url: prom.url, timeoutMs: 120_000 });
    const run = await peakOf(() => client.query(QUERY, T));
    expect(run.result).toBeInstanceOf(PrometheusError);
    expect([(run.result as PrometheusError).kind, (run.result as Error).message]).toEqual([
      'too-large',
      `Prometheus at ${prom.url} sent more than 48 MiB for one query, over the 48 MiB Meshlens reads from one answer whatever --prometheus-max-series allows (200000); choose fewer namespaces or a shorter duration. Query on istio_requests_total: ${QUERY}`,
    ]);
    expect(run.ms).toBeLessThan(15_000);
    // Before: every byte up to 512 MiB kept as strings, then joined and parsed: the heap limit ended the process.
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
    expect(run.rssGrowth).toBeLessThan(150 * MiB);
    // The connection was closed: Prometheus stopped sending a little past the cap (socket buffers), not at the end.
    await expect.poll(() => prom.answers[0]?.closed, { timeout: 5000 }).toBe(true);
    expect(prom.answers[0]!.sent).toBeLessThan(80 * MiB);
  });

  it('derives the cap from --prometheus-max-series when that is the smaller, and says which option raises it', { timeout: 60000 }, async () => {
    const prom = await hugePrometheus(TEN_MILLION);
    const client = createPrometheusClient({ url: prom.url, timeoutMs: 120_000, maxSeries: 1000 });
    expect(answerByteCap(1000)).toEqual({ bytes: 1000 * 4096, ceiling: false });
    const err = (await client.query(QUERY, T).catch((e: unknown) => e)) as PrometheusError;
    expect(err.message).toBe(`Prometheus at ${prom.url} sent more than 3.9 MiB for one query, over the 3.9 MiB that --prometheus-max-series 1000 allows an answer (4 KiB per series); choose fewer namespaces, or raise --prometheus-max-series. Query on istio_requests_total: ${QUERY}`);
    // A range answer has room for its points too.
    expect(answerByteCap(1000, 61)).toEqual({ bytes: 1000 * (4096 + 61 * 64), ceiling: false });
    expect(answerByteCap(200_000, 61)).toEqual({ bytes: 48 * MiB, ceiling: true });
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', { timeout: 60000 }, async () => {
    const prom = await hugePrometheus(TEN_MILLION, { 'content-length': String(3 * 1024 * MiB) });
    const err = (await createPrometheusClient({ url: prom.url }).query(QUERY, T).catch((e: unknown) => e)) as PrometheusError;
    expect(err.message).toBe(`Prometheus at ${prom.url} announced 3072 MiB for one query, over the 48 MiB Meshlens reads from one answer whatever --prometheus-max-series allows (200000); choose fewer namespaces or a shorter duration. Query on istio_requests_total: ${QUERY}`);
  });

  it('bounds the eight answers of one graph together, and stops all of them at the first failure', { timeout: 60000 }, async () => {
    const prom = await hugePrometheus(TEN_MILLION);
    const telemetry = createPrometheusTelemetry({ url: prom.url, timeoutMs: 120_000 });
    const namespaces = ['bookinfo'];
    const run = await peakOf(() => telemetry.samples({ queryTime: T, duration: 600, namespaces }));
    const queries = graphQueries(namespaces, 600).map(({ promql }) => escape(describeQuery(promql))).join('|');
    expect(run.result).toBeInstanceOf(PrometheusError);
    // The limit all answers share is met first, unless the answers interleave so unevenly that one meets its own.
    const shared = `sent more than 64 MiB for the queries Meshlens was reading at once \\([\\d.]+ MiB of them for this one\\), the most it holds together whatever --prometheus-max-series allows \\(200000\\); choose fewer namespaces or a shorter duration, or retry once other views have loaded\\.`;
    const single = `sent more than 48 MiB for one query, over the 48 MiB Meshlens reads from one answer whatever --prometheus-max-series allows \\(200000\\); choose fewer namespaces or a shorter duration\\.`;
    expect((run.result as Error).message).toMatch(new RegExp(`^Prometheus at ${escape(prom.url)} (${shared}|${single}) (${queries})$`));
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
    expect(IN_FLIGHT_BYTES).toBe(64 * MiB);
    // Every one of the eight connections is closed, none read to its end.
    await expect.poll(() => prom.answers.length === 8 && prom.answers.every((a) => a.closed), { timeout: 5000 }).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

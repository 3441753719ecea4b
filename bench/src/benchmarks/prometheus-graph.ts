/**
 * The graph API against a real Prometheus (Debian's /usr/bin/prometheus) holding one hour of a synthetic mesh
 * (1,000 workloads over 10 namespaces), backfilled with promtool. Measures end-to-end `GET /api/graph` over
 * HTTP for 1, 5 and 10 namespaces, and splits each request into Prometheus time (the queries, in parallel,
 * including transfer and JSON parsing) and the server's own time (graph assembly, serialisation).
 *
 * The backfilled data directory is cached in bench/.cache/ (a few minutes to build, reused for 20 days),
 * since the graph is asked at the data's own `queryTime`.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { GraphResponse, PromSample } from '@meshlens/model';
import { writeOpenMetrics, type CounterSet } from '@meshlens/demo';
import { backfillOpenMetrics, createPrometheusTelemetry, startLocalPrometheus, type LocalPrometheus, type MeshSource, type PrometheusTelemetry } from '@meshlens/sources';
import { buildApp } from '@meshlens/server';
import type { Benchmark } from '../benchmark.js';
import { syntheticMesh, type SyntheticMesh } from '../synthetic-mesh.js';

export const OPTIONS = { namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5, sourceOnlyShare: 0.1, tcpShare: 0.1 };
/** Seconds between backfilled samples: 2 minutes keeps the file to a few GB; a 10-minute window still holds 6 samples per series. */
export const INTERVAL = 120;
const HOUR = 3600;
const DURATION = 600;

interface Shared {
  mesh: SyntheticMesh;
  prom: LocalPrometheus;
  telemetry: PrometheusTelemetry;
  app: Awaited<ReturnType<typeof buildApp>>;
  base: string;
  end: number;
  users: number;
}

interface Run {
  shared: Shared;
  namespaces: string[];
  prometheusMs: number[];
  totalMs: number[];
  queries: Set<number>;
  series: number;
  edges: number;
}

/** Counters that grow linearly at each series' rate from the start of the hour. */
function countersOf(mesh: SyntheticMesh, start: number): CounterSet {
  const series: CounterSet['series'] = [];
  const rates: number[] = [];
  for (const [metric, list] of Object.entries(mesh.samples) as Array<[string, PromSample[]]>) {
    for (const s of list) {
      series.push({ metric, labels: s.metric });
      rates.push(Number(s.value[1]));
    }
  }
  // A small offset so no counter starts at 0 (that would make Prometheus extrapolate differently at the edge).
  return { series, valuesAt: (t) => rates.map((r) => r * (t - start + INTERVAL)) };
}

export async function ensureData(mesh: SyntheticMesh): Promise<{ dataDir: string; end: number }> {
  const root = fileURLToPath(new URL('../../.cache/prometheus-graph/', import.meta.url));
  const metaFile = `${root}meta.json`;
  const key = JSON.stringify({ ...OPTIONS, INTERVAL, version: 2 });
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { key: string; end: number };
    if (meta.key === key && Date.now() / 1000 - meta.end < 20 * 86400) return { dataDir: `${root}prom`, end: meta.end };
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const end = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL - INTERVAL;
  const file = `${root}mesh.om`;
  const out = createWriteStream(file);
  const started = Date.now();
  const written = await writeOpenMetrics(countersOf(mesh, end - HOUR), { start: end - HOUR, end, interval: INTERVAL }, (c) => (out.write(c) ? undefined : once(out, 'drain').then(() => undefined)));
  out.end();
  await once(out, 'finish');
  process.stderr.write(`prometheus-graph: wrote ${written.samples} samples of ${written.series} series in ${Math.round((Date.now() - started) / 1000)} s; backfilling…\n`);
  await backfillOpenMetrics(file, `${root}prom/data`);
  rmSync(file);
  writeFileSync(metaFile, JSON.stringify({ key, end }));
  process.stderr.write(`prometheus-graph: backfill done in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return { dataDir: `${root}prom`, end };
}

let shared: Promise<Shared> | undefined;

async function start(): Promise<Shared> {
  const mesh = syntheticMesh(OPTIONS);
  const { dataDir, end } = await ensureData(mesh);
  const prom = await startLocalPrometheus({ dataDir, scrapeInterval: `${INTERVAL}s`, readyTimeoutMs: 120_000 });
  // No answer cache: every request pays its queries (identical concurrent requests would share them).
  const telemetry = createPrometheusTelemetry({ url: prom.url, cacheTtlMs: 0, timeoutMs: 60_000 });
  const inv = mesh.inventory;
  const source: MeshSource = {
    name: 'synthetic mesh', kind: 'files', inventory: () => inv, telemetry,
    status: () => ({ name: 'synthetic mesh', kind: 'files', state: 'ready', objects: inv.objects.length, errors: [], telemetry: { kind: 'prometheus', url: prom.url } }),
  };
  // No graph cache either: the window is fixed, so every request after the first would be a cache hit.
  const noCache = { get: async (_key: string, compute: () => Promise<{ body: Buffer }>) => (await compute()).body };
  const app = await buildApp({ source, webRoot: false, graph: { cache: noCache as never } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { mesh, prom, telemetry, app, base, end, users: 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * `responseTimes: true` adds the duration histogram: with the graph type known, a plan of the pairs (their `+Inf`
 * buckets) and the bucket bounds (from the index), then per-pair p50/p95/p99 computed by Prometheus in one range
 * query (the buckets summed once, up to 1 s; pairs above that asked again from every bucket) and buckets only for
 * edges of several pairs (sources/prometheus/graph-queries.ts). The all-namespaces row is the target (< 2 s).
 *
 * `responseTimes: false` is the console's graph request (edge response times come from the side panel's range
 * queries, or are asked for with the response-time edge labels, as Kiali's UI does with its responseTime appender);
 * `true` adds the duration-histogram queries.
 */
function graphBenchmark(count: number, responseTimes: boolean, target?: number): Benchmark<Run> {
  return {
    name: `graph API over real Prometheus, ${count} namespace${count > 1 ? 's' : ''} of 10 (1k workloads)${responseTimes ? ', with response times' : ''}`,
    ...(target ? { target: { ms: target } } : {}),
    iterations: 10,
    async setup() {
      shared ??= start();
      const s = await shared;
      s.users++;
      return { shared: s, namespaces: s.mesh.namespaces.slice(0, count), prometheusMs: [], totalMs: [], queries: new Set(), series: 0, edges: 0 };
    },
    async run(r) {
      const t0 = performance.now();
      const res = await fetch(`${r.shared.base}/api/graph?namespaces=${r.namespaces.join(',')}&graphType=versionedApp&duration=${DURATION}&queryTime=${r.shared.end}&responseTime=${responseTimes}`);
      const graph = (await res.json()) as GraphResponse;
      const total = performance.now() - t0;
      if (!res.ok || graph.warnings?.some((w) => w.startsWith('Telemetry is unavailable'))) throw new Error(`graph failed: ${JSON.stringify(graph).slice(0, 300)}`);
      const timing = r.shared.telemetry.lastGraphTiming()!;
      r.totalMs.push(total);
      r.prometheusMs.push(timing.prometheusMs);
      r.queries.add(timing.queries);
      r.series = timing.series;
      r.edges = graph.elements.edges.length;
      return graph;
    },
    describe(r) {
      // The last `iterations` runs are the measured ones (the first are warm-up).
      const prom = median(r.prometheusMs.slice(-10));
      const total = median(r.totalMs.slice(-10));
      return `${[...r.queries].join('/')} queries per graph request; ${r.series} series, ${r.edges} edges; median end-to-end ${Math.round(total)} ms = Prometheus ${Math.round(prom)} ms + server ${Math.round(total - prom)} ms`;
    },
    async teardown(r) {
      if (--r.shared.users > 0) return;
      await r.shared.app.close();
      await r.shared.prom.stop();
      shared = undefined;
    },
  };
}

export default [
  graphBenchmark(1, false), graphBenchmark(5, false), graphBenchmark(10, false, 1500),
  graphBenchmark(1, true), graphBenchmark(10, true, 2000),
];

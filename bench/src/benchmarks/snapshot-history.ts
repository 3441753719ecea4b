/**
 * Recording a snapshot's charts (the chart families of every namespace over the window, snapshot-history.ts):
 * - the demo mesh through its simulator, with the bundle's size with and without the charts section;
 * - a 1,000-workload synthetic mesh in a real Prometheus (prometheus-graph.ts' backfilled data): the four range
 *   queries, the budget (a 1h window goes over it, so its histogram is skipped before it is asked for), and the
 *   size of what the bundle would hold.
 */
import { gzipSync } from 'node:zlib';
import {
  captureHistory, captureSnapshot, createDemoSource, createPrometheusTelemetry, encodeSnapshot, eq, historyMatrix, historyRange, startLocalPrometheus,
  type LocalPrometheus, type PrometheusTelemetry, type SnapshotHistory,
} from '@meshlens/sources';
import type { Benchmark } from '../benchmark.js';
import { syntheticMesh } from '../synthetic-mesh.js';
import { ensureData, INTERVAL, OPTIONS } from './prometheus-graph.js';

const T = 1_763_776_800;

interface Recorded {
  history?: SnapshotHistory;
  ms: number[];
  /** Reopening: the section back as a matrix, then one node's chart answered from it. */
  openMs?: number;
  chartMs?: number;
}

function sizes(h: SnapshotHistory): string {
  const json = JSON.stringify(h);
  const series = Object.values(h.families).reduce((n, f) => n + (f?.series.length ?? 0), 0);
  const points = Math.round((h.end - h.start) / h.step) + 1;
  const omitted = (h.omitted ?? []).map((o) => `left out ${o.families.join('+')}: ${o.reason}`).join('; ');
  return `${series} series × ${points} points (step ${h.step} s, rate ${h.rateInterval} s); ${(json.length / 1048576).toFixed(1)} MiB JSON, ${(gzipSync(json).length / 1048576).toFixed(2)} MiB gzip'd${omitted ? `; ${omitted}` : ''}`;
}

const demoBench: Benchmark<{ demo: ReturnType<typeof createDemoSource>; before: number; after: number; history?: SnapshotHistory }> = {
  name: 'snapshot charts: demo mesh, all namespaces, 10m window (record + encode)',
  iterations: 10,
  async setup() {
    const demo = createDemoSource({ seed: 1 });
    const window = { queryTime: T, duration: 600, namespaces: [...demo.inventory().namespaces.keys()].sort(), responseTimes: true };
    const before = encodeSnapshot(await captureSnapshot(demo, [window], { meshlensVersion: 'bench', history: false })).length;
    return { demo, before, after: 0 };
  },
  async run(s) {
    const window = { queryTime: T, duration: 600, namespaces: [...s.demo.inventory().namespaces.keys()].sort(), responseTimes: true };
    const bundle = await captureSnapshot(s.demo, [window], { meshlensVersion: 'bench' });
    s.after = encodeSnapshot(bundle).length;
    s.history = bundle.history;
    return bundle;
  },
  describe: (s) => `bundle ${s.before} B without charts → ${s.after} B with; ${s.history ? sizes(s.history) : ''}`,
};

interface Shared {
  prom: LocalPrometheus;
  telemetry: PrometheusTelemetry;
  namespaces: string[];
  end: number;
  users: number;
}
let shared: Promise<Shared> | undefined;

async function start(): Promise<Shared> {
  const mesh = syntheticMesh(OPTIONS);
  const { dataDir, end } = await ensureData(mesh);
  const prom = await startLocalPrometheus({ dataDir, scrapeInterval: `${INTERVAL}s`, readyTimeoutMs: 120_000 });
  const telemetry = createPrometheusTelemetry({ url: prom.url, cacheTtlMs: 0, timeoutMs: 120_000 });
  return { prom, telemetry, namespaces: mesh.namespaces, end, users: 0 };
}

function promBench(duration: number): Benchmark<{ shared: Shared; recorded: Recorded }> {
  return {
    name: `snapshot charts from real Prometheus, 10 namespaces (1k workloads), ${duration / 60}m window`,
    iterations: 2,
    async setup() {
      shared ??= start();
      const s = await shared;
      s.users++;
      return { shared: s, recorded: { ms: [] } };
    },
    async run({ shared: s, recorded }) {
      const t0 = performance.now();
      recorded.history = await captureHistory(s.telemetry, { queryTime: s.end, duration, namespaces: s.namespaces });
      recorded.ms.push(performance.now() - t0);
      if (recorded.history.omitted?.some((o) => o.reason.includes('failed'))) throw new Error(JSON.stringify(recorded.history.omitted));
      const t1 = performance.now();
      const matrix = historyMatrix(recorded.history);
      const t2 = performance.now();
      const some = matrix.families.istio_requests_total![0]!.metric;
      const q = { matchers: [eq('reporter', 'destination'), eq('destination_workload_namespace', some.destination_workload_namespace!), eq('destination_workload', some.destination_workload!)], start: matrix.start, end: matrix.end, step: matrix.step, rateInterval: matrix.rateInterval };
      if (!historyRange(matrix, q).requestsByCode.some((p) => Object.keys(p).length > 0)) throw new Error('the recorded chart is empty');
      recorded.openMs = t2 - t1;
      recorded.chartMs = performance.now() - t2;
      return recorded.history;
    },
    describe: ({ recorded }) => (recorded.history ? `${sizes(recorded.history)}; reopened: matrix in ${Math.round(recorded.openMs!)} ms, a node's chart in ${Math.round(recorded.chartMs!)} ms` : 'no history'),
    async teardown({ shared: s }) {
      if (--s.users > 0) return;
      await s.prom.stop();
      shared = undefined;
    },
  };
}

export default [demoBench, promBench(600), promBench(3600)];

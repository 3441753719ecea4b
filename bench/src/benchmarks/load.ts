/**
 * The server under load: 100 concurrent clients asking the real `meshlens serve` for one graph for a while
 * (60 s; `MESHLENS_LOAD_SECONDS` shortens it for a CI smoke run), on loopback, each client sending its next request
 * as soon as its last one is answered. Measured: latency percentiles and the slowest answer, errors (503s — load
 * shedding — apart from timeouts and other failures), throughput, the server's RSS (start, peak, end: VmRSS of the
 * child every 500 ms) and `/api/health`'s latency while the graph is under load (one probe every 200 ms).
 *
 * - the demo's all-namespaces graph, as the console asks for it (versionedApp, 10 min, no response times, now);
 * - a 1k-workload mesh (the graph-assembly benchmark's generator: 10 namespaces × 100 workloads, 5k edges) served
 *   from manifest files and a samples file, all namespaces.
 *
 * Targets: demo p99 < 1 s, slowest < 2 s; 1k p99 < 3 s; both with 0 errors and /api/health p99 < 100 ms. The
 * framework's measured time is the p99 (one iteration, no warm-up); the other targets fail the run through
 * `process.exitCode` and are spelled out in the description.
 *
 * The clients run in worker threads (load-client.ts), the health probe in one of its own, so that the time a client
 * spends reading answers is not counted as the server's latency. Run only these with `node dist/run.js load:` (the
 * filter is a substring: `load` alone also matches every "workloads" benchmark).
 *
 * `MESHLENS_BIN=<path to bin/meshlens.js>` measures another build (an older commit's: before/after).
 * `MESHLENS_LOAD_SOAK=1` adds a 30-minute soak of the demo graph at moderate load (bench only, never CI): 20 clients,
 * one request each every 200 ms (100 requests/s), with the issue's RSS target: the peak of the last quarter at most
 * 10% above the peak of the first (`MESHLENS_LOAD_SOAK_SECONDS` shortens it).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { TelemetrySamples } from '@meshlens/model';
import type { Benchmark } from '../benchmark.js';
import { MESHLENS_BIN, startServe, writeMeshFiles } from '../serve-cli.js';
import { get, type ClientJob, type ClientReport } from '../load-client.js';
import { syntheticMesh } from '../synthetic-mesh.js';

const CLIENTS = 100;
/** A request not answered in this time counts as an error (a timeout), as a browser or probe would give up. */
const CLIENT_TIMEOUT_MS = 10_000;
const HEALTH_EVERY_MS = 200;
const RSS_EVERY_MS = 500;
const MESH_1K = { namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5, sourceOnlyShare: 0.1, tcpShare: 0.1 };
const DURATION_FAMILIES = ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count'];

const seconds = (fallback: number) => {
  const v = Number(process.env.MESHLENS_LOAD_SECONDS);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

interface Served {
  child: ChildProcess;
  url: string;
  dir?: string;
  path: string;
  input: string;
}

interface Figures {
  clients: number;
  seconds: number;
  requests: number;
  ok: number;
  shed: number;
  timeouts: number;
  failed: number;
  firstAnswerMs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
  bytes: number;
  rssStartMB: number;
  rssPeakMB: number;
  rssEndMB: number;
  /** The peak of each quarter of the run: flat when memory is bounded, rising when it is not. */
  rssQuartersMB: number[];
  /** CPU used during the run, in cores (CPU seconds per second): the server, and this client. */
  serverCores: number;
  clientCores: number;
  health: { probes: number; failed: number; p50: number; p99: number; max: number };
}

interface State {
  served?: Served;
  figures?: Figures;
  verdict?: string;
}

/** `meshlens serve <args>`; MESHLENS_BIN: another build of the CLI to measure (an older commit's, for a before/after comparison). */
const startServer = (args: string[]) => startServe(args, process.env.MESHLENS_BIN ?? MESHLENS_BIN);

async function stopServer(s: Served | undefined): Promise<void> {
  if (!s) return;
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await exited;
  }
  if (s.dir) rmSync(s.dir, { recursive: true, force: true });
}

const rssMB = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
};

/** CPU seconds the process has used (user + system), from /proc/<pid>/stat. */
const cpuSeconds = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
const r0 = (v: number) => Math.round(v);

/**
 * Client threads sharing the `CLIENTS` connections: one loop reading every answer would be the bottleneck (2 by
 * default; `MESHLENS_LOAD_CLIENT_THREADS` changes it: on a machine of few cores, clients take CPU from the server).
 */
const CLIENT_THREADS = Math.max(1, Number(process.env.MESHLENS_LOAD_CLIENT_THREADS) || 2);

function clientThread(job: ClientJob): Promise<ClientReport> {
  const worker = new Worker(new URL('../load-client.js', import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', (r: ClientReport) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** `CLIENTS` clients on `path` for `durationS` seconds, with the health probe and the RSS sampler alongside. */
async function load(s: Served, durationS: number, clients = CLIENTS, everyMs?: number): Promise<Figures> {
  const pid = s.child.pid!;
  const target = `${s.url}${s.path}`;
  // One answer first, untimed: the server's first graph (JIT, a worker pool's start) is reported on its own.
  const agent = new http.Agent({ keepAlive: false });
  const first = await get(agent, target, 120_000);
  agent.destroy();
  if (first.status !== 200) throw new Error(`GET ${s.path}: ${first.status}${first.error ? ` (${first.error})` : ''}`);

  const rssStart = rssMB(pid);
  let rssPeak = rssStart;
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const mb = rssMB(pid);
    rss.push(mb);
    rssPeak = Math.max(rssPeak, mb);
  }, RSS_EVERY_MS);
  const cpu0 = cpuSeconds(pid);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const durationMs = durationS * 1000;
  const perThread = Math.ceil(clients / CLIENT_THREADS);
  const [probe, ...reports] = await Promise.all([
    clientThread({ role: 'probe', url: `${s.url}/api/health`, clients: 1, durationMs, timeoutMs: 5_000, everyMs: HEALTH_EVERY_MS }),
    ...Array.from({ length: CLIENT_THREADS }, (_, i) => clientThread({ role: 'load', url: target, clients: Math.min(perThread, clients - i * perThread), durationMs, timeoutMs: CLIENT_TIMEOUT_MS, ...(everyMs ? { everyMs } : {}) })),
  ]);
  const elapsed = (performance.now() - t0) / 1000;
  const serverCores = (cpuSeconds(pid) - cpu0) / elapsed;
  const clientCpu = process.cpuUsage(clientCpu0);
  clearInterval(sampler);
  const rssEnd = rssMB(pid);
  rssPeak = Math.max(rssPeak, rssEnd);
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const health = probe!.latencies.sort((a, b) => a - b);
  const sum = (f: (r: ClientReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const [shed, timeouts, failed, bytes] = [sum((r) => r.shed), sum((r) => r.timeouts), sum((r) => r.failed), sum((r) => r.bytes)];
  const requests = latencies.length + shed + timeouts + failed;
  const healthFailed = probe!.shed + probe!.timeouts + probe!.failed;
  return {
    clients, seconds: Math.round(elapsed * 10) / 10, requests, ok: latencies.length, shed, timeouts, failed, firstAnswerMs: r0(first.ms),
    p50: r0(pct(latencies, 50)), p95: r0(pct(latencies, 95)), p99: r0(pct(latencies, 99)), max: r0(latencies.at(-1) ?? 0),
    perSecond: Math.round((requests / elapsed) * 10) / 10, bytes: latencies.length ? Math.round(bytes / latencies.length) : 0,
    rssStartMB: rssStart, rssPeakMB: rssPeak, rssEndMB: rssEnd,
    rssQuartersMB: [0, 1, 2, 3].map((q) => Math.max(0, ...rss.slice(Math.floor((q * rss.length) / 4), Math.floor(((q + 1) * rss.length) / 4)))),
    serverCores: Math.round(serverCores * 100) / 100, clientCores: Math.round(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100) / 100,
    health: { probes: health.length + healthFailed, failed: healthFailed, p50: r0(pct(health, 50)), p99: r0(pct(health, 99)), max: r0(health.at(-1) ?? 0) },
  };
}

interface Scenario {
  name: string;
  durationS: number;
  p99Ms: number;
  /** The slowest answer allowed, when the issue sets one. */
  maxMs?: number;
  /** Clients (default 100, back to back); with `everyMs`, each sends one request per that many ms. */
  clients?: number;
  everyMs?: number;
  /** RSS growth allowed from the first quarter's peak to the last quarter's, in % (the soak's target). */
  rssGrowthPct?: number;
  start(): Promise<Served>;
}

function describeFigures(f: Figures): string {
  // p99 of the answered requests; a timed-out request has no latency but counts as an error.
  return `${f.clients} clients × ${f.seconds} s: ${f.requests} requests (${f.perSecond}/s), ${f.ok} answered (${(f.bytes / 1024).toFixed(0)} KiB each), `
    + `latency p50 ${f.p50} / p95 ${f.p95} / p99 ${f.p99} / max ${f.max} ms; errors: ${f.shed} shed (503), ${f.timeouts} timed out (${CLIENT_TIMEOUT_MS / 1000} s), ${f.failed} other; `
    + `server RSS start ${f.rssStartMB} / peak ${f.rssPeakMB} / end ${f.rssEndMB} MB (peak per quarter ${f.rssQuartersMB.join(' / ')}); CPU server ${f.serverCores} / client ${f.clientCores} cores; /api/health under load p50 ${f.health.p50} / p99 ${f.health.p99} / max ${f.health.max} ms over ${f.health.probes} probes (${f.health.failed} failed); first answer ${f.firstAnswerMs} ms`;
}

function loadBenchmark(sc: Scenario): Benchmark<State> {
  return {
    name: sc.name,
    target: { ms: sc.p99Ms },
    iterations: 1,
    warmup: 0,
    async setup() {
      return { served: await sc.start() };
    },
    async run(state) {
      const f = await load(state.served!, sc.durationS, sc.clients, sc.everyMs);
      state.figures = f;
      const missed: string[] = [];
      const errors = f.shed + f.timeouts + f.failed;
      if (errors > 0) missed.push(`${errors} errors`);
      if (sc.maxMs !== undefined && f.max >= sc.maxMs) missed.push(`slowest ${f.max} ms ≥ ${sc.maxMs} ms`);
      if (f.health.p99 >= 100 || f.health.failed > 0) missed.push(`/api/health p99 ${f.health.p99} ms (${f.health.failed} failed)`);
      if (sc.rssGrowthPct !== undefined) {
        const [first, , , last] = f.rssQuartersMB;
        const growth = first ? ((last! - first) / first) * 100 : 0;
        if (growth >= sc.rssGrowthPct) missed.push(`RSS grew ${growth.toFixed(1)}% from the first quarter's peak to the last's`);
      }
      state.verdict = missed.length > 0 ? `targets NOT MET: ${missed.join(', ')}` : 'other targets met (0 errors, health p99 < 100 ms' + (sc.maxMs !== undefined ? `, slowest < ${sc.maxMs} ms)` : ')');
      if (missed.length > 0) process.exitCode = 1;
      return { elapsedMs: f.p99 };
    },
    async teardown(state) {
      await stopServer(state.served);
    },
    describe: (state) => `${state.served?.input ?? ''}; ${state.figures ? describeFigures(state.figures) : 'no figures'}; ${state.verdict ?? ''}`,
  };
}

/** The demo, as `meshlens serve --demo`; the path asks for every namespace it has, as the console does. */
async function demo(): Promise<Served> {
  const { child, url } = await startServer(['--demo']);
  const res = await fetch(`${url}/api/namespaces`);
  const body = (await res.json()) as { namespaces: Array<{ name: string }> };
  const names = body.namespaces.map((n) => n.name).sort();
  return { child, url, path: `/api/graph?namespaces=${names.join(',')}&graphType=versionedApp&duration=600&responseTime=false`, input: `demo mesh, all ${names.length} namespaces` };
}

/** The 1k-workload mesh written as manifest files (one per namespace) and a samples file without response times. */
async function mesh1k(): Promise<Served> {
  const m = syntheticMesh(MESH_1K);
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-load-'));
  const samples: TelemetrySamples = Object.fromEntries(Object.entries(m.samples).filter(([family]) => !DURATION_FAMILIES.includes(family)));
  const sampleCount = Object.values(samples).reduce((n, l) => n + (l?.length ?? 0), 0);
  const { manifests, samples: samplesFile } = writeMeshFiles(m, dir, samples);
  try {
    const { child, url } = await startServer(['-f', manifests, '--samples', samplesFile]);
    return {
      child, url, dir,
      path: `/api/graph?namespaces=${[...m.namespaces].sort().join(',')}&graphType=versionedApp&duration=600&responseTime=false`,
      input: `${m.namespaces.length} namespaces, ${m.workloads} workloads, ${m.edges} edges, ${sampleCount} samples (no response times)`,
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

const scenarios: Scenario[] = [
  { name: 'load: 100 clients, demo all-namespaces graph', durationS: seconds(60), p99Ms: 1000, maxMs: 2000, start: demo },
  { name: 'load: 100 clients, 1k-workload graph', durationS: seconds(60), p99Ms: 3000, start: mesh1k },
];
if (process.env.MESHLENS_LOAD_SOAK === '1') {
  scenarios.push({
    name: 'load: soak 30 min, 20 clients every 200 ms, demo all-namespaces graph',
    durationS: Number(process.env.MESHLENS_LOAD_SOAK_SECONDS) || 1800, p99Ms: 1000, maxMs: 2000, clients: 20, everyMs: 200, rssGrowthPct: 10, start: demo,
  });
}

export default scenarios.map(loadBenchmark);

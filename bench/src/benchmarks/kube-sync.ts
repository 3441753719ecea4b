/**
 * The live Kubernetes source over a big cluster served by the test API server (TLS, bearer token, real
 * list/watch protocol, another process): initial sync time and the server's memory after it, and the time from an
 * edit to updated findings.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCheckEngine, type CheckEngine } from '@meshlens/mesh';
import type { KubeObject } from '@meshlens/model';
import { createKubernetesSource, type KubernetesSource } from '@meshlens/sources';
import type { Benchmark } from '../benchmark.js';
import { startBenchApiServer, type BenchApiServer } from '../kube/api-server.js';

const RSS_TARGET_MB = 300;

interface RssReport {
  syncMs: number;
  rssMB: number;
  heapMB: number;
  objects: number;
  findings: number;
}

/** A fresh process syncs once and reports its memory: the bench process's own heap would blur it. */
function measureRss(kubeconfigPath: string): Promise<RssReport> {
  const worker = fork(fileURLToPath(new URL('../kube/rss-worker.js', import.meta.url)), [kubeconfigPath], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve(m as RssReport));
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the RSS worker exited with ${code}`)));
  });
}

interface SyncState {
  api: BenchApiServer;
  rss: RssReport;
  objects: number;
}

const sync: Benchmark<SyncState> = {
  name: 'kube initial sync, 5k Services / 10k Pods / 10k Istio objects',
  target: { ms: 10_000 },
  iterations: 2,
  async setup() {
    const api = await startBenchApiServer();
    return { api, rss: await measureRss(api.kubeconfigPath), objects: 0 };
  },
  async run(state) {
    const source = createKubernetesSource({ kubeconfigPath: state.api.kubeconfigPath });
    if (!(await source.synced(120_000))) throw new Error('no initial sync in 120 s');
    state.objects = source.inventory().objects.length;
    await source.close();
    return state.objects;
  },
  teardown: (state) => state.api.stop(),
  describe: (s) => `${s.objects} objects listed over TLS; fresh process: sync ${Math.round(s.rss.syncMs)} ms, RSS ${Math.round(s.rss.rssMB)} MB with ${s.rss.findings} findings (target < ${RSS_TARGET_MB} MB: ${s.rss.rssMB < RSS_TARGET_MB ? 'yes' : 'NO'}), heap ${Math.round(s.rss.heapMB)} MB`,
};

interface EventState {
  api: BenchApiServer;
  source: KubernetesSource;
  engine: CheckEngine;
  edits: number;
  /** Watch event arrival → findings updated, this process only. */
  inProcessMs: number[];
  /** Watch event arrival → updated inventory (before the checks). */
  inventoryMs: number[];
  checksMs: number[];
  waiting?: { resolve: () => void; name: string };
}

const virtualService = (n: number): KubeObject => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'svc-007', namespace: 'team-13' },
  spec: { hosts: ['svc-007'], http: [{ route: [{ destination: { host: 'svc-007', subset: n % 2 ? 'v1' : 'v2' }, weight: 100 }] }] },
});

const event: Benchmark<EventState> = {
  name: 'kube watch event → updated inventory and findings (25k objects)',
  target: { ms: 50 },
  iterations: 20,
  async setup() {
    const api = await startBenchApiServer();
    const source = createKubernetesSource({ kubeconfigPath: api.kubeconfigPath });
    if (!(await source.synced(120_000))) throw new Error('no initial sync in 120 s');
    const state: EventState = { api, source, engine: createCheckEngine(source.inventory()), edits: 0, inProcessMs: [], inventoryMs: [], checksMs: [] };
    source.subscribe((change) => {
      const t = performance.now();
      state.engine.update(change.inventory, [...change.changed, ...change.removed]);
      const w = state.waiting;
      if (w && change.changed.some((r) => r.kind === 'VirtualService' && r.name === w.name)) {
        state.inventoryMs.push(t - change.firstEventAt);
        state.checksMs.push(performance.now() - t);
        state.inProcessMs.push(performance.now() - change.firstEventAt);
        state.waiting = undefined;
        w.resolve();
      }
    });
    return state;
  },
  async run(state) {
    // Untimed pause: past the rebuild throttle, as a single edit on a quiet cluster is.
    await new Promise((r) => setTimeout(r, 60));
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => (state.waiting = { resolve, name: 'svc-007' }));
    await state.api.apply(virtualService(++state.edits));
    await done;
    return { elapsedMs: performance.now() - t0 };
  },
  teardown: async (state) => {
    await state.source.close();
    state.api.stop();
  },
  describe: (s) => {
    const median = (xs: number[]) => ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0).toFixed(1);
    return `edit sent to the API server → findings updated (includes the API server process); in this process, medians: event → inventory ${median(s.inventoryMs)} ms, checks update ${median(s.checksMs)} ms, event → findings ${median(s.inProcessMs)} ms; ${s.engine.findings().length} findings`;
  },
};

export default [sync, event];

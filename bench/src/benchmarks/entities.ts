/**
 * The entity pages at the target scale, 1,000 namespaces / 10,000 workloads (20,000 pods, 5,000 Services, 2,000
 * VirtualServices and DestinationRules): every list, the Overview and a detail page must answer in under 300 ms.
 *
 * - in memory: the engine functions the routes call (entity model + rows / overview / detail with its graph), over
 *   the inventory, one window's samples and the findings of the check engine;
 * - over HTTP: `meshlens serve -f <manifests> --samples <file>` in another process, as a user would start it, and
 *   the routes asked with fetch (request, engine, JSON serialization and transfer included).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applicationRows, buildGraph, checkInventory, controlPlaneSummary, entityModel, namespaceOverviews, samplesTouching, serviceRows, workloadDetail, workloadRows,
  type EntityModel, type Inventory,
} from '@meshlens/mesh';
import type { Finding, TelemetrySamples } from '@meshlens/model';
import type { Benchmark } from '../benchmark.js';
import { startServe, writeMeshFiles } from '../serve-cli.js';
import { syntheticMesh } from '../synthetic-mesh.js';

const MESH = { namespaces: 1000, workloadsPerNamespace: 10, versions: 2, edgesPerWorkload: 3, sourceOnlyShare: 0.1, tcpShare: 0.1 };
export const WINDOW = { duration: 600, queryTime: 1767225600 };
const TARGET = { ms: 300 };
/** The lists ask for no response times (as the console's graph does not by default): the duration histogram is left out. */
const LIST_FAMILIES = ['istio_requests_total', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total'] as const;

interface Mesh {
  inventory: Inventory;
  samples: TelemetrySamples;
  namespaces: string[];
  findings: Finding[];
  workloads: number;
  edges: number;
  sampleCount: number;
}

let shared: Promise<Mesh> | undefined;

/** The synthetic mesh (built once for every benchmark here), with list-sized samples and its findings. */
function mesh(): Promise<Mesh> {
  shared ??= Promise.resolve().then(() => {
    const m = syntheticMesh(MESH);
    const samples: TelemetrySamples = {};
    for (const f of LIST_FAMILIES) if (m.samples[f]) samples[f] = m.samples[f];
    const sampleCount = Object.values(samples).reduce((n, l) => n + (l?.length ?? 0), 0);
    return { inventory: m.inventory, samples, namespaces: m.namespaces, findings: checkInventory(m.inventory), workloads: m.workloads, edges: m.edges, sampleCount };
  });
  return shared;
}

const describeMesh = (m: Mesh) => `${m.namespaces.length} namespaces, ${m.workloads} workloads, ${m.inventory.pods.length} pods, ${m.inventory.services.length} Services, ${m.inventory.istio.VirtualService.length + m.inventory.istio.DestinationRule.length} Istio objects, ${m.edges} edges, ${m.sampleCount} samples, ${m.findings.length} findings`;

const modelOf = (m: Mesh, namespaces = m.namespaces): EntityModel => entityModel({ inv: m.inventory, samples: m.samples, findings: m.findings, namespaces, ...WINDOW });

function inMemory(name: string, run: (m: Mesh) => unknown): Benchmark<Mesh> {
  return { name: `entities in memory: ${name}`, target: TARGET, iterations: 10, setup: mesh, run, describe: describeMesh };
}

const memoryBenches = [
  inMemory('GET /api/workloads, all 1k namespaces', (m) => workloadRows(modelOf(m))),
  inMemory('GET /api/services, all 1k namespaces', (m) => serviceRows(modelOf(m))),
  inMemory('GET /api/applications, all 1k namespaces', (m) => applicationRows(modelOf(m))),
  inMemory('GET /api/overview, all 1k namespaces', (m) => {
    const model = modelOf(m);
    return { namespaces: namespaceOverviews(model), controlPlane: controlPlaneSummary(model) };
  }),
  inMemory('GET /api/namespaces/:ns/workloads/:name', (m) => {
    // What the route does with a source that answers every namespace at once: keep what Prometheus would return.
    const ns = m.namespaces[500]!;
    const samples = samplesTouching(m.samples, new Set([ns]));
    const model = entityModel({ inv: m.inventory, samples, findings: m.findings, namespaces: [ns], ...WINDOW });
    const w = model.workloads[3]!;
    return workloadDetail(model, w, buildGraph(m.inventory, samples, { graphType: 'workload', namespaces: [ns], ...WINDOW }));
  }),
];

interface Served {
  dir: string;
  child: ChildProcess;
  url: string;
  bytes: Map<string, number>;
  /** Wall times (request to body read) of each benchmark's runs. */
  walls: Map<string, number[]>;
  users: number;
}
let served: Promise<Served> | undefined;
let iteration = 0;

/**
 * The served mesh, shared by every benchmark over HTTP (here and in the browser benchmarks): started by the first
 * user, stopped when the last one releases it.
 */
export async function acquireServedMesh(): Promise<{ url: string; namespaces: string[]; describe: string }> {
  served ??= serve();
  const s = await served;
  s.users++;
  const m = await mesh();
  return { url: s.url, namespaces: m.namespaces, describe: describeMesh(m) };
}

export async function releaseServedMesh(): Promise<void> {
  const s = await served;
  if (!s || --s.users > 0) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  rmSync(s.dir, { recursive: true, force: true });
  served = undefined;
}

/** Writes the mesh as manifest files and a samples file, and starts `meshlens serve -f … --samples …` on a free port. */
async function serve(): Promise<Served> {
  const m = await mesh();
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-entities-'));
  const files = writeMeshFiles(m, dir);
  const { child, url } = await startServe(['-f', files.manifests, '--samples', files.samples]);
  // The first request builds the check engine over the whole inventory: not what a page load costs afterwards.
  const warm = await fetch(`${url}/api/findings`);
  if (!warm.ok) throw new Error(`GET /api/findings: ${warm.status}`);
  await warm.arrayBuffer();
  return { dir, child, url, bytes: new Map(), walls: new Map(), users: 0 };
}

function overHttp(name: string, path: (m: Mesh) => string): Benchmark<{ s: Served; m: Mesh }> {
  return {
    name: `entities over HTTP (serve -f): ${name}`,
    target: TARGET,
    iterations: 10,
    async setup() {
      await acquireServedMesh();
      return { s: (await served)!, m: await mesh() };
    },
    async run({ s, m }) {
      // A window of its own each time: nothing answered before is reused (the server shares identical answers).
      const p = path(m).replace(`queryTime=${WINDOW.queryTime}`, `queryTime=${WINDOW.queryTime + ++iteration}`);
      const t0 = performance.now();
      const res = await fetch(`${s.url}${p}`);
      const body = await res.arrayBuffer();
      const wall = performance.now() - t0;
      if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
      s.bytes.set(name, body.byteLength);
      // The target is server-side: request received to answer serialized, as the server's Server-Timing says.
      const server = /app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
      if (!server) throw new Error(`GET ${p}: no Server-Timing header`);
      const walls = s.walls.get(name) ?? [];
      walls.push(wall);
      s.walls.set(name, walls);
      return { elapsedMs: Number(server[1]) };
    },
    describe: ({ s, m }) => {
      const walls = [...(s.walls.get(name) ?? [])].sort((a, b) => a - b);
      const median = walls[Math.floor(walls.length / 2)] ?? 0;
      return `${describeMesh(m)}; answer ${((s.bytes.get(name) ?? 0) / 1048576).toFixed(1)} MiB of JSON; times are the server's (Server-Timing); with transfer and the client's parse, median ${median.toFixed(0)} ms`;
    },
    teardown: releaseServedMesh,
  };
}

const q = `duration=${WINDOW.duration}&queryTime=${WINDOW.queryTime}`;
const httpBenches = [
  overHttp('GET /api/workloads, all 1k namespaces', () => `/api/workloads?${q}`),
  overHttp('GET /api/services, all 1k namespaces', () => `/api/services?${q}`),
  overHttp('GET /api/applications, all 1k namespaces', () => `/api/applications?${q}`),
  overHttp('GET /api/overview, all 1k namespaces', () => `/api/overview?${q}`),
  overHttp('GET /api/workloads, 30 namespaces', (m) => `/api/workloads?namespaces=${m.namespaces.slice(0, 30).join(',')}&${q}`),
  overHttp('GET /api/namespaces/:ns/workloads/:name', (m) => `/api/namespaces/${m.namespaces[500]}/workloads/svc-001-v2?${q}`),
  overHttp('GET /api/namespaces/:ns/services/:name', (m) => `/api/namespaces/${m.namespaces[500]}/services/svc-001?${q}`),
];

export default [...memoryBenches, ...httpBenches];

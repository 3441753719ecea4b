/**
 * The files a user passes, through the user's own commands: `meshlens validate -f DUMP` as a process, start to
 * exit, on a cluster dump (cluster-dump.ts) of 500, 5,000 and 10,000 objects written as one `kind: List` (what
 * `kubectl get … -o yaml` writes) and as multi-document YAML; and `meshlens serve -f DUMP` from start to its first
 * graph of every namespace (and that graph with idle nodes: a files-only source has no traffic, so the plain
 * request draws none). Targets: validate < 3 s at 10k objects, time growing linearly (5,000 objects at most 15
 * times 500), first graph < 5 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from '../benchmark.js';
import { asDocuments, asList, clusterDumpObjects } from '../cluster-dump.js';

const MESHLENS = fileURLToPath(new URL('../../../apps/server/bin/meshlens.js', import.meta.url));
const VALIDATE_TARGET_MS = 3000;
const RATIO_TARGET = 15;
const FIRST_GRAPH_TARGET_MS = 5000;

type Form = 'List' | 'multi-document YAML';

interface Dump {
  file: string;
  bytes: number;
  lines: number;
  namespaces: string[];
}

let dir: string | undefined;
const dumps = new Map<string, Dump>();

/** The dump of `objects` objects in `form`, written once per run of the benchmarks into a temporary directory. */
function dump(objects: number, form: Form): Dump {
  const key = `${objects} ${form}`;
  const known = dumps.get(key);
  if (known) return known;
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), 'meshlens-dump-'));
    dir = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const list = clusterDumpObjects(objects);
  const text = form === 'List' ? asList(list) : asDocuments(list);
  const file = join(dir, `cluster-${objects}-${form === 'List' ? 'list' : 'documents'}.yaml`);
  writeFileSync(file, text);
  const namespaces = [...new Set(list.flatMap((o) => (o.kind === 'Namespace' ? [o.metadata.name] : o.metadata.namespace ? [o.metadata.namespace] : [])))].sort();
  const made = { file, bytes: text.length, lines: text.split('\n').length - 1, namespaces };
  dumps.set(key, made);
  return made;
}

/** Runs `meshlens validate -f FILE` to its exit; its findings (exit 1) are fine, a usage error or a crash is not. */
function validate(file: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MESHLENS, 'validate', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0 || code === 1) resolve(ms);
      else reject(new Error(`meshlens validate -f ${file} exited ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** Times of each (size, form) after its first (cold) run, for the 5,000/500 ratio. */
const measured = new Map<string, number[]>();

interface ValidateState {
  dump: Dump;
  objects: number;
  form: Form;
  times: number[];
  small?: number;
}

function validateBench(objects: number, form: Form): Benchmark<ValidateState> {
  const key = `${objects} ${form}`;
  return {
    name: `validate -f, cluster dump as ${form === 'List' ? 'one List' : 'multi-document YAML'}, ${objects.toLocaleString('en-US')} objects (process start to exit)`,
    ...(objects === 10_000 ? { target: { ms: VALIDATE_TARGET_MS } } : {}),
    iterations: objects >= 5000 ? 3 : 5,
    warmup: 1,
    async setup() {
      const state: ValidateState = { dump: dump(objects, form), objects, form, times: [] };
      if (objects === 5000 && !measured.has(`500 ${form}`)) {
        // the ratio needs the 500-object time even when only this benchmark was asked for
        const small = dump(500, form);
        const times: number[] = [];
        for (let i = 0; i < 4; i++) times.push(await validate(small.file));
        measured.set(`500 ${form}`, times.slice(1));
      }
      return state;
    },
    async run(state) {
      const ms = await validate(state.dump.file);
      state.times.push(ms);
      measured.set(key, state.times.slice(1));
      return { elapsedMs: ms };
    },
    describe(state) {
      const size = `${state.objects} objects, ${(state.dump.bytes / 1048576).toFixed(1)} MiB, ${state.dump.lines.toLocaleString('en-US')} lines`;
      if (objects !== 5000) return size;
      const ratio = median(measured.get(key)!) / median(measured.get(`500 ${form}`)!);
      const ok = ratio <= RATIO_TARGET;
      if (!ok) process.exitCode = 1;
      return `${size}; 5,000 / 500 objects = ${ratio.toFixed(1)}× (target ≤ ${RATIO_TARGET}×: ${ok ? 'yes' : 'NO'})`;
    },
  };
}

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface ServeState {
  dump: Dump;
  nodes: number;
  /** Ask for idle nodes too: without telemetry (files only) the graph of the plain request has none. */
  includeIdle: boolean;
}

/** Starts `meshlens serve -f FILE` and times until `GET /api/graph` of every namespace answers 200; then stops it (SIGTERM). */
async function firstGraph(state: ServeState): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [MESHLENS, 'serve', '-f', state.dump.file, '--port', String(port), '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    // `serve` prints its address once it listens; the graph is asked for at once, as the console does on load
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(' serving ')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`meshlens serve exited ${code} before listening: ${stderr.trim().slice(0, 500)}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/graph?namespaces=${state.dump.namespaces.join(',')}${state.includeIdle ? '&includeIdle=true' : ''}`);
    const body = (await res.json()) as { elements?: { nodes?: unknown[] } };
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET /api/graph answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    state.nodes = body.elements?.nodes?.length ?? 0;
    return ms;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function serveBench(includeIdle: boolean): Benchmark<ServeState> {
  const query = `namespaces=<all>${includeIdle ? '&includeIdle=true' : ''}`;
  return {
    name: `serve -f start-up, 10,000-object List, until GET /api/graph?${query} answers`,
    // the target is the console's first request; with idle nodes it is the same request drawing every workload
    ...(includeIdle ? {} : { target: { ms: FIRST_GRAPH_TARGET_MS } }),
    iterations: 3,
    warmup: 1,
    setup: () => ({ dump: dump(10_000, 'List'), nodes: 0, includeIdle }),
    run: async (state) => ({ elapsedMs: await firstGraph(state) }),
    describe: (s) => `10000 objects in ${s.dump.namespaces.length} namespaces, ${(s.dump.bytes / 1048576).toFixed(1)} MiB; 200 with ${s.nodes} nodes`,
  };
}

const forms: Form[] = ['List', 'multi-document YAML'];

export default [
  ...forms.flatMap((form) => [500, 5000, 10_000].map((n) => validateBench(n, form))),
  serveBench(false),
  serveBench(true),
];

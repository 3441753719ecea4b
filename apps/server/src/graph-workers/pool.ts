/**
 * Graph assembly off the event loop: a piscina pool of `max(1, cores - 1)` workers (the event loop keeps a core for
 * HTTP, telemetry and health), with a bounded queue. A full queue is a `GraphQueueFullError` (the route answers 503
 * with Retry-After), never an unbounded wait.
 *
 * Workers hold the inventory: each version (an Inventory object, see graph-cache.ts) is sent as JSON once per worker
 * and rebuilt there with `buildInventory`; a task names it by id. Samples go the same way by the identity of their
 * object (a samples file's or a snapshot's never change: sent once), encoded by samples-codec.ts. Measured on the
 * 1k-workload mesh (1.4k objects): the JSON costs the main thread ~5 ms (640 KB), the worker's parse and rebuild
 * ~100 ms, once per version; sending the objects by structured clone instead would cost the main thread ~20 ms.
 * A live cluster that changes all the time makes a version per rebuild (every 50 ms at most, or as long as the last
 * rebuild took): each is serialized once, when a graph is asked of it.
 *
 * In-process instead: when the pool cannot start (no worker file: running from sources without a build; a worker
 * that fails to load), and for small inventories (under 200 workloads and 10k samples), where sending the window's
 * samples to a worker costs about what the assembly does (measured on the demo: 2k samples, assembly ~10 ms,
 * structured clone of its samples ~8 ms); under the load benchmark the demo in workers (MESHLENS_GRAPH_WORKERS=
 * always) was no faster, and its first answer waited ~1 s for the pool to start.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Inventory } from '@meshlens/mesh';
import type { GraphOptions, PromSample, TelemetrySamples } from '@meshlens/model';
import { inventoryVersion } from '../graph-cache.js';
import { assembleGraphJson, type GraphNotes } from './assemble.js';
import type { GraphTask, GraphTaskResult, InventoryPayload, SamplesPayload } from './protocol.js';
import { encodeSamples } from './samples-codec.js';

/** `auto`: workers for inventories of at least `minWorkloads` workloads or `minSamples` samples; `always`; `off`. */
export type GraphWorkersMode = 'auto' | 'always' | 'off';

export interface GraphWorkersOptions {
  mode?: GraphWorkersMode;
  threads?: number;
  /** Tasks waiting for a worker, at most (piscina's maxQueue). */
  maxQueue?: number;
  minWorkloads?: number;
  minSamples?: number;
  /** The worker module; default worker.js next to this file (or in dist/ when this runs from src/). */
  filename?: string;
  /** Told once when the pool is given up for in-process assembly. */
  onUnavailable?: (reason: string) => void;
}

/** The queue of graph computations is full: come back later. */
export class GraphQueueFullError extends Error {
  constructor(readonly retryAfterS: number) {
    super(`Meshlens is computing as many graphs as it can hold (the queue of graph computations is full); retry in ${retryAfterS} s`);
    this.name = 'GraphQueueFullError';
  }
}

/** The worker module: worker.js beside this file once built; from src/ (tests), the built one in dist/. */
export function defaultWorkerFile(): string | undefined {
  for (const candidate of ['./worker.js', '../../dist/graph-workers/worker.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The mode from MESHLENS_GRAPH_WORKERS (auto, always, off); auto when unset or unknown. */
export function graphWorkersMode(value = process.env.MESHLENS_GRAPH_WORKERS): GraphWorkersMode {
  return value === 'always' || value === 'off' ? value : 'auto';
}

const sampleIds = new WeakMap<object, number>();
let nextSampleId = 1;
const samplesId = (s: TelemetrySamples): number => {
  let id = sampleIds.get(s);
  if (id === undefined) {
    id = nextSampleId++;
    sampleIds.set(s, id);
  }
  return id;
};

const sampleCount = (s: TelemetrySamples) => (Object.values(s) as Array<PromSample[] | undefined>).reduce((n, l) => n + (l?.length ?? 0), 0);

/** Ids sent to the workers recently (workers keep a few each; a miss is answered and resent). */
class Recent {
  private readonly ids = new Set<number>();
  constructor(private readonly keep: number) {}
  has(id: number): boolean {
    return this.ids.has(id);
  }
  add(id: number): void {
    this.ids.delete(id);
    this.ids.add(id);
    while (this.ids.size > this.keep) this.ids.delete(this.ids.values().next().value!);
  }
}

export interface GraphWorkersStats {
  mode: GraphWorkersMode;
  threads: number;
  maxQueue: number;
  running: boolean;
  unavailable?: string;
  inWorkers: number;
  inProcess: number;
  rejected: number;
  /** Inventories and samples sets sent to a worker (each once per worker, unless it dropped them). */
  inventoriesSent: number;
  samplesSent: number;
  queued: number;
}

export class GraphWorkers {
  readonly mode: GraphWorkersMode;
  readonly threads: number;
  readonly maxQueue: number;
  private readonly minWorkloads: number;
  private readonly minSamples: number;
  private readonly filename: string | undefined;
  private pool: Piscina<GraphTask, GraphTaskResult> | undefined;
  private unavailable: string | undefined;
  private workerFailures = 0;
  private readonly sentInventories = new Recent(4);
  private readonly sentSamples = new Recent(8);
  /** Mean task time (exponentially weighted), for Retry-After. */
  private meanTaskMs = 200;
  private counts = { inWorkers: 0, inProcess: 0, rejected: 0, inventoriesSent: 0, samplesSent: 0 };

  constructor(private readonly options: GraphWorkersOptions = {}) {
    this.mode = options.mode ?? 'auto';
    this.threads = options.threads ?? Math.max(1, availableParallelism() - 1);
    // Each task is a distinct graph (identical requests share one, graph-cache.ts): 4 per thread waiting is already
    // seconds of work for a 1k-workload mesh; more would only make every answer later.
    this.maxQueue = options.maxQueue ?? 4 * this.threads;
    this.minWorkloads = options.minWorkloads ?? 200;
    this.minSamples = options.minSamples ?? 10_000;
    this.filename = options.filename ?? defaultWorkerFile();
    if (!this.filename) this.unavailable = 'the graph worker module is not built (apps/server/dist/graph-workers/worker.js)';
  }

  /** Whether this graph goes to a worker. */
  usesWorkers(inv: Inventory, samples: TelemetrySamples): boolean {
    if (this.mode === 'off' || this.unavailable) return false;
    if (this.mode === 'always') return true;
    return inv.workloads.length >= this.minWorkloads || sampleCount(samples) >= this.minSamples;
  }

  /** The graph answer's JSON bytes, from a worker or in-process (the same bytes either way). */
  async assemble(inv: Inventory, samples: TelemetrySamples, options: GraphOptions, notes: GraphNotes): Promise<Buffer> {
    if (!this.usesWorkers(inv, samples)) return this.inProcess(inv, samples, options, notes);
    const pool = this.start();
    if (!pool) return this.inProcess(inv, samples, options, notes);
    // Piscina would reject the task too; checking first keeps the 503 cheap (nothing serialized).
    if (pool.queueSize >= this.maxQueue) throw this.queueFull(pool);
    const started = performance.now();
    try {
      const body = await this.runTask(pool, inv, samples, options, notes);
      this.meanTaskMs = 0.8 * this.meanTaskMs + 0.2 * (performance.now() - started);
      this.workerFailures = 0;
      this.counts.inWorkers++;
      return body;
    } catch (e) {
      if (e instanceof GraphQueueFullError) throw e;
      if ((e as Error).message === 'Task queue is at limit') throw this.queueFull(pool);
      // The engine failing throws here too; the worker failing (it could not load, it died) does not.
      const body = this.inProcess(inv, samples, options, notes);
      if (++this.workerFailures >= 3) this.giveUp(`graph workers failed 3 times in a row (${(e as Error).message})`);
      return body;
    }
  }

  stats(): GraphWorkersStats {
    return {
      mode: this.mode, threads: this.threads, maxQueue: this.maxQueue, running: this.pool !== undefined, ...(this.unavailable ? { unavailable: this.unavailable } : {}),
      ...this.counts, queued: this.pool?.queueSize ?? 0,
    };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.unavailable ??= 'closed';
    await pool?.destroy();
  }

  private inProcess(inv: Inventory, samples: TelemetrySamples, options: GraphOptions, notes: GraphNotes): Buffer {
    this.counts.inProcess++;
    return Buffer.from(assembleGraphJson(inv, samples, options, notes));
  }

  private start(): Piscina<GraphTask, GraphTaskResult> | undefined {
    if (this.pool || this.unavailable) return this.pool;
    try {
      this.pool = new Piscina<GraphTask, GraphTaskResult>({
        filename: this.filename!,
        minThreads: this.threads,
        maxThreads: this.threads,
        maxQueue: this.maxQueue,
        // Workers hold inventories: keep them (minThreads) rather than rebuild after an idle spell.
        idleTimeout: 60_000,
      });
      this.pool.on('error', (e: Error) => this.giveUp(`a graph worker failed: ${e.message}`));
    } catch (e) {
      this.giveUp(`the graph worker pool did not start: ${(e as Error).message}`);
    }
    return this.pool;
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = reason;
    this.options.onUnavailable?.(reason);
    const pool = this.pool;
    this.pool = undefined;
    void pool?.destroy().catch(() => {});
  }

  private queueFull(pool: Piscina<GraphTask, GraphTaskResult>): GraphQueueFullError {
    this.counts.rejected++;
    const waitMs = ((pool.queueSize + this.threads) * this.meanTaskMs) / this.threads;
    return new GraphQueueFullError(Math.max(1, Math.min(30, Math.ceil(waitMs / 1000))));
  }

  private async runTask(pool: Piscina<GraphTask, GraphTaskResult>, inv: Inventory, samples: TelemetrySamples, options: GraphOptions, notes: GraphNotes): Promise<Buffer> {
    const inventoryId = inventoryVersion(inv);
    const sId = samplesId(samples);
    let sendInventory = !this.sentInventories.has(inventoryId);
    let sendSamples = !this.sentSamples.has(sId);
    // At most one resend: a worker that misses what it was just sent cannot happen.
    for (let attempt = 0; attempt < 2; attempt++) {
      const task: GraphTask = { inventoryId, samplesId: sId, options, notes };
      const transferList: ArrayBuffer[] = [];
      if (sendInventory) {
        task.inventory = inventoryPayload(inv);
        this.sentInventories.add(inventoryId);
        this.counts.inventoriesSent++;
      }
      if (sendSamples) {
        task.samples = samplesPayload(samples, transferList);
        this.sentSamples.add(sId);
        this.counts.samplesSent++;
      }
      const result = await pool.run(task, { transferList });
      if (result instanceof Uint8Array) return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
      sendInventory = result.missing.includes('inventory');
      sendSamples = result.missing.includes('samples');
    }
    throw new Error('a graph worker did not keep the inventory it was sent');
  }
}

function inventoryPayload(inv: Inventory): InventoryPayload {
  // Field positions are left behind: a graph never reads them (and parsed files compute them lazily, as functions).
  return { objects: JSON.stringify(inv.objects.map((o) => ({ ref: o.ref, object: o.object, origin: o.origin }))), clusterDomain: inv.clusterDomain };
}

function samplesPayload(samples: TelemetrySamples, transferList: ArrayBuffer[]): SamplesPayload {
  const encoded = encodeSamples(samples);
  if (!encoded) return { raw: samples };
  transferList.push(encoded.ints, encoded.timestamps);
  return { encoded };
}

/**
 * Load shedding with @fastify/under-pressure: when the server is too busy to answer in reasonable time, a request
 * gets 503 with Retry-After and a sentence at once, rather than a place in a queue that only grows.
 *
 * - Event loop: shed when the loop has been late by more than 500 ms on average for 2 s in a row (two checks a
 *   second apart). Measured under 100 clients (bench load benchmark, 2 cores shared with other work): with graph
 *   assembly in workers and identical graphs shared (graph-cache.ts), the mean delay per 1 s window averaged ~40 ms
 *   and peaked at ~240 ms, for the demo and for the 1k-workload mesh alike; before, with one graph assembled per
 *   request on the loop, windows of 500-1,500 ms were the rule for the demo, and the 1k mesh's loop stalled for
 *   16 s at once. Above 500 ms a request can no longer be answered within the 1 s the graph aims for. Why not
 *   under-pressure's own `maxEventLoopDelay`: it judges one sample (and a sample without a single timer tick counts
 *   as infinitely late), so one long synchronous task — a snapshot opened, a full inventory rebuild of a large
 *   cluster — would refuse every request of the next interval; "in a row" sheds only sustained overload.
 * - Heap: 90 % of V8's heap limit, before an allocation failure ends the process for everyone.
 * - RSS: 90 % of the container's memory limit (cgroup v2 memory.max, v1 memory.limit_in_bytes) when there is one,
 *   before the kernel's OOM killer does the shedding; none outside a container.
 *
 * `/api/health` is never shed: liveness and readiness probes must keep their answer (its handler reads the source's
 * status, no heavy work), or Kubernetes would restart a server that is only busy.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyUnderPressureOptions } from '@fastify/under-pressure';
import { HttpError } from './routes/errors.js';

/** Routes answered whatever the pressure. */
export const EXEMPT_ROUTES = new Set(['/api/health']);
export const MAX_EVENT_LOOP_DELAY_MS = 500;
/** Checks in a row over the limit before shedding, one per `CHECK_INTERVAL_MS`. */
export const SUSTAINED_CHECKS = 2;
export const CHECK_INTERVAL_MS = 1000;
export const RETRY_AFTER_S = 5;
/**
 * A late loop sheds only while at least this many other requests are in progress. A loop kept busy by one
 * user's own large requests (a 10k-workload list, answered one after the other) is not a queue: refusing that user
 * would only make them wait 5 s more. More than a browser's page load (about six requests at once) is.
 */
export const MIN_WAITING_TO_SHED = 8;
const RESOLUTION_MS = 10;

/** The container's memory limit in bytes (cgroup v2, then v1), or undefined when there is none. */
export function containerMemoryLimit(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = read(path).trim();
      if (text === 'max') return undefined;
      const bytes = Number(text);
      // cgroup v1 says "no limit" with a huge number.
      if (Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60) return bytes;
    } catch {
      // Not a cgroup that says: try the next.
    }
  }
  return undefined;
}

/** What one check of the event loop sees. */
export interface LoopSample {
  /** Mean delay of the loop's timer ticks since the last check, ms (NaN when no tick ran: the loop was blocked). */
  meanDelayMs: number;
  /** How late this check itself ran, ms. */
  lateMs: number;
}

/**
 * Whether the event loop is keeping up: false after `sustained` checks in a row saw it late by more than
 * `maxDelayMs`. `check` is called every interval (by under-pressure's health check timer).
 */
export class LoopMonitor {
  private over = 0;
  private last: number;
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor(
    readonly maxDelayMs = MAX_EVENT_LOOP_DELAY_MS,
    readonly sustained = SUSTAINED_CHECKS,
    private readonly intervalMs = CHECK_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = this.now();
    this.histogram.enable();
  }

  /** Reads the loop's delay since the last check, and judges. */
  check(): boolean {
    const now = this.now();
    const sample: LoopSample = { meanDelayMs: this.histogram.count > 0 ? this.histogram.mean / 1e6 - RESOLUTION_MS : Number.NaN, lateMs: Math.max(0, now - this.last - this.intervalMs) };
    this.histogram.reset();
    this.last = now;
    return this.judge(sample);
  }

  /** The verdict after one more sample: the mean delay, or how late the check ran when the loop never ticked. */
  judge(sample: LoopSample): boolean {
    const delay = Number.isNaN(sample.meanDelayMs) ? sample.lateMs : Math.max(sample.meanDelayMs, 0);
    this.over = delay > this.maxDelayMs ? this.over + 1 : 0;
    return this.over < this.sustained;
  }

  get overloaded(): boolean {
    return this.over >= this.sustained;
  }

  close(): void {
    this.histogram.disable();
  }
}

export interface LoadSheddingOptions {
  maxEventLoopDelay?: number;
  maxHeapUsedBytes?: number;
  maxRssBytes?: number;
  /** How often memory and the event loop are read, ms. */
  sampleInterval?: number;
  retryAfter?: number;
  /** A late event loop sheds only with this many other requests in progress (MIN_WAITING_TO_SHED). */
  minWaitingToShed?: number;
}

/** under-pressure's options: the thresholds above, and a 503 in the API's error shape. */
export function loadShedding(options: LoadSheddingOptions = {}): FastifyUnderPressureOptions {
  const retryAfter = options.retryAfter ?? RETRY_AFTER_S;
  const interval = options.sampleInterval ?? CHECK_INTERVAL_MS;
  const memoryLimit = containerMemoryLimit();
  const maxRssBytes = options.maxRssBytes ?? (memoryLimit ? Math.floor(memoryLimit * 0.9) : undefined);
  const maxDelay = options.maxEventLoopDelay ?? MAX_EVENT_LOOP_DELAY_MS;
  const why: Record<string, string> = {
    healthCheck: `its event loop has been more than ${maxDelay} ms late for ${(SUSTAINED_CHECKS * interval) / 1000} s`,
    heapUsedBytes: 'its heap is near its limit',
    rssBytes: 'its memory is near its container\'s limit',
  };
  let loop: LoopMonitor | undefined;
  // Requests received and not yet answered (closed), this one not counted: under-pressure's hook runs first.
  let inProgress = 0;
  return {
    maxHeapUsedBytes: options.maxHeapUsedBytes ?? Math.floor(getHeapStatistics().heap_size_limit * 0.9),
    ...(maxRssBytes ? { maxRssBytes } : {}),
    sampleInterval: interval,
    // The event loop's verdict, read on under-pressure's own timer (first call at registration).
    healthCheck: async (app) => {
      if (!loop) {
        const monitor = new LoopMonitor(maxDelay, SUSTAINED_CHECKS, interval);
        loop = monitor;
        app.addHook('onClose', async () => monitor.close());
        app.addHook('onRequest', (_req, reply, done) => {
          inProgress++;
          reply.raw.once('close', () => inProgress--);
          done();
        });
        return true;
      }
      return loop.check();
    },
    healthCheckInterval: interval,
    retryAfter,
    pressureHandler: (req: FastifyRequest, reply: FastifyReply, type: string) => {
      // Nothing returned: the request goes on.
      if (EXEMPT_ROUTES.has(req.routeOptions.url ?? '')) return;
      if (type === 'healthCheck' && inProgress < (options.minWaitingToShed ?? MIN_WAITING_TO_SHED)) return;
      reply.header('Retry-After', String(retryAfter));
      // A rejection ends the request through the app's error handler: the API's error shape, with the header above.
      return Promise.reject(new HttpError(503, `Meshlens is too busy to answer now (${why[type] ?? 'it is overloaded'}); retry in ${retryAfter} s.`));
    },
  };
}

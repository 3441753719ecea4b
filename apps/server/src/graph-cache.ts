/**
 * Computed graphs, kept for a while and shared: `GET /api/graph` answers identical requests from one computation.
 *
 * - Key: the source's identity (its name: a cluster context, a user's own view "… as alice", an opened snapshot),
 *   the inventory's version (the identity of the Inventory object: every live rebuild or patch makes a new one, so
 *   a new version needs no counter in the source layer, and two sources never share one), the telemetry window
 *   (`now` for a live window, else its end) with its duration, and the query options normalised (defaults applied).
 * - Single flight: requests that arrive while their key is being computed wait for that computation; a failure is
 *   never kept, so the next request tries again.
 * - Bounds: at most `maxEntries` answers and `maxBytes` of JSON (least recently used go first); an answer larger
 *   than half the byte budget is shared with the requests waiting for it but not kept.
 * - Expiry: each entry says how long it is fresh (`ttlMs`, counted from the start of its computation). For half as
 *   long again it is stale: still answered at once, while one computation in the background replaces it. Requests
 *   then never wait for a live graph's periodic refresh (under load, every request arriving during a recomputation
 *   would otherwise wait for it: most of the tail latency); an answer is at most 1.5 × ttlMs old. A page alone,
 *   refreshing every 10 s, never lands in the stale half (5 to 7.5 s): it gets a new graph each time. A failed
 *   refresh leaves the stale answer until it expires.
 */
import type { Inventory } from '@meshlens/mesh';

/**
 * A live window ("now") is computed at most once per 5 s per key: half the console's fastest refresh (10 s), so a
 * refreshing page always gets a newer answer than its last, and under load a burst of identical requests costs
 * one computation. Prometheus scrapes every 15 s, so an answer 5 s (at most 7.5 s, when stale) old misses at most
 * part of one scrape.
 */
export const LIVE_TTL_MS = 5_000;
/**
 * A window with an explicit end (replay, a snapshot's capture moment) does not change once it is in the past: kept
 * 5 minutes, bounded by the cache's size. One that ends in the last minute may still gain late scrapes: live TTL.
 */
export const FIXED_TTL_MS = 5 * 60_000;
export const RECENT_WINDOW_S = 60;

/** How long an answer for a window ending at `queryTime` (unix seconds; undefined = now) is kept. */
export function windowTtlMs(queryTime: number | undefined, nowMs = Date.now()): number {
  if (queryTime === undefined) return LIVE_TTL_MS;
  return queryTime * 1000 > nowMs - RECENT_WINDOW_S * 1000 ? LIVE_TTL_MS : FIXED_TTL_MS;
}

const versions = new WeakMap<Inventory, number>();
let nextVersion = 1;

/** The inventory's version: a number unique to this Inventory object in this process. */
export function inventoryVersion(inv: Inventory): number {
  let v = versions.get(inv);
  if (v === undefined) {
    v = nextVersion++;
    versions.set(inv, v);
  }
  return v;
}

export interface GraphKeyParts {
  /** The request's source's name (scoped sources answer with the selected one's). */
  source: string;
  inventory: Inventory;
  /** Window end, unix seconds; undefined for "now". */
  queryTime: number | undefined;
  duration: number;
  graphType: string;
  namespaces: string[];
  includeIdle: boolean;
  boxByNamespace: boolean;
  responseTimes: boolean;
  /** Ambient waypoints drawn as nodes (default: hidden). */
  showWaypoints?: boolean;
  /** The view on top of assembly (groups/groups.ts in the engine): node budget, open groups, neighbourhood. */
  budget?: number;
  expand?: string[];
  focus?: string;
  hops?: number;
}

/** The cache key of a graph request (every part that changes the answer, and nothing else). */
export function graphCacheKey(p: GraphKeyParts): string {
  // JSON keeps the parts apart whatever characters a source name holds.
  return JSON.stringify([p.source, inventoryVersion(p.inventory), p.queryTime ?? 'now', p.duration, p.graphType, p.namespaces, p.includeIdle, p.boxByNamespace, p.responseTimes, p.showWaypoints ?? false, p.budget ?? 0, [...(p.expand ?? [])].sort(), p.hops ? (p.focus ?? '') : '', p.hops ?? 0]);
}

export interface GraphCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

/** What a computation gives: the answer's bytes and how long they may be reused. */
export interface Computed {
  body: Buffer;
  ttlMs: number;
}

export interface GraphCacheStats {
  /** Computations started (one per miss, whatever the number of requests that waited for it). */
  computations: number;
  hits: number;
  /** Requests that joined a computation in flight. */
  joined: number;
  /** Requests answered with a stale entry while it was being refreshed. */
  stale: number;
  evictions: number;
  entries: number;
  bytes: number;
  inFlight: number;
}

interface Entry {
  body: Buffer;
  /** Fresh until then. */
  expires: number;
  /** Answered while refreshed until then; dropped after. */
  staleUntil: number;
}

export class GraphCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private bytes = 0;
  private counts = { computations: 0, hits: 0, joined: 0, stale: 0, evictions: 0 };

  constructor(options: GraphCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
    // A 1k-workload all-namespaces graph is ~3 MiB of JSON, a 10k-workload one ~30 MiB.
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** The answer for `key`: kept (fresh, or stale while it is refreshed), being computed, or computed now by `compute`. */
  get(key: string, compute: () => Promise<Computed>): Promise<Buffer> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.staleUntil > now) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (hit.expires > now) {
        this.counts.hits++;
      } else {
        this.counts.stale++;
        // The refresh's failure is not this request's: it keeps the stale answer, the next request tries again.
        if (!this.inFlight.has(key)) this.compute(key, compute).catch(() => {});
      }
      return Promise.resolve(hit.body);
    }
    if (hit) this.remove(key);
    const pending = this.inFlight.get(key);
    if (pending) {
      this.counts.joined++;
      return pending;
    }
    return this.compute(key, compute);
  }

  private compute(key: string, compute: () => Promise<Computed>): Promise<Buffer> {
    this.counts.computations++;
    const started = this.now();
    const promise = (async () => {
      try {
        const { body, ttlMs } = await compute();
        this.store(key, body, started + ttlMs, started + 1.5 * ttlMs);
        return body;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, promise);
    return promise;
  }

  stats(): GraphCacheStats {
    return { ...this.counts, entries: this.entries.size, bytes: this.bytes, inFlight: this.inFlight.size };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private store(key: string, body: Buffer, expires: number, staleUntil: number): void {
    const now = this.now();
    if (staleUntil <= now || body.byteLength > this.maxBytes / 2) return;
    this.remove(key);
    this.entries.set(key, { body, expires, staleUntil });
    this.bytes += body.byteLength;
    // Entries past their stale time first, then the least recently used, until both bounds hold.
    if (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      for (const [k, e] of this.entries) if (e.staleUntil <= now) this.evict(k);
    }
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.evict(k);
    }
  }

  private evict(key: string): void {
    if (this.remove(key)) this.counts.evictions++;
  }

  private remove(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.bytes -= e.body.byteLength;
    return true;
  }
}

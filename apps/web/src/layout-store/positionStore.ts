/**
 * Saved node positions per view, in localStorage, so a refresh, a reload or a new time window keeps
 * every node where the user last saw it. One JSON entry holds all views; it is bounded (the most
 * recently used MAX_VIEWS views, MAX_NODES_PER_VIEW nodes each) so it can never fill the origin's
 * quota. When storage is unavailable (private mode, quota, tests) it degrades to memory only.
 */

export interface Point {
  x: number;
  y: number;
}

export interface SavedView {
  /** Last use, ms since the epoch: the eviction order. */
  used: number;
  positions: Record<string, Point>;
  /** Nodes the user dragged: kept where they were put. */
  pinned: string[];
}

export type StoreData = Record<string, SavedView>;

/** The subset of the DOM Storage API the store needs (so tests can pass a Map-backed one). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const STORAGE_KEY = 'meshlens.layout.v1';
export const MAX_VIEWS = 50;
export const MAX_NODES_PER_VIEW = 3000;

/**
 * The key of a view's saved layout: namespaces (order-independent), graph type and layout algorithm.
 * The algorithm is part of it because a grid and a layered picture of the same graph are different
 * pictures; switching back to layered brings back the layered positions.
 */
export function viewKey(namespaces: string[], graphType: string, layout: string): string {
  return `${[...namespaces].sort().join(',')}|${graphType}|${layout}`;
}

function isPoint(value: unknown): value is Point {
  const p = value as Point;
  return typeof p === 'object' && p !== null && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/** Parses the stored JSON, dropping anything malformed rather than failing (another version may have written it). */
export function parseStore(text: string | null): StoreData {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const data: StoreData = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const view = value as Partial<SavedView>;
    if (typeof view !== 'object' || view === null || typeof view.positions !== 'object' || view.positions === null) continue;
    const positions: Record<string, Point> = {};
    for (const [id, p] of Object.entries(view.positions)) if (isPoint(p)) positions[id] = { x: p.x, y: p.y };
    const pinned = Array.isArray(view.pinned) ? view.pinned.filter((id): id is string => typeof id === 'string' && id in positions) : [];
    data[key] = { used: typeof view.used === 'number' ? view.used : 0, positions, pinned };
  }
  return data;
}

/** Keeps the `max` most recently used views. */
export function evict(data: StoreData, max = MAX_VIEWS): StoreData {
  const keys = Object.keys(data);
  if (keys.length <= max) return data;
  const kept = keys.sort((a, b) => data[b]!.used - data[a]!.used || (a < b ? -1 : 1)).slice(0, max);
  return Object.fromEntries(kept.map((k) => [k, data[k]!]));
}

const round = (n: number) => Math.round(n * 10) / 10;

export class PositionStore {
  /** The last data read or written: the fallback when storage is missing or refuses writes. */
  private memory: StoreData = {};

  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly now: () => number = () => Date.now(),
  ) {}

  // Read on every use rather than caching: another tab may have saved a layout since.
  private read(): StoreData {
    if (!this.storage) return this.memory;
    try {
      const text = this.storage.getItem(STORAGE_KEY);
      if (text !== null) this.memory = parseStore(text);
    } catch {
      // Storage disabled: keep what this page knows.
    }
    return this.memory;
  }

  private write(data: StoreData): void {
    // On a full quota, retry with fewer views: losing old layouts beats losing this one.
    for (let max = MAX_VIEWS; max >= 1; max = Math.floor(max / 2)) {
      this.memory = evict(data, max);
      try {
        this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.memory));
        return;
      } catch {
        // try again with fewer views
      }
    }
  }

  /** The saved layout of a view, or null. */
  get(key: string): SavedView | null {
    return this.read()[key] ?? null;
  }

  /** Saves a view's positions (rounded to 0.1 px; bounded), keeping its pinned set plus `pin`. */
  save(key: string, positions: Record<string, Point>, pin: string[] = []): void {
    const data = { ...this.read() };
    const entries = Object.entries(positions).filter(([, p]) => isPoint(p)).slice(0, MAX_NODES_PER_VIEW);
    const saved: Record<string, Point> = {};
    for (const [id, p] of entries) saved[id] = { x: round(p.x), y: round(p.y) };
    const pinned = [...new Set([...(data[key]?.pinned ?? []), ...pin])].filter((id) => id in saved).sort();
    data[key] = { used: this.now(), positions: saved, pinned };
    this.write(data);
  }

  /** Forgets a view's positions ("Re-layout"). */
  clear(key: string): void {
    const data = { ...this.read() };
    delete data[key];
    this.write(data);
  }
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}

let shared: PositionStore | null = null;

/** The page's store, backed by localStorage when the browser allows it. */
export function positionStore(): PositionStore {
  shared ??= new PositionStore(browserStorage());
  return shared;
}

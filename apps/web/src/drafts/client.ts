/**
 * The page's side of the what-if workers: one checks' worker per page, the live objects loaded into it (GET
 * /api/drafts/base; on a server without that route, the objects of GET /api/snapshot) and refreshed when the server's
 * version changes (baseRefresh.ts), then one check per change with only the latest answer kept; and the graph worker
 * (graph.worker.ts), started on the first what-if graph, with the same objects.
 */
import { useSyncExternalStore } from 'react';
import type { GraphResponse, InventoryObject, TraceRequest } from '@meshlens/model';
import { ApiRequestError, getJson, ServerUnreachableError } from '../api/client';
import { withScope } from '../cluster/clusterParam';
import { baseRefresher, type BaseRefresher } from './baseRefresh';
import type { DraftBase, DraftCheckResult, DraftInput, DraftWorkerMessage, DraftWorkerReply, GraphWorkerMessage, GraphWorkerReply, WhatIfGraphReply } from './protocol';
import type { WhatIfView } from './whatIfGraph';

let worker: Worker | null = null;
let nextRequestId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./drafts.worker.ts', import.meta.url), { type: 'module', name: 'meshlens-drafts' });
  worker.onmessage = (event: MessageEvent<DraftWorkerReply>) => {
    const waiting = pending.get(event.data.requestId);
    if (!waiting) return;
    pending.delete(event.data.requestId);
    if ('error' in event.data) waiting.reject(new Error(event.data.error));
    else waiting.resolve('result' in event.data ? event.data.result : event.data.ready);
  };
  worker.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(event.message || 'the what-if worker failed to start'));
    pending.clear();
    worker = null;
    refresher = null;
  };
  return worker;
}

type WithoutId<M> = M extends unknown ? Omit<M, 'requestId'> : never;

function post<T>(message: WithoutId<DraftWorkerMessage>): Promise<T> {
  const requestId = nextRequestId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
    getWorker().postMessage({ ...message, requestId } as DraftWorkerMessage);
  });
}

/** The snapshot bundle's objects, for a server that predates /api/drafts/base (the bundle is gzip'd JSON). */
async function fromSnapshot(): Promise<DraftBase> {
  const response = await fetch(withScope('/api/snapshot?duration=60'));
  if (!response.ok || !response.body) throw new ApiRequestError(response.status, `The live objects could not be read (HTTP ${response.status} from /api/snapshot).`);
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  const bundle = JSON.parse(text) as { source?: { name?: string }; objects: InventoryObject[]; errors?: DraftBase['errors'] };
  return {
    source: bundle.source?.name ?? 'snapshot',
    clusterDomain: 'cluster.local',
    objects: bundle.objects.map((o) => ({ ref: o.ref, object: o.object, origin: o.origin })),
    errors: bundle.errors ?? [],
  };
}

/** GET /api/drafts/base, conditionally when `version` is given (null: not modified). */
async function fetchBase(version?: string): Promise<DraftBase | null> {
  if (version === undefined) {
    try {
      return await getJson<DraftBase>('/api/drafts/base');
    } catch (e) {
      if (e instanceof ApiRequestError && e.status === 404) return fromSnapshot();
      throw e;
    }
  }
  let response: Response;
  try {
    response = await fetch(withScope('/api/drafts/base'), { headers: { accept: 'application/json', 'if-none-match': `"${version}"` } });
  } catch {
    throw new ServerUnreachableError(window.location.origin);
  }
  if (response.status === 304) return null;
  if (!response.ok) throw new ApiRequestError(response.status, `The live objects could not be refreshed (HTTP ${response.status} from /api/drafts/base); the what-if views compare against the objects loaded before.`);
  return (await response.json()) as DraftBase;
}

// One refresher per scope (cluster=, snapshot=): another scope loads its own objects.
let refresher: { scope: string; r: BaseRefresher; loaded: Promise<{ objects: number; ms: number; source: string }> | null } | null = null;
let lastBase: DraftBase | null = null;
let graphBaseVersion: DraftBase | null = null;
let baseGeneration = 0;
const baseListeners = new Set<() => void>();

async function applyBase(base: DraftBase): Promise<void> {
  lastBase = base;
  const ready = await post<{ objects: number; ms: number }>({ kind: 'base', base });
  readyInfo = { ...ready, source: base.source };
  // the graph worker, once started, follows the same objects
  if (graphWorker) await postGraph<{ objects: number; ms: number }>({ kind: 'base', base }).then(() => { graphBaseVersion = base; });
}
let readyInfo: { objects: number; ms: number; source: string } = { objects: 0, ms: 0, source: '' };

function currentRefresher(): NonNullable<typeof refresher> {
  const scope = withScope('/api/drafts/base');
  if (!refresher || refresher.scope !== scope) refresher = { scope, r: baseRefresher(fetchBase, applyBase), loaded: null };
  return refresher;
}

/** Loads the live objects into the worker (once per page and scope, or again with `reload`). */
export function loadBase(reload = false): Promise<{ objects: number; ms: number; source: string }> {
  const current = currentRefresher();
  if (reload) current.r = baseRefresher(fetchBase, applyBase);
  if (!current.loaded || reload) {
    current.loaded = current.r.refresh().then(() => readyInfo);
    current.loaded.catch(() => { current.loaded = null; });
  }
  return current.loaded;
}

/**
 * Asks the server whether the live objects changed since they were loaded (a 304 when not); a new version is loaded
 * into the workers and every what-if view re-runs (useBaseGeneration). Resolves true when it changed.
 */
export async function refreshBase(): Promise<boolean> {
  const current = currentRefresher();
  if (!current.loaded) return false;
  await current.loaded;
  const changed = await current.r.refresh();
  if (changed) {
    baseGeneration++;
    for (const l of baseListeners) l();
  }
  return changed;
}

/** How many times a refresh has loaded newer live objects. */
export function currentBaseGeneration(): number {
  return baseGeneration;
}

/** Bumped each time a refresh loads newer live objects: what-if views depend on it. */
export function useBaseGeneration(): number {
  return useSyncExternalStore((l) => { baseListeners.add(l); return () => baseListeners.delete(l); }, () => baseGeneration, () => baseGeneration);
}

/** Checks the drafts (and traces `trace` with and without them) in the worker. */
export async function checkDrafts(drafts: DraftInput[], trace?: TraceRequest): Promise<DraftCheckResult> {
  await loadBase();
  return post<DraftCheckResult>({ kind: 'check', drafts, ...(trace ? { trace } : {}) });
}

// The graph worker (graph.worker.ts): started on the first what-if graph.
let graphWorker: Worker | null = null;
const graphPending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (step: string) => void }>();

function getGraphWorker(): Worker {
  if (graphWorker) return graphWorker;
  graphWorker = new Worker(new URL('./graph.worker.ts', import.meta.url), { type: 'module', name: 'meshlens-drafts-graph' });
  graphWorker.onmessage = (event: MessageEvent<GraphWorkerReply>) => {
    const waiting = graphPending.get(event.data.requestId);
    if (!waiting) return;
    if ('progress' in event.data) {
      waiting.progress?.(event.data.progress);
      return;
    }
    graphPending.delete(event.data.requestId);
    if ('error' in event.data) waiting.reject(new Error(event.data.error));
    else waiting.resolve('result' in event.data ? event.data.result : event.data.ready);
  };
  graphWorker.onerror = (event) => {
    for (const waiting of graphPending.values()) waiting.reject(new Error(event.message || 'the what-if graph worker failed to start; reload the page'));
    graphPending.clear();
    graphWorker = null;
    graphBaseVersion = null;
  };
  return graphWorker;
}

function postGraph<T>(message: WithoutId<GraphWorkerMessage>, progress?: (step: string) => void): Promise<T> {
  const requestId = nextRequestId++;
  return new Promise<T>((resolve, reject) => {
    graphPending.set(requestId, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
    getGraphWorker().postMessage({ ...message, requestId } as GraphWorkerMessage);
  });
}

/** The graph "with drafts" of the page's view (`now` is the window's graph from the server). */
export async function whatIfGraph(drafts: DraftInput[], now: GraphResponse, view: WhatIfView, progress?: (step: string) => void): Promise<WhatIfGraphReply> {
  await loadBase();
  if (!lastBase) throw new Error('The live objects are not loaded; reload the page.');
  if (graphBaseVersion !== lastBase) {
    const base = lastBase;
    progress?.('loading the live objects');
    await postGraph({ kind: 'base', base });
    graphBaseVersion = base;
  }
  return postGraph<WhatIfGraphReply>({ kind: 'graph', drafts, now, view }, progress);
}

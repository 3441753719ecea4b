/**
 * The page's side of the what-if worker: one worker per page, the live objects loaded into it once (GET
 * /api/drafts/base; on a server without that route, the objects of GET /api/snapshot), then one check per change
 * with only the latest answer kept.
 */
import type { DraftBaseResponse } from '@meshlens/mesh';
import type { InventoryObject, TraceRequest } from '@meshlens/model';
import { ApiRequestError, getJson } from '../api/client';
import { withScope } from '../cluster/clusterParam';
import type { DraftCheckResult, DraftInput, DraftWorkerMessage, DraftWorkerReply } from './protocol';

let worker: Worker | null = null;
let nextRequestId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let loaded: Promise<{ objects: number; ms: number; source: string }> | null = null;
/** The scope (cluster=, snapshot=) the worker's live objects are of: another scope loads its own. */
let loadedScope: string | null = null;

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
    loaded = null;
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
async function fromSnapshot(): Promise<DraftBaseResponse> {
  const response = await fetch(withScope('/api/snapshot?duration=60'));
  if (!response.ok || !response.body) throw new ApiRequestError(response.status, `The live objects could not be read (HTTP ${response.status} from /api/snapshot).`);
  const text = await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).text();
  const bundle = JSON.parse(text) as { source?: { name?: string }; objects: InventoryObject[]; errors?: DraftBaseResponse['errors'] };
  return {
    source: bundle.source?.name ?? 'snapshot',
    clusterDomain: 'cluster.local',
    objects: bundle.objects.map((o) => ({ ref: o.ref, object: o.object, origin: o.origin })),
    errors: bundle.errors ?? [],
  };
}

async function fetchBase(): Promise<DraftBaseResponse> {
  try {
    return await getJson<DraftBaseResponse>('/api/drafts/base');
  } catch (e) {
    if (e instanceof ApiRequestError && e.status === 404) return fromSnapshot();
    throw e;
  }
}

/** Loads the live objects into the worker (once per page, or again with `reload`). */
export function loadBase(reload = false): Promise<{ objects: number; ms: number; source: string }> {
  const scope = withScope('/api/drafts/base');
  if (!loaded || reload || scope !== loadedScope) {
    loadedScope = scope;
    loaded = fetchBase().then(async (base) => ({ ...(await post<{ objects: number; ms: number }>({ kind: 'base', base })), source: base.source }));
    loaded.catch(() => { loaded = null; });
  }
  return loaded;
}

/** Checks the drafts (and traces `trace` with and without them) in the worker. */
export async function checkDrafts(drafts: DraftInput[], trace?: TraceRequest): Promise<DraftCheckResult> {
  await loadBase();
  return post<DraftCheckResult>({ kind: 'check', drafts, ...(trace ? { trace } : {}) });
}

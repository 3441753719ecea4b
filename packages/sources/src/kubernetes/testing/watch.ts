/** The watch verb of the test API server: chunked JSON lines, replay from a resourceVersion, bookmarks, 410. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, StoredEvent } from './store.js';
import { TooOldResourceVersion } from './store.js';
import { groupVersion, type ServedResource } from './resources.js';
import { present, selector, sendJson, status } from './wire.js';

export interface WatchRequest {
  resource: ServedResource;
  version: string;
  namespace?: string;
  query: URLSearchParams;
  metadataOnly: boolean;
}

export interface WatchOptions {
  bookmarkIntervalMs: number;
  /** How a too-old resourceVersion is answered: an ERROR event in a 200 stream (watch cache) or HTTP 410. */
  goneAs: 'event' | 'status';
}

/** Serves one watch; returns when the response has been set up. Open watches are tracked in `open`. */
export function serveWatch(store: ObjectStore, req: IncomingMessage, res: ServerResponse, w: WatchRequest, options: WatchOptions, open: Set<ServerResponse>): void {
  const matches = selector(w.query.get('labelSelector'), w.query.get('fieldSelector'));
  const inScope = (e: StoredEvent) => e.resource === w.resource && (w.namespace === undefined || e.object.metadata.namespace === w.namespace) && matches(e.object);
  const rvParam = w.query.get('resourceVersion') ?? '';
  let backlog: StoredEvent[];
  let initial: StoredEvent[] = [];
  if (rvParam === '' || rvParam === '0') {
    // "Any" resourceVersion: the current state as ADDED events, then changes.
    initial = store.list(w.resource, w.namespace).filter(matches).map((object) => ({ rv: store.resourceVersion, resource: w.resource, type: 'ADDED' as const, object }));
    backlog = [];
  } else {
    try {
      backlog = store.eventsSince(Number(rvParam)).filter(inScope);
    } catch (e) {
      if (!(e instanceof TooOldResourceVersion)) throw e;
      const gone = status(410, 'Expired', e.message);
      if (options.goneAs === 'status') return sendJson(res, 410, gone);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  open.add(res);
  const write = (e: StoredEvent) => !res.writableEnded && !res.destroyed && res.write(`${JSON.stringify({ type: e.type, object: present(e.object, w.resource, w.version, w.metadataOnly, false) })}\n`);
  for (const e of [...initial, ...backlog]) write(e);
  const unsubscribe = store.subscribe((e) => {
    if (inScope(e)) write(e);
  });
  const bookmarks = w.query.get('allowWatchBookmarks') === 'true'
    ? setInterval(() => {
      if (res.writableEnded || res.destroyed) return;
      const kind = w.metadataOnly ? 'PartialObjectMetadata' : w.resource.kind;
      const apiVersion = w.metadataOnly ? 'meta.k8s.io/v1' : groupVersion(w.resource.group, w.version);
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion: String(store.resourceVersion) } } })}\n`);
    }, options.bookmarkIntervalMs)
    : undefined;
  const timeoutSeconds = Number(w.query.get('timeoutSeconds') ?? 0);
  const timeout = timeoutSeconds > 0 ? setTimeout(() => res.end(), timeoutSeconds * 1000) : undefined;
  const cleanup = () => {
    unsubscribe();
    if (bookmarks) clearInterval(bookmarks);
    if (timeout) clearTimeout(timeout);
    open.delete(res);
  };
  res.on('close', cleanup);
  req.on('close', cleanup);
}

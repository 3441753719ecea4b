/** The page's side of the layout worker: one long-lived worker, one promise per request. */
import { unpackPositions } from './transfer';
import type { LayoutMessage, LayoutReply, LayoutRequest, LayoutResult } from './types';

let worker: Worker | null = null;
let nextRequestId = 1;
const pending = new Map<number, { request: LayoutRequest; resolve: (r: LayoutResult) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'meshlens-layout' });
  worker.onmessage = (event: MessageEvent<LayoutReply>) => {
    const waiting = pending.get(event.data.requestId);
    if (!waiting) return;
    pending.delete(event.data.requestId);
    const result = event.data.result;
    if (result) waiting.resolve({ positions: unpackPositions(waiting.request.nodes, result.xy), algorithm: result.algorithm, ms: result.ms });
    else waiting.reject(new Error(event.data.error ?? 'layout failed'));
  };
  worker.onerror = (event) => {
    // A worker that failed to load fails every waiting request rather than leaving the graph blank forever.
    for (const waiting of pending.values()) waiting.reject(new Error(event.message || 'layout worker failed'));
    pending.clear();
    worker = null;
  };
  return worker;
}

/** Computes a layered layout in the worker. */
export function computeLayeredLayout(request: LayoutRequest): Promise<LayoutResult> {
  const requestId = nextRequestId++;
  return new Promise((resolve, reject) => {
    pending.set(requestId, { request, resolve, reject });
    const message: LayoutMessage = { requestId, request };
    getWorker().postMessage(message);
  });
}

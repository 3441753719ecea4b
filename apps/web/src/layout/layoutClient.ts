/** The page's side of the layout worker: one long-lived worker, one promise per request. */
import { unpackPositions } from './transfer';
import type { LayoutMessage, LayoutNode, LayoutReply, LayoutRequest, LayoutResult } from './types';

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

/** A small graph of two namespaces, laid out by the same code paths a large one takes (boxes packed, each laid out). */
function warmUpRequest(): LayoutRequest {
  const leaf = (id: string, parent?: string): LayoutNode => ({ id, ...(parent ? { parent } : {}), isBox: false, width: 90, height: 62, anchorDy: -12 });
  return {
    nodes: [
      { id: 'a', isBox: true, width: 40, height: 0, anchorDy: 0 },
      { id: 'b', isBox: true, width: 40, height: 0, anchorDy: 0 },
      leaf('a1', 'a'), leaf('a2', 'a'), leaf('a3', 'a'), leaf('b1', 'b'), leaf('b2', 'b'), leaf('c'),
    ],
    edges: [{ source: 'c', target: 'a1' }, { source: 'a1', target: 'a2' }, { source: 'a1', target: 'a3' }, { source: 'a2', target: 'b1' }, { source: 'b1', target: 'b2' }],
    aspect: 1.6,
  };
}

/**
 * Starts the worker, if no layout has yet, and has it lay out a small graph: a picture placed from saved positions
 * needs no layout, and the first one (a group opened) then paid for the worker's start and its code's first runs
 * (~0.2-0.3 s at 10k workloads). Called once the page is idle.
 */
export function warmLayoutWorker(): void {
  if (worker) return;
  computeLayeredLayout(warmUpRequest()).catch(() => undefined);
}

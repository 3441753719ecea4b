/// <reference lib="webworker" />
/** The layout worker: keeps dagre's work (hundreds of ms on large meshes) off the page's main thread. */
import { layeredLayout } from './layered';
import { packPositions } from './transfer';
import type { LayoutMessage, LayoutReply } from './types';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<LayoutMessage>) => {
  const { requestId, request } = event.data;
  let reply: LayoutReply;
  try {
    const { positions, algorithm, ms } = layeredLayout(request);
    const xy = packPositions(request.nodes, positions);
    reply = { requestId, result: { xy, algorithm, ms } };
    self.postMessage(reply, [xy.buffer]);
  } catch (error) {
    reply = { requestId, error: error instanceof Error ? error.message : String(error) };
    self.postMessage(reply);
  }
};

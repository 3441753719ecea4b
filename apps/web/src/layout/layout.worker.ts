/// <reference lib="webworker" />
/** The layout worker: keeps dagre's work (hundreds of ms on large meshes) off the page's main thread. */
import { layeredLayout } from './layered';
import type { LayoutMessage, LayoutReply } from './types';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<LayoutMessage>) => {
  const { requestId, request } = event.data;
  let reply: LayoutReply;
  try {
    reply = { requestId, result: layeredLayout(request) };
  } catch (error) {
    reply = { requestId, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};

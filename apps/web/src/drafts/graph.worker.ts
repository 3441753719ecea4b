/**
 * The what-if graph worker: the graph "with drafts" (whatIfGraph.ts) over its own copy of the live objects. Apart from
 * the checks' worker (drafts.worker.ts) so that a re-simulation of the demo's traffic (hundreds of ms) never holds
 * up the re-check after a keystroke. Nothing leaves the browser.
 */
import { buildInventory, draftedInventoryFrom, type Inventory } from '@meshlens/mesh';
import type { DraftSimulation, InventoryObject } from '@meshlens/model';
import type { GraphWorkerMessage, GraphWorkerReply, WhatIfGraphReply } from './protocol';
import { DraftParser } from './draftParser';
import { predictedWhatIf, simulatedWhatIf, whatIfNote } from './whatIfGraph';

let base: { inventory: Inventory; simulation: DraftSimulation; source: string } | undefined;
const parser = new DraftParser();

const scope = self as unknown as { onmessage: ((e: MessageEvent<GraphWorkerMessage>) => void) | null; postMessage: (m: GraphWorkerReply) => void };

scope.onmessage = (event) => {
  const message = event.data;
  const t0 = performance.now();
  try {
    if (message.kind === 'base') {
      const objects = message.base.objects.map((o) => ({ ...o, positions: {} }) as InventoryObject);
      const inventory = buildInventory(objects, message.base.errors, { clusterDomain: message.base.clusterDomain });
      base = { inventory, source: message.base.source, simulation: message.base.simulation ?? { kind: 'none', reason: 'no simulated traffic: the server did not send the simulator\'s settings' } };
      parser.clear();
      scope.postMessage({ requestId: message.requestId, ready: { objects: objects.length, ms: Math.round(performance.now() - t0) } });
      return;
    }
    if (!base) {
      scope.postMessage({ requestId: message.requestId, error: 'The live objects are not loaded yet; reload the page.' });
      return;
    }
    const { inventory: drafted } = draftedInventoryFrom(base.inventory, parser.parseAll(message.drafts));
    const progress = (step: string) => scope.postMessage({ requestId: message.requestId, progress: step });
    const result = base.simulation.kind === 'demo'
      ? simulatedWhatIf(base.inventory, drafted, base.simulation, message.now, message.view, progress)
      : predictedWhatIf(base.inventory, drafted, message.now, message.view);
    const reply: WhatIfGraphReply = { ...result, note: whatIfNote(base.simulation), ms: Math.round(performance.now() - t0) };
    scope.postMessage({ requestId: message.requestId, result: reply });
  } catch (e) {
    scope.postMessage({ requestId: message.requestId, error: `The what-if graph failed: ${(e as Error).message}. Discard the draft that caused it or reload the page.` });
  }
};

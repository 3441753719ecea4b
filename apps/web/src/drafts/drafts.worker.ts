/**
 * The what-if worker: the live objects (GET /api/drafts/base) with the person's drafts laid over them, checked and
 * traced by the same engine the server and the CLI run (@meshlens/mesh). Nothing leaves the browser.
 * The checks are incremental: the engine moves from one drafted inventory to the next re-validating only what the
 * drafts touch, which keeps a re-check after a keystroke fast on a large mesh.
 */
import {
  buildInventory, createCheckEngine, diffFindings, draftedInventoryFrom, summarize, traceRequest,
  type CheckEngine, type Inventory,
} from '@meshlens/mesh';
import { refKey, type Finding, type InventoryObject, type LoadError, type ObjectRef } from '@meshlens/model';
import { draftFile, type DraftCheckResult, type DraftInput, type DraftReport, type DraftWorkerMessage, type DraftWorkerReply } from './protocol';
import { DraftParser } from './draftParser';

interface Base {
  objects: InventoryObject[];
  errors: LoadError[];
  clusterDomain: string;
  inventory: Inventory;
  findings: Finding[];
  engine: CheckEngine;
  /** Objects the engine's current inventory has drafted (to re-validate when a draft goes away). */
  drafted: ObjectRef[];
}

let base: Base | undefined;
const parser = new DraftParser();

function check(drafts: DraftInput[], trace: DraftWorkerMessage & { kind: 'check' }): DraftCheckResult {
  const b = base!;
  const t0 = performance.now();
  const sets = parser.parseAll(drafts);
  // over the built live inventory: a draft of config objects re-lists its kind instead of rebuilding every view
  const { inventory, overlay } = draftedInventoryFrom(b.inventory, sets);
  const changed = new Map<string, ObjectRef>();
  for (const r of [...b.drafted, ...overlay.changed]) changed.set(refKey(r), r);
  b.engine.update(inventory, [...changed.values()]);
  b.drafted = overlay.changed;
  const findings = b.engine.findings();
  const { removed, added } = diffFindings(b.findings, findings);
  const reports: DraftReport[] = drafts.map((d, i) => {
    const set = sets[i]!;
    const file = draftFile(d.id);
    return {
      id: d.id,
      errors: set.errors,
      objects: set.objects.map((o) => o.ref),
      deletes: set.deletes,
      findings: findings.filter((f) => f.file === file),
    };
  });
  const result: DraftCheckResult = {
    drafts: reports,
    summary: summarize(findings),
    baseSummary: summarize(b.findings),
    removed,
    added,
    ms: 0,
    objects: inventory.objects.length,
  };
  if (trace.trace) result.trace = { now: traceRequest(b.inventory, trace.trace), withDrafts: traceRequest(inventory, trace.trace) };
  result.ms = Math.round((performance.now() - t0) * 10) / 10;
  return result;
}

function load(message: DraftWorkerMessage & { kind: 'base' }): { objects: number; ms: number } {
  const t0 = performance.now();
  const objects = message.base.objects.map((o) => ({ ...o, positions: {} }) as InventoryObject);
  const inventory = buildInventory(objects, message.base.errors, { clusterDomain: message.base.clusterDomain });
  const engine = createCheckEngine(inventory);
  base = { objects, errors: message.base.errors, clusterDomain: message.base.clusterDomain, inventory, findings: [...engine.findings()], engine, drafted: [] };
  return { objects: objects.length, ms: Math.round(performance.now() - t0) };
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<DraftWorkerMessage>) => void) | null; postMessage: (m: DraftWorkerReply) => void };

scope.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.kind === 'base') scope.postMessage({ requestId: message.requestId, ready: load(message) });
    else if (!base) scope.postMessage({ requestId: message.requestId, error: 'The live objects are not loaded yet.' });
    else scope.postMessage({ requestId: message.requestId, result: check(message.drafts, message) });
  } catch (e) {
    scope.postMessage({ requestId: message.requestId, error: (e as Error).message });
  }
};

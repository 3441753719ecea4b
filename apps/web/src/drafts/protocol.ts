/** Messages between the page and the what-if worker (drafts.worker.ts). */
import type { DraftBaseResponse } from '@meshlens/mesh';
import type { DraftBaseExtras, Finding, FindingsSummary, GraphResponse, LoadError, ObjectRef, TraceRequest, TraceResult } from '@meshlens/model';
import type { WhatIfGraphResult, WhatIfView } from './whatIfGraph';

/** GET /api/drafts/base: the engine's input, its version and the demo's simulator settings (absent from older servers). */
export type DraftBase = DraftBaseResponse & Partial<DraftBaseExtras>;

export interface DraftInput {
  id: string;
  text: string;
}

export type DraftWorkerMessage =
  | { requestId: number; kind: 'base'; base: DraftBase }
  | { requestId: number; kind: 'check'; drafts: DraftInput[]; trace?: TraceRequest };

/** One draft's part of the check: what it could not read, the objects it writes or deletes, and their findings. */
export interface DraftReport {
  id: string;
  errors: LoadError[];
  objects: ObjectRef[];
  deletes: ObjectRef[];
  /** Findings on this draft's objects (lines are the draft's), and MLS0000 for its parse errors. */
  findings: Finding[];
}

export interface DraftCheckResult {
  drafts: DraftReport[];
  /** The whole inventory's findings with the drafts in place, and without. */
  summary: FindingsSummary;
  baseSummary: FindingsSummary;
  /** Findings the drafts remove and add, compared by code + object + path. */
  removed: Finding[];
  added: Finding[];
  /** The same request traced over the live objects and over the drafted ones. */
  trace?: { now: TraceResult; withDrafts: TraceResult };
  /** Time the worker took for this check (parse, overlay, checks, trace), ms. */
  ms: number;
  objects: number;
}

export type DraftWorkerReply =
  | { requestId: number; result: DraftCheckResult }
  | { requestId: number; ready: { objects: number; ms: number } }
  | { requestId: number; error: string };

/** The file name a draft's objects and findings carry in the worker (`draft:<id>`). */
export function draftFile(id: string): string {
  return `draft:${id}`;
}

/** Messages to the what-if graph worker (graph.worker.ts): its own copy of the live objects, then one graph per ask. */
export type GraphWorkerMessage =
  | { requestId: number; kind: 'base'; base: DraftBase }
  | { requestId: number; kind: 'graph'; drafts: DraftInput[]; now: GraphResponse; view: WhatIfView };

export interface WhatIfGraphReply extends WhatIfGraphResult {
  /** The sentence the page shows for what "with drafts" means for this source. */
  note: string;
  ms: number;
}

export type GraphWorkerReply =
  | { requestId: number; result: WhatIfGraphReply }
  | { requestId: number; ready: { objects: number; ms: number } }
  | { requestId: number; progress: string }
  | { requestId: number; error: string };

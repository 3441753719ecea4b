/** Messages between the page and the what-if worker (drafts.worker.ts). */
import type { DraftBaseResponse } from '@meshlens/mesh';
import type { Finding, FindingsSummary, LoadError, ObjectRef, TraceRequest, TraceResult } from '@meshlens/model';

export interface DraftInput {
  id: string;
  text: string;
}

export type DraftWorkerMessage =
  | { requestId: number; kind: 'base'; base: DraftBaseResponse }
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

/**
 * Two graphs of one view, "now" and "with drafts", compared: nodes and edges added and removed, and edges whose
 * share of their source's traffic changed. And the one picture Compare draws: the drafted graph with what went away
 * added back, each element marked (`mlDiff`) and changed splits labelled "was 100% → 50%". Pure, for unit tests.
 */
import type { EdgeData, GraphEdge, GraphNode, GraphResponse, NodeData } from '@meshlens/model';
import { edgeTotal } from '../graph/edgeTraffic';

export type DiffMark = 'added' | 'removed' | 'changed';

/** What a what-if adds to an edge's data: a prediction (not telemetry) and its share of the source's requests. */
export interface WhatIfEdgeFields {
  /** Its rate predicted by the tracer, not measured (sources without simulated traffic). */
  mlPredicted?: boolean;
}

/** Node and edge data of a compared graph. */
export interface DiffFields {
  mlDiff?: DiffMark;
  /** The edge label Compare draws: "was 100% → 50%", "new: 100%", "was 100% → gone". */
  mlDiffLabel?: string;
}

export interface SplitChange {
  id: string;
  /** Shares of the source's traffic (0..1). */
  was: number;
  now: number;
}

export interface GraphDiff {
  addedNodes: string[];
  removedNodes: string[];
  addedEdges: string[];
  removedEdges: string[];
  changedSplits: SplitChange[];
}

/** Share differences below this (5 points) are noise of the window, not a change of routing. */
export const SPLIT_THRESHOLD = 0.05;

const leaf = (n: NodeData) => !n.isBox && !n.group;

/** Each edge's share of its source's traffic of the same protocol (what a split is), by edge id. */
export function edgeShares(graph: GraphResponse): Map<string, number> {
  const totals = new Map<string, number>();
  const key = (e: EdgeData) => `${e.source}\u0000${e.traffic.protocol === 'tcp' ? 'tcp' : 'req'}`;
  for (const { data } of graph.elements.edges) if (!data.isMirror) totals.set(key(data), (totals.get(key(data)) ?? 0) + edgeTotal(data));
  const out = new Map<string, number>();
  for (const { data } of graph.elements.edges) {
    if (data.isMirror) continue;
    const total = totals.get(key(data)) ?? 0;
    if (total > 0) out.set(data.id, edgeTotal(data) / total);
  }
  return out;
}

/** What changes from `now` to `drafted`, ids sorted. */
export function diffGraphs(now: GraphResponse, drafted: GraphResponse): GraphDiff {
  const nowNodes = new Set(now.elements.nodes.filter((n) => leaf(n.data)).map((n) => n.data.id));
  const draftedNodes = new Set(drafted.elements.nodes.filter((n) => leaf(n.data)).map((n) => n.data.id));
  const nowEdges = new Set(now.elements.edges.filter((e) => !e.data.group).map((e) => e.data.id));
  const draftedEdges = new Set(drafted.elements.edges.filter((e) => !e.data.group).map((e) => e.data.id));
  const before = edgeShares(now);
  const after = edgeShares(drafted);
  const changedSplits: SplitChange[] = [];
  for (const id of draftedEdges) {
    if (!nowEdges.has(id)) continue;
    const was = before.get(id);
    const is = after.get(id);
    if (was !== undefined && is !== undefined && Math.abs(was - is) >= SPLIT_THRESHOLD) changedSplits.push({ id, was, now: is });
  }
  const sorted = (s: Iterable<string>) => [...s].sort();
  return {
    addedNodes: sorted([...draftedNodes].filter((id) => !nowNodes.has(id))),
    removedNodes: sorted([...nowNodes].filter((id) => !draftedNodes.has(id))),
    addedEdges: sorted([...draftedEdges].filter((id) => !nowEdges.has(id))),
    removedEdges: sorted([...nowEdges].filter((id) => !draftedEdges.has(id))),
    changedSplits: changedSplits.sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

export function isEmptyDiff(diff: GraphDiff): boolean {
  return diff.addedNodes.length + diff.removedNodes.length + diff.addedEdges.length + diff.removedEdges.length + diff.changedSplits.length === 0;
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * The Compare picture: the drafted graph, plus what only `now` has (marked removed; boxes they need come along),
 * each element of the diff marked, with its label.
 */
export function compareGraph(now: GraphResponse, drafted: GraphResponse, diff: GraphDiff = diffGraphs(now, drafted)): GraphResponse {
  const addedNodes = new Set(diff.addedNodes);
  const addedEdges = new Set(diff.addedEdges);
  const removedEdges = new Set(diff.removedEdges);
  const changed = new Map(diff.changedSplits.map((c) => [c.id, c]));
  const before = edgeShares(now);
  const after = edgeShares(drafted);
  const draftedIds = new Set(drafted.elements.nodes.map((n) => n.data.id));
  const nodes: GraphNode[] = drafted.elements.nodes.map((n) => (addedNodes.has(n.data.id) ? { data: { ...n.data, mlDiff: 'added' as const } } : n));
  for (const n of now.elements.nodes) {
    if (draftedIds.has(n.data.id)) continue;
    nodes.push({ data: { ...n.data, ...(leaf(n.data) ? { mlDiff: 'removed' as const } : {}) } });
  }
  const edges: GraphEdge[] = drafted.elements.edges.map((e): GraphEdge => {
    const c = changed.get(e.data.id);
    if (c) return { data: { ...e.data, mlDiff: 'changed', mlDiffLabel: `was ${pct(c.was)} → ${pct(c.now)}` } as EdgeData & DiffFields };
    if (addedEdges.has(e.data.id)) {
      const share = after.get(e.data.id);
      return { data: { ...e.data, mlDiff: 'added', mlDiffLabel: share !== undefined ? `new: ${pct(share)}` : 'new' } as EdgeData & DiffFields };
    }
    return e;
  });
  for (const e of now.elements.edges) {
    if (!removedEdges.has(e.data.id)) continue;
    const share = before.get(e.data.id);
    edges.push({ data: { ...e.data, mlDiff: 'removed', mlDiffLabel: share !== undefined ? `was ${pct(share)} → gone` : 'gone' } as EdgeData & DiffFields });
  }
  return { ...drafted, elements: { nodes, edges } };
}

/** The sentence a changed element's panel starts with. */
export function diffSentence(data: (NodeData | EdgeData) & DiffFields, isEdge: boolean): string | null {
  const what = isEdge ? 'This edge' : 'This node';
  switch (data.mlDiff) {
    case 'added': return `${what} appears with the drafts${data.mlDiffLabel ? ` (${data.mlDiffLabel})` : ''}: no traffic takes it now.`;
    case 'removed': return `${what} goes away with the drafts${data.mlDiffLabel ? ` (${data.mlDiffLabel})` : ''}: its traffic is sent elsewhere.`;
    case 'changed': return `The split changes with the drafts: ${data.mlDiffLabel ?? ''} of its source's traffic.`;
    default: return null;
  }
}

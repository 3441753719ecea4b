/**
 * Which graph the graph page draws with a change set: `now` (the server's), `drafts` (the graph with the drafts:
 * the demo's re-simulated traffic, or elsewhere the window's with the tracer's predictions marked), or `compare`
 * (one graph with the differences styled, graphDiff.ts). Node findings markers "with drafts" are the server's
 * findings with those the drafts remove taken out and those they add put in (the checks' worker says which).
 */
import { useMemo } from 'react';
import { findingKey } from '@meshlens/mesh';
import type { Finding, GraphResponse } from '@meshlens/model';
import type { GraphViewQuery } from '../graph/viewPath';
import { useFindings } from '../config/api';
import { markGraph } from '../config/graphFindings';
import { compareGraph, diffGraphs, type GraphDiff } from './graphDiff';
import { useDrafts } from './store';
import { useDraftCheck } from './useDraftCheck';
import { useWhatIfGraph } from './useWhatIfGraph';
import { useWhatIfMode, type WhatIfMode } from './whatIfMode';
import type { ChangedRequest, WhatIfView } from './whatIfGraph';
import type { WhatIfBarProps } from './WhatIfGraph';

/** The server's findings with the drafts' removed ones out and their added ones in (compared by code, object, path). */
export function draftedFindings(now: Finding[], removed: Finding[], added: Finding[]): Finding[] {
  const gone = new Map<string, number>();
  for (const f of removed) gone.set(findingKey(f), (gone.get(findingKey(f)) ?? 0) + 1);
  const kept = now.filter((f) => {
    const n = gone.get(findingKey(f)) ?? 0;
    if (n > 0) gone.set(findingKey(f), n - 1);
    return n === 0;
  });
  return [...kept, ...added];
}

export interface WhatIfDisplay {
  /** What the canvas and the side panel show. */
  graph: GraphResponse | undefined;
  /** The bar's props; null without drafts (the page is as it always was). */
  bar: WhatIfBarProps | null;
  changed: ChangedRequest[];
}

export function useWhatIfDisplay(raw: GraphResponse | undefined, nowMarked: GraphResponse | undefined, query: GraphViewQuery | null, namespaces: string[], findingsOnly: boolean, refreshMs: number): WhatIfDisplay {
  const drafts = useDrafts();
  const [mode, setMode] = useWhatIfMode();
  const active = drafts.length > 0 && mode !== 'now';
  const view: WhatIfView | null = useMemo(() => (query ? {
    graphType: query.graphType, namespaces: query.namespaces, includeIdle: query.includeIdle, showWaypoints: query.showWaypoints ?? false,
    responseTimes: query.responseTimes ?? true, budget: query.budget ?? 0, expand: query.expand ?? [], ...(query.focus && query.hops ? { focus: query.focus, hops: query.hops } : {}),
  } : null), [query]);
  const state = useWhatIfGraph(drafts, raw, view, active);
  const check = useDraftCheck(drafts, undefined, active);
  // the same query as useMarkedGraph's: one request for both
  const findings = useFindings(namespaces, { involving: true, refreshMs, enabled: active && namespaces.length > 0 });
  const list = findings.data?.findings;
  const removed = check.result?.removed;
  const added = check.result?.added;

  const computed = useMemo((): { graph: GraphResponse; diff: GraphDiff } | null => {
    if (!active || !state.result || !state.now) return null;
    const marks = list ? draftedFindings(list, removed ?? [], added ?? []) : undefined;
    const withDrafts = marks ? markGraph(state.result.graph, marks, findingsOnly) : state.result.graph;
    const now = list ? markGraph(state.now, list, findingsOnly) : state.now;
    const diff = diffGraphs(now, withDrafts);
    // the demo's "with drafts" is a graph of its own; a prediction is only readable against what it changes
    const graph = mode === 'compare' || state.result.kind === 'predicted' ? compareGraph(now, withDrafts, diff) : withDrafts;
    return { graph, diff };
  }, [active, state.result, state.now, list, removed, added, findingsOnly, mode]);

  if (drafts.length === 0) return { graph: nowMarked, bar: null, changed: [] };
  const bar: WhatIfBarProps = { mode, onMode: (m: WhatIfMode) => setMode(m), drafts: drafts.length, state, diff: computed?.diff ?? null, checkError: active ? check.error : null };
  // until the graph with drafts is ready, the graph as it is now stays on screen (the bar says it is computing)
  return { graph: computed?.graph ?? nowMarked, bar, changed: active ? (state.result?.changed ?? []) : [] };
}

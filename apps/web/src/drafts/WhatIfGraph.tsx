/**
 * The graph page's what-if parts, shown while the change set is not empty: the "Now / With drafts / Compare" control
 * (in the URL, whatIfMode.ts) with what "with drafts" means for the source, the worker's progress, a summary and the
 * legend of the compare styles; and the panel of a changed node or edge, which links to the full trace.
 */
import { Link } from '@tanstack/react-router';
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { traceLink } from '../router/links';
import { diffSentence, type DiffFields, type GraphDiff } from './graphDiff';
import type { WhatIfGraphState } from './useWhatIfGraph';
import { WHATIF_MODES, type WhatIfMode } from './whatIfMode';
import type { ChangedRequest } from './whatIfGraph';
import './whatif.css';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 edges added, 1 removed, 1 split changed, 1 node added" — or that nothing changes. */
export function diffSummary(diff: GraphDiff): string {
  const parts = [
    diff.addedEdges.length > 0 ? `${count(diff.addedEdges.length, 'edge')} added` : '',
    diff.removedEdges.length > 0 ? `${count(diff.removedEdges.length, 'edge')} removed` : '',
    diff.changedSplits.length > 0 ? `${count(diff.changedSplits.length, 'split')} changed` : '',
    diff.addedNodes.length > 0 ? `${count(diff.addedNodes.length, 'node')} added` : '',
    diff.removedNodes.length > 0 ? `${count(diff.removedNodes.length, 'node')} removed` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `${parts.join(', ')}.` : 'Nothing in this view changes with the drafts.';
}

function Swatch({ kind }: { kind: 'added' | 'removed' | 'changed' | 'predicted' }) {
  return (
    <svg width="28" height="10" aria-hidden="true" className={`whatif-swatch whatif-swatch-${kind}`}>
      <line x1="1" y1="5" x2="27" y2="5" />
    </svg>
  );
}

export interface WhatIfBarProps {
  mode: WhatIfMode;
  onMode: (mode: WhatIfMode) => void;
  drafts: number;
  state: WhatIfGraphState;
  diff: GraphDiff | null;
  /** A draft's check failed (parse errors are the editor's to show). */
  checkError: string | null;
}

export function WhatIfBar({ mode, onMode, drafts, state, diff, checkError }: WhatIfBarProps) {
  const ready = mode === 'now' || (state.result !== null && !state.running);
  const predicted = state.result?.kind === 'predicted';
  return (
    <section className="whatif-bar" aria-label="What-if: the graph with your drafts" data-testid="whatif-bar" data-mode={mode} data-ready={ready ? 'true' : 'false'}>
      <div className="whatif-row">
        <div className="whatif-modes" role="group" aria-label={`Graph: now or with your ${drafts === 1 ? 'draft' : `${drafts} drafts`}`}>
          {WHATIF_MODES.map((m) => (
            <button key={m.value} type="button" aria-pressed={mode === m.value} data-testid={`whatif-mode-${m.value}`} onClick={() => onMode(m.value)}>
              {m.label}
            </button>
          ))}
        </div>
        {mode !== 'now' && (
          <p className="whatif-status" data-testid="whatif-status" aria-live="polite">
            {state.error ? <span role="alert">{state.error}</span>
              : state.result ? `${diff ? diffSummary(diff) : ''} (${state.result.ms} ms in your browser)${state.running ? ` · updating: ${state.progress ?? 'starting'}…` : ''}`
                : `Computing the graph with drafts: ${state.progress ?? 'starting'}…`}
          </p>
        )}
        {mode === 'now' && <p className="whatif-status muted">{`You have ${count(drafts, 'draft')}: show the graph with them, or both compared.`}</p>}
      </div>
      {mode !== 'now' && state.result && (
        <p className="whatif-note" data-testid="whatif-note">{state.result.note}</p>
      )}
      {checkError && <p role="alert" className="whatif-note">{`The drafts could not be checked: ${checkError}`}</p>}
      {/* the demo's "with drafts" is a plain graph (its own traffic); Compare and a prediction are styled */}
      {(mode === 'compare' || (mode === 'drafts' && predicted)) && (
        <ul className="whatif-legend" aria-label="Legend of the what-if styles" data-testid="whatif-legend">
          <li><Swatch kind="added" />added with the drafts</li>
          <li><Swatch kind="removed" />goes away with the drafts</li>
          <li><Swatch kind="changed" />split changes (labelled was → with drafts)</li>
          {predicted && <li><Swatch kind="predicted" />rate predicted by the tracer, not measured</li>}
        </ul>
      )}
      {state.result && state.result.problems.length > 0 && mode !== 'now' && (
        <details className="whatif-problems">
          <summary>{`${count(state.result.problems.length, 'traffic class', 'traffic classes')} did not resolve with the drafts`}</summary>
          <ul>{state.result.problems.slice(0, 20).map((p) => <li key={p}>{p}</li>)}</ul>
        </details>
      )}
    </section>
  );
}

const targets = (list: ChangedRequest['now']) => list.map((t) => `${t.label}${t.weight < 1 ? ` ${Math.round(t.weight * 100)}%` : ''}`).join(', ') || 'nowhere';

/** The panel of the selected element when the drafts change it (or the requests leaving its source node). */
export function WhatIfElementPanel({ graph, focus, changed, onClose }: { graph: GraphResponse; focus: string | null; changed: ChangedRequest[]; onClose: () => void }) {
  if (!focus) return null;
  const edge = graph.elements.edges.find((e) => e.data.id === focus)?.data as (EdgeData & DiffFields) | undefined;
  const node = edge ? undefined : (graph.elements.nodes.find((n) => n.data.id === focus)?.data as (NodeData & DiffFields) | undefined);
  const data = edge ?? node;
  if (!data) return null;
  const sourceId = edge ? edge.source : node!.id;
  const requests = changed.filter((c) => c.sourceNode === sourceId && (!edge || c.now.some((t) => t.node === edge.target) || c.withDrafts.some((t) => t.node === edge.target) || data.mlDiff !== undefined));
  const sentence = diffSentence(data, edge !== undefined);
  if (!sentence && requests.length === 0) return null;
  const nodes = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const name = (id: string) => nodes.get(id)?.label ?? id;
  return (
    <aside className="whatif-panel" aria-label="What changes with the drafts" data-testid="whatif-panel" data-diff={data.mlDiff ?? 'same'}>
      <div className="whatif-panel-head">
        <h2>{edge ? `${name(edge.source)} → ${name(edge.target)}` : name(node!.id)}</h2>
        <button type="button" className="whatif-close" onClick={onClose} aria-label="Close the what-if panel">×</button>
      </div>
      {sentence && <p data-testid="whatif-panel-sentence">{sentence}</p>}
      {requests.length > 0 && (
        <>
          <h3>Requests whose path changes</h3>
          <ul className="whatif-requests">
            {requests.map((c) => (
              <li key={`${c.from} ${c.url}`} data-testid="whatif-request">
                <span className="whatif-request-name">{`${c.from} → ${c.url}`}</span>
                <span>{`now: ${targets(c.now)}; with drafts: ${targets(c.withDrafts)}. `}<Link {...traceLink({ from: c.from, url: c.url })} data-testid="whatif-trace-link">Full trace</Link></span>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

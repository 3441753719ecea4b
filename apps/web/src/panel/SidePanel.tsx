/** The right-hand panel: the selected node or edge, or a summary of the graph when nothing is selected. */
import type { GraphResponse } from '@meshlens/model';
import { formatPercent } from '../format/units';
import { edgePercentErr, edgeTotal } from '../graph/edgeTraffic';
import { nodeTitle } from '../graph/nodeLabel';
import { EdgePanel } from './EdgePanel';
import { NodePanel } from './NodePanel';
import { Facts, Section } from './parts';
import { useMemo, useRef } from 'react';
import { TextSkeleton } from '../components/PageSkeleton';
import { useEscape } from '../components/useEscape';
import { UntrustedText } from '../components/UntrustedText';
import './panel.css';
import { emptyFindNotice, missingFocusNotice } from '../explain/graphNotice';

interface Props {
  graph: GraphResponse | undefined;
  /** The first graph is on its way: a skeleton rather than an empty panel. */
  loading: boolean;
  focus: string | null;
  onSelect: (id: string | null) => void;
  /** The find text and how many nodes it matches (null: not counted yet): the panel says so when it matches none. */
  find?: string;
  findCount?: number | null;
  /** Idle nodes are drawn; `onShowIdle` draws them. */
  idleShown?: boolean;
  onShowIdle?: () => void;
  /** The graph drawn is the one with drafts ('drafts') or both compared ('compare'): see EdgePanel. */
  whatIf?: 'drafts' | 'compare';
}

/** A sentence saying why something is not on screen, with the way to bring it when there is one. */
function Notice({ notice, onShowIdle, testId }: { notice: { text: string; offerIdle: boolean }; onShowIdle?: () => void; testId: string }) {
  return (
    <p className="help-text" data-testid={testId} role="status">
      {notice.text}
      {notice.offerIdle && onShowIdle && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onShowIdle} data-testid="show-idle">Show idle nodes</button>
        </>
      )}
    </p>
  );
}

/** The graph's summary figures and its worst edges, computed once per graph (thousands of edges at 10k workloads). */
function summaryOf(graph: GraphResponse) {
  const leaves = graph.elements.nodes.filter((n) => !n.data.isBox);
  const failing = graph.elements.edges
    .filter(({ data: e }) => e.traffic.protocol !== 'tcp' && edgeTotal(e) > 0)
    .map(({ data: e }) => ({ e, err: edgePercentErr(e) }))
    .filter(({ err }) => err > 0)
    .sort((a, b) => b.err - a.err)
    .slice(0, 8);
  const unhealthy = leaves.filter((n) => n.data.health === 'Degraded' || n.data.health === 'Failure').length;
  return { leaves: leaves.length, failing, unhealthy, byId: new Map(graph.elements.nodes.map((n) => [n.data.id, n.data])) };
}

function Summary({ graph, onSelect }: { graph: GraphResponse; onSelect: (id: string) => void }) {
  const { leaves, failing, unhealthy, byId } = useMemo(() => summaryOf(graph), [graph]);
  const name = (id: string) => (byId.get(id) ? nodeTitle(byId.get(id)!) : id);
  return (
    <>
      <h2 className="panel-title">
        <span className="panel-kind">Graph</span>
        <UntrustedText text={graph.namespaces.join(', ')} lines={2} />
      </h2>
      <Facts
        rows={[
          ['Nodes', String(leaves)],
          ['Edges', String(graph.elements.edges.length)],
          ['Window ends', new Date(graph.timestamp * 1000).toLocaleString()],
          ['Unhealthy nodes', String(unhealthy)],
        ]}
      />
      {failing.length > 0 && (
        <Section title="Edges with errors">
          <ul className="edge-list">
            {failing.map(({ e, err }) => (
              <li key={e.id}>
                <button type="button" className="link-button" onClick={() => onSelect(e.id)}>
                  <UntrustedText text={name(e.source)} className="edge-end" />
                  {' → '}
                  <UntrustedText text={name(e.target)} className="edge-end" />
                </button>
                <span className="edge-list-rate">{`${formatPercent(err)} err`}</span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <p className="muted">Select a node or an edge in the graph to see its details (from the keyboard: Tab to the graph, arrow keys, Enter).</p>
    </>
  );
}

export function SidePanel({ graph, loading, focus, onSelect, find = '', findCount = null, idleShown = false, onShowIdle, whatIf }: Props) {
  const node = focus ? graph?.elements.nodes.find((n) => n.data.id === focus)?.data : undefined;
  const edge = focus && !node ? graph?.elements.edges.find((e) => e.data.id === focus)?.data : undefined;
  const root = useRef<HTMLElement>(null);
  // Escape clears the selection (back to the graph's summary); focus inside the panel goes back to the canvas.
  useEscape(focus !== null, () => {
    if (root.current?.contains(document.activeElement)) document.querySelector<HTMLElement>('[data-testid="graph"]')?.focus();
    onSelect(null);
  }, root);
  return (
    <aside className="side-panel" data-testid="side-panel" aria-label="Details" ref={root}>
      {focus && (
        <button type="button" className="close-button" onClick={() => onSelect(null)} aria-label="Clear selection" title="Clear selection (Esc)">
          ×
        </button>
      )}
      {!graph && loading && <TextSkeleton lines={7} label="Loading the graph…" />}
      {!graph && !loading && <p className="muted">Details of the graph, and of the node or edge you select, show here.</p>}
      {graph && node && <NodePanel node={node} graph={graph} onSelect={onSelect} />}
      {graph && edge && <EdgePanel edge={edge} graph={graph} onSelect={onSelect} whatIf={whatIf} />}
      {graph && focus && !node && !edge && <Notice notice={missingFocusNotice(focus, graph, idleShown)} onShowIdle={onShowIdle} testId="focus-missing" />}
      {graph && !focus && find && findCount === 0 && <Notice notice={emptyFindNotice(find, graph, idleShown)} onShowIdle={onShowIdle} testId="find-empty" />}
      {graph && !focus && <Summary graph={graph} onSelect={onSelect} />}
    </aside>
  );
}

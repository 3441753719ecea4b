/**
 * A node's inbound and outbound edges as buttons: a keyboard path to every edge (the canvas itself
 * cannot be tabbed through), and a quick way to walk the graph.
 */
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { formatBytesPerSecond, formatRps } from '../format/units';
import { edgeTotal } from '../graph/edgeTraffic';
import { nodeTitle } from '../graph/nodeLabel';
import { UntrustedText } from '../components/UntrustedText';
import { Section } from './parts';

function rateText(edge: EdgeData): string {
  const total = edgeTotal(edge);
  return edge.traffic.protocol === 'tcp' ? formatBytesPerSecond(total) : formatRps(total);
}

export function NeighbourEdges({ node, graph, onSelect }: { node: NodeData; graph: GraphResponse; onSelect: (id: string) => void }) {
  const byId = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const name = (id: string) => {
    const other = byId.get(id);
    return other ? nodeTitle(other) : id;
  };
  const inbound = graph.elements.edges.filter((e) => e.data.target === node.id).map((e) => e.data);
  const outbound = graph.elements.edges.filter((e) => e.data.source === node.id).map((e) => e.data);
  const list = (edges: EdgeData[], direction: 'from' | 'to') => (
    <ul className="edge-list">
      {edges.map((edge) => {
        const other = name(direction === 'from' ? edge.source : edge.target);
        return (
          <li key={edge.id}>
            <button type="button" className="link-button" onClick={() => onSelect(edge.id)}>
              {`${direction} `}
              <UntrustedText text={other} />
            </button>
            <span className="edge-list-rate">{`${edge.traffic.protocol.toUpperCase()} ${rateText(edge)}`}</span>
          </li>
        );
      })}
    </ul>
  );
  return (
    <>
      {inbound.length > 0 && <Section title={`Inbound edges (${inbound.length})`}>{list(inbound, 'from')}</Section>}
      {outbound.length > 0 && <Section title={`Outbound edges (${outbound.length})`}>{list(outbound, 'to')}</Section>}
    </>
  );
}

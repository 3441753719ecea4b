/** The members of a namespace or app box, as buttons that select them (a keyboard path into the box). */
import type { GraphResponse, NodeData } from '@meshlens/model';
import { nodeTitle } from '../graph/nodeLabel';
import { UntrustedText } from '../components/UntrustedText';
import { HealthText, Section } from './parts';

export function BoxMembers({ box, graph, onSelect }: { box: NodeData; graph: GraphResponse; onSelect: (id: string) => void }) {
  const members = graph.elements.nodes
    .map((n) => n.data)
    .filter((n) => n.parent === box.id)
    .sort((a, b) => nodeTitle(a).localeCompare(nodeTitle(b)));
  return (
    <Section title={`Members (${members.length})`}>
      <ul className="edge-list">
        {members.map((member) => (
          <li key={member.id}>
            <button type="button" className="link-button" onClick={() => onSelect(member.id)}>
              <UntrustedText text={nodeTitle(member)} />
            </button>
            {member.isBox ? <span className="edge-list-rate">box</span> : <HealthText health={member.health} />}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/**
 * Links from the graph's side panel to the entity pages: "Open details" on a node (its application, workload or
 * service page; a versioned app node also links its workload), and on an edge, the pages of both ends.
 */
import { Link } from '@tanstack/react-router';
import type { NodeData } from '@meshlens/model';
import { entityLink, entityOfNode } from './entityLinks';
import { UntrustedText } from '../../components/UntrustedText';
import './nodeDetailLinks.css';

const WORD = { workload: 'workload', service: 'service', application: 'application' } as const;

export function NodeDetailLinks({ node }: { node: NodeData }) {
  const entity = entityOfNode(node);
  if (!entity) return null;
  // A versioned app node stands for one workload: both pages are one click away.
  const workload = entity.type === 'application' && node.workload ? node.workload : null;
  return (
    <p className="panel-detail-links" data-testid="node-detail-links">
      <Link {...entityLink(entity.type, entity.namespace, entity.name)} data-testid="open-details">
        Open details
      </Link>
      <span className="muted">{` (${WORD[entity.type]} `}<UntrustedText text={entity.name} />{')'}</span>
      {workload && (
        <>
          {' · '}
          <Link {...entityLink('workload', entity.namespace, workload)} data-testid="open-workload-details">{'Workload '}<UntrustedText text={workload} /></Link>
        </>
      )}
    </p>
  );
}

export function EdgeDetailLinks({ source, target }: { source: NodeData | undefined; target: NodeData | undefined }) {
  const ends = [source, target].map((n) => (n ? entityOfNode(n) : null));
  if (!ends[0] && !ends[1]) return null;
  return (
    <p className="panel-detail-links" data-testid="edge-detail-links">
      {'Details: '}
      {ends.map((e, i) =>
        e ? (
          <span key={i}>
            {i === 1 && ends[0] ? ' → ' : ''}
            <Link {...entityLink(e.type, e.namespace, e.name)} data-testid={i === 0 ? 'open-source-details' : 'open-target-details'}>{`${WORD[e.type]} `}<UntrustedText text={e.name} /></Link>
          </span>
        ) : null,
      )}
    </p>
  );
}

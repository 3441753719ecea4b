/**
 * Above the canvas: how much of a large graph is drawn (node budget), the groups opened (one click closes one), find
 * matches hidden inside collapsed groups (one click opens the group), and the neighbourhood being shown.
 */
import type { GraphResponse } from '@meshlens/model';
import type { GroupFind } from './cyOps';
import { nodeTitle } from './nodeLabel';
import './scale.css';

export interface GraphScaleBarProps {
  graph: GraphResponse;
  inGroups: GroupFind[];
  onExpand?: (key: string) => void;
  onCollapse?: (key: string) => void;
  onShowAll?: () => void;
}

export function GraphScaleBar({ graph, inGroups, onExpand, onCollapse, onShowAll }: GraphScaleBarProps) {
  const grouping = graph.grouping;
  const groups = graph.elements.nodes.filter((n) => n.data.group);
  const unhealthy = groups.reduce((s, n) => s + (n.data.group!.unhealthy ?? 0), 0);
  const collapsed = grouping !== undefined && groups.length > 0;
  const expanded = grouping?.expanded ?? [];
  if (!collapsed && expanded.length === 0 && !graph.neighbourhood && inGroups.length === 0) return null;
  // The focus by the name its node shows (and its namespace), not its id; the id where the node is not drawn.
  const focusNode = graph.neighbourhood && graph.elements.nodes.find((n) => n.data.id === graph.neighbourhood!.focus)?.data;
  const focusName = focusNode ? `${nodeTitle(focusNode)}${focusNode.namespace ? ` (${focusNode.namespace})` : ''}` : graph.neighbourhood?.focus;
  return (
    <div className="graph-scale-bar" data-testid="graph-scale-bar">
      {graph.neighbourhood && (
        <div className="scale-line" data-testid="neighbourhood-note">
          <span>
            Neighbourhood of <strong title={graph.neighbourhood.focus}>{focusName}</strong>, {graph.neighbourhood.hops} {graph.neighbourhood.hops === 1 ? 'hop' : 'hops'}
          </span>
          {onShowAll && (
            <button type="button" data-testid="show-whole-graph" onClick={onShowAll}>
              Whole graph
            </button>
          )}
        </div>
      )}
      {collapsed && (
        <div className="scale-line" data-testid="grouping-note">
          <span>
            {`${grouping.visible} of ${grouping.total} nodes drawn: ${groups.length} groups collapsed above ${grouping.budget} nodes. Click a group to expand it.`}
          </span>
          {unhealthy > 0 && <span className="scale-unhealthy">{`${unhealthy} unhealthy inside groups`}</span>}
        </div>
      )}
      {expanded.length > 0 && onCollapse && (
        <div className="scale-line" data-testid="expanded-groups">
          <span>Expanded:</span>
          {expanded.map((key) => (
            <button key={key} type="button" className="chip" data-testid={`collapse-${key}`} onClick={() => onCollapse(key)} title={`Collapse ${key} again`} aria-label={`Collapse ${key}`}>
              {key} ×
            </button>
          ))}
        </div>
      )}
      {inGroups.length === 1 && (
        <div className="scale-line" data-testid="find-in-group">
          <span>{`${inGroups[0]!.count} ${inGroups[0]!.count === 1 ? 'match' : 'matches'} inside ${inGroups[0]!.name}`}</span>
          {onExpand && (
            <button type="button" data-testid={`expand-${inGroups[0]!.key}`} onClick={() => onExpand(inGroups[0]!.key)}>
              Expand
            </button>
          )}
        </div>
      )}
      {inGroups.length > 1 && (
        <div className="scale-line" data-testid="find-in-group">
          <span>{`${inGroups.reduce((s, g) => s + g.count, 0)} matches inside ${inGroups.length} groups:`}</span>
          {inGroups.slice(0, 6).map((g) => (
            <button key={g.id} type="button" className="chip" data-testid={`expand-${g.key}`} onClick={() => onExpand?.(g.key)} title={`Expand ${g.name}`}>
              {`${g.name} · ${g.count}`}
            </button>
          ))}
          {inGroups.length > 6 && <span>{`+${inGroups.length - 6} more`}</span>}
        </div>
      )}
    </div>
  );
}

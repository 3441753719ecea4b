/** The legend: shapes, health colours, badges and edge styles, drawn from the same theme as the graph. */
import type { ReactElement } from 'react';
import { BADGES } from '../graph/badges';
import { EDGE_COLOR, HEALTH_COLOR, NODE_FILL } from '../graph/theme';

const SHAPES: Array<{ label: string; svg: ReactElement }> = [
  { label: 'App', svg: <rect x="3" y="6" width="22" height="16" rx="4" /> },
  { label: 'Workload', svg: <circle cx="14" cy="14" r="10" /> },
  { label: 'Service', svg: <polygon points="14,4 25,23 3,23" /> },
  { label: 'Service entry', svg: <polygon points="14,3 25,14 14,25 3,14" fill={NODE_FILL.serviceEntry} /> },
  { label: 'Passthrough / BlackHole', svg: <polygon points="3,6 19,6 25,14 19,22 3,22" fill={NODE_FILL.egressCluster} /> },
  { label: 'External IP', svg: <polygon points="9,3 19,3 25,9 25,19 19,25 9,25 3,19 3,9" fill={NODE_FILL.externalIP} /> },
  { label: 'Unknown source', svg: <circle cx="14" cy="14" r="10" fill={NODE_FILL.unknown} /> },
  { label: 'Outside selected namespaces', svg: <circle cx="14" cy="14" r="10" fill={NODE_FILL.outside} /> },
  { label: 'Idle (no traffic)', svg: <circle cx="14" cy="14" r="10" strokeDasharray="4 3" /> },
];

const HEALTH: Array<[string, string]> = [
  ['Healthy', HEALTH_COLOR.Healthy],
  ['Degraded', HEALTH_COLOR.Degraded],
  ['Failure', HEALTH_COLOR.Failure],
  ['No health information', HEALTH_COLOR.NA],
];

const EDGES: Array<[string, string]> = [
  ['HTTP / gRPC, healthy', EDGE_COLOR.healthy],
  ['Degraded (errors)', EDGE_COLOR.degraded],
  ['Failure (errors)', EDGE_COLOR.failure],
  ['TCP', EDGE_COLOR.tcp],
  ['Mirrored traffic', EDGE_COLOR.mirror],
  ['No traffic', EDGE_COLOR.idle],
];

export function Legend({ onClose }: { onClose: () => void }) {
  return (
    <section className="legend" aria-labelledby="legend-title">
      <div className="legend-head">
        <h2 id="legend-title">Legend</h2>
        <button type="button" className="close-button" onClick={onClose} aria-label="Close legend">
          ×
        </button>
      </div>
      <h3>Nodes</h3>
      <ul className="legend-list">
        {SHAPES.map((s) => (
          <li key={s.label}>
            <svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true" className="legend-shape">
              {s.svg}
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <h3>Health (node border, edge colour)</h3>
      <ul className="legend-list">
        {HEALTH.map(([label, color]) => (
          <li key={label}>
            <svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true">
              <circle cx="14" cy="14" r="9" fill="#fff" stroke={color} strokeWidth="4" />
            </svg>
            {label}
          </li>
        ))}
      </ul>
      <h3>Edges (width grows with rate)</h3>
      <ul className="legend-list">
        {EDGES.map(([label, color]) => (
          <li key={label}>
            <svg width="28" height="12" viewBox="0 0 28 12" aria-hidden="true">
              <line x1="1" y1="6" x2="20" y2="6" stroke={color} strokeWidth="3" />
              <polygon points="20,1 27,6 20,11" fill={color} />
            </svg>
            {label}
          </li>
        ))}
      </ul>
      <h3>Badges (under the node name)</h3>
      <dl className="legend-badges">
        {BADGES.map((b) => (
          <div key={b.code}>
            <dt>{b.code}</dt>
            <dd>{b.title}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

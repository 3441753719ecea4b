/**
 * The legend: shapes, health colours, edge kinds and badges, drawn from the same palette as the graph (the current
 * theme's). Three columns, so all of it fits over the graph at 1280×800 without scrolling. Escape closes it.
 */
import { useRef, type ReactElement } from 'react';
import { BADGES } from '../graph/badges';
import { graphPalette, type GraphPalette } from '../graph/theme';
import { useTheme } from '../theme/themeStore';
import { useEscape } from './useEscape';

const shapes = (p: GraphPalette): Array<{ label: string; svg: ReactElement }> => [
  { label: 'App', svg: <rect x="3" y="6" width="22" height="16" rx="4" /> },
  { label: 'Workload', svg: <circle cx="14" cy="14" r="10" /> },
  { label: 'Service', svg: <polygon points="14,4 25,23 3,23" /> },
  { label: 'Service entry', svg: <polygon points="14,3 25,14 14,25 3,14" fill={p.nodeFill.serviceEntry} /> },
  { label: 'Passthrough / BlackHole', svg: <polygon points="3,6 19,6 25,14 19,22 3,22" fill={p.nodeFill.egressCluster} /> },
  { label: 'External IP', svg: <polygon points="9,3 19,3 25,9 25,19 19,25 9,25 3,19 3,9" fill={p.nodeFill.externalIP} /> },
  { label: 'Unknown source', svg: <circle cx="14" cy="14" r="10" fill={p.nodeFill.unknown} /> },
  { label: 'Outside selected namespaces', svg: <circle cx="14" cy="14" r="10" fill={p.nodeFill.outside} /> },
  { label: 'Idle (no traffic)', svg: <circle cx="14" cy="14" r="10" strokeDasharray="4 3" /> },
];

const health = (p: GraphPalette): Array<[string, string]> => [
  ['Healthy', p.health.Healthy],
  ['Degraded', p.health.Degraded],
  ['Failure', p.health.Failure],
  ['No health information', p.health.NA],
];

const edges = (p: GraphPalette): Array<[string, string]> => [
  ['HTTP / gRPC, healthy', p.edge.healthy],
  ['Degraded (errors)', p.edge.degraded],
  ['Failure (errors)', p.edge.failure],
  ['TCP', p.edge.tcp],
  ['Mirrored traffic', p.edge.mirror],
  ['No traffic', p.edge.idle],
];

export function Legend({ onClose }: { onClose: () => void }) {
  const { theme } = useTheme();
  const p = graphPalette(theme);
  const root = useRef<HTMLElement>(null);
  useEscape(true, onClose, root);
  return (
    <section className="legend" aria-labelledby="legend-title" data-testid="legend" ref={root}>
      <div className="legend-head">
        <h2 id="legend-title">Legend</h2>
        <button type="button" className="close-button" onClick={onClose} aria-label="Close legend" title="Close (Esc)">
          ×
        </button>
      </div>
      <div className="legend-columns">
        <div>
          <h3>Nodes</h3>
          <ul className="legend-list">
            {shapes(p).map((s) => (
              <li key={s.label}>
                <svg width="22" height="22" viewBox="0 0 28 28" aria-hidden="true" className="legend-shape">
                  {s.svg}
                </svg>
                {s.label}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Health (border, edge)</h3>
          <ul className="legend-list">
            {health(p).map(([label, color]) => (
              <li key={label}>
                <svg width="22" height="22" viewBox="0 0 28 28" aria-hidden="true">
                  <circle cx="14" cy="14" r="9" fill={p.nodeFill.normal} stroke={color} strokeWidth="4" />
                </svg>
                {label}
              </li>
            ))}
          </ul>
          <h3>Edges (width: rate)</h3>
          <ul className="legend-list">
            {edges(p).map(([label, color]) => (
              <li key={label}>
                <svg width="22" height="12" viewBox="0 0 28 12" aria-hidden="true">
                  <line x1="1" y1="6" x2="20" y2="6" stroke={color} strokeWidth="3" />
                  <polygon points="20,1 27,6 20,11" fill={color} />
                </svg>
                {label}
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Badges (under the name)</h3>
          <dl className="legend-badges">
            {BADGES.map((b) => (
              <div key={b.code}>
                <dt>{b.code}</dt>
                <dd>{b.title}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </section>
  );
}

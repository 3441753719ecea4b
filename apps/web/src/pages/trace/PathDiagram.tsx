/**
 * A path drawn as boxes and arrows (SVG, no library): the steps of the configuration, and below them the steps an
 * ignored rule meant. A step no traffic of the window took is drawn dashed — it exists only in the configuration.
 * Colours are the theme's variables (trace.css), so the drawing follows light and dark.
 */
import { useId } from 'react';
import type { TraceNodeView } from '@meshlens/model';
import { DIAGRAM, diagramLayout, diagramSummary } from './traceModel';

export function PathDiagram({ rows }: { rows: Array<{ caption: string; nodes: TraceNodeView[] }> }) {
  const id = useId();
  const drawn = rows.filter((r) => r.nodes.length > 0);
  if (drawn.length === 0) return null;
  const layout = diagramLayout(drawn);
  const marker = `${id}-arrow`;
  const markerDashed = `${id}-arrow-dashed`;
  return (
    <figure className="trace-diagram" data-testid="trace-diagram">
      <div className="trace-diagram-scroll">
        <svg width={layout.width} height={layout.height} viewBox={`-1 -1 ${layout.width} ${layout.height}`} role="img" aria-label={diagramSummary(drawn)}>
          <defs>
            <marker id={marker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="trace-arrowhead" />
            </marker>
            <marker id={markerDashed} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" className="trace-arrowhead dashed" />
            </marker>
          </defs>
          {layout.rows.map((row, r) => (
            <g key={r} data-testid="diagram-row">
              <text x={0} y={row.y + 12} className="trace-diagram-caption">{row.caption}</text>
              {row.arrows.map((a, i) => (
                <line key={i} x1={a.x1 + 2} y1={a.y} x2={a.x2 - 3} y2={a.y} className={`trace-arrow${a.dashed ? ' dashed' : ''}`} markerEnd={`url(#${a.dashed ? markerDashed : marker})`} />
              ))}
              {row.boxes.map((b, i) => (
                <g key={i} data-testid="diagram-node" data-kind={b.kind} data-observed={b.dashed ? 'false' : 'true'}>
                  <title>{b.title}</title>
                  <rect x={b.x} y={b.y} width={b.width} height={DIAGRAM.nodeHeight} rx={6} className={`trace-node kind-${b.kind}${b.dashed ? ' dashed' : ''}`} />
                  <text x={b.x + DIAGRAM.padX} y={b.y + (b.detail ? 19 : 28)} className="trace-node-label">{b.label}</text>
                  {b.detail && <text x={b.x + DIAGRAM.padX} y={b.y + 36} className="trace-node-detail">{b.detail}</text>}
                </g>
              ))}
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="trace-legend">
        <span className="legend-box" aria-hidden="true" /> seen in the telemetry of the window
        <span className="legend-box dashed" aria-hidden="true" /> only in the configuration: no traffic of the window took it
      </figcaption>
    </figure>
  );
}

/**
 * The legend of an exported picture lists only what the picture shows: the node shapes, health
 * colours, edge kinds and badges present among its elements. Same theme constants as the canvas
 * and the on-screen legend, so the three cannot drift apart.
 */
import { BADGES } from '../graph/badges';
import { GRAPH_PALETTES, type GraphPalette } from '../graph/theme';

export type ShapeName = 'round-rectangle' | 'ellipse' | 'triangle' | 'diamond' | 'round-tag' | 'octagon';

export interface LegendItem {
  label: string;
  /** A node symbol… */
  shape?: ShapeName;
  fill?: string;
  stroke?: string;
  dash?: 'dashed' | 'dotted';
  /** …or an edge line of this colour… */
  line?: string;
  /** …or a badge code. */
  code?: string;
}

export interface LegendSection {
  title: string;
  items: LegendItem[];
}

/** What the legend needs of an element: its classes and (for badges) its data. */
export interface LegendElement {
  classes: string[];
  data: Record<string, unknown>;
  selected?: boolean;
}

const nodeKinds = ({ nodeFill: NODE_FILL }: GraphPalette): Array<{ test: (c: Set<string>) => boolean; item: LegendItem }> => [
  { test: (c) => c.has('node-app') && !c.has('service-entry') && !c.has('egress-cluster') && !c.has('external-ip'), item: { label: 'App', shape: 'round-rectangle' } },
  { test: (c) => c.has('node-workload') && !c.has('egress-cluster') && !c.has('external-ip'), item: { label: 'Workload', shape: 'ellipse' } },
  { test: (c) => c.has('node-service') && !c.has('service-entry') && !c.has('egress-cluster') && !c.has('external-ip'), item: { label: 'Service', shape: 'triangle' } },
  { test: (c) => c.has('service-entry'), item: { label: 'Service entry', shape: 'diamond', fill: NODE_FILL.serviceEntry } },
  { test: (c) => c.has('egress-cluster'), item: { label: 'Passthrough / BlackHole', shape: 'round-tag', fill: NODE_FILL.egressCluster } },
  { test: (c) => c.has('external-ip'), item: { label: 'External IP', shape: 'octagon', fill: NODE_FILL.externalIP } },
  { test: (c) => c.has('node-unknown'), item: { label: 'Unknown source', shape: 'ellipse', fill: NODE_FILL.unknown } },
  { test: (c) => c.has('gateway'), item: { label: 'Gateway', shape: 'ellipse', fill: NODE_FILL.gateway } },
  { test: (c) => c.has('outside'), item: { label: 'Outside selected namespaces', shape: 'ellipse', fill: NODE_FILL.outside } },
  { test: (c) => c.has('idle'), item: { label: 'Idle (no traffic)', shape: 'ellipse', dash: 'dashed' } },
  { test: (c) => c.has('dead'), item: { label: 'No pods', shape: 'ellipse', dash: 'dotted', fill: NODE_FILL.dead } },
];

const healthItems = ({ health: HEALTH_COLOR }: GraphPalette): Array<[string, string, string]> => [
  ['health-Healthy', 'Healthy', HEALTH_COLOR.Healthy],
  ['health-Degraded', 'Degraded', HEALTH_COLOR.Degraded],
  ['health-Failure', 'Failure', HEALTH_COLOR.Failure],
  ['health-NA', 'No health information', HEALTH_COLOR.NA],
];

const edgeKinds = ({ edge: EDGE_COLOR }: GraphPalette): Array<{ test: (c: Set<string>) => boolean; label: string; color: string }> => [
  { test: (c) => !c.has('tcp') && !c.has('mirror') && !c.has('idle') && !c.has('health-Degraded') && !c.has('health-Failure'), label: 'HTTP / gRPC, healthy', color: EDGE_COLOR.healthy },
  { test: (c) => c.has('health-Degraded'), label: 'Degraded (errors)', color: EDGE_COLOR.degraded },
  { test: (c) => c.has('health-Failure'), label: 'Failure (errors)', color: EDGE_COLOR.failure },
  { test: (c) => c.has('tcp') && !c.has('idle'), label: 'TCP', color: EDGE_COLOR.tcp },
  { test: (c) => c.has('mirror'), label: 'Mirrored traffic', color: EDGE_COLOR.mirror },
  { test: (c) => c.has('idle'), label: 'No traffic', color: EDGE_COLOR.idle },
];

/**
 * Legend sections for the elements in a picture (boxes and hidden elements are the caller's to leave out), in the
 * colours of the palette the picture is drawn in.
 */
export function legendFor(nodes: LegendElement[], edges: LegendElement[], palette: GraphPalette = GRAPH_PALETTES.light): LegendSection[] {
  const leaves = nodes.filter((n) => !n.classes.includes('box'));
  const nodeClasses = leaves.map((n) => new Set(n.classes));
  const sections: LegendSection[] = [];
  // Fill- and border-based kinds (gateway, outside, idle…) take the shape of the nodes that show them here.
  const shapeOf = (c: Set<string>): ShapeName => (c.has('node-app') ? 'round-rectangle' : c.has('node-service') ? 'triangle' : 'ellipse');
  const kinds = nodeKinds(palette).filter((k) => nodeClasses.some(k.test)).map((k) => {
    const adaptive = k.item.shape === 'ellipse' && k.item.label !== 'Workload' && k.item.label !== 'Unknown source';
    const first = nodeClasses.find(k.test)!;
    return adaptive ? { ...k.item, shape: shapeOf(first) } : k.item;
  });
  if (kinds.length) sections.push({ title: 'Nodes', items: kinds });
  const health = healthItems(palette).filter(([cls]) => nodeClasses.some((c) => c.has(cls))).map(([, label, color]) => ({ label, shape: 'ellipse' as const, stroke: color }));
  if (health.length) sections.push({ title: 'Health (node border)', items: health });
  const edgeClasses = edges.map((e) => new Set(e.classes));
  const edgeItems = edgeKinds(palette).filter((k) => edgeClasses.some(k.test)).map((k) => ({ label: k.label, line: k.color }));
  if (edgeItems.length) sections.push({ title: 'Edges (width grows with rate)', items: edgeItems });
  const badges = BADGES.filter((b) => leaves.some((n) => b.applies(n.data as never))).map((b) => ({ label: b.title, code: b.code }));
  if (badges.length) sections.push({ title: 'Badges (under the node name)', items: badges });
  const marks: LegendItem[] = [];
  if (nodeClasses.some((c) => c.has('find-match'))) marks.push({ label: 'Matches find', shape: 'ellipse', stroke: palette.find });
  if ([...nodes, ...edges].some((e) => e.selected)) marks.push({ label: 'Selected', shape: 'ellipse', stroke: palette.select });
  if (marks.length) sections.push({ title: 'Marks', items: marks });
  return sections;
}

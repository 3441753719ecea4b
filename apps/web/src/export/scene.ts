/**
 * Reads what cytoscape draws (positions, sizes, resolved styles, labels, edge geometry) into a plain
 * Scene for svg.ts, and the legend elements of the same picture. Only visible elements are taken:
 * what find/hide removed from the canvas is not in the export either.
 */
import type cytoscape from 'cytoscape';
import type { LegendElement } from './legendItems';
import type { Bounds, Scene, SceneEdge, SceneLabel, SceneNode } from './svg';

export type ExportArea = 'full' | 'visible';

interface ParsedStyle {
  value: unknown;
  strValue: string;
  pfValue?: number;
}

// `pstyle` is cytoscape's resolved-style accessor (mapped data already applied); its typings omit it.
function ps(ele: cytoscape.SingularElementArgument, name: string): ParsedStyle {
  const style = (ele as unknown as { pstyle(n: string): ParsedStyle | undefined }).pstyle(name);
  return style ?? { value: undefined, strValue: '' };
}

function num(ele: cytoscape.SingularElementArgument, name: string, fallback = 0): number {
  const s = ps(ele, name);
  const v = typeof s.pfValue === 'number' ? s.pfValue : typeof s.value === 'number' ? s.value : Number(s.strValue);
  return Number.isFinite(v) ? v : fallback;
}

function str(ele: cytoscape.SingularElementArgument, name: string): string {
  return ps(ele, name).strValue ?? '';
}

function labelOf(ele: cytoscape.SingularElementArgument): SceneLabel {
  const text = str(ele, 'label');
  const bgOpacity = num(ele, 'text-background-opacity');
  return {
    lines: text ? text.split('\n') : [],
    fontSize: num(ele, 'font-size', 11),
    color: str(ele, 'color') || '#1f2328',
    bold: /bold|[6-9]00/.test(str(ele, 'font-weight')),
    background: bgOpacity > 0 ? { color: str(ele, 'text-background-color') || '#ffffff', opacity: bgOpacity } : null,
  };
}

function sceneNode(node: cytoscape.NodeSingular): SceneNode {
  const isBox = node.isParent() || node.hasClass('box');
  const border = num(node, 'border-width');
  let x = node.position('x');
  let y = node.position('y');
  let width = node.width();
  let height = node.height();
  if (isBox) {
    const bb = node.boundingBox({ includeLabels: false, includeOverlays: false } as cytoscape.BoundingBoxOptions);
    x = (bb.x1 + bb.x2) / 2;
    y = (bb.y1 + bb.y2) / 2;
    width = bb.w - border;
    height = bb.h - border;
  }
  const borderStyle = str(node, 'border-style');
  return {
    id: node.id(),
    x,
    y,
    width,
    height,
    shape: str(node, 'shape') || 'ellipse',
    fill: str(node, 'background-color') || '#ffffff',
    fillOpacity: num(node, 'background-opacity', 1),
    stroke: str(node, 'border-color') || '#6b7280',
    strokeWidth: border,
    strokeStyle: borderStyle === 'dashed' || borderStyle === 'dotted' || borderStyle === 'double' ? borderStyle : 'solid',
    opacity: num(node, 'opacity', 1),
    isBox,
    label: labelOf(node),
    labelMargin: Math.abs(num(node, 'text-margin-y')),
    selected: node.selected(),
    findMatch: node.hasClass('find-match'),
  };
}

function sceneEdge(edge: cytoscape.EdgeSingular): SceneEdge {
  const controls = edge.controlPoints() ?? edge.segmentPoints() ?? [];
  return {
    id: edge.id(),
    points: [edge.sourceEndpoint(), ...controls, edge.targetEndpoint()].map((p) => ({ x: p.x, y: p.y })),
    color: str(edge, 'line-color') || '#4b7f52',
    width: num(edge, 'width', 1.5),
    opacity: num(edge, 'opacity', 1),
    arrow: str(edge, 'target-arrow-shape') || 'none',
    arrowScale: num(edge, 'arrow-scale', 1),
    label: labelOf(edge),
    labelAt: edge.midpoint(),
    selected: edge.selected(),
  };
}

function intersects(a: Bounds, b: Bounds): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** The elements in the picture: visible ones, and for the visible area those that reach into the viewport. */
export function pictureElements(cy: cytoscape.Core, area: ExportArea): { nodes: cytoscape.NodeCollection; edges: cytoscape.EdgeCollection; bounds: Bounds } {
  const visible = cy.elements().filter((e) => e.visible());
  let nodes: cytoscape.NodeCollection = visible.nodes();
  let edges: cytoscape.EdgeCollection = visible.edges();
  let bounds: Bounds;
  if (area === 'visible') {
    const ext = cy.extent();
    bounds = { x1: ext.x1, y1: ext.y1, x2: ext.x2, y2: ext.y2 };
    const inView = (e: cytoscape.SingularElementArgument) => intersects(e.boundingBox({ includeLabels: true } as cytoscape.BoundingBoxOptions), bounds);
    nodes = nodes.filter(inView);
    edges = edges.filter(inView);
  } else {
    const bb = visible.boundingBox({ includeLabels: true, includeOverlays: false } as cytoscape.BoundingBoxOptions);
    const pad = 12;
    bounds = visible.empty() ? { x1: 0, y1: 0, x2: 100, y2: 100 } : { x1: bb.x1 - pad, y1: bb.y1 - pad, x2: bb.x2 + pad, y2: bb.y2 + pad };
  }
  return { nodes, edges, bounds };
}

/** The Scene of the picture. */
export function readScene(cy: cytoscape.Core, area: ExportArea): Scene {
  const { nodes, edges, bounds } = pictureElements(cy, area);
  const all: cytoscape.NodeSingular[] = nodes.toArray() as cytoscape.NodeSingular[];
  const isBox = (n: cytoscape.NodeSingular) => n.isParent() || n.hasClass('box');
  const boxes = all.filter(isBox).sort((a, b) => a.ancestors().length - b.ancestors().length || (a.id() < b.id() ? -1 : 1));
  const leaves = all.filter((n) => !isBox(n));
  return {
    bounds,
    boxes: boxes.map(sceneNode),
    nodes: leaves.map(sceneNode),
    edges: edges.map((e) => sceneEdge(e)),
  };
}

/** The legend's input for the same picture. */
export function legendElements(cy: cytoscape.Core, area: ExportArea): { nodes: LegendElement[]; edges: LegendElement[] } {
  const { nodes, edges } = pictureElements(cy, area);
  const toLegend = (e: cytoscape.SingularElementArgument): LegendElement => ({ classes: e.classes(), data: e.data() as Record<string, unknown>, selected: e.selected() });
  return { nodes: nodes.map(toLegend), edges: edges.map(toLegend) };
}

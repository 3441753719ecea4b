/**
 * The cytoscape stylesheet. Appearance is driven by classes (see elements.ts) so that one selector
 * per concept styles every node, and by a few precomputed data fields (label, width).
 */
import type cytoscape from 'cytoscape';
import type { EdgeLabelMode } from '../url/viewState';
import { EDGE_LABEL_FIELD } from './edgeLabel';
import { configMarkerStyles } from '../config/graphMarkerStyle';
import { GRAPH_PALETTES, type GraphPalette } from './theme';

export const FONT_FAMILY = 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const LABEL_FONT_SIZE = 11;
/** Node labels at the `compact` level of detail (below). */
export const COMPACT_LABEL_FONT_SIZE = 13;
export const LABEL_LINE_HEIGHT = 1.25;
/** Size of a node's shape (the label hangs below it). */
export const NODE_SHAPE_SIZE = { width: 34, height: 34 };
export const LABEL_MARGIN_Y = 4;

type Shape = cytoscape.Css.NodeShape;

/** Kiali's conventions: app = rectangle, workload = circle, service = triangle, ServiceEntry = diamond. */
export const SHAPE_BY_CLASS: Array<[string, Shape]> = [
  ['node-app', 'round-rectangle'],
  ['node-workload', 'ellipse'],
  ['node-service', 'triangle'],
  ['node-unknown', 'ellipse'],
  ['service-entry', 'diamond'],
  ['egress-cluster', 'round-tag'],
  ['external-ip', 'octagon'],
];

/**
 * Level of detail by zoom (GraphView switches when the zoom crosses a line). `compact` (a many-namespace mesh fitted to
 * the screen): node labels one size up, so they stay legible where 11px would draw at 5px; the layout leaves room for
 * that between nodes. `low` (an overview): labels would be unreadable and are the costliest thing to draw, arrows a
 * few pixels wide; both go, namespace and group names stay.
 */
export type DetailLevel = 'full' | 'compact' | 'low';
export const COMPACT_ZOOM = 0.7;
export const LOW_DETAIL_ZOOM = 0.3;

/** The level of detail for a zoom. */
export function detailLevel(zoom: number): DetailLevel {
  return zoom < LOW_DETAIL_ZOOM ? 'low' : zoom < COMPACT_ZOOM ? 'compact' : 'full';
}

/**
 * `large`: thousands of edges. They are drawn as haystack lines (cytoscape's cheapest: no curve to compute, no
 * arrow), which halves the first frame of a 1k-workload mesh; direction is read from the layout (left to right)
 * and from the side panel.
 */
export function buildStylesheet(edgeLabels: EdgeLabelMode, palette: GraphPalette = GRAPH_PALETTES.light, detail: DetailLevel = 'full', large = false): cytoscape.StylesheetJson {
  const lowDetail = detail === 'low';
  const labelField = EDGE_LABEL_FIELD[edgeLabels];
  const { health: HEALTH_COLOR, edge: EDGE_COLOR, nodeFill: NODE_FILL, text: TEXT_COLOR, mutedText: MUTED_TEXT_COLOR, find: FIND_COLOR, select: SELECT_COLOR, boxBorder: BOX_BORDER } = palette;
  // How an edge's label is written; set only where there is one.
  const edgeText = {
    'font-family': FONT_FAMILY,
    'font-size': 11,
    color: TEXT_COLOR,
    'text-wrap': 'wrap',
    'text-background-color': palette.labelBackground,
    'text-background-opacity': 0.9,
    'text-background-padding': '2px',
    'text-background-shape': 'roundrectangle',
    'min-zoomed-font-size': 7,
    ...(labelField ? { label: `data(${labelField})` } : {}),
  } as const;
  const sheet: cytoscape.StylesheetJson = [
    {
      selector: 'node',
      style: {
        label: 'data(mlLabel)',
        'font-family': FONT_FAMILY,
        'font-size': LABEL_FONT_SIZE,
        'line-height': LABEL_LINE_HEIGHT,
        color: TEXT_COLOR,
        'text-wrap': 'wrap',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': LABEL_MARGIN_Y,
        'text-background-color': palette.labelBackground,
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 6,
        width: NODE_SHAPE_SIZE.width,
        height: NODE_SHAPE_SIZE.height,
        'background-color': NODE_FILL.normal,
        'border-width': 2.5,
        'border-color': HEALTH_COLOR.NA,
      },
    },
  ];
  for (const [cls, shape] of SHAPE_BY_CLASS) sheet.push({ selector: `node.${cls}`, style: { shape } });
  sheet.push(
    // The triangle's visual centre sits low; a slightly wider shape reads better at small sizes.
    { selector: 'node.node-service', style: { width: 38, height: 32 } },
    { selector: 'node.node-app', style: { width: 40, height: 30 } },
    { selector: 'node.health-Healthy', style: { 'border-color': HEALTH_COLOR.Healthy } },
    { selector: 'node.health-Degraded', style: { 'border-color': HEALTH_COLOR.Degraded, 'border-width': 3.5 } },
    { selector: 'node.health-Failure', style: { 'border-color': HEALTH_COLOR.Failure, 'border-width': 4 } },
    { selector: 'node.outside', style: { 'background-color': NODE_FILL.outside } },
    { selector: 'node.node-unknown', style: { 'background-color': NODE_FILL.unknown } },
    { selector: 'node.service-entry', style: { 'background-color': NODE_FILL.serviceEntry } },
    { selector: 'node.egress-cluster', style: { 'background-color': NODE_FILL.egressCluster } },
    { selector: 'node.external-ip', style: { 'background-color': NODE_FILL.externalIP } },
    { selector: 'node.gateway', style: { 'background-color': NODE_FILL.gateway, 'border-style': 'double', 'border-width': 5 } },
    { selector: 'node.egress-router', style: { 'background-color': NODE_FILL.egressRouter } },
    // An ambient waypoint: a proxy on the path, drawn as a gateway-like diamond.
    { selector: 'node.waypoint', style: { shape: 'diamond', 'background-color': NODE_FILL.gateway, 'border-style': 'double', 'border-width': 5 } },
    { selector: 'node.idle', style: { 'border-style': 'dashed', opacity: 0.7 } },
    { selector: 'node.dead', style: { 'background-color': NODE_FILL.dead, 'border-style': 'dotted', opacity: 0.6 } },
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle',
        'background-color': palette.boxFill,
        'background-opacity': 0.6,
        'border-width': 1,
        'border-color': BOX_BORDER,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -2,
        'font-weight': 'bold',
        color: MUTED_TEXT_COLOR,
        padding: '14px',
      },
    },
    { selector: 'node.box-namespace', style: { 'font-size': 13, 'background-color': palette.namespaceBoxFill } },
    { selector: 'node.box-app', style: { 'border-style': 'dashed', 'font-size': 11, 'font-weight': 'normal', padding: '8px' } },
    // A namespace box of a large graph drawn as a plain node under everything (elements.ts flattenBoxes).
    { selector: 'node.box-flat', style: { width: 'data(mlW)', height: 'data(mlH)', 'z-compound-depth': 'bottom', events: 'no', 'text-margin-y': -2 } as never },
    // A collapsed group (node budget): a closed box, its border its worst member's health, bold name and "+N".
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        width: 58,
        height: 40,
        'background-color': palette.namespaceBoxFill,
        'border-style': 'double',
        'border-width': 5,
        'font-weight': 'bold',
      },
    },
    { selector: 'node.group-app', style: { width: 48, height: 34, 'background-color': palette.boxFill } },
    { selector: 'node.group-unhealthy', style: { 'border-style': 'double', 'border-width': 6 } },
    { selector: 'edge.group-edge', style: { 'line-style': 'solid', 'arrow-scale': 1.1 } },
    {
      selector: 'edge',
      style: large
        ? // Thousands of edges: the fewest properties (each one an element takes costs a style pass over its node's edges),
          // and no pointer events: cytoscape would test each of them on every pointer move (graph/hitTest.ts).
          { width: 'data(mlWidth)', 'curve-style': 'haystack', 'haystack-radius': 0, 'line-color': EDGE_COLOR.healthy, 'target-arrow-shape': 'none', events: 'no', ...(labelField ? edgeText : {}) }
        : {
            width: 'data(mlWidth)',
            'curve-style': 'bezier',
            'line-color': EDGE_COLOR.healthy,
            'target-arrow-color': EDGE_COLOR.healthy,
            'target-arrow-shape': 'triangle',
            'arrow-scale': 0.9,
            ...(labelField ? edgeText : {}),
          },
    },
    // Without edge labels, only the what-if marks below write on an edge.
    ...(labelField ? [] : [{ selector: 'edge.diff-added, edge.diff-removed, edge.diff-changed', style: edgeText }]),
    { selector: 'edge.tcp', style: { 'line-color': EDGE_COLOR.tcp, 'target-arrow-color': EDGE_COLOR.tcp } },
    { selector: 'edge.health-Degraded', style: { 'line-color': EDGE_COLOR.degraded, 'target-arrow-color': EDGE_COLOR.degraded } },
    { selector: 'edge.health-Failure', style: { 'line-color': EDGE_COLOR.failure, 'target-arrow-color': EDGE_COLOR.failure } },
    // Configured, not observed (an egress router's forward): dotted and grey, so it never reads as measured traffic.
    { selector: 'edge.configured', style: { 'line-style': 'dotted', 'line-color': EDGE_COLOR.configured, 'target-arrow-color': EDGE_COLOR.configured, width: 1.5 } },
    { selector: 'edge.mirror', style: { 'line-color': EDGE_COLOR.mirror, 'target-arrow-color': EDGE_COLOR.mirror, 'target-arrow-shape': 'triangle-tee' } },
    { selector: 'edge.idle', style: { 'line-color': EDGE_COLOR.idle, 'target-arrow-color': EDGE_COLOR.idle } },
    // What-if (drafts/graphDiff.ts): predicted by the tracer dashed; Compare's added green dashed, removed red and
    // faded, a changed split labelled "was 100% → 50%" whatever the edge label mode.
    { selector: 'edge.predicted', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
    { selector: 'node.diff-added', style: { 'border-color': palette.diff.added, 'border-style': 'dashed', 'border-width': 3.5 } },
    { selector: 'node.diff-removed', style: { 'border-color': palette.diff.removed, 'border-style': 'dashed', opacity: 0.55 } },
    {
      selector: 'edge.diff-added',
      style: { 'line-color': palette.diff.added, 'target-arrow-color': palette.diff.added, 'line-style': 'dashed', 'line-dash-pattern': [6, 4], label: 'data(mlDiffLabel)', color: palette.diff.added, 'font-weight': 'bold' },
    },
    {
      selector: 'edge.diff-removed',
      style: { 'line-color': palette.diff.removed, 'target-arrow-color': palette.diff.removed, 'line-style': 'dotted', opacity: 0.6, label: 'data(mlDiffLabel)', color: palette.diff.removed },
    },
    { selector: 'edge.diff-changed', style: { 'line-color': palette.diff.changed, 'target-arrow-color': palette.diff.changed, label: 'data(mlDiffLabel)', color: palette.diff.changed, 'font-weight': 'bold' } },
    { selector: '.find-match', style: { 'overlay-color': FIND_COLOR, 'overlay-opacity': 0.18, 'overlay-padding': 6 } },
    { selector: 'node.find-match', style: { 'border-color': FIND_COLOR, 'border-width': 4 } },
    ...configMarkerStyles(),
    { selector: '.hidden', style: { display: 'none' } },
    { selector: 'edge.awaiting-layout', style: { display: 'none' } },
    { selector: 'node:selected', style: { 'overlay-color': SELECT_COLOR, 'overlay-opacity': 0.2, 'overlay-padding': 8 } },
    { selector: 'edge:selected', style: { 'overlay-color': SELECT_COLOR, 'overlay-opacity': 0.25, 'overlay-padding': 4 } },
    // The keyboard cursor (graph/keyboard.ts): an outline that shows where arrows and Enter act, apart from the selection.
    { selector: 'node.kbd-cursor', style: { 'outline-color': palette.cursor, 'outline-width': 3, 'outline-offset': 4, 'outline-opacity': 1, 'outline-style': 'solid' } as never },
    ...(detail === 'compact'
      ? [
          { selector: 'node', style: { 'font-size': COMPACT_LABEL_FONT_SIZE, 'min-zoomed-font-size': 5 } },
          { selector: 'node.box-namespace, node.group', style: { 'font-size': 15 } },
        ]
      : []),
    ...(lowDetail
      ? [
          { selector: 'node', style: { label: '' } },
          { selector: 'node.box-namespace, node.group', style: { label: 'data(mlLabel)', 'min-zoomed-font-size': 4 } },
          { selector: 'edge', style: { label: '', 'target-arrow-shape': 'none' as const } },
        ]
      : []),
    { selector: 'edge.kbd-cursor', style: { 'underlay-color': palette.cursor, 'underlay-opacity': 0.45, 'underlay-padding': 5 } as never },
  );
  return sheet;
}

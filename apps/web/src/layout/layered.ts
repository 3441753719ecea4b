/**
 * Left-to-right layered placement, run inside the layout worker (and by unit tests in Node): no DOM.
 * Up to FAST_LAYOUT_THRESHOLD nodes it is dagre, with namespace and app boxes as dagre clusters so a
 * box's members stay together; above it dagre's crossing minimisation costs seconds, so a linear-time
 * placement by BFS rank takes over.
 */
import dagre from '@dagrejs/dagre';
import { canonicalRequest } from './canonical';
import { DENSE_BOX, packedLayout } from './packed';
import type { LayoutAlgorithm, LayoutRequest, LayoutResult } from './types';

export const FAST_LAYOUT_THRESHOLD = 800;

/**
 * Spacing in px at zoom 1. Node footprints already include their labels, so these are the gaps
 * between labels; ranks get wider when edges carry labels (Kiali: nodesep 25, ranksep 15, no labels).
 */
export const SPACING = { nodesep: 26, ranksep: 44, ranksepWithEdgeLabels: 66, edgesep: 12, boxGap: 44, nodesepPacked: 14, ranksepPacked: 34 };

type Positions = LayoutResult['positions'];

function dagreLayout(request: LayoutRequest, compound: boolean, tight = false): Positions {
  const g = new dagre.graphlib.Graph({ compound, multigraph: false });
  // Inside one of many packed boxes the edges are short and few: closer ranks and rows keep the whole mesh legible at fit.
  const ranksep = request.roomForEdgeLabels ? SPACING.ranksepWithEdgeLabels : tight ? SPACING.ranksepPacked : SPACING.ranksep;
  const nodesep = tight ? SPACING.nodesepPacked : SPACING.nodesep;
  g.setGraph({ rankdir: 'LR', ranker: 'network-simplex', nodesep, ranksep, edgesep: SPACING.edgesep, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const leaves = request.nodes.filter((n) => !n.isBox);
  const boxes = compound ? request.nodes.filter((n) => n.isBox) : [];
  const boxIds = new Set(boxes.map((b) => b.id));
  // Box padding leaves room for the box's own label, drawn above it by cytoscape.
  for (const box of boxes) g.setNode(box.id, { width: 0, height: 0, paddingTop: 26, padding: 14 });
  for (const node of leaves) g.setNode(node.id, { width: node.width, height: node.height });
  if (compound) {
    for (const node of request.nodes) {
      if (node.parent && boxIds.has(node.parent)) g.setParent(node.id, node.parent);
    }
  }
  const leafIds = new Set(leaves.map((n) => n.id));
  for (const edge of request.edges) {
    // Dagre cannot route edges that touch clusters, and self-loops add nothing to ranking.
    if (edge.source !== edge.target && leafIds.has(edge.source) && leafIds.has(edge.target)) g.setEdge(edge.source, edge.target);
  }
  dagre.layout(g);
  const positions: Positions = {};
  for (const node of leaves) {
    const laid = g.node(node.id);
    positions[node.id] = { x: laid.x ?? 0, y: (laid.y ?? 0) + node.anchorDy };
  }
  return positions;
}

/** BFS rank from the traffic sources; nodes only reachable through cycles start a new search at rank 0. */
export function bfsRanks(nodeIds: string[], edges: LayoutRequest['edges']): Map<string, number> {
  const out = new Map<string, string[]>();
  const indegree = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const { source, target } of edges) {
    if (!indegree.has(source) || !indegree.has(target) || source === target) continue;
    const list = out.get(source);
    if (list) list.push(target);
    else out.set(source, [target]);
    indegree.set(target, (indegree.get(target) ?? 0) + 1);
  }
  const rank = new Map<string, number>();
  const visit = (starts: string[]) => {
    const queue = [...starts];
    for (const s of starts) rank.set(s, 0);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      for (const next of out.get(id) ?? []) {
        if (!rank.has(next)) {
          rank.set(next, (rank.get(id) ?? 0) + 1);
          queue.push(next);
        }
      }
    }
  };
  visit(nodeIds.filter((id) => indegree.get(id) === 0));
  for (const id of nodeIds) if (!rank.has(id)) visit([id]);
  return rank;
}

/**
 * Columns by rank, one horizontal band per box so that boxes (sized by cytoscape around their
 * members) never overlap: a band is as tall as the box's tallest column. A rank holding hundreds of
 * nodes wraps into several sub-columns, so a big mesh comes out roughly as wide as it is tall
 * instead of one column too tall to read at any zoom.
 */
function fastLayered(request: LayoutRequest): Positions {
  const leaves = request.nodes.filter((n) => !n.isBox);
  const parentOf = new Map(request.nodes.map((n) => [n.id, n.parent]));
  const bandKey = (id: string) => {
    const chain: string[] = [];
    for (let p = parentOf.get(id); p && chain.length < 8; p = parentOf.get(p)) chain.unshift(p);
    return chain.join('/');
  };
  const ranks = bfsRanks(leaves.map((n) => n.id), request.edges);
  const columnWidth = Math.max(...leaves.map((n) => n.width)) + SPACING.ranksep;
  const rowHeight = Math.max(...leaves.map((n) => n.height)) + SPACING.nodesep / 2;
  const bands = new Map<string, Map<number, typeof leaves>>();
  for (const node of leaves) {
    const key = bandKey(node.id);
    const columns = bands.get(key) ?? new Map<number, typeof leaves>();
    const r = ranks.get(node.id) ?? 0;
    const column = columns.get(r) ?? [];
    column.push(node);
    columns.set(r, column);
    bands.set(key, columns);
  }
  // Rows per sub-column for a picture about 1.6 times wider than tall; bands stack, so each gets a share.
  const maxRows = Math.max(12, Math.ceil(Math.sqrt((leaves.length * columnWidth) / (rowHeight * 1.6)) / bands.size));
  // A rank is as wide as its most wrapped column in any band, so ranks line up across boxes.
  const subColumns = new Map<number, number>();
  for (const columns of bands.values()) {
    for (const [r, column] of columns) subColumns.set(r, Math.max(subColumns.get(r) ?? 1, Math.ceil(column.length / maxRows)));
  }
  const rankX = new Map<number, number>();
  let x = 0;
  for (const r of [...subColumns.keys()].sort((a, b) => a - b)) {
    rankX.set(r, x);
    x += subColumns.get(r)! * columnWidth;
  }
  const positions: Positions = {};
  let top = 0;
  for (const key of [...bands.keys()].sort()) {
    const columns = bands.get(key)!;
    let tallest = 0;
    for (const [r, column] of columns) {
      // Code-unit order, not localeCompare: the picture must not depend on the viewer's locale.
      column.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const rows = Math.min(maxRows, column.length);
      column.forEach((node, i) => {
        const sub = Math.floor(i / rows);
        const row = i % rows;
        positions[node.id] = { x: rankX.get(r)! + sub * columnWidth, y: top + row * rowHeight + node.height / 2 + node.anchorDy };
      });
      tallest = Math.max(tallest, rows);
    }
    top += tallest * rowHeight + SPACING.boxGap;
  }
  return positions;
}

/** Leaves in one box above which the box is placed by rank rather than by dagre (its cost grows much faster). */
const BOX_DAGRE_LIMIT = DENSE_BOX.leaves;
const BOX_DAGRE_EDGE_LIMIT = DENSE_BOX.edges;

/** One namespace box's members, laid out on their own (packed.ts). */
function boxLayout(request: LayoutRequest): Positions {
  const leaves = request.nodes.filter((n) => !n.isBox).length;
  // Dagre's compound mode grows with edges and clusters much faster than with nodes: a namespace of 50 workloads
  // calling each other 200 times takes it seconds.
  if (leaves > BOX_DAGRE_LIMIT || request.edges.length > BOX_DAGRE_EDGE_LIMIT) return fastLayered(request);
  try {
    return dagreLayout(request, request.nodes.some((n) => n.isBox), true);
  } catch {
    return dagreLayout(request, false, true);
  }
}

/** Positions for every non-box node, by the best algorithm the graph's size allows. */
export function layeredLayout(input: LayoutRequest, now: () => number = () => performance.now()): LayoutResult {
  const start = now();
  const request = canonicalRequest(input);
  const leafCount = request.nodes.filter((n) => !n.isBox).length;
  let algorithm: LayoutAlgorithm;
  let positions: Positions;
  const packed = packedLayout(request, boxLayout, request.aspect);
  if (packed) {
    algorithm = 'packed';
    positions = packed;
  } else if (leafCount > FAST_LAYOUT_THRESHOLD) {
    algorithm = 'fast-layered';
    positions = fastLayered(request);
  } else {
    try {
      algorithm = 'dagre';
      positions = dagreLayout(request, request.nodes.some((n) => n.isBox));
    } catch {
      // Dagre's compound mode fails on some nestings; a flat layout still ranks the traffic correctly.
      algorithm = 'dagre-flat';
      positions = dagreLayout(request, false);
    }
  }
  return { positions, algorithm, ms: Math.round(now() - start) };
}

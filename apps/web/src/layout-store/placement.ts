/**
 * Placing a new graph before any of it goes into cytoscape. The layered layout needs only the element definitions
 * (their labels' footprints and edges), so the positions, the boxes' extents and the fitted viewport are all known
 * first; the elements then go in once, where they belong, and are styled and drawn once, at the right level of detail.
 *
 * Why not add first and lay out after, as cytoscape's own layouts do: every element added before its position is
 * known is styled, measured (labels) and bounded twice, and the fit that follows reads every element's bounding box,
 * which forces the whole style pass into the same main-thread task. At 10k workloads collapsed (200 groups, 9k
 * edges) that task was 2 s; at the demo it was the largest of the load.
 */
import type cytoscape from 'cytoscape';
import { NODE_SHAPE_SIZE } from '../graph/stylesheet';
import { canvasTextMeasure, layoutRequest } from '../layout/footprint';
import { computeLayeredLayout } from '../layout/layoutClient';
import { isGroupId } from '../layout/packed';
import type { LayoutRequest } from '../layout/types';
import { mergePositions } from './merge';
import { positionStore, type Point, type SavedView } from './positionStore';

export interface Placement {
  positions: Record<string, Point>;
  /** What placed the nodes, for the footer. */
  algorithm: string;
  kept: number;
  placed: number;
  request: LayoutRequest;
  /** What the view saves once the picture is drawn (`positionsToSave`). */
  toSave: Record<string, Point>;
}

/** Boxes first: cytoscape needs a parent before its children, and the layout gets the order it always had. */
export function boxesFirst<T extends cytoscape.NodeDefinition>(nodes: T[]): T[] {
  return [...nodes].sort((a, b) => Number(Boolean(b.data.isBox)) - Number(Boolean(a.data.isBox)));
}

/**
 * The saved positions a new picture keeps, whatever lays it out: all of the view's when at least half of `leaves` (the
 * new picture's leaf ids) are in it, or when the user dragged one of them; none when the picture mostly changed (a group
 * opened: fifty members where one node was). Placed one by one beside their old neighbours, dozens of new nodes would
 * scatter their boxes across the old picture; laid out anew, they read as a picture of their own.
 */
export function positionsToKeep(leaves: readonly string[], view: Pick<SavedView, 'positions' | 'pinned'> | null | undefined): Record<string, Point> {
  if (!view) return {};
  const kept = leaves.filter((id) => view.positions[id] !== undefined).length;
  const dragged = new Set(view.pinned);
  return kept * 2 >= leaves.length || leaves.some((id) => dragged.has(id)) ? view.positions : {};
}

/**
 * A group collapsed since the view was saved goes where its members were: the middle of their saved positions. Placed
 * as a new node it would land beside its neighbours, away from the hole its members leave (`keep`: the positions
 * already kept; a group among them stays where it is).
 */
export function collapsedWhereMembersWere(
  nodes: ReadonlyArray<cytoscape.NodeDefinition>,
  keep: Readonly<Record<string, Point>>,
  savedPositions: Readonly<Record<string, Point>>,
): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const n of nodes) {
    const id = String(n.data.id);
    const members = (n.data.group as { members?: Array<{ id: string }> } | undefined)?.members;
    if (!members || keep[id]) continue;
    const at = members.map((m) => savedPositions[m.id]).filter((p): p is Point => p !== undefined);
    if (at.length === 0) continue;
    out[id] = { x: at.reduce((s, p) => s + p.x, 0) / at.length, y: at.reduce((s, p) => s + p.y, 0) / at.length };
  }
  return out;
}

/**
 * The positions a view saves: its picture's, and those saved before of collapsed groups it no longer shows (opened
 * since), so that a group closed again goes back where it was drawn collapsed (`collapsedWhereMembersWere` keeps it),
 * not where its members were. Members are not kept once gone: a group opened later may take their place.
 */
export function positionsToSave(positions: Readonly<Record<string, Point>>, saved: Readonly<Record<string, Point>> | undefined): Record<string, Point> {
  const out: Record<string, Point> = { ...positions };
  for (const [id, p] of Object.entries(saved ?? {})) if (isGroupId(id) && out[id] === undefined) out[id] = p;
  return out;
}

/**
 * Where every leaf node goes: the view's saved positions as they are; the layered layout (in the worker) for the
 * rest, new nodes set beside their neighbours (merge.ts). Null when `isStale()` says a newer graph took over.
 */
export async function planPlacement(
  nodes: cytoscape.NodeDefinition[],
  edges: cytoscape.EdgeDefinition[],
  roomForEdgeLabels: boolean,
  aspect: number | undefined,
  key: string,
  isStale: () => boolean,
): Promise<Placement | null> {
  const request = layoutRequest(boxesFirst(nodes), edges, canvasTextMeasure(), roomForEdgeLabels, aspect);
  const leaves = request.nodes.filter((n) => !n.isBox);
  const view = positionStore().get(key);
  const saved = { ...positionsToKeep(leaves.map((n) => n.id), view) };
  if (Object.keys(saved).length > 0) Object.assign(saved, collapsedWhereMembersWere(nodes, saved, view?.positions ?? {}));
  const kept = leaves.filter((n) => saved[n.id] !== undefined).length;
  // Groups opened since keep where they were drawn collapsed when the picture is placed around the saved one; a fresh
  // layout draws in another frame and saves its own positions only.
  const toSave = (positions: Record<string, Point>) => (kept > 0 ? positionsToSave(positions, view?.positions) : positions);
  if (leaves.length > 0 && kept === leaves.length) {
    const positions: Record<string, Point> = {};
    for (const n of leaves) positions[n.id] = saved[n.id]!;
    return { positions, algorithm: 'saved positions', kept, placed: 0, request, toSave: toSave(positions) };
  }
  const result = await computeLayeredLayout(request);
  if (isStale()) return null;
  if (kept === 0) return { positions: result.positions, algorithm: result.algorithm, kept: 0, placed: leaves.length, request, toSave: result.positions };
  const merged = mergePositions(request, result.positions, saved);
  return { positions: merged.positions, algorithm: result.algorithm, kept, placed: merged.placed.length, request, toSave: toSave(merged.positions) };
}

export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

// As the stylesheet draws boxes: a namespace box's padding and bold 13 px name above it, an app box's 8 px padding
// and 11 px name; a flat box (elements.ts flattenBoxes) is its members' extent plus 14 px each side.
const BOX_PADDING = { namespace: 14, app: 8 } as const;
const BOX_LABEL_HEIGHT = { namespace: 20, app: 17 } as const;

/**
 * Each box's extent (around its members' footprints: shape and label; its name above it included), its body (the name
 * left out: what a flat box is sized to), and the whole picture's extent, from the placement
 * alone; what cytoscape's bounding boxes would say within a few pixels, known before anything is drawn. `labelScale`:
 * labels drawn that much larger than the footprints measured them.
 */
export function placedExtents(
  request: LayoutRequest,
  positions: Record<string, Point>,
  boxKind: (id: string) => 'namespace' | 'app',
  labelScale = 1,
): { boxes: Map<string, Extent>; bodies: Map<string, Extent>; all: Extent | null } {
  const parentOf = new Map(request.nodes.map((n) => [n.id, n.parent] as const));
  const members = new Map<string, Extent>();
  const grow = (map: Map<string, Extent>, id: string, e: Extent) => {
    const b = map.get(id);
    if (!b) map.set(id, { ...e });
    else {
      b.x1 = Math.min(b.x1, e.x1);
      b.y1 = Math.min(b.y1, e.y1);
      b.x2 = Math.max(b.x2, e.x2);
      b.y2 = Math.max(b.y2, e.y2);
    }
  };
  let all: Extent | null = null;
  const include = (e: Extent) => {
    if (!all) all = { ...e };
    else {
      all.x1 = Math.min(all.x1, e.x1);
      all.y1 = Math.min(all.y1, e.y1);
      all.x2 = Math.max(all.x2, e.x2);
      all.y2 = Math.max(all.y2, e.y2);
    }
  };
  for (const n of request.nodes) {
    if (n.isBox) continue;
    const p = positions[n.id];
    if (!p) continue;
    // Labels drawn larger than measured (the compact level of detail): the label's part of the footprint grows; the
    // shape (its height is the footprint's less the label below it) stays where it is.
    const shapeH = n.height + 2 * n.anchorDy;
    const width = labelScale === 1 ? n.width : Math.max(n.width, (n.width - 8) * labelScale + 8);
    const top = p.y - shapeH / 2;
    const e = { x1: p.x - width / 2, x2: p.x + width / 2, y1: top, y2: top + shapeH + (n.height - shapeH) * labelScale };
    include(e);
    if (n.parent) grow(members, n.parent, e);
  }
  // Innermost boxes first: an app box's extent grows its namespace box.
  const depth = (id: string) => {
    let d = 0;
    for (let p = parentOf.get(id); p; p = parentOf.get(p)) d++;
    return d;
  };
  const boxes = new Map<string, Extent>();
  const bodies = new Map<string, Extent>();
  // (a box whose members are all boxes has its members' extent only once those are done)
  const boxIds = request.nodes.filter((n) => n.isBox).map((n) => n.id);
  for (const id of boxIds.sort((a, b) => depth(b) - depth(a))) {
    const m = members.get(id);
    if (!m) continue;
    const kind = boxKind(id);
    const pad = BOX_PADDING[kind];
    const body = { x1: m.x1 - pad, x2: m.x2 + pad, y1: m.y1 - pad, y2: m.y2 + pad };
    const e = { ...body, y1: body.y1 - BOX_LABEL_HEIGHT[kind] };
    boxes.set(id, e);
    bodies.set(id, body);
    include(e);
    const parent = parentOf.get(id);
    if (parent) grow(members, parent, e);
  }
  return { boxes, bodies, all };
}

/** Room kept free at each side of the canvas when fitting, in screen pixels. */
export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * What cytoscape's `fit` sets for this extent, with a padding per side (cytoscape's takes one for all four): the
 * extent zoomed into the canvas inside the padding, within the zoom limits, and centred there.
 */
export function fitViewport(
  extent: Extent,
  width: number,
  height: number,
  padding: number | Padding,
  limits: { min: number; max: number },
): { zoom: number; pan: { x: number; y: number } } {
  const pad = typeof padding === 'number' ? { top: padding, right: padding, bottom: padding, left: padding } : padding;
  const w = Math.max(extent.x2 - extent.x1, NODE_SHAPE_SIZE.width);
  const h = Math.max(extent.y2 - extent.y1, NODE_SHAPE_SIZE.height);
  const roomW = width - pad.left - pad.right;
  const roomH = height - pad.top - pad.bottom;
  const raw = Math.min(roomW / w, roomH / h);
  const zoom = Math.min(limits.max, Math.max(limits.min, Number.isFinite(raw) && raw > 0 ? raw : 1));
  const cx = (extent.x1 + extent.x2) / 2;
  const cy = (extent.y1 + extent.y2) / 2;
  return { zoom, pan: { x: pad.left + roomW / 2 - zoom * cx, y: pad.top + roomH / 2 - zoom * cy } };
}

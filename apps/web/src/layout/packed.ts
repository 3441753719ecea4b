/**
 * Many namespaces at once: each namespace box is laid out on its own (dagre inside the box), then the boxes are
 * packed in rows to the viewport's shape. One dagre run over the whole mesh ranks every box by the longest path
 * through it, so a gateway calling twenty namespaces puts them all in one rank: one tall column whose labels are
 * unreadable at fit. Here edges between boxes do not place anything: the boxes tile the screen, and a "hub" (a
 * box or a loose node linked to many other boxes, like the ingress gateway or PassthroughCluster) stands in a
 * column beside the packing, on the left when it mostly sends, on the right when it mostly receives.
 */
import type { LayoutNode, LayoutRequest, LayoutResult } from './types';

type Positions = LayoutResult['positions'];

/** Top-level boxes from which the packed layout takes over from one dagre run. */
export const PACKED_MIN_BOXES = 3;
/** The room cytoscape adds around a namespace box's members (stylesheet: padding 14px) plus its label above it. */
export const BOX_PADDING = { side: 16, top: 30, bottom: 16 };
/** Space between packed units. */
export const PACK_GAP = 22;
/** Above these, a box is laid out by parts (apps) packed in a grid rather than by traffic ranks. */
export const DENSE_BOX = { leaves: 80, edges: 120 };
/** A unit linked to at least this many other units (and a quarter of them) is a hub. */
const HUB_MIN_LINKS = 3;
/** Hubs beside the packing, at most. */
const MAX_HUBS = 4;

/** A collapsed group's node (packages/mesh/src/graph/groups.ts). */
export const isGroupId = (id: string) => id.startsWith('group:');

export interface Rect {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One thing to pack: a namespace box with its members, a hub, or the loose nodes outside any box. */
interface Unit {
  id: string;
  leaves: LayoutNode[];
  /** A box around the members is drawn by cytoscape (padding and label to leave room for). */
  boxed: boolean;
  /** Label width of the box, which may be wider than its members. */
  labelWidth: number;
  positions: Positions;
  width: number;
  height: number;
  /** Where the unit's members' bounding box starts, in its own layout's coordinates. */
  minX: number;
  minY: number;
}

export type InnerLayout = (request: LayoutRequest) => Positions;

/** Shelf packing of rectangles (sorted by height) into rows no wider than `rowWidth`. */
export function shelfPack(items: Array<{ id: string; width: number; height: number }>, rowWidth: number, gap = PACK_GAP): { rects: Rect[]; width: number; height: number } {
  const rects: Rect[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const item of items) {
    if (x > 0 && x + item.width > rowWidth) {
      y += rowHeight + gap;
      x = 0;
      rowHeight = 0;
    }
    rects.push({ id: item.id, x, y, width: item.width, height: item.height });
    x += item.width + gap;
    width = Math.max(width, x - gap);
    rowHeight = Math.max(rowHeight, item.height);
  }
  return { rects, width, height: y + rowHeight };
}

/**
 * Skyline packing (bottom-left): each rectangle, tallest first, goes where its top is lowest (then leftmost) within
 * `rowWidth`, so short boxes fill the room beside tall ones instead of opening a row of their own.
 */
export function skylinePack(items: Array<{ id: string; width: number; height: number }>, rowWidth: number, gap = PACK_GAP): { rects: Rect[]; width: number; height: number } {
  const limit = Math.max(rowWidth, ...items.map((i) => i.width));
  // Segments of the skyline, left to right: from x, `width` wide, free from y down.
  let sky: Array<{ x: number; width: number; y: number }> = [{ x: 0, width: limit + gap, y: 0 }];
  const rects: Rect[] = [];
  let width = 0;
  let height = 0;
  for (const item of items) {
    const need = item.width + gap;
    let bestX = 0;
    let bestY = Infinity;
    for (let i = 0; i < sky.length; i++) {
      const x = sky[i]!.x;
      if (x + item.width > limit + 1e-6) break;
      let y = 0;
      for (let j = i; j < sky.length && sky[j]!.x < x + need - 1e-6; j++) y = Math.max(y, sky[j]!.y);
      if (y < bestY) {
        bestY = y;
        bestX = x;
      }
    }
    rects.push({ id: item.id, x: bestX, y: bestY, width: item.width, height: item.height });
    width = Math.max(width, bestX + item.width);
    height = Math.max(height, bestY + item.height);
    // The new segment replaces what it covers; segments it covers in part keep their remainder.
    const top = bestY + item.height + gap;
    const end = bestX + need;
    const next: typeof sky = [];
    for (const seg of sky) {
      const segEnd = seg.x + seg.width;
      if (segEnd <= bestX || seg.x >= end) next.push(seg);
      else {
        if (seg.x < bestX) next.push({ x: seg.x, width: bestX - seg.x, y: seg.y });
        if (segEnd > end) next.push({ x: end, width: segEnd - end, y: seg.y });
      }
    }
    next.push({ x: bestX, width: need, y: top });
    next.sort((a, b) => a.x - b.x);
    sky = next.reduce<typeof sky>((merged, seg) => {
      const last = merged[merged.length - 1];
      if (last && last.y === seg.y && Math.abs(last.x + last.width - seg.x) < 1e-6) last.width += seg.width;
      else merged.push({ ...seg });
      return merged;
    }, []);
  }
  return { rects, width, height };
}

/**
 * The skyline packing, over candidate row widths and the given orders, that is drawn largest when fitted to a screen
 * of shape `aspect` with `sideWidth` more beside it and at least `minHeight` tall.
 */
function bestPack<T extends { id: string; width: number; height: number }>(orders: T[][], aspect: number, sideWidth = 0, minHeight = 0, gap = PACK_GAP) {
  const items = orders[0]!;
  const widest = Math.max(1, ...items.map((u) => u.width));
  const sum = items.reduce((s, u) => s + u.width + gap, 0);
  let best: ReturnType<typeof skylinePack> | null = null;
  let bestScore = Infinity;
  const candidates = items.length > 200 ? 16 : 48;
  for (let i = 0; i < (candidates + 1) * orders.length; i++) {
    const rowWidth = widest * Math.pow(Math.max(1, sum / widest), (i % (candidates + 1)) / candidates);
    const packed = skylinePack(orders[Math.floor(i / (candidates + 1))]!, rowWidth, gap);
    const width = packed.width + sideWidth;
    const height = Math.max(packed.height, minHeight);
    // What fitting it to the screen will make of it: the larger the zoom at fit, the more legible (lower score wins).
    const score = Math.max(width / aspect, height);
    if (score < bestScore) {
      bestScore = score;
      best = packed;
    }
  }
  return best ?? skylinePack(items, widest, gap);
}

/**
 * A box's members laid out by `inner` per connected part (members of one app box count as connected), the parts
 * packed to a 16:10 shape: dagre stacks unconnected parts in one column, which for a namespace of fifty workloads
 * calling out of it more than inside it is a box many screens tall.
 */
function layComponents(request: LayoutRequest, inner: InnerLayout, byEdges = true): Positions {
  const leaves = request.nodes.filter((n) => !n.isBox);
  if (leaves.length <= 3) return inner(request);
  const root = new Map<string, string>();
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== undefined && root.get(r) !== r) r = root.get(r)!;
    root.set(id, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) root.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const n of leaves) {
    root.set(n.id, n.id);
    if (n.parent) {
      if (!root.has(n.parent)) root.set(n.parent, n.parent);
      union(n.id, n.parent);
    }
  }
  if (byEdges) for (const e of request.edges) if (root.has(e.source) && root.has(e.target)) union(e.source, e.target);
  const parts = new Map<string, LayoutNode[]>();
  for (const n of leaves) {
    const r = find(n.id);
    const list = parts.get(r);
    if (list) list.push(n);
    else parts.set(r, [n]);
  }
  if (parts.size === 1) return inner(request);
  const laid = [...parts.entries()].map(([id, members]) => {
    const ids = new Set(members.map((m) => m.id));
    const boxes = request.nodes.filter((n) => n.isBox && members.some((m) => m.parent === n.id));
    const positions = inner({ ...request, nodes: [...boxes, ...members], edges: request.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
    const b = bounds(members, positions);
    // An app box's padding and label around its members.
    const pad = boxes.length > 0 ? 14 : 0;
    return { id, members, positions, b, pad, width: b.maxX - b.minX + 2 * pad, height: b.maxY - b.minY + 2 * pad };
  });
  const byKey = (a: (typeof laid)[number], b: (typeof laid)[number]) => b.height - a.height || b.width - a.width || (a.id < b.id ? -1 : 1);
  const packed = bestPack([[...laid].sort(byKey)], 1.6, 0, 0, 18);
  const rects = new Map(packed.rects.map((r) => [r.id, r]));
  const out: Positions = {};
  for (const part of laid) {
    const r = rects.get(part.id)!;
    for (const m of part.members) {
      const p = part.positions[m.id]!;
      out[m.id] = { x: p.x - part.b.minX + r.x + part.pad, y: p.y - part.b.minY + r.y + part.pad };
    }
  }
  return out;
}

/** Footprint bounds of laid-out leaves (labels included). */
function bounds(leaves: LayoutNode[], positions: Positions) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of leaves) {
    const p = positions[n.id]!;
    const cy = p.y - n.anchorDy;
    minX = Math.min(minX, p.x - n.width / 2);
    maxX = Math.max(maxX, p.x + n.width / 2);
    minY = Math.min(minY, cy - n.height / 2);
    maxY = Math.max(maxY, cy + n.height / 2);
  }
  return { minX, minY, maxX, maxY };
}

/**
 * Positions for every leaf when the request has at least PACKED_MIN_BOXES top-level boxes, else null (one dagre run
 * reads better for a few namespaces calling each other). `aspect` is the target width / height (the canvas's).
 */
export function packedLayout(request: LayoutRequest, inner: InnerLayout, aspect = 1.6): Positions | null {
  const byId = new Map(request.nodes.map((n) => [n.id, n]));
  const topOf = new Map<string, string | null>();
  const top = (id: string): string | null => {
    const known = topOf.get(id);
    if (known !== undefined) return known;
    let current = byId.get(id)?.parent;
    let outer: string | null = null;
    for (let depth = 0; current && depth < 8; depth++) {
      if (byId.has(current)) outer = current;
      current = byId.get(current)?.parent;
    }
    topOf.set(id, outer);
    return outer;
  };
  const leaves = request.nodes.filter((n) => !n.isBox);
  const members = new Map<string, LayoutNode[]>();
  const loose: LayoutNode[] = [];
  for (const leaf of leaves) {
    const box = top(leaf.id);
    if (box === null) loose.push(leaf);
    else {
      const list = members.get(box);
      if (list) list.push(leaf);
      else members.set(box, [leaf]);
    }
  }
  // Collapsed groups (node budget) are packed like boxes: each its own unit, never a hub column.
  const groups = loose.filter((n) => isGroupId(n.id));
  if (members.size < PACKED_MIN_BOXES && (groups.length === 0 || members.size + groups.length < PACKED_MIN_BOXES)) return null;

  // Units: each top-level box, each loose node; links between units decide the hubs.
  const unitOf = new Map<string, string>();
  for (const [box, list] of members) for (const leaf of list) unitOf.set(leaf.id, box);
  for (const leaf of loose) unitOf.set(leaf.id, leaf.id);
  const links = new Map<string, { out: Set<string>; in: Set<string> }>();
  const linksOf = (u: string) => {
    let l = links.get(u);
    if (!l) links.set(u, (l = { out: new Set(), in: new Set() }));
    return l;
  };
  // Each unit's own edges, found in the same pass: filtering every edge for every unit cost units × edges (a 10k
  // view with one group open: 201 units × 9.4k edges, 0.17 s of its layout).
  const within = new Map<string, LayoutRequest['edges']>();
  for (const e of request.edges) {
    const a = unitOf.get(e.source);
    const b = unitOf.get(e.target);
    if (!a || !b) continue;
    if (a === b) {
      const list = within.get(a);
      if (list) list.push(e);
      else within.set(a, [e]);
      continue;
    }
    linksOf(a).out.add(b);
    linksOf(b).in.add(a);
  }
  const unitCount = members.size + loose.length;
  // A hub stands out: linked to many more units than most are (in a mesh where every namespace calls every other,
  // none does), and a few at most.
  const degrees = [...links].filter(([u]) => !isGroupId(u)).map(([u, l]) => ({ u, l, degree: new Set([...l.out, ...l.in]).size }));
  const sortedDegrees = degrees.map((d) => d.degree).sort((a, b) => a - b);
  const median = sortedDegrees[Math.floor(sortedDegrees.length / 2)] ?? 0;
  const hubThreshold = Math.max(HUB_MIN_LINKS, unitCount / 4, 2 * median + 1);
  const hubSide = new Map<string, 'left' | 'right'>();
  for (const { u, l } of degrees
    .filter((d) => d.degree >= hubThreshold)
    .sort((a, b) => b.degree - a.degree || (a.u < b.u ? -1 : 1))
    .slice(0, MAX_HUBS)) {
    hubSide.set(u, l.out.size >= l.in.size ? 'left' : 'right');
  }

  const withinSet = (ids: Set<string>) => request.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  // `edges`: the unit's own, when `within` has them (a box, a single node); else found here (the outside world).
  const layUnit = (id: string, unitLeaves: LayoutNode[], boxed: boolean, edges?: LayoutRequest['edges']): Unit => {
    // The unit's own nested boxes (app boxes) stay clusters inside it; the top box itself is drawn around the result.
    const nested = boxed ? request.nodes.filter((n) => n.isBox && n.id !== id && top(n.id) === id) : [];
    const sub: LayoutRequest = {
      roomForEdgeLabels: request.roomForEdgeLabels,
      nodes: [...nested, ...unitLeaves.map((n) => (boxed ? n : { ...n, parent: undefined }))].map((n) => (n.parent === id ? { ...n, parent: undefined } : n)),
      edges: edges ?? withinSet(new Set(unitLeaves.map((n) => n.id))),
    };
    // A box too busy for dagre (packed.ts DENSE_BOX) is a grid of its apps: ranks would be one tall band per app box.
    const dense = unitLeaves.length > DENSE_BOX.leaves || sub.edges.length > DENSE_BOX.edges;
    const positions = layComponents(sub, inner, !dense);
    const b = bounds(unitLeaves, positions);
    const labelWidth = boxed ? (byId.get(id)?.width ?? 0) : 0;
    const contentWidth = b.maxX - b.minX;
    const width = boxed ? Math.max(contentWidth + 2 * BOX_PADDING.side, labelWidth + 16) : contentWidth;
    const height = boxed ? b.maxY - b.minY + BOX_PADDING.top + BOX_PADDING.bottom : b.maxY - b.minY;
    return { id, leaves: unitLeaves, boxed, labelWidth, positions, width, height, minX: b.minX, minY: b.minY };
  };

  const units: Unit[] = [];
  for (const box of [...members.keys()].sort()) units.push(layUnit(box, members.get(box)!, true, within.get(box) ?? []));
  // Loose nodes that are not hubs share one unit: the outside world as one small picture of its own.
  const looseRest = loose.filter((n) => !hubSide.has(n.id) && !isGroupId(n.id));
  if (looseRest.length > 0) units.push(layUnit('(outside)', looseRest, false));
  for (const n of loose) if (hubSide.has(n.id) || isGroupId(n.id)) units.push(layUnit(n.id, [n], false, within.get(n.id) ?? []));

  const packable = units.filter((u) => !hubSide.has(u.id));
  const byUnitId = (a: Unit, b: Unit) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // Skyline packing depends on the order: tallest first, widest first and largest first are each best somewhere.
  const orders = [
    [...packable].sort((a, b) => b.height - a.height || byUnitId(a, b)),
    [...packable].sort((a, b) => b.width - a.width || byUnitId(a, b)),
    [...packable].sort((a, b) => b.width * b.height - a.width * a.height || byUnitId(a, b)),
  ];
  const column = (side: 'left' | 'right') => {
    const list = units.filter((u) => hubSide.get(u.id) === side);
    return { list, width: Math.max(0, ...list.map((u) => u.width)), height: list.reduce((s, u) => s + u.height, 0) + Math.max(0, list.length - 1) * PACK_GAP };
  };
  const left = column('left');
  const right = column('right');
  // Hub columns sit apart from the packing: room for the fan of edges to spread.
  const hubGap = PACK_GAP * 2;
  const sideWidth = (left.list.length ? left.width + hubGap : 0) + (right.list.length ? right.width + hubGap : 0);

  // The row width whose packing, hub columns included, is drawn largest when fitted to a screen of the target shape.
  const packed = bestPack(orders, aspect, sideWidth, Math.max(left.height, right.height));
  const totalHeight = Math.max(packed.height, left.height, right.height);

  const positions: Positions = {};
  const place = (unit: Unit, x: number, y: number) => {
    const dx = x - unit.minX + (unit.boxed ? (unit.width - (unitWidthOfMembers(unit))) / 2 : 0);
    const dy = y - unit.minY + (unit.boxed ? BOX_PADDING.top : 0);
    for (const leaf of unit.leaves) {
      const p = unit.positions[leaf.id]!;
      positions[leaf.id] = { x: p.x + dx, y: p.y + dy };
    }
  };
  const packX = left.list.length ? left.width + hubGap : 0;
  const rects = new Map(packed.rects.map((r) => [r.id, r]));
  // Rows are centred vertically against the hub columns when the columns are taller.
  const packY = (totalHeight - packed.height) / 2;
  for (const unit of packable) {
    const r = rects.get(unit.id)!;
    place(unit, packX + r.x, packY + r.y);
  }
  const stack = (col: ReturnType<typeof column>, x: number) => {
    let y = (totalHeight - col.height) / 2;
    for (const unit of col.list) {
      place(unit, x + (col.width - unit.width) / 2, y);
      y += unit.height + PACK_GAP;
    }
  };
  stack(left, 0);
  stack(right, packX + packed.width + hubGap);
  return positions;
}

function unitWidthOfMembers(unit: Unit): number {
  const b = bounds(unit.leaves, unit.positions);
  return b.maxX - b.minX;
}

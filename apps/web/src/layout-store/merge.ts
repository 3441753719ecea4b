/**
 * Stable layouts: nodes with a saved position stay exactly there; only new nodes are placed.
 *
 * Choice: lay the whole graph out (deterministically) and keep old positions fixed, rather than
 * laying out the new nodes alone. The full layout knows where a new node belongs relative to its
 * neighbours (its rank, its box); each new node then moves by the same offset its already-placed
 * neighbours moved between the fresh layout and the saved picture, so it lands beside them, and is
 * nudged down until its footprint (shape and label) overlaps nothing. Laying out new nodes alone
 * would need dagre's constraints for fixed nodes, which it does not have.
 */
import type { LayoutRequest } from '../layout/types';
import type { Point } from './positionStore';

const GAP = 14;
const MAX_NUDGES = 400;

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function rectOf(node: { width: number; height: number; anchorDy: number }, p: Point): Rect {
  const cy = p.y - node.anchorDy;
  return { left: p.x - node.width / 2, right: p.x + node.width / 2, top: cy - node.height / 2, bottom: cy + node.height / 2 };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.left < b.right + GAP && b.left < a.right + GAP && a.top < b.bottom + GAP && b.top < a.bottom + GAP;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface MergeResult {
  positions: Record<string, Point>;
  /** Nodes that had no saved position, sorted. */
  placed: string[];
}

/** Every saved leaf where it was; new leaves beside their neighbours, overlapping nothing. */
export function mergePositions(request: LayoutRequest, laidOut: Record<string, Point>, saved: Record<string, Point>): MergeResult {
  const leaves = request.nodes.filter((n) => !n.isBox).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const positions: Record<string, Point> = {};
  const fresh: typeof leaves = [];
  for (const node of leaves) {
    const p = saved[node.id];
    if (p) positions[node.id] = { x: p.x, y: p.y };
    else fresh.push(node);
  }
  if (fresh.length === 0) return { positions, placed: [] };
  if (fresh.length === leaves.length) {
    for (const node of leaves) positions[node.id] = laidOut[node.id] ?? { x: 0, y: 0 };
    return { positions, placed: leaves.map((n) => n.id) };
  }
  const delta = (id: string): Point | null => {
    const s = saved[id];
    const l = laidOut[id];
    return s && l ? { x: s.x - l.x, y: s.y - l.y } : null;
  };
  const keptDeltas = leaves.map((n) => delta(n.id)).filter((d): d is Point => d !== null);
  const overall = { x: median(keptDeltas.map((d) => d.x)), y: median(keptDeltas.map((d) => d.y)) };
  const neighbours = new Map<string, string[]>();
  for (const { source, target } of request.edges) {
    if (source === target) continue;
    neighbours.set(source, [...(neighbours.get(source) ?? []), target]);
    neighbours.set(target, [...(neighbours.get(target) ?? []), source]);
  }
  const taken: Rect[] = leaves.filter((n) => positions[n.id]).map((n) => rectOf(n, positions[n.id]!));
  for (const node of fresh) {
    const deltas = [...new Set(neighbours.get(node.id) ?? [])].sort().map(delta).filter((d): d is Point => d !== null);
    const shift = deltas.length > 0 ? { x: deltas.reduce((s, d) => s + d.x, 0) / deltas.length, y: deltas.reduce((s, d) => s + d.y, 0) / deltas.length } : overall;
    const base = laidOut[node.id] ?? { x: 0, y: 0 };
    let p = { x: base.x + shift.x, y: base.y + shift.y };
    for (let i = 0; i < MAX_NUDGES; i++) {
      const rect = rectOf(node, p);
      const hit = taken.find((t) => overlaps(rect, t));
      if (!hit) break;
      // Step just below whatever it hit: one step per obstacle, so it terminates quickly.
      p = { x: p.x, y: p.y + (hit.bottom + GAP - rect.top) + 1 };
    }
    positions[node.id] = p;
    taken.push(rectOf(node, p));
  }
  return { positions, placed: fresh.map((n) => n.id) };
}

/**
 * Positions between the layout worker and the page as one Float64Array (x, y per node, in the request's node order;
 * NaN for a node the layout did not place), transferred rather than copied: a structured clone of thousands of
 * `{ x, y }` objects keyed by id costs the page's main thread far more than one buffer handed over.
 */
import type { LayoutNode, LayoutResult } from './types';

type Positions = LayoutResult['positions'];

/** `positions` as x, y pairs in `nodes`' order. */
export function packPositions(nodes: readonly Pick<LayoutNode, 'id'>[], positions: Readonly<Positions>): Float64Array {
  const xy = new Float64Array(nodes.length * 2);
  nodes.forEach((n, i) => {
    const p = positions[n.id];
    xy[2 * i] = p ? p.x : NaN;
    xy[2 * i + 1] = p ? p.y : NaN;
  });
  return xy;
}

/** The positions `packPositions` packed, keyed by id again; nodes without one are left out. */
export function unpackPositions(nodes: readonly Pick<LayoutNode, 'id'>[], xy: Float64Array): Positions {
  const positions: Positions = {};
  nodes.forEach((n, i) => {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    if (!Number.isNaN(x) && !Number.isNaN(y)) positions[n.id] = { x, y };
  });
  return positions;
}

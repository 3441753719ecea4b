/**
 * Moving through the graph without a mouse: arrow keys go to the nearest node in that direction, `]` and `[` walk
 * the edges of the node last visited, Home goes to the first node (nearest the top-left corner). Pure functions of positions and ids,
 * so the rules are unit-tested; graph/useGraphKeyboard.ts binds them to the canvas.
 */

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface Placed {
  id: string;
  x: number;
  y: number;
}

const AXIS: Record<Direction, { dx: number; dy: number }> = {
  left: { dx: -1, dy: 0 },
  right: { dx: 1, dy: 0 },
  up: { dx: 0, dy: -1 },
  down: { dx: 0, dy: 1 },
};

/**
 * The node to move to from `from`: ahead in the direction, preferring those near its axis (within 60° of it) and
 * then the closest, counting sideways distance twice, so a node straight ahead beats a nearer one off to the side.
 * null when nothing lies ahead.
 */
export function nextInDirection(from: Placed, candidates: Placed[], direction: Direction): string | null {
  const { dx, dy } = AXIS[direction];
  let best: { id: string; score: number; inCone: boolean } | null = null;
  for (const c of candidates) {
    if (c.id === from.id) continue;
    const ahead = (c.x - from.x) * dx + (c.y - from.y) * dy;
    if (ahead <= 0.5) continue;
    const side = Math.abs((c.x - from.x) * dy - (c.y - from.y) * dx);
    const inCone = side <= ahead * Math.tan(Math.PI / 3);
    const score = ahead + 2 * side;
    if (!best || (inCone && !best.inCone) || (inCone === best.inCone && score < best.score)) best = { id: c.id, score, inCone };
  }
  return best?.id ?? null;
}

/**
 * Where the cursor starts: the node nearest the graph's top-left corner. Layouts run left to right, so this is
 * where traffic comes in (a gateway, a client), not the top row's last service.
 */
export function firstNode(nodes: Placed[]): string | null {
  if (nodes.length === 0) return null;
  const left = Math.min(...nodes.map((n) => n.x));
  const top = Math.min(...nodes.map((n) => n.y));
  const distance = (n: Placed) => Math.hypot(n.x - left, n.y - top);
  return [...nodes].sort((a, b) => distance(a) - distance(b) || a.x - b.x)[0]!.id;
}

export interface EdgeEnds {
  id: string;
  source: string;
  target: string;
}

/** The edges of a node to walk with `]`/`[`: outgoing first, then incoming, each in the order given. */
export function edgesOf(node: string, edges: EdgeEnds[]): string[] {
  return [...edges.filter((e) => e.source === node), ...edges.filter((e) => e.target === node && e.source !== node)].map((e) => e.id);
}

/** The next (`step` 1) or previous (-1) id of a cycle after `current`; the first (or last) when `current` is not in it. */
export function cycle(ids: string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i < 0) return step === 1 ? ids[0]! : ids[ids.length - 1]!;
  return ids[(i + step + ids.length) % ids.length]!;
}

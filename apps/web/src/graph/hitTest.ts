/**
 * Finding the edge under the pointer in a large graph. There, edges take no pointer events (stylesheet.ts): cytoscape
 * tests every element on every pointer move, and at 9k edges that is 70–180 ms per move, so the pointer lagged over
 * the picture. A click that lands on no node looks for the nearest edge here instead, once, on the straight lines the
 * large graph draws (haystack edges run from centre to centre).
 */

export interface Segment {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Squared distance from (x, y) to the segment. */
function distanceSq(x: number, y: number, s: Segment): number {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - s.x1) * dx + (y - s.y1) * dy) / length));
  const px = s.x1 + t * dx - x;
  const py = s.y1 + t * dy - y;
  return px * px + py * py;
}

/** The id of the segment nearest to (x, y) within `threshold`, the first listed on a tie; null when none is that near. */
export function nearestSegment(x: number, y: number, segments: Iterable<Segment>, threshold: number): string | null {
  let best: string | null = null;
  let bestSq = threshold * threshold;
  for (const s of segments) {
    const d = distanceSq(x, y, s);
    if (d <= bestSq && (best === null || d < bestSq)) {
      best = s.id;
      bestSq = d;
    }
  }
  return best;
}

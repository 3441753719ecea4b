import type { GraphResponse } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import fixture from '../../test-fixtures/bookinfo-graph.json';
import { toElements } from '../graph/elements';
import { bfsRanks, FAST_LAYOUT_THRESHOLD, layeredLayout } from './layered';
import { estimateTextWidth, layoutRequest } from './footprint';
import type { LayoutRequest } from './types';

function footprints(request: LayoutRequest, positions: Record<string, { x: number; y: number }>) {
  return request.nodes
    .filter((n) => !n.isBox)
    .map((n) => {
      const p = positions[n.id];
      const cy = p.y - n.anchorDy;
      return { id: n.id, left: p.x - n.width / 2, right: p.x + n.width / 2, top: cy - n.height / 2, bottom: cy + n.height / 2 };
    });
}

function overlaps(request: LayoutRequest, positions: Record<string, { x: number; y: number }>): string[] {
  const boxes = footprints(request, positions);
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) found.push(`${a.id} × ${b.id}`);
    }
  }
  return found;
}

describe('layered layout', () => {
  const { nodes, edges } = toElements(fixture as unknown as GraphResponse);
  const request = layoutRequest(nodes, edges, estimateTextWidth);

  it('places Bookinfo left to right with no overlapping labels', () => {
    const result = layeredLayout(request);
    expect(result.algorithm).toBe('dagre');
    expect(overlaps(request, result.positions)).toEqual([]);
    const x = (id: string) => result.positions[id].x;
    expect(x('vapp_bookinfo_productpage_v1')).toBeLessThan(x('svc_bookinfo_reviews'));
    expect(x('svc_bookinfo_reviews')).toBeLessThan(x('vapp_bookinfo_reviews_v2'));
    expect(x('vapp_bookinfo_reviews_v2')).toBeLessThan(x('vapp_bookinfo_ratings_v1'));
    expect(result.positions.box_bookinfo).toBeUndefined();
  });

  it('keeps room for edge labels when asked', () => {
    const tight = layeredLayout(request).positions;
    const roomy = layeredLayout({ ...request, roomForEdgeLabels: true }).positions;
    const span = (p: typeof tight) => p.vapp_bookinfo_mongodb_v1.x - p.unknown.x;
    expect(span(roomy)).toBeGreaterThan(span(tight));
  });

  it('switches to the fast placement for large meshes, without overlaps, quickly', () => {
    const count = FAST_LAYOUT_THRESHOLD + 200;
    const big: LayoutRequest = {
      nodes: [
        { id: 'ns-a', isBox: true, width: 0, height: 0, anchorDy: 0 },
        { id: 'ns-b', isBox: true, width: 0, height: 0, anchorDy: 0 },
        ...Array.from({ length: count }, (_, i) => ({ id: `n${i}`, parent: i % 2 ? 'ns-a' : 'ns-b', isBox: false, width: 80, height: 60, anchorDy: -13 })),
      ],
      edges: Array.from({ length: count - 1 }, (_, i) => ({ source: `n${Math.floor(i / 3)}`, target: `n${i + 1}` })),
    };
    const started = Date.now();
    const result = layeredLayout(big);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.algorithm).toBe('fast-layered');
    expect(Object.keys(result.positions)).toHaveLength(count);
    expect(overlaps(big, result.positions)).toEqual([]);
  });

  it('ranks by distance from the traffic sources, surviving cycles', () => {
    const ranks = bfsRanks(['a', 'b', 'c', 'd', 'x', 'y'], [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'c', target: 'b' },
      { source: 'a', target: 'd' },
      { source: 'x', target: 'y' },
      { source: 'y', target: 'x' },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 0, b: 1, d: 1, c: 2, x: 0, y: 1 });
  });
});

import type { GraphResponse } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import demo from './__fixtures__/demo-all-graph.json';
import { toElements } from '../graph/elements';
import { estimateTextWidth, layoutRequest } from './footprint';
import { layeredLayout } from './layered';
import { BOX_PADDING, packedLayout, shelfPack } from './packed';
import type { LayoutRequest, LayoutResult } from './types';

type Positions = LayoutResult['positions'];

/** The rectangle cytoscape would draw for each top-level box (members' footprints plus padding and label). */
function boxRects(request: LayoutRequest, positions: Positions) {
  const byId = new Map(request.nodes.map((n) => [n.id, n]));
  const topOf = (id: string) => {
    let outer: string | undefined;
    for (let p = byId.get(id)?.parent; p; p = byId.get(p)?.parent) outer = p;
    return outer;
  };
  const rects = new Map<string, { x1: number; y1: number; x2: number; y2: number }>();
  for (const n of request.nodes) {
    if (n.isBox) continue;
    const key = topOf(n.id) ?? n.id;
    const p = positions[n.id]!;
    const cy = p.y - n.anchorDy;
    const r = rects.get(key) ?? { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    r.x1 = Math.min(r.x1, p.x - n.width / 2);
    r.x2 = Math.max(r.x2, p.x + n.width / 2);
    r.y1 = Math.min(r.y1, cy - n.height / 2);
    r.y2 = Math.max(r.y2, cy + n.height / 2);
    rects.set(key, r);
  }
  for (const [key, r] of rects) {
    if (!byId.get(key)?.isBox) continue;
    r.x1 -= 14;
    r.x2 += 14;
    r.y1 -= BOX_PADDING.top - 2;
    r.y2 += 14;
  }
  return rects;
}

function overlapping(rects: Map<string, { x1: number; y1: number; x2: number; y2: number }>): string[] {
  const list = [...rects];
  const found: string[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [ia, a] = list[i]!;
      const [ib, b] = list[j]!;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) found.push(`${ia} × ${ib}`);
    }
  }
  return found;
}

function extent(rects: Map<string, { x1: number; y1: number; x2: number; y2: number }>) {
  const all = [...rects.values()];
  const width = Math.max(...all.map((r) => r.x2)) - Math.min(...all.map((r) => r.x1));
  const height = Math.max(...all.map((r) => r.y2)) - Math.min(...all.map((r) => r.y1));
  return { width, height };
}

describe('packed layout of many namespaces', () => {
  const { nodes, edges } = toElements(demo as unknown as GraphResponse);
  const request = layoutRequest(nodes, edges, estimateTextWidth, false, 1440 / 820);

  it('packs the demo’s namespaces to the screen’s shape, not one column', () => {
    const result = layeredLayout(request);
    expect(result.algorithm).toBe('packed');
    const rects = boxRects(request, result.positions);
    const { width, height } = extent(rects);
    expect(height / width).toBeGreaterThan(0.4);
    expect(height / width).toBeLessThan(1.6);
  });

  it('leaves no two boxes (or loose nodes) overlapping', () => {
    const result = layeredLayout(request);
    expect(overlapping(boxRects(request, result.positions))).toEqual([]);
  });

  it('puts the ingress gateway, which calls many namespaces, in a column on the left of the packing', () => {
    const p = layeredLayout(request).positions;
    const gateway = p['app:istio-system:istio-ingressgateway']!;
    const others = Object.entries(p).filter(([id]) => id.startsWith('vapp:bookinfo-'));
    expect(others.length).toBeGreaterThan(10);
    for (const [, q] of others) expect(gateway.x).toBeLessThan(q.x);
  });

  it('follows a tall screen too', () => {
    const tall = layeredLayout({ ...request, aspect: 0.6 });
    const { width, height } = extent(boxRects(request, tall.positions));
    expect(height / width).toBeGreaterThan(1);
  });

  it('keeps one dagre run for a couple of namespaces', () => {
    const small: LayoutRequest = { nodes: request.nodes.filter((n) => n.id.includes('bookinfo-routing')), edges: [] };
    expect(packedLayout(small, () => ({}))).toBeNull();
  });

  it('shelf-packs rows no wider than asked', () => {
    const packed = shelfPack([{ id: 'a', width: 100, height: 50 }, { id: 'b', width: 100, height: 40 }, { id: 'c', width: 100, height: 30 }], 230, 10);
    expect(packed.rects.map((r) => [r.id, r.x, r.y])).toEqual([['a', 0, 0], ['b', 110, 0], ['c', 0, 60]]);
    expect(packed).toMatchObject({ width: 210, height: 90 });
  });
});

import type { GraphResponse } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import fixture from '../../test-fixtures/bookinfo-graph.json';
import { toElements } from '../graph/elements';
import { estimateTextWidth, layoutRequest } from '../layout/footprint';
import { layeredLayout } from '../layout/layered';
import type { LayoutRequest } from '../layout/types';
import { mergePositions } from './merge';
import { MAX_VIEWS, PositionStore, STORAGE_KEY, parseStore, viewKey, type KeyValueStorage } from './positionStore';

const graph = fixture as unknown as GraphResponse;

/** A seeded Fisher–Yates shuffle, so a failure reproduces. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function requestOf(g: GraphResponse): LayoutRequest {
  const { nodes, edges } = toElements(g);
  return layoutRequest(nodes, edges, estimateTextWidth);
}

function rect(request: LayoutRequest, id: string, p: { x: number; y: number }) {
  const n = request.nodes.find((m) => m.id === id)!;
  const cy = p.y - n.anchorDy;
  return { l: p.x - n.width / 2, r: p.x + n.width / 2, t: cy - n.height / 2, b: cy + n.height / 2 };
}

describe('deterministic layout', () => {
  it('gives the same positions whatever the order of nodes and edges in the response', () => {
    const reference = layeredLayout(requestOf(graph)).positions;
    expect(Object.keys(reference).length).toBeGreaterThan(5);
    for (const seed of [1, 7, 42, 2026]) {
      const reordered: GraphResponse = {
        ...graph,
        elements: { nodes: shuffled(graph.elements.nodes, seed), edges: shuffled(graph.elements.edges, seed + 1) },
      };
      expect(layeredLayout(requestOf(reordered)).positions).toEqual(reference);
    }
  });

  it('the fast placement for big meshes is order-independent too', () => {
    const nodes = Array.from({ length: 900 }, (_, i) => ({ id: `n${i}`, isBox: false, width: 80, height: 60, anchorDy: -13 }));
    const edges = Array.from({ length: 899 }, (_, i) => ({ source: `n${Math.floor(i / 3)}`, target: `n${i + 1}` }));
    const a = layeredLayout({ nodes, edges });
    const b = layeredLayout({ nodes: shuffled(nodes, 3), edges: shuffled(edges, 4) });
    expect(a.algorithm).toBe('fast-layered');
    expect(b.positions).toEqual(a.positions);
  });
});

describe('merging saved positions with a new layout', () => {
  const request = requestOf(graph);
  const laidOut = layeredLayout(request).positions;
  const leaves = request.nodes.filter((n) => !n.isBox).map((n) => n.id);

  it('keeps every saved node exactly where it was and places only new ones, beside their neighbours, without overlap', () => {
    // The user's picture: everything shifted by (500, 300) and one node dragged far away.
    const saved: Record<string, { x: number; y: number }> = {};
    for (const id of leaves) saved[id] = { x: laidOut[id]!.x + 500, y: laidOut[id]!.y + 300 };
    saved.vapp_bookinfo_details_v1 = { x: -2000, y: -2000 };
    const newcomer = 'vapp_bookinfo_ratings_v1';
    delete saved[newcomer];
    const { positions, placed } = mergePositions(request, laidOut, saved);
    expect(placed).toEqual([newcomer]);
    for (const id of leaves) if (id !== newcomer) expect(positions[id]).toEqual(saved[id]);
    // ratings' neighbours moved by (500, 300): so does ratings (no overlap to resolve there).
    expect(positions[newcomer]).toEqual({ x: laidOut[newcomer]!.x + 500, y: laidOut[newcomer]!.y + 300 });
  });

  it('nudges a new node off an occupied spot', () => {
    const newcomer = 'vapp_bookinfo_ratings_v1';
    const saved: Record<string, { x: number; y: number }> = {};
    for (const id of leaves) saved[id] = laidOut[id]!;
    delete saved[newcomer];
    // Someone dragged details exactly onto the spot ratings would take.
    saved.vapp_bookinfo_details_v1 = laidOut[newcomer]!;
    const { positions } = mergePositions(request, laidOut, saved);
    const mine = rect(request, newcomer, positions[newcomer]!);
    for (const id of leaves) {
      if (id === newcomer) continue;
      const other = rect(request, id, positions[id]!);
      const hit = mine.l < other.r && other.l < mine.r && mine.t < other.b && other.t < mine.b;
      expect(hit, `${newcomer} overlaps ${id}`).toBe(false);
    }
  });

  it('uses the fresh layout as is when nothing was saved', () => {
    const { positions, placed } = mergePositions(request, laidOut, {});
    expect(positions).toEqual(laidOut);
    expect(placed).toHaveLength(leaves.length);
  });
});

class MapStorage implements KeyValueStorage {
  map = new Map<string, string>();
  quota = Infinity;
  getItem(key: string) { return this.map.get(key) ?? null; }
  setItem(key: string, value: string) {
    if (value.length > this.quota) throw new Error('QuotaExceededError');
    this.map.set(key, value);
  }
  removeItem(key: string) { this.map.delete(key); }
}

describe('position store', () => {
  it('keys views by namespace set, graph type and layout', () => {
    expect(viewKey(['b', 'a'], 'app', 'layered')).toBe(viewKey(['a', 'b'], 'app', 'layered'));
    expect(viewKey(['a'], 'app', 'layered')).not.toBe(viewKey(['a'], 'workload', 'layered'));
  });

  it('saves, reads back across instances (a reload), pins dragged nodes and clears on re-layout', () => {
    const storage = new MapStorage();
    const first = new PositionStore(storage, () => 1);
    first.save('v', { a: { x: 1.234, y: 2 }, b: { x: 3, y: 4 } }, ['a']);
    const second = new PositionStore(storage, () => 2);
    expect(second.get('v')).toEqual({ used: 1, positions: { a: { x: 1.2, y: 2 }, b: { x: 3, y: 4 } }, pinned: ['a'] });
    second.save('v', { a: { x: 5, y: 5 }, b: { x: 3, y: 4 } }, ['b']);
    expect(second.get('v')!.pinned).toEqual(['a', 'b']);
    second.clear('v');
    expect(new PositionStore(storage).get('v')).toBeNull();
  });

  it(`keeps only the ${MAX_VIEWS} most recently used views`, () => {
    const storage = new MapStorage();
    let t = 0;
    const store = new PositionStore(storage, () => ++t);
    for (let i = 0; i < MAX_VIEWS + 10; i++) store.save(`view${i}`, { a: { x: i, y: i } });
    const kept = Object.keys(parseStore(storage.getItem(STORAGE_KEY)));
    expect(kept).toHaveLength(MAX_VIEWS);
    expect(kept).not.toContain('view0');
    expect(kept).toContain(`view${MAX_VIEWS + 9}`);
  });

  it('drops old views when the quota is full, and survives corrupt or missing storage', () => {
    const storage = new MapStorage();
    const store = new PositionStore(storage, (() => { let t = 0; return () => ++t; })());
    for (let i = 0; i < 8; i++) store.save(`view${i}`, { a: { x: i, y: i } });
    storage.quota = 200;
    store.save('latest', { a: { x: 9, y: 9 } });
    expect(store.get('latest')).not.toBeNull();
    expect(storage.getItem(STORAGE_KEY)!.length).toBeLessThanOrEqual(200);
    storage.map.set(STORAGE_KEY, '{not json');
    expect(new PositionStore(storage).get('latest')).toBeNull();
    const memoryOnly = new PositionStore(null);
    memoryOnly.save('v', { a: { x: 1, y: 1 } });
    expect(memoryOnly.get('v')!.positions).toEqual({ a: { x: 1, y: 1 } });
    expect(parseStore('{"v":{"used":1,"positions":{"a":{"x":"1","y":2},"b":{"x":1,"y":2}},"pinned":["a","b",3]}}')).toEqual({
      v: { used: 1, positions: { b: { x: 1, y: 2 } }, pinned: ['b'] },
    });
  });
});

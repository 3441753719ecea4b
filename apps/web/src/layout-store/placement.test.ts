import { describe, expect, it } from 'vitest';
import type { LayoutRequest } from '../layout/types';
import { boxesFirst, collapsedWhereMembersWere, fitViewport, placedExtents, positionsToKeep, positionsToSave } from './placement';

// Two namespaces; bookinfo has an app box (reviews) around two versions. Footprints as footprint.ts makes them:
// 42×62 with the shape 12 px above the footprint's centre.
const leaf = (id: string, parent: string) => ({ id, parent, isBox: false, width: 42, height: 62, anchorDy: -12 });
const request: LayoutRequest = {
  nodes: [
    { id: 'box-ns-bookinfo', isBox: true, width: 70, height: 0, anchorDy: 0 },
    { id: 'box-app-bookinfo-reviews', parent: 'box-ns-bookinfo', isBox: true, width: 60, height: 0, anchorDy: 0 },
    { id: 'box-ns-shop', isBox: true, width: 40, height: 0, anchorDy: 0 },
    leaf('productpage', 'box-ns-bookinfo'),
    leaf('reviews-v1', 'box-app-bookinfo-reviews'),
    leaf('reviews-v2', 'box-app-bookinfo-reviews'),
    leaf('cart', 'box-ns-shop'),
  ],
  edges: [],
};
const positions = { productpage: { x: 0, y: 0 }, 'reviews-v1': { x: 200, y: 0 }, 'reviews-v2': { x: 200, y: 100 }, cart: { x: 600, y: 40 } };
const kind = (id: string) => (id.startsWith('box-app-') ? 'app' : 'namespace') as 'app' | 'namespace';

describe('placed extents', () => {
  it('bounds each box around its members’ footprints, its padding and its name, innermost first', () => {
    const { boxes, all } = placedExtents(request, positions, kind);
    // reviews v1/v2: x 179..221, footprint centres at y 12 and 112 (shape 12 px above), so y -19..143; app box pads 8, name 17 above.
    expect(boxes.get('box-app-bookinfo-reviews')).toEqual({ x1: 171, x2: 229, y1: -19 - 8 - 17, y2: 143 + 8 });
    // bookinfo holds productpage (x -21..21, y -19..43) and the reviews box: pads 14, its name 20 above.
    expect(boxes.get('box-ns-bookinfo')).toEqual({ x1: -21 - 14, x2: 229 + 14, y1: -44 - 14 - 20, y2: 151 + 14 });
    expect(boxes.get('box-ns-shop')).toEqual({ x1: 579 - 14, x2: 621 + 14, y1: 21 - 14 - 20, y2: 83 + 14 });
    expect(all).toEqual({ x1: -35, x2: 635, y1: -78, y2: 165 });
  });

  it('bounds a namespace box whose members are all app boxes', () => {
    const onlyApps: LayoutRequest = {
      nodes: [
        { id: 'box-ns-team-04', isBox: true, width: 70, height: 0, anchorDy: 0 },
        { id: 'box-app-team-04-svc-000', parent: 'box-ns-team-04', isBox: true, width: 60, height: 0, anchorDy: 0 },
        leaf('svc-000-v1', 'box-app-team-04-svc-000'),
      ],
      edges: [],
    };
    const { boxes, all } = placedExtents(onlyApps, { 'svc-000-v1': { x: 0, y: 0 } }, kind);
    // svc-000 v1: x -21..21, y -19..43; its app box pads 8 with its name 17 above; the namespace box pads 14, name 20.
    expect(boxes.get('box-app-team-04-svc-000')).toEqual({ x1: -29, x2: 29, y1: -44, y2: 51 });
    expect(boxes.get('box-ns-team-04')).toEqual({ x1: -43, x2: 43, y1: -78, y2: 65 });
    expect(all).toEqual({ x1: -43, x2: 43, y1: -78, y2: 65 });
  });

  it('grows labels, not shapes, when they are drawn larger than measured', () => {
    const { all } = placedExtents({ nodes: [leaf('a', 'x')].map((n) => ({ ...n, parent: undefined })), edges: [] }, { a: { x: 0, y: 0 } }, kind, 13 / 11);
    // shape 38 high (62 - 2·12) from y -19; label part 24 → 28.4; label width 34 → 40.2 (+8)
    expect(all!.y1).toBe(-19);
    expect(all!.y2).toBeCloseTo(-19 + 38 + 24 * (13 / 11));
    expect(all!.x2 - all!.x1).toBeCloseTo(34 * (13 / 11) + 8);
  });

  it('leaves out boxes without a placed member and answers null for nothing placed', () => {
    const { boxes } = placedExtents(request, { cart: { x: 0, y: 0 } }, kind);
    expect([...boxes.keys()]).toEqual(['box-ns-shop']);
    expect(placedExtents(request, {}, kind)).toEqual({ boxes: new Map(), bodies: new Map(), all: null });
  });

  it('gives each box its body, what a flat box is sized to: the extent without the name drawn above it', () => {
    const { boxes, bodies } = placedExtents(request, positions, kind);
    expect(bodies.get('box-ns-shop')).toEqual({ ...boxes.get('box-ns-shop')!, y1: boxes.get('box-ns-shop')!.y1 + 20 });
    expect(bodies.get('box-app-bookinfo-reviews')).toEqual({ ...boxes.get('box-app-bookinfo-reviews')!, y1: boxes.get('box-app-bookinfo-reviews')!.y1 + 17 });
    expect(bodies.get('box-ns-bookinfo')).toEqual({ x1: -35, x2: 243, y1: -58, y2: 165 });
  });
});

describe('fit without bounding boxes', () => {
  it('zooms the extent into the canvas inside the padding and centres it, as cytoscape’s fit does', () => {
    const v = fitViewport({ x1: -35, y1: -78, x2: 635, y2: 165 }, 1440, 900, 44, { min: 0.05, max: 1.6 });
    // width-bound: (1440 - 88) / 670 = 2.018, height: (900 - 88) / 243 = 3.34, capped at 1.6
    expect(v.zoom).toBe(1.6);
    // the extent's centre (300, 43.5) lands on the canvas's centre (720, 450)
    expect(v.pan.x + 300 * v.zoom).toBeCloseTo(720);
    expect(v.pan.y + 43.5 * v.zoom).toBeCloseTo(450);
    const wide = fitViewport({ x1: 0, y1: 0, x2: 13520, y2: 1000 }, 1440, 900, 44, { min: 0.05, max: 1.6 });
    expect(wide.zoom).toBeCloseTo(0.1);
    expect(fitViewport({ x1: 0, y1: 0, x2: 1e7, y2: 1 }, 1440, 900, 44, { min: 0.05, max: 1.6 }).zoom).toBe(0.05);
  });
});

describe('boxes first', () => {
  it('puts boxes before the nodes they hold and keeps the order otherwise', () => {
    const order = boxesFirst([{ data: { id: 'a' } }, { data: { id: 'b', isBox: 'namespace' } }, { data: { id: 'c' } }, { data: { id: 'd', isBox: 'app' } }]);
    expect(order.map((n) => n.data.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('which saved positions a new picture keeps', () => {
  const view = { positions: { 'group:ns:team-04': { x: 0, y: 0 }, 'group:ns:team-05': { x: 300, y: 0 }, productpage: { x: 90, y: 40 } }, pinned: [] as string[] };
  const opened = ['group:ns:team-05', ...Array.from({ length: 5 }, (_, i) => `team-04/svc-${i}`)];
  it('keeps them all while at least half of the new leaves are saved', () => {
    expect(positionsToKeep(['group:ns:team-04', 'group:ns:team-05', 'cart'], view)).toBe(view.positions);
    expect(positionsToKeep(['group:ns:team-04', 'cart'], view)).toBe(view.positions);
  });
  it('keeps none when the picture mostly changed (a group opened into its members)', () => {
    expect(positionsToKeep(opened, view)).toEqual({});
    expect(positionsToKeep(['a'], null)).toEqual({});
  });
  it('keeps them when the user dragged one of the new leaves, however much changed', () => {
    expect(positionsToKeep(opened, { ...view, pinned: ['group:ns:team-05'] })).toBe(view.positions);
    // A dragged node that is gone from the new picture does not hold the old one.
    expect(positionsToKeep(opened, { ...view, pinned: ['productpage'] })).toEqual({});
  });
});

describe('a group collapsed since the view was saved', () => {
  it('goes to the middle of its members’ saved positions; groups already kept, and groups of unknown members, do not move', () => {
    const member = (id: string) => ({ id, name: id.split(':').at(-1)! });
    const nodes = [
      { data: { id: 'group:ns:team-04', group: { key: 'team-04', members: [member('vapp:team-04:svc-000:v1'), member('vapp:team-04:svc-001:v1'), member('vapp:team-04:svc-002:v1')] } } },
      { data: { id: 'group:ns:team-05', group: { key: 'team-05', members: [member('vapp:team-05:svc-000:v1')] } } },
      { data: { id: 'group:ns:team-06', group: { key: 'team-06', members: [member('vapp:team-06:svc-000:v1')] } } },
      { data: { id: 'vapp:team-07:svc-000:v1' } },
    ];
    const saved = {
      'vapp:team-04:svc-000:v1': { x: 100, y: 0 }, 'vapp:team-04:svc-001:v1': { x: 300, y: 60 }, 'vapp:team-04:svc-002:v1': { x: 200, y: 120 },
      'vapp:team-05:svc-000:v1': { x: 900, y: 900 }, 'group:ns:team-05': { x: -50, y: -50 }, 'vapp:team-07:svc-000:v1': { x: 0, y: 500 },
    };
    expect(collapsedWhereMembersWere(nodes, { 'group:ns:team-05': { x: -50, y: -50 } }, saved)).toEqual({ 'group:ns:team-04': { x: 200, y: 60 } });
  });

  it('saves the picture, and where collapsed groups opened since were drawn, not their members once gone', () => {
    const before = { 'group:ns:team-04': { x: 300, y: 0 }, 'group:app:team-05:cart': { x: 600, y: 0 }, 'group:ns:team-06': { x: 0, y: 0 }, 'vapp:team-07:a:v1': { x: 9, y: 9 } };
    // team-04 opened: its members drawn, the group not; team-06 moved.
    const picture = { 'vapp:team-04:svc-000:v1': { x: -400, y: 0 }, 'group:ns:team-06': { x: 10, y: 0 }, 'group:app:team-05:cart': { x: 600, y: 0 } };
    expect(positionsToSave(picture, before)).toEqual({ ...picture, 'group:ns:team-04': { x: 300, y: 0 } });
    expect(positionsToSave(picture, undefined)).toEqual(picture);
  });
});

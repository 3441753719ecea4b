import { describe, expect, it } from 'vitest';
import { packPositions, unpackPositions } from './transfer';

describe('layout positions as one transferable buffer', () => {
  it('packs x, y in the request order and unpacks them by id, leaving out what was not placed', () => {
    const nodes = [{ id: 'ns:bookinfo' }, { id: 'wl:bookinfo/productpage-v1' }, { id: 'wl:bookinfo/reviews-v2' }, { id: 'svc:bookinfo/ratings' }];
    const positions = { 'wl:bookinfo/productpage-v1': { x: -12.5, y: 40 }, 'wl:bookinfo/reviews-v2': { x: 180.25, y: 0 }, 'svc:bookinfo/ratings': { x: 0, y: -3e-7 } };
    const xy = packPositions(nodes, positions);
    expect([...xy]).toEqual([NaN, NaN, -12.5, 40, 180.25, 0, 0, -3e-7]);
    expect(unpackPositions(nodes, xy)).toEqual(positions);
    expect(unpackPositions([], new Float64Array(0))).toEqual({});
  });
});

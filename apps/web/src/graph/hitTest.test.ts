import { describe, expect, it } from 'vitest';
import { nearestSegment, type Segment } from './hitTest';

const segments: Segment[] = [
  { id: 'a->b', x1: 0, y1: 0, x2: 100, y2: 0 },
  { id: 'a->c', x1: 0, y1: 0, x2: 0, y2: 100 },
  { id: 'b->c', x1: 100, y1: 0, x2: 0, y2: 100 },
  { id: 'loop', x1: 300, y1: 300, x2: 300, y2: 300 },
];

describe('the edge under the pointer', () => {
  it('is the nearest segment within the threshold, measured to the segment, not to its line', () => {
    expect(nearestSegment(50, 3, segments, 8)).toBe('a->b');
    expect(nearestSegment(-3, 60, segments, 8)).toBe('a->c');
    expect(nearestSegment(52, 52, segments, 8)).toBe('b->c');
    // Beyond an end of a->b (its line goes on, the segment does not).
    expect(nearestSegment(130, 0, segments, 8)).toBeNull();
    expect(nearestSegment(50, 30, segments, 8)).toBeNull();
  });

  it('prefers the nearer of two close segments and handles a zero-length one', () => {
    // (4, 2): 2 from a->b, 4 from a->c.
    expect(nearestSegment(4, 2, segments, 8)).toBe('a->b');
    expect(nearestSegment(2, 4, segments, 8)).toBe('a->c');
    expect(nearestSegment(303, 304, segments, 8)).toBe('loop');
    expect(nearestSegment(303, 304, segments, 4)).toBeNull();
    expect(nearestSegment(0, 0, [], 8)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { cycle, edgesOf, firstNode, nextInDirection } from './keyboard';

// Bookinfo laid out left to right: gateway → productpage → (reviews v1, v2 above each other, details below) → ratings
const nodes = [
  { id: 'gw', x: 0, y: 100 },
  { id: 'pp', x: 200, y: 100 },
  { id: 'v2', x: 400, y: 0 },
  { id: 'v1', x: 400, y: 100 },
  { id: 'details', x: 400, y: 240 },
  { id: 'ratings', x: 600, y: 0 },
];
const at = (id: string) => nodes.find((n) => n.id === id)!;

describe('moving through the graph with the keyboard', () => {
  it('goes to the nearest node ahead, preferring one straight ahead to a nearer one aside', () => {
    expect(nextInDirection(at('gw'), nodes, 'right')).toBe('pp');
    expect(nextInDirection(at('pp'), nodes, 'right')).toBe('v1');
    expect(nextInDirection(at('v1'), nodes, 'up')).toBe('v2');
    expect(nextInDirection(at('v1'), nodes, 'down')).toBe('details');
    expect(nextInDirection(at('v2'), nodes, 'right')).toBe('ratings');
    expect(nextInDirection(at('pp'), nodes, 'left')).toBe('gw');
  });

  it('stays put when nothing lies ahead, and falls back to nodes outside the cone', () => {
    expect(nextInDirection(at('gw'), nodes, 'left')).toBeNull();
    expect(nextInDirection(at('ratings'), nodes, 'right')).toBeNull();
    // nothing within 60° above productpage but v2 up and to the right
    expect(nextInDirection(at('pp'), nodes, 'up')).toBe('v2');
  });

  it('starts at the node nearest the top-left corner, where traffic comes in', () => {
    expect(firstNode(nodes)).toBe('gw');
    expect(firstNode([{ id: 'a', x: 50, y: 12 }, { id: 'b', x: 10, y: 0 }])).toBe('b');
    expect(firstNode([])).toBeNull();
  });

  it('walks a node\'s edges, outgoing first, round and round', () => {
    const edges = [
      { id: 'gw-pp', source: 'gw', target: 'pp' },
      { id: 'pp-v1', source: 'pp', target: 'v1' },
      { id: 'pp-v2', source: 'pp', target: 'v2' },
      { id: 'pp-pp', source: 'pp', target: 'pp' },
    ];
    const ids = edgesOf('pp', edges);
    expect(ids).toEqual(['pp-v1', 'pp-v2', 'pp-pp', 'gw-pp']);
    expect(cycle(ids, null, 1)).toBe('pp-v1');
    expect(cycle(ids, null, -1)).toBe('gw-pp');
    expect(cycle(ids, 'gw-pp', 1)).toBe('pp-v1');
    expect(cycle(ids, 'pp-v1', -1)).toBe('gw-pp');
    expect(cycle([], null, 1)).toBeNull();
  });
});

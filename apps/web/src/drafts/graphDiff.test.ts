import { describe, expect, it } from 'vitest';
import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { compareGraph, diffGraphs, diffSentence, edgeShares, isEmptyDiff } from './graphDiff';

const node = (id: string, extra: Partial<NodeData> = {}): { data: NodeData } => ({ data: { id, nodeType: 'app', namespace: 'shop', label: id, parent: 'box-ns-shop', ...extra } });
const box = { data: { id: 'box-ns-shop', nodeType: 'box' as const, namespace: 'shop', isBox: 'namespace' as const } };
const edge = (source: string, target: string, rps: number, protocol: 'http' | 'tcp' = 'http'): { data: EdgeData } => ({
  data: { id: `${source}->${target}:${protocol}`, source, target, traffic: { protocol, rates: { [protocol]: rps }, responses: {} }, reporter: 'source' },
});
const graph = (nodes: Array<{ data: NodeData }>, edges: Array<{ data: EdgeData }>): GraphResponse => ({ timestamp: 1, duration: 600, graphType: 'versionedApp', namespaces: ['shop'], elements: { nodes: [box, ...nodes], edges } });

// now: web → cart v1 (all of web's HTTP), web → db (TCP); with drafts: cart v1 50%, cart v2 50%, db gone, cache new
const now = graph([node('web'), node('cart-v1'), node('db')], [edge('web', 'cart-v1', 10), edge('web', 'db', 2048, 'tcp')]);
const drafted = graph([node('web'), node('cart-v1'), node('cart-v2')], [edge('web', 'cart-v1', 5), edge('web', 'cart-v2', 5), edge('cart-v1', 'cache', 1, 'tcp')]);

describe('the diff of two graphs', () => {
  it('finds the nodes and edges added and removed, and the splits that change (boxes left out)', () => {
    expect(diffGraphs(now, drafted)).toEqual({
      addedNodes: ['cart-v2'],
      removedNodes: ['db'],
      addedEdges: ['cart-v1->cache:tcp', 'web->cart-v2:http'],
      removedEdges: ['web->db:tcp'],
      changedSplits: [{ id: 'web->cart-v1:http', was: 1, now: 0.5 }],
    });
    expect(isEmptyDiff(diffGraphs(now, now))).toBe(true);
  });

  it('shares are per source and protocol family; a change under 5 points is noise', () => {
    expect([...edgeShares(graph([], [edge('a', 'b', 3), edge('a', 'c', 1), edge('a', 'd', 100, 'tcp')])).entries()]).toEqual([
      ['a->b:http', 0.75], ['a->c:http', 0.25], ['a->d:tcp', 1],
    ]);
    const slightly = graph([node('web'), node('cart-v1')], [edge('web', 'cart-v1', 10), edge('web', 'x', 0.4)]);
    expect(diffGraphs(graph([node('web'), node('cart-v1')], [edge('web', 'cart-v1', 10), edge('web', 'x', 0.1)]), slightly).changedSplits).toEqual([]);
  });

  it('draws Compare as the drafted graph plus what goes away, each change marked and labelled', () => {
    const g = compareGraph(now, drafted);
    expect(g.elements.nodes.map((n) => [n.data.id, (n.data as { mlDiff?: string }).mlDiff ?? ''])).toEqual([
      ['box-ns-shop', ''], ['web', ''], ['cart-v1', ''], ['cart-v2', 'added'], ['db', 'removed'],
    ]);
    expect(g.elements.edges.map((e) => [e.data.id, (e.data as { mlDiff?: string }).mlDiff ?? '', (e.data as { mlDiffLabel?: string }).mlDiffLabel ?? ''])).toEqual([
      ['web->cart-v1:http', 'changed', 'was 100% → 50%'],
      ['web->cart-v2:http', 'added', 'new: 50%'],
      ['cart-v1->cache:tcp', 'added', 'new: 100%'],
      ['web->db:tcp', 'removed', 'was 100% → gone'],
    ]);
    const changed = g.elements.edges[0]!.data;
    expect(diffSentence(changed, true)).toBe("The split changes with the drafts: was 100% → 50% of its source's traffic.");
    expect(diffSentence(g.elements.nodes[4]!.data, false)).toBe('This node goes away with the drafts: its traffic is sent elsewhere.');
    expect(diffSentence(g.elements.nodes[1]!.data, false)).toBeNull();
  });
});

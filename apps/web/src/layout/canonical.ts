/**
 * Same graph, same picture: dagre's result depends on the order nodes and edges are added, and the
 * server's order is not a contract. Sorting by id first makes the layout a function of the graph alone,
 * so two people opening the same view get the same image.
 */
import type { LayoutRequest } from './types';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The request with nodes sorted by id and edges by (source, target), duplicates removed. */
export function canonicalRequest(request: LayoutRequest): LayoutRequest {
  const nodes = [...request.nodes].sort((a, b) => byString(a.id, b.id));
  const seen = new Set<string>();
  const edges = [...request.edges]
    .sort((a, b) => byString(a.source, b.source) || byString(a.target, b.target))
    .filter((e) => {
      const key = `${e.source}\u0000${e.target}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  return { ...request, nodes, edges };
}

/**
 * A graph view as JSON: the same text as `JSON.stringify(view)`, each edge's text kept per edge data object. The
 * summed edges of a graph's views are the same objects from one view to the next (mesh graph/groups.ts keeps them per
 * graph), as are the edges a view leaves as they are; so opening one group of a 10k-workload graph writes the text of
 * its ~300 new edges, not of the ~9k around them (~35 ms of the server's view).
 */
import type { GraphEdge, GraphResponse } from '@meshlens/model';

const edgeText = new WeakMap<object, string>();

function edgeJson(edge: GraphEdge): string {
  // An edge is `{data}`; anything else is written as it is, uncached.
  if (Object.keys(edge).length !== 1 || typeof edge.data !== 'object' || edge.data === null) return JSON.stringify(edge);
  let text = edgeText.get(edge.data);
  if (text === undefined) {
    text = `{"data":${JSON.stringify(edge.data)}}`;
    edgeText.set(edge.data, text);
  }
  return text;
}

/** An object's JSON with the given members written by `write` instead (JSON.stringify's order and omissions). */
function objectJson(value: object, write: Record<string, (v: unknown) => string>): string {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(key)}:${write[key] ? write[key](v) : JSON.stringify(v)}`);
  }
  return `{${parts.join(',')}}`;
}

export function viewJson(view: GraphResponse): string {
  return objectJson(view, {
    elements: (elements) => objectJson(elements as GraphResponse['elements'], {
      edges: (edges) => `[${(edges as GraphEdge[]).map(edgeJson).join(',')}]`,
    }),
  });
}

/** The graph page's graph with config-health markers, and the "only nodes with findings" filter applied. */
import { useMemo } from 'react';
import type { GraphResponse } from '@meshlens/model';
import { useFindings } from './api';
import { markGraph } from './graphFindings';

export function useMarkedGraph(graph: GraphResponse | undefined, namespaces: string[], onlyWithFindings: boolean, refreshMs: number): GraphResponse | undefined {
  const findings = useFindings(namespaces, { involving: true, refreshMs, enabled: namespaces.length > 0 });
  const list = findings.data?.findings;
  return useMemo(() => {
    if (!graph) return graph;
    // Until the findings arrive, the filter cannot tell which nodes to keep: show the graph unfiltered, not empty.
    if (!list) return graph;
    // (an empty result is explained by the page's empty state)
    return markGraph(graph, list, onlyWithFindings);
  }, [graph, list, onlyWithFindings]);
}

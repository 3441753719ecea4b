/** The graph page's graph with config-health markers, and the "only nodes with findings" filter applied. */
import { useMemo } from 'react';
import type { GraphResponse } from '@meshlens/model';
import { useFindings } from './api';
import { markGraph } from './graphFindings';

export function useMarkedGraph(graph: GraphResponse | undefined, namespaces: string[], onlyWithFindings: boolean, refreshMs: number): GraphResponse | undefined {
  const findings = useFindings(namespaces, { involving: true, refreshMs, enabled: namespaces.length > 0 });
  const list = findings.data?.findings;
  // The first picture waits for the first findings (or their failure): their CFG marks widen node labels, so a
  // layout drawn before they arrive differs from one drawn after, and two people opening one link must get one
  // picture. Later refreshes keep the previous findings on screen, so they never wait.
  const waiting = findings.isLoading;
  return useMemo(() => {
    if (!graph || waiting) return undefined;
    // No findings (their request failed): the filter cannot tell which nodes to keep, so show the graph unfiltered, not empty.
    if (!list) return graph;
    // (an empty result is explained by the page's empty state)
    return markGraph(graph, list, onlyWithFindings);
  }, [graph, waiting, list, onlyWithFindings]);
}

/** The graph page: toolbar, canvas and side panel, all driven by the view state in the URL. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { GraphQuery } from '../../api/client';
import { useGraph, useNamespaces } from '../../api/queries';
import { Legend } from '../../components/Legend';
import { StatusArea } from '../../components/StatusArea';
import { Toolbar } from '../../components/Toolbar';
import type cytoscape from 'cytoscape';
import { ExportMenu } from '../../export/ExportMenu';
import { GraphView } from '../../graph/GraphView';
import { SidePanel } from '../../panel/SidePanel';
import { useViewState } from '../../url/useViewState';
import { defaultNamespaces } from '../../url/viewState';
import { ReplayBar } from '../../time/ReplayBar';
import { TimeWindowProvider } from '../../time/TimeWindow';
import { useGraphTime } from '../../time/useGraphTime';
import '../../time/time.css';
import { useMarkedGraph } from '../../config/useMarkedGraph';
import { snapshotGone, SnapshotHint } from '../../snapshot/SnapshotBanner';

export function GraphPage() {
  const [view, setView] = useViewState();
  const namespacesQuery = useNamespaces();
  const available = useMemo(() => namespacesQuery.data?.namespaces ?? [], [namespacesQuery.data]);
  const selected = view.namespaces ?? (namespacesQuery.data ? (namespacesQuery.data.defaultNamespaces ?? defaultNamespaces(available.map((n) => n.name))) : []);
  const [findCount, setFindCount] = useState<number | null>(null);
  const [layoutInfo, setLayoutInfo] = useState('');
  const [cy, setCy] = useState<cytoscape.Core | null>(null);
  // A past moment or a replay frame (time/useGraphTime.ts): which queryTime the graph asks for and whether it refreshes.
  const time = useGraphTime(view, setView);

  // No namespaces in the URL: write the default selection there, so the view is bookmarkable as shown.
  useEffect(() => {
    if (view.namespaces === null && namespacesQuery.data) setView({ namespaces: namespacesQuery.data.defaultNamespaces ?? defaultNamespaces(available.map((n) => n.name)) }, 'replace');
  }, [view.namespaces, namespacesQuery.data, available, setView]);

  const query: GraphQuery | null = useMemo(
    () =>
      selected.length > 0
        ? { namespaces: [...selected].sort(), graphType: view.graphType, duration: view.duration, queryTime: time.queryTime, includeIdle: view.idle, responseTimes: view.edgeLabels === 'responseTime' }
        : null,
    // `selected` is a new array each render; its content is what matters.
    [selected.join(','), view.graphType, view.duration, time.queryTime, view.idle, view.edgeLabels === 'responseTime'],
  );
  const graphQuery = useGraph(query, time.refreshMs);
  // Config-health markers on nodes, and the "only nodes with findings" filter (config/graphFindings.ts).
  const graph = useMarkedGraph(query ? graphQuery.data : undefined, selected, view.findingsOnly, time.refreshMs);
  const onSelect = useCallback((id: string | null) => setView({ focus: id }), [setView]);
  const durationLabel = time.durationText;
  const nodeCount = graph ? graph.elements.nodes.filter((n) => !n.data.isBox).length : 0;

  // Nothing on screen yet and something on its way: skeletons, not an empty canvas.
  const firstLoad = !graph && !graphQuery.error && !namespacesQuery.error && (namespacesQuery.isPending || (query !== null && (graphQuery.isPending || graphQuery.isFetching || graphQuery.data !== undefined)));
  let emptyState: string | null = null;
  if (namespacesQuery.isSuccess && selected.length === 0) {
    emptyState =
      available.length === 0
        ? 'The server lists no namespaces yet. Check the source status in the header.'
        : 'Pick one or more namespaces in the toolbar to see their traffic graph.';
  } else if (graph && nodeCount === 0 && view.findingsOnly) {
    emptyState = `No node of ${selected.join(', ')} has configuration findings. Untick "Only nodes with findings" to see the whole graph.`;
  } else if (graph && nodeCount === 0) {
    emptyState = `No traffic in ${selected.join(', ')} in the ${durationLabel}. Try a longer duration, or show idle nodes.`;
  } else if (namespacesQuery.error && !graph) {
    // A snapshot file the server no longer holds: the banner above says what to do; do not repeat it here.
    emptyState = snapshotGone(namespacesQuery.error) ? 'Nothing to show until the snapshot file is opened again.' : namespacesQuery.error.message;
  } else if (query && graphQuery.error && !graph) {
    emptyState = 'Nothing to show until the server answers. The ↻ button in the toolbar tries again.';
  }

  return (
    <div className="app-body">
        <main className="graph-main">
          <Toolbar
            view={view}
            setView={setView}
            namespaces={available}
            namespacesLoading={namespacesQuery.isLoading}
            selectedNamespaces={selected}
            findCount={findCount}
            onRefresh={() => void graphQuery.refetch()}
            refreshing={graphQuery.isFetching}
          />
          {time.replay && <ReplayBar view={view} setView={setView} interval={time.replay} query={query} loading={graphQuery.isFetching} />}
          <StatusArea
            fetching={graphQuery.isFetching || namespacesQuery.isLoading}
            error={query ? graphQuery.error : null}
            hasGraph={graph !== undefined}
            warnings={graph?.warnings ?? []}
            lastUpdated={graphQuery.dataUpdatedAt}
          />
          <div className="graph-area">
            <GraphView
              graph={graph}
              layout={view.layout}
              edgeLabels={view.edgeLabels}
              find={view.find}
              hide={view.hide}
              focus={view.focus}
              onSelect={onSelect}
              onFindCount={setFindCount}
              onLayoutDone={setLayoutInfo}
              initialViewport={view.zoom !== null && view.pan !== null ? { zoom: view.zoom, pan: view.pan } : null}
              onCy={setCy}
            />
            {firstLoad && (
              <div className="graph-skeleton" data-testid="graph-loading" aria-hidden="true">
                <div className="skeleton" />
                <div className="skeleton" />
                <div className="skeleton" />
              </div>
            )}
            <ExportMenu cy={cy} graph={graph} view={view} findCount={findCount} />
            {emptyState && (
              <div className="empty-state" data-testid="empty-state">
                <div className="empty-card">
                  <p>{emptyState}</p>
                  <SnapshotHint />
                </div>
              </div>
            )}
            {view.legend && <Legend onClose={() => setView({ legend: false })} />}
            {graph && (
              <p className="graph-footer" data-testid="graph-footer">
                {`${nodeCount} nodes · ${graph.elements.edges.length} edges · ${durationLabel} to ${new Date(graph.timestamp * 1000).toLocaleTimeString()}${layoutInfo ? ` · layout: ${layoutInfo}` : ''}`}
              </p>
            )}
          </div>
        </main>
        <TimeWindowProvider value={time.window}>
          <SidePanel graph={graph} loading={firstLoad} focus={view.focus} onSelect={onSelect} />
        </TimeWindowProvider>
    </div>
  );
}

/** The graph page: toolbar, canvas and side panel, all driven by the view state in the URL. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNamespaces } from '../../api/queries';
import { graphViewQuery, type GraphViewQuery } from '../../graph/viewPath';
import { useGraphView } from '../../graph/viewQuery';
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
import { useWhatIfDisplay } from '../../drafts/useWhatIfDisplay';
import { WhatIfBar, WhatIfElementPanel } from '../../drafts/WhatIfGraph';

/** The `expand=` key of a group node id (`group:ns:team-04` → `team-04`, `group:app:team-04:reviews` → `team-04/reviews`). */
function groupKey(id: string): string | null {
  if (id.startsWith('group:ns:')) return id.slice('group:ns:'.length);
  if (id.startsWith('group:app:')) {
    const rest = id.slice('group:app:'.length);
    const at = rest.indexOf(':');
    return at > 0 ? `${rest.slice(0, at)}/${rest.slice(at + 1)}` : null;
  }
  return null;
}

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

  // The neighbourhood's centre is the selection while `hops` is set (graph/viewQuery.ts; the server cuts the graph).
  const around = view.hops && view.focus ? view.focus : undefined;
  const query: GraphViewQuery | null = useMemo(
    () => graphViewQuery(view, selected, time.queryTime),
    // `selected` is a new array each render; its content is what matters.
    [selected.join(','), view.graphType, view.duration, time.queryTime, view.idle, view.waypoints, view.edgeLabels === 'responseTime', view.budget, view.expand.join(','), around, view.hops],
  );
  const graphQuery = useGraphView(query, time.refreshMs);
  // Config-health markers on nodes, and the "only nodes with findings" filter (config/graphFindings.ts).
  const nowGraph = useMarkedGraph(query ? graphQuery.data : undefined, selected, view.findingsOnly, time.refreshMs);
  // With drafts (drafts/useWhatIfDisplay.ts): the graph "with drafts" or both compared, computed in the browser.
  const whatIf = useWhatIfDisplay(query ? graphQuery.data : undefined, nowGraph, query, selected, view.findingsOnly, time.refreshMs);
  const graph = whatIf.graph;
  const onSelect = useCallback(
    (id: string | null) => {
      // A collapsed group (graph/GraphScaleBar.tsx) opens rather than being selected, from the keyboard as from a click.
      const key = id ? groupKey(id) : null;
      if (key) setView({ expand: [...new Set([...view.expand, key])] });
      // In a neighbourhood, a click on the background keeps its centre: "Whole graph" leaves it.
      else if (id !== null || !view.hops) setView({ focus: id });
    },
    [setView, view.expand.join(','), view.hops],
  );
  const onExpand = useCallback((key: string) => setView({ expand: [...new Set([...view.expand, key])] }), [setView, view.expand.join(',')]);
  const onCollapse = useCallback((key: string) => setView({ expand: view.expand.filter((k) => k !== key && !k.startsWith(`${key}/`)) }), [setView, view.expand.join(',')]);
  const onShowAll = useCallback(() => setView({ hops: null }), [setView]);
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
          {whatIf.bar && <WhatIfBar {...whatIf.bar} />}
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
              onExpand={onExpand}
              onCollapse={onCollapse}
              onShowAll={onShowAll}
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
            {whatIf.bar && graph && whatIf.bar.mode !== 'now' && <WhatIfElementPanel graph={graph} focus={view.focus} changed={whatIf.changed} onClose={() => setView({ focus: null })} />}
            {graph && (
              <p className="graph-footer" data-testid="graph-footer">
                {`${nodeCount} nodes · ${graph.elements.edges.length} edges · ${durationLabel} to ${new Date(graph.timestamp * 1000).toLocaleTimeString()}${layoutInfo ? ` · layout: ${layoutInfo}` : ''}`}
              </p>
            )}
          </div>
        </main>
        <TimeWindowProvider value={time.window}>
          <SidePanel graph={graph} loading={firstLoad} focus={view.focus} onSelect={onSelect} find={view.find} findCount={findCount} idleShown={view.idle} onShowIdle={() => setView({ idle: true })} whatIf={whatIf.bar && whatIf.bar.mode !== 'now' ? whatIf.bar.mode : undefined} />
        </TimeWindowProvider>
    </div>
  );
}

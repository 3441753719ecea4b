/** The graph toolbar: every control is a labelled native form control bound to the URL view state. */
import type { GraphType, NamespaceInfo } from '@meshlens/model';
import type { SetView } from '../url/useViewState';
import { DurationSelect } from '../time/DurationSelect';
import { TimeControl } from '../time/TimeControl';
import {
  EDGE_LABEL_OPTIONS,
  GRAPH_TYPE_OPTIONS,
  HOPS_OPTIONS,
  LAYOUT_OPTIONS,
  REFRESH_OPTIONS,
  type EdgeLabelMode,
  type LayoutName,
  type ViewState,
} from '../url/viewState';
import { NamespaceSelect } from './NamespaceSelect';
import { FindingsControls } from '../config/FindingsControls';

interface Props {
  view: ViewState;
  setView: SetView;
  namespaces: NamespaceInfo[];
  namespacesLoading: boolean;
  selectedNamespaces: string[];
  findCount: number | null;
  onRefresh: () => void;
  refreshing: boolean;
}

function Select<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: Array<{ value: T; label: string }>;
  onChange: (value: T) => void;
  disabled?: boolean;
  title?: string;
}) {
  const { id, label, value, options, onChange, disabled, title } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={id}
        value={String(value)}
        disabled={disabled}
        title={title}
        onChange={(event) => {
          const chosen = options.find((o) => String(o.value) === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Toolbar({ view, setView, namespaces, namespacesLoading, selectedNamespaces, findCount, onRefresh, refreshing }: Props) {
  return (
    <form className="toolbar" aria-label="Graph options" onSubmit={(event) => event.preventDefault()}>
      <NamespaceSelect
        namespaces={namespaces}
        selected={selectedNamespaces}
        loading={namespacesLoading}
        onChange={(selected) => setView({ namespaces: selected, focus: null })}
      />
      <div className="toolbar-grid">
        <Select<GraphType> id="graph-type" label="Graph type" value={view.graphType} options={GRAPH_TYPE_OPTIONS} onChange={(graphType) => setView({ graphType, focus: null })} />
        <DurationSelect view={view} setView={setView} />
        <TimeControl view={view} setView={setView} />
        <div className="field refresh-field">
          <Select<number>
            id="refresh"
            label="Refresh"
            value={view.refresh}
            options={REFRESH_OPTIONS}
            onChange={(refresh) => setView({ refresh })}
            // A past moment's graph never changes: refreshing only matters when live.
            disabled={view.queryTime !== null || view.replayStart !== null}
            title={view.queryTime !== null || view.replayStart !== null ? 'Showing a past moment: press Live to refresh again' : undefined}
          />
          <button type="button" className="icon-button" onClick={onRefresh} disabled={refreshing} aria-label="Refresh now" title="Refresh now">
            ↻
          </button>
        </div>
        <Select<LayoutName> id="layout" label="Layout" value={view.layout} options={LAYOUT_OPTIONS} onChange={(layout) => setView({ layout })} />
        <Select<EdgeLabelMode> id="edge-labels" label="Edge labels" value={view.edgeLabels} options={EDGE_LABEL_OPTIONS} onChange={(edgeLabels) => setView({ edgeLabels })} />
        <div className="field">
          <label htmlFor="find">Find</label>
          <input
            id="find"
            data-testid="find"
            type="search"
            value={view.find}
            placeholder="name, e.g. reviews"
            onChange={(event) => setView({ find: event.target.value }, 'replace')}
            aria-describedby="find-count"
          />
          <span id="find-count" className="field-note" aria-live="polite">
            {view.find && findCount !== null ? `${findCount} found` : ''}
          </span>
        </div>
        <Select<number>
          id="hops"
          label="Neighbourhood"
          value={view.hops ?? 0}
          options={HOPS_OPTIONS}
          onChange={(hops) => setView({ hops: hops > 0 ? hops : null })}
          disabled={!view.focus && !view.hops}
          title={view.focus ? 'Show only the nodes this many hops from the selected node' : 'Select a node first'}
        />
        <div className="field">
          <label htmlFor="budget">Node budget</label>
          <input
            id="budget"
            data-testid="budget"
            type="number"
            min={0}
            step={50}
            value={view.budget}
            title="Above this many nodes, namespaces (then apps) collapse into groups; 0 never collapses"
            onChange={(event) => {
              const budget = Number(event.target.value);
              if (Number.isInteger(budget) && budget >= 0 && budget <= 100_000) setView({ budget }, 'replace');
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="hide">Hide</label>
          <input id="hide" data-testid="hide" type="search" value={view.hide} placeholder="name, e.g. unknown" onChange={(event) => setView({ hide: event.target.value }, 'replace')} />
        </div>
        <div className="field toggles">
          <label className="checkbox">
            <input type="checkbox" data-testid="idle" checked={view.idle} onChange={(event) => setView({ idle: event.target.checked })} />
            Show idle nodes
          </label>
          <label className="checkbox" title="Ambient waypoint proxies as nodes: client → waypoint → workload. Hidden, edges go from the client to the workload.">
            <input type="checkbox" data-testid="waypoints" checked={view.waypoints} onChange={(event) => setView({ waypoints: event.target.checked })} />
            Show waypoints
          </label>
          <label className="checkbox">
            <input type="checkbox" data-testid="legend-toggle" checked={view.legend} onChange={(event) => setView({ legend: event.target.checked })} />
            Legend
          </label>
        </div>
        <FindingsControls view={view} setView={setView} namespaces={selectedNamespaces} />
      </div>
    </form>
  );
}

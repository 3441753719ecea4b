/**
 * The Overview, the landing page: the control plane on top, then one entry per namespace (GET /api/overview) —
 * cards for a few, a compact virtualised table for many — worst first by default, filtered by name and label, every
 * choice in the URL (overviewSearch.ts).
 */
import { Link } from '@tanstack/react-router';
import { useEffect, useMemo } from 'react';
import { useOverview } from '../../api/entities';
import { useUrlState } from '../../router/useUrlState';
import { durationLabel, formatMoment } from '../../time/clock';
import { HEALTH_RULES } from '../lists/entityParts';
import { parseLabelSelector } from '../lists/labelSelector';
import { LabelSelectorField } from '../lists/LabelSelectorField';
import { WindowControls } from '../lists/WindowControls';
import { ControlPlaneStrip } from './ControlPlaneStrip';
import { NamespaceCard } from './NamespaceCard';
import { NamespaceTable } from './NamespaceTable';
import { displayFor, readOverviewState, searchFromOverviewState, type OverviewDisplay, type OverviewSort, type OverviewState } from './overviewSearch';
import { filterNamespaces, sortNamespaces } from './sortNamespaces';
import '../lists/lists.css';
import './overview.css';

const SORT_OPTIONS: Array<{ value: OverviewSort; label: string }> = [
  { value: 'worst', label: 'Worst first' },
  { value: 'name', label: 'Name' },
  { value: 'rate', label: 'Busiest first' },
  { value: 'errors', label: 'Most errors first' },
];

function OverviewSkeleton() {
  return (
    <div data-testid="overview-loading">
      <span className="visually-hidden" role="status">Loading the overview…</span>
      <div className="skeleton cp-skeleton" aria-hidden="true" />
      <div className="ns-grid" aria-hidden="true">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton ns-card-skeleton" />
        ))}
      </div>
    </div>
  );
}

export function OverviewPage() {
  const [state, set] = useUrlState(readOverviewState, searchFromOverviewState);
  const overview = useOverview({ namespaces: null, duration: state.duration, queryTime: state.queryTime });
  const selector = useMemo(() => parseLabelSelector(state.label), [state.label]);
  const all = useMemo(() => overview.data?.namespaces ?? [], [overview.data]);
  const shown = useMemo(() => sortNamespaces(filterNamespaces(all, state.name, selector.ok ? selector.requirements : []), state.sort), [all, state.name, selector, state.sort]);
  const display: OverviewDisplay = displayFor(state, shown.length);
  const selected = new Set(state.namespaces ?? []);
  const failing = all.filter((n) => n.worstStatus === 'Failure').length;
  const degraded = all.filter((n) => n.worstStatus === 'Degraded' || n.worstStatus === 'NotReady').length;
  const filtered = state.name !== '' || state.label !== '';

  // A mark for measuring how soon the page is usable (the report's "interactive time").
  useEffect(() => {
    if (overview.data && typeof performance !== 'undefined' && performance.getEntriesByName('meshlens:overview-ready').length === 0) performance.mark('meshlens:overview-ready');
  }, [overview.data]);

  return (
    <div className="entity-page overview-page">
      <main className={`entity-main${shown.length > 0 && display === 'table' ? ' fill' : ''}`} aria-labelledby="overview-title">
        <div className="entity-head">
          <h2 id="overview-title" className="entity-title">Overview</h2>
          <span className="muted" data-testid="overview-summary">
            {overview.data ? `${all.length} namespace${all.length === 1 ? '' : 's'} · ${failing} failing · ${degraded} degraded or not ready` : ''}
          </span>
          <button type="button" className="link-button refresh-link" onClick={() => void overview.refetch()} disabled={overview.isFetching}>
            Refresh
          </button>
        </div>
        <div className="progress-line" role="status" aria-live="polite">
          {overview.isFetching && (
            <>
              <progress className="progress" aria-label="Loading the overview" />
              <span className="visually-hidden">Loading the overview</span>
            </>
          )}
        </div>
        {overview.error && (
          <div className="banner banner-error" role="alert" data-testid="overview-error">
            <strong>{overview.data ? 'Refresh failed. ' : 'The overview could not be loaded. '}</strong>
            {overview.error.message} {overview.data ? 'Showing the last answer.' : 'Press Refresh once the server is back; the Graph and Config pages may still work.'}
          </div>
        )}
        {(overview.data?.warnings ?? []).length > 0 && (
          <div className="banner banner-warning" data-testid="overview-warnings">
            <ul>
              {overview.data!.warnings!.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        {!overview.data && overview.isPending && <OverviewSkeleton />}
        {overview.data && <ControlPlaneStrip controlPlane={overview.data.controlPlane} />}
        <form className="toolbar entity-filters overview-filters" aria-label="Overview filters" onSubmit={(e) => e.preventDefault()}>
          <div className="toolbar-grid">
            <WindowControls duration={state.duration} queryTime={state.queryTime} onChange={(change) => set(change as Partial<OverviewState>)} />
            <div className="field">
              <label htmlFor="ov-name">Namespace</label>
              <input id="ov-name" data-testid="ov-name" type="search" value={state.name} placeholder="name contains…" onChange={(e) => set({ name: e.target.value }, 'replace')} />
            </div>
            <LabelSelectorField
              id="ov-label"
              value={state.label}
              selector={selector}
              placeholder="istio-injection=enabled"
              title="A label selector on the namespace's labels: key=value, key!=value, key in (a,b), key, !key"
              onChange={(label) => set({ label }, 'replace')}
            />
            <div className="field">
              <label htmlFor="ov-sort">Order</label>
              <select id="ov-sort" data-testid="ov-sort" value={state.sort} onChange={(e) => set({ sort: e.target.value as OverviewSort })}>
                {SORT_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>{o.label}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="ov-display">Show as</label>
              <select id="ov-display" data-testid="ov-display" value={state.display ?? ''} onChange={(e) => set({ display: (e.target.value || null) as OverviewDisplay | null })}>
                <option value="">{`Automatic (${display})`}</option>
                <option value="cards">Cards</option>
                <option value="table">Table</option>
              </select>
            </div>
            <p className="list-count" aria-live="polite" data-testid="ov-count">
              {overview.data ? `${shown.length} of ${all.length} namespaces` : ''}
              {overview.data && filtered && (
                <button type="button" className="link-button small" onClick={() => set({ name: '', label: '' })}>
                  Clear filters
                </button>
              )}
            </p>
          </div>
        </form>
        <details className="health-rules small muted">
          <summary>How health is judged (Kiali&apos;s default tolerances)</summary>
          <p>{HEALTH_RULES}</p>
        </details>
        {overview.data && all.length === 0 && (
          <div className="empty-note" data-testid="overview-empty">
            <p>The server sees no namespace yet.</p>
            <p className="muted">Check the source status in the header: a cluster may still be syncing, or your account may not list namespaces.</p>
          </div>
        )}
        {overview.data && all.length > 0 && shown.length === 0 && (
          <div className="empty-note" data-testid="overview-empty">
            <p>No namespace matches these filters.</p>
            <button type="button" className="link-button" onClick={() => set({ name: '', label: '' })}>
              Clear filters
            </button>
          </div>
        )}
        {shown.length > 0 && display === 'cards' && (
          <section className="ns-grid" aria-label="Namespaces" data-testid="ns-cards">
            {shown.map((ns) => (
              <NamespaceCard key={ns.name} ns={ns} selected={selected.has(ns.name)} />
            ))}
          </section>
        )}
        {shown.length > 0 && display === 'table' && (
          <section className="list-body ns-table-body" aria-label="Namespaces">
            <NamespaceTable namespaces={shown} sort={state.sort} onSort={(sort) => set({ sort })} />
          </section>
        )}
        {overview.data && (
          <p className="small muted overview-foot">
            {'Window: '}
            {state.queryTime ? `the ${durationLabel(state.duration)} ending ${formatMoment(state.queryTime)}` : `the last ${durationLabel(state.duration)}`}
            {' · '}
            <Link to="/graph">Open the graph</Link>
          </p>
        )}
      </main>
    </div>
  );
}

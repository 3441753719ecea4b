/**
 * The lists of applications, workloads and services (Kiali's list pages): one sortable, filterable, virtualised table
 * per kind, every filter and the sort in the URL (listSearch.ts), each row linking to its detail page.
 */
import { Link } from '@tanstack/react-router';
import type { ApplicationRow, EntityRowBase, EntityStatus, ServiceRow, WorkloadRow } from '@meshlens/model';
import { useMemo } from 'react';
import { useEntityList, type EntityKind } from '../../api/entities';
import { useNamespaces } from '../../api/queries';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { SeverityCounts } from '../../config/severity';
import { useUrlState } from '../../router/useUrlState';
import { entityLink, entityListLink, TYPE_OF_KIND } from '../details/entityLinks';
import { ErrorText, HealthIcon, HEALTH_RULES, IstioBadges, LabelChips, RateText, STATUS_TEXT } from './entityParts';
import { parseLabelSelector } from './labelSelector';
import { LabelSelectorField } from './LabelSelectorField';
import { readListState, searchFromListState, type FindingFilter, type ListState } from './listSearch';
import { filterRows, NATURAL_ORDER, sortRows, type ListSort } from './sortRows';
import { VirtualTable, type Column } from './VirtualTable';
import { WindowControls } from './WindowControls';
import './lists.css';
import { UntrustedText } from '../../components/UntrustedText';
import { DOM_TEXT_MAX, shortText, visibleText } from '../../components/untrustedText';

const TITLE: Record<EntityKind, string> = { applications: 'Applications', workloads: 'Workloads', services: 'Services' };
const SINGULAR: Record<EntityKind, string> = { applications: 'application', workloads: 'workload', services: 'service' };

/** Health filter choices; a combination from a link that is not one of them is added as it is. */
const HEALTH_CHOICES: Array<{ value: string; label: string }> = [
  { value: '', label: 'Any health' },
  { value: 'Failure,Degraded', label: 'Failing or degraded' },
  { value: 'Failure', label: 'Failing' },
  { value: 'Degraded', label: 'Degraded' },
  { value: 'NotReady', label: 'Not ready' },
  { value: 'Healthy', label: 'Healthy' },
  { value: 'NA', label: 'No traffic' },
];

const FINDING_CHOICES: Array<{ value: FindingFilter | ''; label: string }> = [
  { value: '', label: 'Any' },
  { value: 'any', label: 'Has findings' },
  { value: 'warning', label: 'Has errors or warnings' },
  { value: 'error', label: 'Has errors' },
];

const entityRowProps = (r: EntityRowBase) => ({ 'data-testid': 'entity-row', 'data-name': r.name, 'data-namespace': r.namespace, 'data-status': r.health.status });
const entityRowKey = (r: EntityRowBase) => `${r.namespace}/${r.name}`;

export function ApplicationsPage() {
  return <EntityListPage kind="applications" />;
}
export function WorkloadsPage() {
  return <EntityListPage kind="workloads" />;
}
export function ServicesPage() {
  return <EntityListPage kind="services" />;
}

function NameCell({ kind, row }: { kind: EntityKind; row: EntityRowBase }) {
  return (
    <Link {...entityLink(TYPE_OF_KIND[kind], row.namespace, row.name)} className="entity-name" data-testid="entity-link">
      <UntrustedText text={row.name} />
    </Link>
  );
}

function columnsFor(kind: EntityKind): Array<Column<EntityRowBase, ListSort>> {
  const health: Column<EntityRowBase, ListSort> = { id: 'health', header: 'Health', width: '118px', sort: 'health', title: HEALTH_RULES, cell: (r) => <HealthIcon status={r.health.status} reason={r.health.reason} testId="row-health" /> };
  const name: Column<EntityRowBase, ListSort> = { id: 'name', header: 'Name', width: 'minmax(150px, 1.5fr)', sort: 'name', cell: (r) => <NameCell kind={kind} row={r} /> };
  const namespace: Column<EntityRowBase, ListSort> = { id: 'namespace', header: 'Namespace', width: 'minmax(110px, 1fr)', sort: 'namespace', cell: (r) => <UntrustedText text={r.namespace} /> };
  const labels: Column<EntityRowBase, ListSort> = { id: 'labels', header: 'Labels', width: 'minmax(170px, 1.7fr)', cell: (r) => <LabelChips labels={r.labels} max={2} /> };
  const config: Column<EntityRowBase, ListSort> = {
    id: 'config',
    header: 'Istio config',
    width: 'minmax(120px, 1.1fr)',
    title: 'Istio objects that apply (badges spelled out on hover) and missing sidecars',
    cell: (r) => <IstioBadges badges={r.istioConfig.badges} missingSidecar={r.missingSidecar} ambient={r.ambient} />,
  };
  const rate: Column<EntityRowBase, ListSort> = { id: 'rate', header: 'Requests', width: '86px', sort: 'rate', title: 'Inbound requests per second over the window', className: 'num', cell: (r) => <RateText traffic={r.traffic} /> };
  const errors: Column<EntityRowBase, ListSort> = { id: 'errors', header: 'Errors', width: '76px', sort: 'errors', title: 'Share of inbound requests that failed', className: 'num', cell: (r) => <ErrorText percent={r.traffic.errorPercent} /> };
  const findings: Column<EntityRowBase, ListSort> = { id: 'findings', header: 'Findings', width: '118px', sort: 'findings', title: 'Configuration findings of its objects and of the Istio objects that apply', cell: (r) => <SeverityCounts summary={r.findings} /> };
  let detail: Column<EntityRowBase, ListSort>;
  if (kind === 'workloads') {
    detail = { id: 'type', header: 'Type', width: '104px', cell: (r) => { const w = r as WorkloadRow; return <span className="truncate" title={`${w.kind}${w.gateway ? `, ${w.gateway} gateway` : ''}, ${w.podCount} pod${w.podCount === 1 ? '' : 's'}`}>{w.gateway ? `${w.kind} (${w.gateway} gw)` : w.kind}</span>; } };
  } else if (kind === 'applications') {
    detail = { id: 'versions', header: 'Versions', width: 'minmax(90px, 0.8fr)', cell: (r) => { const a = r as ApplicationRow; const text = a.versions.length > 0 ? a.versions.join(', ') : '—'; return <bdi className="truncate" title={visibleText(`Workloads: ${a.workloads.join(', ')}`)}>{shortText(text, DOM_TEXT_MAX)}</bdi>; } };
  } else {
    detail = { id: 'ports', header: 'Ports', width: 'minmax(100px, 0.9fr)', cell: (r) => { const s = r as ServiceRow; const text = s.ports.join(', ') || '—'; return <span className="truncate" title={`${s.type}: ${text}`}>{text}</span>; } };
  }
  return [health, name, namespace, detail, labels, config, rate, errors, findings];
}

function EntityListPage({ kind }: { kind: EntityKind }) {
  const [state, set] = useUrlState(readListState, searchFromListState);
  const namespacesQuery = useNamespaces();
  const list = useEntityList(kind, { namespaces: state.namespaces, duration: state.duration, queryTime: state.queryTime });
  const selector = useMemo(() => parseLabelSelector(state.label), [state.label]);

  const rows: EntityRowBase[] = useMemo(() => {
    const data = list.data as unknown as Record<string, EntityRowBase[]> | undefined;
    return data?.[kind] ?? [];
  }, [list.data, kind]);
  const shown = useMemo(
    () =>
      sortRows(
        filterRows(rows, { name: state.name, selector: selector.ok ? selector.requirements : [], health: state.health, missingSidecar: state.missingSidecar, findings: state.findings }),
        state.sort,
        state.order,
      ),
    [rows, state.name, selector, state.health, state.missingSidecar, state.findings, state.sort, state.order],
  );
  const columns = useMemo(() => columnsFor(kind), [kind]);
  const scope = state.namespaces ? state.namespaces.join(', ') : 'all namespaces';
  const healthValue = state.health.join(',');
  const healthChoices = HEALTH_CHOICES.some((c) => c.value === healthValue) ? HEALTH_CHOICES : [...HEALTH_CHOICES, { value: healthValue, label: state.health.map((s: EntityStatus) => STATUS_TEXT[s]).join(' or ') }];
  const filtered = state.name !== '' || state.label !== '' || state.health.length > 0 || state.missingSidecar || state.findings !== null;
  const clearFilters = () => set({ name: '', label: '', health: [], missingSidecar: false, findings: null });
  const onSort = (sort: ListSort) => set({ sort, order: sort === state.sort ? (state.order === 'asc' ? 'desc' : 'asc') : NATURAL_ORDER[sort] });
  const noun = TITLE[kind].toLowerCase();

  return (
    <div className="entity-page list-page">
      <main className="entity-main" aria-labelledby="list-title">
        <div className="entity-head">
          <h2 id="list-title" className="entity-title">{TITLE[kind]}</h2>
          <nav className="kind-switch" aria-label="Entity lists">
            {(['applications', 'workloads', 'services'] as const).map((k) => (
              <Link key={k} {...entityListLink(k)} className="kind-link" activeOptions={{ includeSearch: false }} data-testid={`kind-${k}`}>
                {TITLE[k]}
              </Link>
            ))}
          </nav>
          <span className="muted">{scope}</span>
          <button type="button" className="link-button refresh-link" onClick={() => void list.refetch()} disabled={list.isFetching}>
            Refresh
          </button>
        </div>
        <div className="progress-line" role="status" aria-live="polite">
          {list.isFetching && (
            <>
              <progress className="progress" aria-label={`Loading ${noun}`} />
              <span className="visually-hidden">{`Loading ${noun}`}</span>
            </>
          )}
        </div>
        {list.error && (
          <div className="banner banner-error" role="alert" data-testid="list-error">
            <strong>{list.data ? 'Refresh failed. ' : `The ${noun} could not be loaded. `}</strong>
            {list.error.message} {list.data ? 'Showing the last answer.' : 'Check the namespaces in the filter, or press Refresh once the server is back.'}
          </div>
        )}
        {(list.data?.warnings ?? []).length > 0 && (
          <div className="banner banner-warning" data-testid="list-warnings">
            <ul>
              {list.data!.warnings!.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        <form className="toolbar entity-filters" aria-label={`${TITLE[kind]} filters`} onSubmit={(e) => e.preventDefault()}>
          <NamespaceSelect
            namespaces={namespacesQuery.data?.namespaces ?? []}
            selected={state.namespaces ?? []}
            loading={namespacesQuery.isLoading}
            onChange={(selected) => set({ namespaces: selected.length > 0 ? selected : null })}
            emptyMeans="all"
          />
          <div className="toolbar-grid">
            <WindowControls duration={state.duration} queryTime={state.queryTime} onChange={(change) => set(change as Partial<ListState>)} />
            <div className="field">
              <label htmlFor="list-name">Name</label>
              <input id="list-name" data-testid="list-name" type="search" value={state.name} placeholder="contains…" onChange={(e) => set({ name: e.target.value }, 'replace')} />
            </div>
            <LabelSelectorField
              id="list-label"
              value={state.label}
              selector={selector}
              placeholder="app=reviews,version!=v1"
              title="A Kubernetes label selector: key=value, key!=value, key in (a,b), key notin (a), key, !key, comma-separated"
              onChange={(label) => set({ label }, 'replace')}
            />
            <div className="field">
              <label htmlFor="list-health">Health</label>
              <select id="list-health" data-testid="list-health" value={healthValue} onChange={(e) => set({ health: e.target.value ? (e.target.value.split(',') as EntityStatus[]) : [] })}>
                {healthChoices.map((c) => (
                  <option key={c.value} value={c.value}>{c.label}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="list-findings">Findings</label>
              <select id="list-findings" data-testid="list-findings" value={state.findings ?? ''} onChange={(e) => set({ findings: (e.target.value || null) as FindingFilter | null })}>
                {FINDING_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>{c.label}</option>
                ))}
              </select>
            </div>
            <label className="checkbox sidecar-toggle">
              <input type="checkbox" data-testid="list-sidecar" checked={state.missingSidecar} onChange={(e) => set({ missingSidecar: e.target.checked })} />
              Missing sidecar
            </label>
            <p className="list-count" aria-live="polite" data-testid="list-count">
              {list.data ? `${shown.length} of ${rows.length} ${noun}` : ''}
              {list.data && filtered && (
                <button type="button" className="link-button small clear-filters" onClick={clearFilters}>
                  Clear filters
                </button>
              )}
            </p>
          </div>
        </form>
        <section className="list-body" aria-label={TITLE[kind]}>
          {!list.data && list.isPending && (
            <div className="table-skeleton" data-testid="list-loading">
              <span className="visually-hidden" role="status">{`Loading ${noun}…`}</span>
              {Array.from({ length: 10 }, (_, i) => (
                <div key={i} className="skeleton skeleton-line" aria-hidden="true" />
              ))}
            </div>
          )}
          {list.data && rows.length === 0 && (
            <div className="empty-note" data-testid="list-empty">
              <p>{`No ${noun} in ${scope}${state.queryTime ? ' at that time' : ''}.`}</p>
              <p className="muted">
                {state.namespaces ? 'Pick other namespaces above, or see ' : 'The server sees no namespace with any. See '}
                <Link to="/overview">the Overview</Link> for what each namespace holds.
              </p>
            </div>
          )}
          {list.data && rows.length > 0 && shown.length === 0 && (
            <div className="empty-note" data-testid="list-empty">
              <p>{`No ${SINGULAR[kind]} matches these filters.`}</p>
              <button type="button" className="link-button" onClick={clearFilters}>
                Clear filters
              </button>
            </div>
          )}
          {shown.length > 0 && (
            <VirtualTable
              rows={shown}
              columns={columns}
              rowKey={entityRowKey}
              label={`${TITLE[kind]}, ${shown.length} rows`}
              sort={state.sort}
              order={state.order}
              onSort={onSort}
              testId="entity-table"
              rowProps={entityRowProps}
            />
          )}
        </section>
      </main>
    </div>
  );
}

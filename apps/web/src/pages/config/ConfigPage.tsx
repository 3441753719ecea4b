/** The Config page: every Istio object of the selected namespaces with its worst finding, filters, and per-namespace counts. */
import { useMemo } from 'react';
import { Link } from '@tanstack/react-router';
import type { Severity } from '@meshlens/model';
import { formatRef, kindLabel } from '@meshlens/model';
import { useNamespaces } from '../../api/queries';
import { NamespaceSelect } from '../../components/NamespaceSelect';
import { useConfigList, useFindings } from '../../config/api';
import { summaryByNamespace } from '../../config/namespaceFindings';
import { SeverityCounts, SeverityIcon } from '../../config/severity';
import { configListLink, graphLink, objectLink } from '../../router/links';
import { useUrlState } from '../../router/useUrlState';
import { configListFromSearch, searchFromConfigList, validateConfigListSearch, type ConfigListState, type ConfigSort } from './configSearch';
import { filterItems, sortItems } from './filterItems';
import './configPages.css';
import { UntrustedText } from '../../components/UntrustedText';
import { newDraft } from '../../drafts/DraftsMenu';

const SEVERITY_OPTIONS: Array<{ value: ConfigListState['severity']; label: string }> = [
  { value: 'any', label: 'Any' },
  { value: 'error', label: 'Errors' },
  { value: 'warning', label: 'Warnings' },
  { value: 'info', label: 'Info' },
  { value: 'ok', label: 'No findings' },
];

const SORT_OPTIONS: Array<{ value: ConfigSort; label: string }> = [
  { value: 'severity', label: 'Worst first' },
  { value: 'name', label: 'Namespace, kind, name' },
];

const read = (search: Record<string, unknown>) => configListFromSearch(validateConfigListSearch(search));

/** Host names and file paths wrap after a dot, slash or colon rather than in the middle of a word. */
function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[./:])/);
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}

/** What matched the search besides the name, for the row (hosts first: they are what people search for). */
function Hosts({ hosts, gateways }: { hosts?: string[]; gateways?: string[] }) {
  if (!hosts?.length && !gateways?.length) return <span className="muted">—</span>;
  return (
    <>
      {hosts?.length ? <UntrustedText text={hosts.join(', ')} lines={3} /> : null}
      {gateways?.length ? <span className="muted"><UntrustedText text={`${hosts?.length ? ' · ' : ''}via ${gateways.join(', ')}`} lines={2} /></span> : null}
    </>
  );
}

export function ConfigPage() {
  const [state, set] = useUrlState(read, searchFromConfigList);
  const namespaces = state.namespaces && state.namespaces.length > 0 ? state.namespaces : null;
  const namespacesQuery = useNamespaces();
  const list = useConfigList(namespaces);
  const findings = useFindings(namespaces);

  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const shown = useMemo(() => sortItems(filterItems(items, state), state.sort), [items, state.kind, state.severity, state.text, state.sort]); // eslint-disable-line react-hooks/exhaustive-deps
  const kinds = useMemo(() => [...new Set(items.map((i) => i.ref.kind))].sort(), [items]);
  const perNamespace = useMemo(() => summaryByNamespace(findings.data?.findings ?? []), [findings.data]);
  const shownCounts = { error: 0, warning: 0, info: 0 };
  for (const i of shown) for (const s of ['error', 'warning', 'info'] as Severity[]) shownCounts[s] += i.counts[s];
  const scope = namespaces ? namespaces.join(', ') : 'all namespaces';
  const error = list.error ?? findings.error;

  return (
    <div className="page-scroll">
      <main className="page-main config-main" aria-labelledby="config-title">
        <div className="config-head">
          <h2 id="config-title" className="config-title">Configuration health</h2>
          <span className="muted">{scope}</span>
          {findings.data && <SeverityCounts summary={findings.data.summary} testId="config-summary" />}
          <Link className="graph-link" {...graphLink(namespaces, { findingsOnly: true, idle: true })}>
            Graph: only nodes with findings
          </Link>
          <button type="button" className="draft-edit-button" data-testid="config-new-draft" onClick={() => newDraft()}>New draft</button>
        </div>
        <div className="progress-slot" role="status" aria-live="polite">
          {(list.isFetching || findings.isFetching) && (
            <>
              <progress className="progress" aria-label={list.data ? 'Refreshing config health' : 'Checking the configuration'} />
              <span className="visually-hidden">{list.data ? 'Refreshing config health' : 'Checking the configuration'}</span>
            </>
          )}
        </div>
        {error && (
          <div className="banner banner-error" role="alert">
            <strong>{list.data ? 'Refresh failed. ' : 'Config health could not be loaded. '}</strong>
            {error.message} {list.data ? 'Showing the last answer.' : 'Check the namespaces in the URL, or reload once the server is back.'}
          </div>
        )}
        <form className="toolbar config-filters" aria-label="Config filters" onSubmit={(e) => e.preventDefault()}>
          <NamespaceSelect
            namespaces={namespacesQuery.data?.namespaces ?? []}
            selected={namespaces ?? []}
            loading={namespacesQuery.isLoading}
            onChange={(selected) => set({ namespaces: selected.length > 0 ? selected : null })}
            emptyMeans="all"
          />
          <div className="toolbar-grid">
            <div className="field">
              <label htmlFor="config-kind">Kind</label>
              <select id="config-kind" data-testid="config-kind" value={state.kind} onChange={(e) => set({ kind: e.target.value })}>
                <option value="">All kinds</option>
                {[...new Set([...kinds, ...(state.kind ? [state.kind] : [])])].map((k) => (
                  <option key={k} value={k}>{kindLabel(k)}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="config-severity">Severity</label>
              <select id="config-severity" data-testid="config-severity" value={state.severity} onChange={(e) => set({ severity: e.target.value as ConfigListState['severity'] })}>
                {SEVERITY_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>{o.label}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="config-text">Search</label>
              <input
                id="config-text"
                data-testid="config-text"
                className="config-search"
                type="search"
                value={state.text}
                placeholder="name, host, gateway or label"
                title="Matches names, hosts, gateways, labels (key=value) and files; every word must match"
                onChange={(e) => set({ text: e.target.value }, 'replace')}
              />
            </div>
            <div className="field">
              <label htmlFor="config-sort">Order</label>
              <select id="config-sort" data-testid="config-sort" value={state.sort} onChange={(e) => set({ sort: e.target.value as ConfigSort })}>
                {SORT_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>{o.label}</option>
                ))}
              </select>
            </div>
            <p className="config-count" aria-live="polite" data-testid="config-count">
              {list.data ? `${shown.length} of ${items.length} objects · ${shownCounts.error} errors, ${shownCounts.warning} warnings, ${shownCounts.info} info` : ''}
            </p>
          </div>
        </form>
        <div className="config-body">
          <section className="config-list" aria-labelledby="objects-heading">
            <h3 id="objects-heading" className="visually-hidden">Objects</h3>
            {!list.data && list.isPending && (
              <div className="table-skeleton" data-testid="config-loading" aria-hidden="true">
                {Array.from({ length: 8 }, (_, i) => <div key={i} className="skeleton skeleton-line" />)}
              </div>
            )}
            {list.data && shown.length === 0 && (
              <p className="empty-note" data-testid="config-empty">
                {items.length === 0 ? `No Istio objects in ${scope}.` : 'No object matches these filters. Clear the search or pick "Any" severity and "All kinds".'}
              </p>
            )}
            {shown.length > 0 && (
              <table className="data-table config-table" data-testid="config-table">
                <thead>
                  <tr>
                    <th scope="col">Health</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Namespace</th>
                    <th scope="col">Name</th>
                    <th scope="col">Hosts</th>
                    <th scope="col">Findings</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((item) => (
                    <tr key={formatRef(item.ref)} data-testid="config-row" data-severity={item.severity ?? 'ok'} data-kind={item.ref.kind}>
                      <td>{item.severity ? <SeverityIcon severity={item.severity} withLabel /> : <span className="severity severity-ok">✓ <span className="severity-word">OK</span></span>}</td>
                      <td>{kindLabel(item.ref.kind)}</td>
                      <td>{item.ref.namespace ?? '—'}</td>
                      <td className="config-name">
                        <Link {...objectLink(item.ref, namespaces)} activeOptions={{ exact: true }}><UntrustedText text={item.ref.name} lines={2} /></Link>
                      </td>
                      <td className="config-hosts"><Hosts hosts={item.hosts} gateways={item.gateways} /></td>
                      <td><SeverityCounts summary={item.counts} /></td>
                      <td className="config-source muted">{item.file ? <Breakable text={`${item.file}${item.line ? `:${item.line}` : ''}`} /> : 'cluster'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <aside className="ns-summary" aria-labelledby="ns-summary-heading">
            <h3 id="ns-summary-heading">By namespace</h3>
            {findings.data && perNamespace.length === 0 && <p className="muted">No findings in {scope}.</p>}
            {perNamespace.length > 0 && (
              <table className="data-table" data-testid="ns-summary">
                <thead>
                  <tr>
                    <th scope="col">Namespace</th>
                    <th scope="col">Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {perNamespace.map((s) => (
                    <tr key={s.namespace}>
                      <td className="ns-summary-name">
                        <Link {...configListLink({ ...searchFromConfigList(state), namespaces: [s.namespace] })} activeOptions={{ exact: true }}><UntrustedText text={s.namespace} /></Link>
                      </td>
                      <td><SeverityCounts summary={s} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </aside>
        </div>
      </main>
    </div>
  );
}

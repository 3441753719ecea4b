/** URLs of the config pages and the graph, carrying the namespace selection between pages. */
import type { ObjectRef, Severity } from '@meshlens/model';

export interface ConfigListState {
  /** null: none in the URL (the page shows every namespace). */
  namespaces: string[] | null;
  kind: string;
  severity: Severity | 'any' | 'ok';
  text: string;
}

export const DEFAULT_CONFIG_LIST: ConfigListState = { namespaces: null, kind: '', severity: 'any', text: '' };

const SEVERITY_FILTERS = ['any', 'error', 'warning', 'info', 'ok'] as const;

/** Reads the Config page's filters from a query string; bad values fall back to the defaults. */
export function decodeConfigList(search: string): ConfigListState {
  const p = new URLSearchParams(search);
  const ns = p.get('namespaces');
  const severity = p.get('severity');
  return {
    namespaces: ns === null ? null : [...new Set(ns.split(',').map((s) => s.trim()).filter(Boolean))],
    kind: /^[A-Z][A-Za-z0-9]*$/.test(p.get('kind') ?? '') ? p.get('kind')! : '',
    severity: (SEVERITY_FILTERS as readonly string[]).includes(severity ?? '') ? (severity as ConfigListState['severity']) : 'any',
    text: p.get('q') ?? '',
  };
}

/** The Config page's URL for these filters (defaults left out). */
export function configListHref(state: ConfigListState): string {
  const p = new URLSearchParams();
  if (state.namespaces !== null) p.set('namespaces', state.namespaces.join(','));
  if (state.kind) p.set('kind', state.kind);
  if (state.severity !== 'any') p.set('severity', state.severity);
  if (state.text) p.set('q', state.text);
  const query = p.toString().replace(/%2C/g, ',');
  return `/config${query ? `?${query}` : ''}`;
}

/** Path segment for a namespace: cluster-scoped objects use `-`. */
function nsSegment(ref: ObjectRef): string {
  return ref.namespace ? encodeURIComponent(ref.namespace) : '-';
}

/** The object page of `ref`; `from` keeps the namespace selection for the way back. */
export function objectHref(ref: ObjectRef, namespaces?: string[] | null): string {
  const base = `/config/${encodeURIComponent(ref.kind)}/${nsSegment(ref)}/${encodeURIComponent(ref.name)}`;
  return namespaces && namespaces.length > 0 ? `${base}?namespaces=${namespaces.map(encodeURIComponent).join(',')}` : base;
}

/** The API path of an object page's data. */
export function objectApiPath(ref: { kind: string; namespace: string; name: string }): string {
  return `/api/config/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

/** The graph of some namespaces, optionally showing only the nodes with findings. */
export function graphHref(namespaces: string[] | null, options: { findingsOnly?: boolean; find?: string } = {}): string {
  const p = new URLSearchParams();
  if (namespaces && namespaces.length > 0) p.set('namespaces', namespaces.join(','));
  if (options.findingsOnly) p.set('findings', 'only');
  if (options.find) p.set('find', options.find);
  const query = p.toString().replace(/%2C/g, ',');
  return `/${query ? `?${query}` : ''}`;
}

/** Kinds whose objects run as pods: a finding about one of them maps to graph nodes by workload name. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** Whether an object can show on the graph (and so deserves a "show in graph" link). */
export function onGraph(ref: ObjectRef): boolean {
  return ref.kind === 'Service' || ref.kind === 'Pod' || ref.kind === 'ServiceEntry' || ref.kind === 'VirtualService' || WORKLOAD_KINDS.has(ref.kind);
}

/**
 * The Config pages' search params: the list's filters (`namespaces`, `kind`, `severity`, `q`, `sort`) and an
 * object page's selection and focused line. Pure, so the route files import them without the pages' code.
 */
import type { Severity } from '@meshlens/model';
import { validateNamespacesSearch, type NamespacesSearch } from '../../router/carry';
import { defined, enumParam, numberParam, textParam, type Explicit, type RawSearch } from '../../router/search';

export type SeverityFilter = Severity | 'any' | 'ok';
export type ConfigSort = 'severity' | 'name';

const SEVERITY_FILTERS = ['error', 'warning', 'info', 'ok'] as const;
const SORTS = ['name'] as const;

export interface ConfigListSearch extends NamespacesSearch {
  kind?: string;
  severity?: (typeof SEVERITY_FILTERS)[number];
  /** Free text: kind, namespace, name, file, hosts, gateways and labels. */
  q?: string;
  /** Absent: worst first. */
  sort?: (typeof SORTS)[number];
}

export interface ConfigListState {
  /** null: none in the URL (the page shows every namespace). */
  namespaces: string[] | null;
  kind: string;
  severity: SeverityFilter;
  text: string;
  sort: ConfigSort;
}

export const DEFAULT_CONFIG_LIST: ConfigListState = { namespaces: null, kind: '', severity: 'any', text: '', sort: 'severity' };

export function validateConfigListSearch(raw: RawSearch): ConfigListSearch {
  const kind = textParam(raw.kind);
  return defined({
    ...validateNamespacesSearch(raw),
    // a bare kind, or a Gateway API kind qualified by its group (`Gateway.gateway.networking.k8s.io`)
    kind: kind && /^[A-Z][A-Za-z0-9]*(\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(kind) ? kind : undefined,
    severity: enumParam(raw.severity, SEVERITY_FILTERS),
    q: textParam(raw.q),
    sort: enumParam(raw.sort, SORTS),
  });
}

/** The filters from the validated search. */
export function configListFromSearch(search: ConfigListSearch): ConfigListState {
  return {
    namespaces: search.namespaces ?? null,
    kind: search.kind ?? '',
    severity: search.severity ?? 'any',
    text: search.q ?? '',
    sort: search.sort ?? 'severity',
  };
}

/** The search for these filters, every key present (defaults `undefined`: left out of the URL). */
export function searchFromConfigList(state: ConfigListState): Explicit<ConfigListSearch> {
  return {
    namespaces: state.namespaces ?? undefined,
    kind: state.kind || undefined,
    severity: state.severity === 'any' ? undefined : state.severity,
    q: state.text || undefined,
    sort: state.sort === 'severity' ? undefined : state.sort,
  };
}

export interface ConfigObjectSearch extends NamespacesSearch {
  /** The YAML line a selected finding points at. */
  line?: number;
}

export function validateConfigObjectSearch(raw: RawSearch): ConfigObjectSearch {
  return defined({ ...validateNamespacesSearch(raw), line: numberParam(raw.line, (n) => Number.isSafeInteger(n) && n > 0) });
}

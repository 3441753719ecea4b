/**
 * The lists' search params (`/applications`, `/workloads`, `/services`): the shared window (`namespaces`, `duration`,
 * `queryTime`) and the filters and sort, every one in the URL. Pure, so the route files import it without the page.
 *
 * - `q`: name contains (every word); `label`: a label selector (`app=reviews,version!=v1`), kept as typed, and
 *   checked by the page, which says what is wrong with it;
 * - `health`: statuses to keep (`Failure,Degraded`); `sidecar=missing`; `findings=any|warning|error`;
 * - `sort`: a column (absent: `health`, worst first); `order`: `asc`/`desc` (absent: the column's natural order).
 */
import type { EntityStatus } from '@meshlens/model';
import { validateWindowSearch, type WindowSearch } from '../../router/windowSearch';
import { defined, enumParam, listParam, textParam, type RawSearch } from '../../router/search';
import { LIST_SORTS, NATURAL_ORDER, STATUS_ORDER, type ListSort, type SortOrder } from './sortRows';

/** A search object with every key present, `undefined` where the URL leaves it out (router/carry.ts). */
export type EveryKey<T> = { [K in keyof Required<T>]: T[K] | undefined };

export const FINDING_FILTERS = ['any', 'warning', 'error'] as const;
export type FindingFilter = (typeof FINDING_FILTERS)[number];

export interface ListSearch extends WindowSearch {
  q?: string;
  label?: string;
  health?: EntityStatus[];
  sidecar?: 'missing';
  findings?: FindingFilter;
  sort?: ListSort;
  order?: SortOrder;
}

export function validateListSearch(raw: RawSearch): ListSearch {
  const health = listParam(raw.health)?.filter((s): s is EntityStatus => (STATUS_ORDER as readonly string[]).includes(s));
  return defined({
    ...validateWindowSearch(raw),
    q: textParam(raw.q),
    label: textParam(raw.label)?.trim() || undefined,
    health: health && health.length > 0 ? STATUS_ORDER.filter((s) => health.includes(s)) : undefined,
    sidecar: enumParam(raw.sidecar, ['missing'] as const),
    findings: enumParam(raw.findings, FINDING_FILTERS),
    sort: enumParam(raw.sort, LIST_SORTS),
    order: enumParam(raw.order, ['asc', 'desc'] as const),
  });
}

/** The page's state: every field present, defaults filled in. */
export interface ListState {
  /** null: none in the URL (every namespace). */
  namespaces: string[] | null;
  duration: number;
  queryTime: number | null;
  name: string;
  label: string;
  health: EntityStatus[];
  missingSidecar: boolean;
  findings: FindingFilter | null;
  sort: ListSort;
  order: SortOrder;
}

export const DEFAULT_DURATION = 600;

export function listStateFromSearch(search: ListSearch): ListState {
  const sort = search.sort ?? 'health';
  return {
    namespaces: search.namespaces && search.namespaces.length > 0 ? search.namespaces : null,
    duration: search.duration ?? DEFAULT_DURATION,
    queryTime: search.queryTime ?? null,
    name: search.q ?? '',
    label: search.label ?? '',
    health: search.health ?? [],
    missingSidecar: search.sidecar === 'missing',
    findings: search.findings ?? null,
    sort,
    order: search.order ?? NATURAL_ORDER[sort],
  };
}

/** The search for a state, every key present (`undefined`: left out, and not carried over from the page left). */
export function searchFromListState(s: ListState): EveryKey<ListSearch> {
  return {
    namespaces: s.namespaces ?? undefined,
    duration: s.duration !== DEFAULT_DURATION ? s.duration : undefined,
    queryTime: s.queryTime ?? undefined,
    q: s.name || undefined,
    label: s.label || undefined,
    health: s.health.length > 0 ? s.health : undefined,
    sidecar: s.missingSidecar ? 'missing' : undefined,
    findings: s.findings ?? undefined,
    sort: s.sort !== 'health' ? s.sort : undefined,
    order: s.order !== NATURAL_ORDER[s.sort] ? s.order : undefined,
  };
}

/** Reads the page's state from the router's (raw or validated) search. */
export function readListState(search: RawSearch): ListState {
  return listStateFromSearch(validateListSearch(search));
}

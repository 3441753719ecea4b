/**
 * The Overview's search params: the shared window (`duration`, `queryTime`; `namespaces` is carried for the other
 * pages and marks the selected cards, it does not hide the others), `q` (namespace name contains), `label` (a label
 * selector on the namespace's labels), `sort` (absent: worst first) and `display` (absent: cards up to 12
 * namespaces, a table beyond).
 */
import { validateWindowSearch, type WindowSearch } from '../../router/windowSearch';
import { defined, enumParam, textParam, type RawSearch } from '../../router/search';
import { DEFAULT_DURATION, type EveryKey } from '../lists/listSearch';

export const OVERVIEW_SORTS = ['worst', 'name', 'rate', 'errors'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
export const OVERVIEW_DISPLAYS = ['cards', 'table'] as const;
export type OverviewDisplay = (typeof OVERVIEW_DISPLAYS)[number];

/** Up to this many namespaces are cards; more make a table. */
export const MAX_CARDS = 12;

export interface OverviewSearch extends WindowSearch {
  q?: string;
  label?: string;
  sort?: OverviewSort;
  display?: OverviewDisplay;
}

export function validateOverviewSearch(raw: RawSearch): OverviewSearch {
  return defined({
    ...validateWindowSearch(raw),
    q: textParam(raw.q),
    label: textParam(raw.label)?.trim() || undefined,
    sort: enumParam(raw.sort, OVERVIEW_SORTS),
    display: enumParam(raw.display, OVERVIEW_DISPLAYS),
  });
}

export interface OverviewState {
  namespaces: string[] | null;
  duration: number;
  queryTime: number | null;
  name: string;
  label: string;
  sort: OverviewSort;
  /** null: by count. */
  display: OverviewDisplay | null;
}

export function overviewStateFromSearch(search: OverviewSearch): OverviewState {
  return {
    namespaces: search.namespaces && search.namespaces.length > 0 ? search.namespaces : null,
    duration: search.duration ?? DEFAULT_DURATION,
    queryTime: search.queryTime ?? null,
    name: search.q ?? '',
    label: search.label ?? '',
    sort: search.sort ?? 'worst',
    display: search.display ?? null,
  };
}

export function searchFromOverviewState(s: OverviewState): EveryKey<OverviewSearch> {
  return {
    namespaces: s.namespaces ?? undefined,
    duration: s.duration !== DEFAULT_DURATION ? s.duration : undefined,
    queryTime: s.queryTime ?? undefined,
    q: s.name || undefined,
    label: s.label || undefined,
    sort: s.sort !== 'worst' ? s.sort : undefined,
    display: s.display ?? undefined,
  };
}

export function readOverviewState(search: RawSearch): OverviewState {
  return overviewStateFromSearch(validateOverviewSearch(search));
}

/** Cards or a table for this many namespaces shown. */
export function displayFor(state: OverviewState, count: number): OverviewDisplay {
  return state.display ?? (count <= MAX_CARDS ? 'cards' : 'table');
}

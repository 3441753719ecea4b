/**
 * The detail pages' search params (`/namespaces/<ns>/workloads|services|applications/<name>`): the shared window,
 * the tab (`?tab=`, absent: overview), and the logs tab's view: pod, container(s), side by side or merged by time,
 * tail lines, since, follow, and a text filter. Pure, so the route files import it without the pages.
 */
import { validateWindowSearch, type WindowSearch } from '../../router/carry';
import { boolParam, defined, enumParam, numberParam, textParam, type RawSearch } from '../../router/search';
import { DEFAULT_DURATION, type EveryKey } from '../lists/listSearch';

export const DETAIL_TABS = ['overview', 'traffic', 'inbound', 'outbound', 'logs', 'config'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

export type EntityType = 'workload' | 'service' | 'application';

/** Tabs each page shows: a service sends nothing of its own, so it has no outbound charts. */
export function tabsOf(type: EntityType): DetailTab[] {
  return type === 'service' ? DETAIL_TABS.filter((t) => t !== 'outbound') : [...DETAIL_TABS];
}

export const TAB_LABEL: Record<DetailTab, string> = {
  overview: 'Overview',
  traffic: 'Traffic',
  inbound: 'Inbound metrics',
  outbound: 'Outbound metrics',
  logs: 'Logs',
  config: 'Istio config',
};

export const TAIL_OPTIONS = [50, 100, 500, 1000, 5000] as const;
export const DEFAULT_TAIL = 100;
/** `since`, seconds; absent: as far back as the tail goes. */
export const SINCE_OPTIONS = [60, 300, 600, 1800, 3600, 10800, 86400] as const;
export const LOG_LAYOUTS = ['split', 'merged'] as const;
export type LogLayout = (typeof LOG_LAYOUTS)[number];

export interface DetailSearch extends WindowSearch {
  tab?: DetailTab;
  /** Logs: the pod (absent: the first). */
  pod?: string;
  /** Logs: the application container (absent: the pod's first non-proxy container). */
  container?: string;
  /** Logs: also show the pod's istio-proxy (absent: yes, when it has one). */
  proxy?: boolean;
  /** Logs: side by side (absent) or merged by time. */
  logs?: LogLayout;
  tail?: number;
  since?: number;
  follow?: boolean;
  /** Logs: lines containing this text (case-insensitive). */
  logq?: string;
}

export function validateDetailSearch(raw: RawSearch): DetailSearch {
  return defined({
    ...validateWindowSearch(raw),
    tab: enumParam(raw.tab, DETAIL_TABS),
    pod: textParam(raw.pod),
    container: textParam(raw.container),
    proxy: boolParam(raw.proxy),
    logs: enumParam(raw.logs, LOG_LAYOUTS),
    tail: enumParam(numberParam(raw.tail), TAIL_OPTIONS),
    since: enumParam(numberParam(raw.since), SINCE_OPTIONS),
    follow: boolParam(raw.follow),
    logq: textParam(raw.logq),
  });
}

export interface DetailState {
  namespaces: string[] | null;
  duration: number;
  queryTime: number | null;
  tab: DetailTab;
  pod: string | null;
  container: string | null;
  proxy: boolean;
  layout: LogLayout;
  tail: number;
  since: number | null;
  follow: boolean;
  logFilter: string;
}

export function detailStateFromSearch(search: DetailSearch): DetailState {
  return {
    namespaces: search.namespaces && search.namespaces.length > 0 ? search.namespaces : null,
    duration: search.duration ?? DEFAULT_DURATION,
    queryTime: search.queryTime ?? null,
    tab: search.tab ?? 'overview',
    pod: search.pod ?? null,
    container: search.container ?? null,
    proxy: search.proxy ?? true,
    layout: search.logs ?? 'split',
    tail: search.tail ?? DEFAULT_TAIL,
    since: search.since ?? null,
    follow: search.follow ?? false,
    logFilter: search.logq ?? '',
  };
}

export function searchFromDetailState(s: DetailState): EveryKey<DetailSearch> {
  const logs = s.tab === 'logs';
  return {
    namespaces: s.namespaces ?? undefined,
    duration: s.duration !== DEFAULT_DURATION ? s.duration : undefined,
    queryTime: s.queryTime ?? undefined,
    tab: s.tab !== 'overview' ? s.tab : undefined,
    // The logs view's keys live only while the logs tab is open, so other tabs keep short URLs.
    pod: logs ? (s.pod ?? undefined) : undefined,
    container: logs ? (s.container ?? undefined) : undefined,
    proxy: logs && !s.proxy ? false : undefined,
    logs: logs && s.layout !== 'split' ? s.layout : undefined,
    tail: logs && s.tail !== DEFAULT_TAIL ? s.tail : undefined,
    since: logs ? (s.since ?? undefined) : undefined,
    follow: logs && s.follow ? true : undefined,
    logq: logs ? s.logFilter || undefined : undefined,
  };
}

export function readDetailState(search: RawSearch): DetailState {
  return detailStateFromSearch(validateDetailSearch(search));
}

/**
 * The search keys every page shares (scope, namespace selection, time window) and their validation: plain functions
 * without the router, so that the boot module (boot.ts) can read a page's URL before the app's code is loaded.
 * router/carry.ts makes them travel with links.
 */
import { defined, listParam, textParam, unixParam, type RawSearch } from './search';

export const SCOPE_KEYS = ['cluster', 'snapshot'] as const;
/** Keys some pages share: a route retains those it reads. */
export const WINDOW_KEYS = ['namespaces', 'duration', 'queryTime'] as const;

export interface ScopeSearch {
  /** Kubeconfig context; absent: the server's default. */
  cluster?: string;
  /** Id of a snapshot file opened from the browser; absent: the server's own source. */
  snapshot?: string;
}

export interface NamespacesSearch {
  /** Absent: the page's default; empty (`namespaces=`): none selected. */
  namespaces?: string[];
}

export interface WindowSearch extends NamespacesSearch {
  /** Window length, seconds. */
  duration?: number;
  /** End of the window, unix seconds; absent: now. */
  queryTime?: number;
}

export function validateScopeSearch(raw: RawSearch): ScopeSearch {
  return defined({ cluster: textParam(raw.cluster), snapshot: textParam(raw.snapshot) });
}

export function validateNamespacesSearch(raw: RawSearch): NamespacesSearch {
  return defined({ namespaces: listParam(raw.namespaces) });
}

/** The shared window; a page with a fixed set of durations (the graph) checks `duration` against it. */
export function validateWindowSearch(raw: RawSearch): WindowSearch {
  return defined({
    ...validateNamespacesSearch(raw),
    duration: unixParam(raw.duration),
    queryTime: unixParam(raw.queryTime),
  });
}

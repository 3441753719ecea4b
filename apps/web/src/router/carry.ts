/**
 * What travels with every in-app navigation, as search middlewares of the routes:
 * - the scope, `cluster=` and `snapshot=` (cluster/clusterParam.ts), on every page: the root route retains them;
 * - the namespace selection and the time window (`namespaces=`, `duration=`, `queryTime=`), on the pages that use
 *   them: each such route retains the ones it reads, so a link that names none keeps the current page's.
 * A link that names a key keeps its value; naming it with `undefined` drops it (how "Close snapshot" and the
 * cluster switcher leave a scope: router/navigateHref.ts).
 */
import { retainSearchParams } from '@tanstack/react-router';
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

/** On the root route: every page keeps the scope. */
export const retainScope = retainSearchParams<ScopeSearch>([...SCOPE_KEYS]);
/** On routes that read the namespace selection only (Config). */
export const retainNamespaces = retainSearchParams<NamespacesSearch>(['namespaces']);
/** On routes that read the selection and the time window (graph, and the Overview, lists and details to come). */
export const retainWindow = retainSearchParams<WindowSearch>([...WINDOW_KEYS]);

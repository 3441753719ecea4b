/**
 * The first module the page runs (index.html loads it before main.tsx): it starts the requests the page will make
 * first, who the user is and the page's data, while the app's code (React, the router, the page) is still loading
 * and evaluating. It imports only plain modules (no framework), so it runs within a few milliseconds of the HTML.
 * The app takes the responses through api/early.ts; the URLs are built by the same functions its queries use.
 */
import { startEarly } from './api/early';
import { entityListPath, findingsPath, overviewPath, type EntityKind } from './api/paths';
import { AUTH_INFO_PATH } from './auth/authApi';
import { withScope } from './cluster/clusterParam';
import { graphQueryTime, graphViewPath, graphViewQuery } from './graph/viewPath';
import { listStateFromSearch, validateListSearch } from './pages/lists/listSearch';
import { overviewStateFromSearch, validateOverviewSearch } from './pages/overview/overviewSearch';
import { parseSearch } from './router/search';
import { validateGraphSearch, viewFromSearch } from './url/viewState';

const LISTS: Record<string, EntityKind> = { '/applications': 'applications', '/workloads': 'workloads', '/services': 'services' };

/** The data requests the page at `pathname` + `search` starts with (as its route's loader asks them). */
export function firstDataPaths(pathname: string, search: string): string[] {
  const raw = parseSearch(search);
  if (pathname === '/' || pathname === '/overview') {
    const s = overviewStateFromSearch(validateOverviewSearch(raw));
    return [overviewPath({ namespaces: null, duration: s.duration, queryTime: s.queryTime })];
  }
  const kind = LISTS[pathname];
  if (kind) {
    const s = listStateFromSearch(validateListSearch(raw));
    return [entityListPath(kind, { namespaces: s.namespaces, duration: s.duration, queryTime: s.queryTime })];
  }
  if (pathname === '/graph') {
    // With its namespaces in the URL (router/routes/graph.ts): the graph, and the findings its first picture waits for.
    const view = viewFromSearch(validateGraphSearch(raw));
    const query = view.namespaces ? graphViewQuery(view, view.namespaces, graphQueryTime(view)) : null;
    return query ? [graphViewPath(query), findingsPath(query.namespaces, true)] : [];
  }
  return [];
}

if (typeof window !== 'undefined') {
  try {
    startEarly(withScope(AUTH_INFO_PATH));
    for (const data of firstDataPaths(window.location.pathname, window.location.search)) startEarly(withScope(data));
  } catch {
    // the app asks again itself
  }
}

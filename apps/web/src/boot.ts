/**
 * The first module the page runs (index.html loads it before main.tsx): it starts the requests the page will make
 * first, who the user is and the page's data, while the app's code (React, the router, the page) is still loading
 * and evaluating. It imports only plain modules (no framework), so it runs within a few milliseconds of the HTML.
 * The app takes the responses through api/early.ts; the URLs are built by the same functions its queries use.
 */
import { startEarly } from './api/early';
import { entityListPath, overviewPath, type EntityKind } from './api/paths';
import { AUTH_INFO_PATH } from './auth/authApi';
import { withScope } from './cluster/clusterParam';
import { listStateFromSearch, validateListSearch } from './pages/lists/listSearch';
import { overviewStateFromSearch, validateOverviewSearch } from './pages/overview/overviewSearch';
import { parseSearch } from './router/search';

const LISTS: Record<string, EntityKind> = { '/applications': 'applications', '/workloads': 'workloads', '/services': 'services' };

/** The data request the page at `pathname` + `search` starts with (as its route's loader asks), if any. */
export function firstDataPath(pathname: string, search: string): string | undefined {
  const raw = parseSearch(search);
  if (pathname === '/' || pathname === '/overview') {
    const s = overviewStateFromSearch(validateOverviewSearch(raw));
    return overviewPath({ namespaces: null, duration: s.duration, queryTime: s.queryTime });
  }
  const kind = LISTS[pathname];
  if (kind) {
    const s = listStateFromSearch(validateListSearch(raw));
    return entityListPath(kind, { namespaces: s.namespaces, duration: s.duration, queryTime: s.queryTime });
  }
  return undefined;
}

if (typeof window !== 'undefined') {
  try {
    startEarly(withScope(AUTH_INFO_PATH));
    const data = firstDataPath(window.location.pathname, window.location.search);
    if (data) startEarly(withScope(data));
  } catch {
    // the app asks again itself
  }
}

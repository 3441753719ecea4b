/**
 * A minimal client-side router: the page is chosen from `location.pathname`, links push a history entry,
 * and Back/Forward re-render. The query string stays the view state of whichever page is shown.
 */
import { useEffect, useState, type MouseEvent } from 'react';
import { carryScope } from '../cluster/clusterParam';

/** Goes to `href` (path and query) without reloading the page. */
export function navigate(target: string, mode: 'push' | 'replace' = 'push', options: { keepScope?: boolean } = {}): void {
  // Links are built without the selected cluster or snapshot: keep them, so moving between pages stays in the same
  // scope — unless the target is a new scope (an opened snapshot file, the way back from one).
  const href = options.keepScope === false ? target : carryScope(target);
  const current = `${window.location.pathname}${window.location.search}`;
  if (href === current) return;
  if (mode === 'push') window.history.pushState(null, '', href);
  else window.history.replaceState(null, '', href);
  // A popstate event, as Back would send: every hook that reads the URL (useViewState too) re-reads it.
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current location, re-read on navigation and on Back/Forward. */
export function useLocation(): { pathname: string; search: string } {
  const read = () => ({ pathname: window.location.pathname, search: window.location.search });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return location;
}

/** An anchor's click handler that routes in-app, leaving modified clicks (new tab, new window) to the browser. */
export function routeClick(event: MouseEvent<HTMLAnchorElement>, options: { keepScope?: boolean } = {}): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute('href');
  if (!href || !href.startsWith('/')) return;
  event.preventDefault();
  navigate(href, 'push', options);
}

export type Route =
  | { page: 'graph' }
  | { page: 'config' }
  | { page: 'object'; kind: string; namespace: string; name: string }
  | { page: 'not-found'; pathname: string };

/** Which page a path shows. Object paths are `/config/<kind>/<namespace or ->/<name>`. */
export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/graph') return { page: 'graph' };
  if (path === '/config') return { page: 'config' };
  const m = /^\/config\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) {
    try {
      return { page: 'object', kind: decodeURIComponent(m[1]!), namespace: decodeURIComponent(m[2]!), name: decodeURIComponent(m[3]!) };
    } catch {
      // a malformed %-escape: not a page of ours
    }
  }
  return { page: 'not-found', pathname };
}

/**
 * What the page reads — its scope — rides in the URL and on every API request:
 * - `cluster=<context>`, the selected kubeconfig context (apps/server/src/routes/clusters.ts answers from that
 *   context's inventory); absent: the server's default context, and the only case for the demo and files;
 * - `snapshot=<id>`, a snapshot file opened from the browser (apps/server/src/routes/opened-snapshots.ts answers
 *   from it, offline); absent: the server's own source.
 * Both are view state (a link opens the same scope) but not part of ViewState: every page carries them (the root
 * route retains them on every navigation, router/carry.ts).
 */

const SCOPE_PARAMS = ['cluster', 'snapshot'] as const;

let readPageSearch: () => string = () => (typeof window === 'undefined' ? '' : window.location.search);

/**
 * The query string of the page being shown. The router (router/router.ts) answers it from its history, which is
 * current the moment a navigation starts, while the address bar follows a microtask later.
 */
export function pageSearch(): string {
  return readPageSearch();
}

/** Where `pageSearch` reads from: the router's history once it exists. */
export function readPageSearchFrom(read: () => string): void {
  readPageSearch = read;
}

/** The `cluster` of a query string (the current URL's by default); null when it names none. */
export function currentCluster(search: string = pageSearch()): string | null {
  const value = new URLSearchParams(search).get('cluster');
  return value ? value : null;
}

/** The `snapshot` (an opened file's id) of a query string (the current URL's by default); null when it names none. */
export function currentSnapshot(search: string = pageSearch()): string | null {
  const value = new URLSearchParams(search).get('snapshot');
  return value ? value : null;
}

/** The page's scope as one value, for cache keys: answers of one scope are never shown in another. */
export function currentScope(search: string = pageSearch()): [string | null, string | null] {
  return [currentCluster(search), currentSnapshot(search)];
}

/**
 * Paths that must not carry the selection: the context list itself (so a stale `cluster=` in a bookmark can
 * still be corrected from the switcher) and the login endpoints (the server would wait for that cluster's
 * first sync before showing the login page).
 */
const UNSCOPED = [/^\/api\/clusters(?:[?/]|$)/, /^\/api\/auth(?:[?/]|$)/, /^\/api\/snapshots(?:[?/]|$)/];

/** An API path with the page's `cluster=` and `snapshot=` added (those it does not name already). */
export function withScope(path: string, search: string = pageSearch()): string {
  if (!path.startsWith('/api/') || UNSCOPED.some((re) => re.test(path))) return path;
  const [base, hash] = splitHash(path);
  const q = base.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? base.slice(q + 1) : '');
  const page = new URLSearchParams(search);
  let out = base;
  for (const key of SCOPE_PARAMS) {
    const value = page.get(key);
    if (!value || params.has(key)) continue;
    out += `${out.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
  }
  return `${out}${hash}`;
}

/**
 * The URL after choosing another cluster: same page, `cluster` set (explicitly, even for the server's default
 * context, so the link means the same whatever the server's default), and the namespace selection and focus
 * dropped, since they name objects of the previous cluster.
 */
export function hrefForCluster(context: string, pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  // A snapshot file is not of any cluster: choosing one leaves it.
  for (const key of ['namespaces', 'focus', 'zoom', 'pan', 'snapshot']) params.delete(key);
  params.set('cluster', context);
  const path = pathOutsideObject(pathname);
  const query = params.toString().replace(/%2C/g, ',');
  return `${path}${query ? `?${query}` : ''}`;
}

/**
 * A page that names one object (a config object, a workload, service or application) names it in one scope only:
 * leaving that scope goes to the page listing its kind instead.
 */
export function pathOutsideObject(pathname: string): string {
  if (/^\/config\/[^/]+\/[^/]+\/[^/]+\/?$/.test(pathname)) return '/config';
  const detail = /^\/namespaces\/[^/]+\/(workloads|services|applications)\/[^/]+\/?$/.exec(pathname);
  return detail ? `/${detail[1]}` : pathname;
}

function splitHash(url: string): [string, string] {
  const i = url.indexOf('#');
  return i >= 0 ? [url.slice(0, i), url.slice(i)] : [url, ''];
}

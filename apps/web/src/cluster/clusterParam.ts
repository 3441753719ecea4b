/**
 * The selected kubeconfig context rides in the URL as `cluster=<context>` (view state: a link opens the same
 * cluster) and on every API request as `?cluster=` (apps/server/src/routes/clusters.ts answers from that
 * context's inventory). Absent: the server's default context, and the only case for the demo and files.
 */

/** The `cluster` of a query string (the current URL's by default); null when it names none. */
export function currentCluster(search: string = typeof window === 'undefined' ? '' : window.location.search): string | null {
  const value = new URLSearchParams(search).get('cluster');
  return value ? value : null;
}

/**
 * Paths that must not carry the selection: the context list itself (so a stale `cluster=` in a bookmark can
 * still be corrected from the switcher) and the login endpoints (the server would wait for that cluster's
 * first sync before showing the login page).
 */
const UNSCOPED = [/^\/api\/clusters(?:[?/]|$)/, /^\/api\/auth(?:[?/]|$)/];

/** An API path with `cluster=` added when a cluster is selected. */
export function withCluster(path: string, cluster: string | null = currentCluster()): string {
  if (cluster === null || !path.startsWith('/api/') || UNSCOPED.some((re) => re.test(path))) return path;
  const [base, hash] = splitHash(path);
  const q = base.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? base.slice(q + 1) : '');
  if (params.has('cluster')) return path;
  return `${base}${q >= 0 ? '&' : '?'}cluster=${encodeURIComponent(cluster)}${hash}`;
}

/**
 * An in-app URL (path and query) that keeps the current cluster when it names none, so moving between the
 * graph and the Config pages (whose links are built without it) stays on the same cluster.
 */
export function carryCluster(href: string, from: string = typeof window === 'undefined' ? '' : window.location.search): string {
  const cluster = currentCluster(from);
  if (cluster === null || !href.startsWith('/')) return href;
  const [base, hash] = splitHash(href);
  const q = base.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? base.slice(q + 1) : '');
  if (params.has('cluster')) return href;
  params.set('cluster', cluster);
  return `${q >= 0 ? base.slice(0, q) : base}?${params.toString().replace(/%2C/g, ',')}${hash}`;
}

/**
 * The URL after choosing another cluster: same page, `cluster` set (explicitly, even for the server's default
 * context, so the link means the same whatever the server's default), and the namespace selection and focus
 * dropped, since they name objects of the previous cluster.
 */
export function hrefForCluster(context: string, pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of ['namespaces', 'focus', 'zoom', 'pan']) params.delete(key);
  params.set('cluster', context);
  // An object page names an object of the old cluster: go to the Config list instead.
  const path = /^\/config\/[^/]+\/[^/]+\/[^/]+\/?$/.test(pathname) ? '/config' : pathname;
  const query = params.toString().replace(/%2C/g, ',');
  return `${path}${query ? `?${query}` : ''}`;
}

function splitHash(url: string): [string, string] {
  const i = url.indexOf('#');
  return i >= 0 ? [url.slice(0, i), url.slice(i)] : [url, ''];
}

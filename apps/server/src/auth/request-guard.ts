/**
 * What every request must pass before any route sees it, whatever the auth mode:
 * - its Host is one this console answers to (a DNS-rebinding page names its own host, so it is refused);
 * - a state-changing request comes from this console's own origin (a page on another origin cannot log in,
 *   log out or upload with the user's browser);
 * and how a request path is normalised when no route matched (so `/API/graph`, `/%61pi/graph`, `//api/graph` and
 * the plain path land on the same decision).
 */
import { hostname as osHostname } from 'node:os';
import { isIP } from 'node:net';

export interface HostPolicy {
  /** Host names (lower case, without port) always accepted. */
  names: ReadonlySet<string>;
  /** Accept any IP literal as Host: a rebinding attack needs a DNS name, and a NodePort is reached by node IP. */
  anyIp: boolean;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The hosts accepted by default for a server listening on `listenHost`, plus the configured names. */
export function hostPolicy(listenHost: string, allowedHosts: readonly string[] = []): HostPolicy {
  const names = new Set<string>([...LOOPBACK_NAMES, ...allowedHosts.map(hostOnly).filter(Boolean)]);
  const host = hostOnly(listenHost);
  // All interfaces (a container, a NodePort): any IP literal, and the machine's own name.
  const anyIp = host === '0.0.0.0' || host === '::' || host === '';
  if (anyIp) names.add(osHostname().toLowerCase());
  else names.add(host);
  return { names, anyIp };
}

/** `Host` or origin host without port or brackets, lower case (`[::1]:8080` → `::1`). */
export function hostOnly(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') > 0 ? v.indexOf(']') : undefined);
  // A bare IPv6 address has several colons and no port.
  if ((v.match(/:/g) ?? []).length > 1) return v;
  return v.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** Whether a request with this Host header may be answered. */
export function hostAllowed(policy: HostPolicy, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostOnly(hostHeader);
  if (policy.names.has(host)) return true;
  return policy.anyIp && isIP(host) !== 0;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request must be refused as cross-origin, or undefined. Browsers send `Origin` on every POST (and
 * `Sec-Fetch-Site`); a request with neither comes from a program (the CLI, curl), which no web page can make.
 */
export function crossOriginReason(method: string, headers: Record<string, string | string[] | undefined>, policy: HostPolicy): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const site = first(headers['sec-fetch-site']);
  if (site && site !== 'same-origin' && site !== 'none') return `this ${method} comes from another site (Sec-Fetch-Site: ${site})`;
  const origin = first(headers.origin);
  if (origin === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `its Origin "${origin.slice(0, 100)}" is not this console`;
  }
  const host = first(headers.host) ?? '';
  if (url.host.toLowerCase() !== host.toLowerCase() || !hostAllowed(policy, url.host)) return `its Origin ${url.origin} is not this console (${host})`;
  return undefined;
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The path a request names, as a careless router might read it: absolute-form stripped, percent-decoding repeated,
 * `;` parameters dropped, slashes collapsed, dot segments resolved, lower case, trailing slashes and spaces trimmed.
 * Used only to decide whether an unrouted request is in the API's space (and so needs a session), never to route.
 */
export function normalisedPath(url: string): string {
  let path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  path = path.split(/[?#]/, 1)[0] ?? '';
  for (let i = 0; i < 4; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = path.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
    if (decoded === path) break;
    path = decoded;
  }
  const out: string[] = [];
  for (const raw of path.replace(/\\/g, '/').split('/')) {
    const segment = raw.split(';', 1)[0]!.replace(/[\s\0]+$/g, '').toLowerCase();
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Whether an unrouted request's path is in the API's space (`/api` and below). */
export function inApiSpace(url: string): boolean {
  const p = normalisedPath(url);
  return p === '/api' || p.startsWith('/api/');
}

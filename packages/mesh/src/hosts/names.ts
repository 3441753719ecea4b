/**
 * Host names as Istio reads them (`pkg/config/host/name.go`): short names expanded in the namespace of the
 * rule that writes them, a left-most `*` as the only wildcard, and `ns/host` scoping on Gateway and Sidecar hosts.
 */

/** Lower-cases a host and drops a trailing dot and a `:port` suffix (Host headers carry one). */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h; // bracketed IPv6 literal: leave as written
  const colon = h.lastIndexOf(':');
  if (colon > 0 && h.indexOf(':') === colon && /^\d+$/.test(h.slice(colon + 1))) h = h.slice(0, colon);
  return h.replace(/\.$/, '');
}

/** The port of a `host:port` string, if it has one. */
export function portOfHost(host: string): number | undefined {
  const m = /^[^:]+:(\d+)$/.exec(host.trim());
  return m ? Number(m[1]) : undefined;
}

/** True for an IPv4 or IPv6 literal. */
export function isIP(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-f:.[\]]+$/i.test(host));
}

/** True when `host` is a wildcard (`*` or `*.suffix`). */
export function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

/**
 * Expands a short name in the namespace of the rule that writes it (VS/DR/SE `hosts`, `destination.host`).
 * `istio` mode is pilot's `ResolveShortnameToFQDN`: only a name without a dot is expanded (`reviews` →
 * `reviews.<ns>.svc.<domain>`); `reviews.shop` stays as written and matches no Service (reference §3.1 caveat).
 * `dns` mode is what a client's resolver does with the search path: `reviews.shop` → `reviews.shop.svc.<domain>`,
 * `reviews.shop.svc` → `…svc.<domain>`. Wildcards and IPs are kept as written in both modes.
 */
export function toFqdn(host: string, namespace: string, clusterDomain = 'cluster.local', mode: 'istio' | 'dns' = 'istio'): string {
  const h = normalizeHost(host);
  if (h === '' || isWildcard(h) || isIP(h)) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.svc.${clusterDomain}`;
  if (mode === 'istio') return h;
  if (parts.length === 2 && !KNOWN_TLDS.has(parts[1]!)) return `${h}.svc.${clusterDomain}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.${clusterDomain}`;
  return h;
}

/** Top-level domains that make a two-label name external rather than `service.namespace`. */
const KNOWN_TLDS = new Set(['com', 'org', 'net', 'io', 'dev', 'edu', 'gov', 'info', 'co', 'app', 'cloud', 'local', 'internal', 'example', 'test', 'localhost']);

/**
 * True when `pattern` (possibly a wildcard) covers `host` (possibly a wildcard): `*.com` covers `foo.com`
 * and `*.bar.com`, `*.foo.com` does not cover `foo.com`, `*` covers everything (Istio's `Name.SubsetOf`).
 */
export function hostMatches(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (p === '*') return true;
  if (p === h) return true;
  if (!isWildcard(p)) return false;
  const suffix = p.slice(1); // `.example.com`
  if (isWildcard(h)) return h.slice(1).endsWith(suffix);
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** True when two host patterns have a host in common (Istio's `Name.Matches`: one covers the other). */
export function hostsIntersect(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

/** How specific a matching host pattern is: exact beats wildcard, a longer wildcard beats a shorter one. */
export function hostSpecificity(pattern: string): number {
  const p = normalizeHost(pattern);
  return isWildcard(p) ? p.length : 10_000 + p.length;
}

/** The most specific of `patterns` that covers `host`, or undefined (Istio's `MostSpecificHostMatch`). */
export function mostSpecificMatch(host: string, patterns: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const p of patterns) {
    if (!hostMatches(p, host)) continue;
    if (best === undefined || hostSpecificity(p) > hostSpecificity(best)) best = p;
  }
  return best;
}

/** A `namespace/dnsName` host of a Gateway server or a Sidecar egress listener. */
export interface ScopedHost {
  /** `*` any namespace, a namespace name, or `~` (none). `.` is resolved to the owner's namespace. */
  namespace: string;
  /** An exclusion (`~ns/host` on Sidecar egress hosts). */
  exclude: boolean;
  host: string;
}

/** Splits a Gateway/Sidecar host `ns/dnsName` (prefixes `*`, `.`, `~` before the slash; no prefix means any namespace). */
export function parseScopedHost(entry: string, ownNamespace: string): ScopedHost {
  const slash = entry.indexOf('/');
  if (slash < 0) return { namespace: '*', exclude: false, host: normalizeHost(entry) };
  let ns = entry.slice(0, slash).trim();
  const host = normalizeHost(entry.slice(slash + 1));
  let exclude = false;
  if (ns.startsWith('~')) {
    exclude = true;
    ns = ns.slice(1) || '*';
  }
  if (ns === '.') ns = ownNamespace;
  return { namespace: ns, exclude, host };
}

/** True when a scoped host admits `host` written in namespace `namespace`. */
export function scopedHostAdmits(scoped: ScopedHost, namespace: string, host: string): boolean {
  return (scoped.namespace === '*' || scoped.namespace === namespace) && hostsIntersect(scoped.host, host);
}

/** True when IPv4 `ip` is inside `cidr` (`10.0.0.0/8`) or equal to a bare address. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (bitsText === undefined) return normalizeHost(base ?? '') === normalizeHost(ip);
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? '');
  const bits = Number(bitsText);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

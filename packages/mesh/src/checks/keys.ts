/**
 * Dependency keys. A check records the keys it reads; every object provides keys. When an object changes, the
 * subjects that read one of its keys (before or after the change) are validated again.
 *
 * Host keys live in a space (`R` registry, `D` DestinationRule hosts, `V` VirtualService hosts) and are built so
 * that a reader of host A and a provider of host B share a key exactly when A and B can intersect, wildcards included.
 */
import { isWildcard, normalizeHost } from '../hosts/names.js';

/** Proper suffixes of `a.b.c`: `b.c`, `c`, and the empty root. */
function suffixes(h: string): string[] {
  const out: string[] = [];
  let i = h.indexOf('.');
  while (i >= 0) {
    out.push(h.slice(i + 1));
    i = h.indexOf('.', i + 1);
  }
  out.push('');
  return out;
}

/** Keys read when looking up `host` (concrete or wildcard) in `space`. */
export function hostReadKeys(space: string, host: string): string[] {
  const h = normalizeHost(host);
  if (!isWildcard(h)) return [`${space}H:${h}`, ...suffixes(h).map((s) => `${space}W:${s}`)];
  const s = h === '*' ? '' : h.slice(2);
  return [`${space}S:${s}`, `${space}W:${s}`, ...(s === '' ? [] : suffixes(s).map((x) => `${space}W:${x}`))];
}

/** Keys provided by an object that defines `host` in `space`. */
export function hostProvideKeys(space: string, host: string): string[] {
  const h = normalizeHost(host);
  if (!isWildcard(h)) return [`${space}H:${h}`, ...suffixes(h).map((s) => `${space}S:${s}`)];
  const s = h === '*' ? '' : h.slice(2);
  return [`${space}W:${s}`, `${space}S:${s}`, ...(s === '' ? [] : suffixes(s).map((x) => `${space}S:${x}`))];
}

/**
 * Key read by a label selector in `namespace` (`*` for every namespace): one of its pairs is enough, since a
 * workload can only start or stop matching if it carries that pair before or after the change.
 */
export function selectorReadKey(namespace: string, selector: Record<string, string> | undefined): string {
  const first = Object.entries(selector ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))[0];
  return first ? `L:${namespace}:${first[0]}=${first[1]}` : `L:${namespace}:`;
}

/** Keys provided by a workload or pod with `labels` in `namespace`. */
export function labelProvideKeys(namespace: string, labels: Record<string, string>): string[] {
  const out = [`L:${namespace}:`, 'L:*:'];
  for (const [k, v] of Object.entries(labels)) out.push(`L:${namespace}:${k}=${v}`, `L:*:${k}=${v}`);
  return out;
}

/**
 * Minimal host-name handling for graph badges: short-name expansion and wildcard matching.
 * Kept local to the graph on purpose; the full host helpers live elsewhere in the engine.
 */

/** Expands a short host (`reviews`) with the namespace of the rule that wrote it, as Istio does; FQDNs and wildcards stay. */
export function expandHost(host: string, ruleNamespace: string, clusterDomain: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h.startsWith('*') || h.includes('.')) return h;
  return `${h}.${ruleNamespace}.svc.${clusterDomain}`;
}

/** Istio's `Name.Matches` for one concrete host against a possibly-wildcard pattern (`*.example.com`, `*`). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** Strips a Gateway server host's namespace prefix (`./foo`, `prod/foo`, or a star then a slash). */
export function stripNamespacePrefix(host: string): string {
  const slash = host.indexOf('/');
  return slash >= 0 ? host.slice(slash + 1) : host;
}

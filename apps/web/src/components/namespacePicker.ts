/** The namespace picker's logic, pure: the options it lists, how the search filters them, and the bulk choices. */
import type { NamespaceInfo } from '@meshlens/model';
import type { NamespaceSummary } from '../config/namespaceFindings';

export interface NamespaceOption {
  name: string;
  /** Known to the server (a selected name from a link may not be, or not yet). */
  listed: boolean;
  labels: Record<string, string>;
  injection: boolean;
  counts?: NamespaceInfo['counts'];
  /** Findings of the namespace's own objects; undefined until they are loaded. */
  findings?: { error: number; warning: number; info: number };
}

/** The server's namespaces in its order, then selected names it does not list (kept visible, never silently dropped). */
export function namespaceOptions(namespaces: NamespaceInfo[], selected: string[], findings?: NamespaceSummary[]): NamespaceOption[] {
  const byNamespace = new Map((findings ?? []).map((s) => [s.namespace, s]));
  const problems = (name: string) => {
    if (!findings) return undefined;
    const s = byNamespace.get(name);
    return { error: s?.error ?? 0, warning: s?.warning ?? 0, info: s?.info ?? 0 };
  };
  const options: NamespaceOption[] = namespaces.map((n) => ({ name: n.name, listed: true, labels: n.labels, injection: n.injection, counts: n.counts, findings: problems(n.name) }));
  const known = new Set(options.map((o) => o.name));
  for (const name of selected) if (!known.has(name)) options.push({ name, listed: false, labels: {}, injection: false, findings: problems(name) });
  return options;
}

/**
 * The options matching a search: every space-separated term must appear (case-insensitively) in the name or in a
 * label written `key=value`, so `istio-injection=enabled` finds the injected namespaces. Names that start with
 * the first term come first; otherwise the order is kept.
 */
export function filterNamespaceOptions(options: NamespaceOption[], query: string): NamespaceOption[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return options;
  const matching = options.filter((o) => {
    const text = [o.name, ...Object.entries(o.labels).map(([k, v]) => `${k}=${v}`)].join(' ').toLowerCase();
    return terms.every((t) => text.includes(t));
  });
  const first = terms[0]!;
  return [...matching.filter((o) => o.name.toLowerCase().startsWith(first)), ...matching.filter((o) => !o.name.toLowerCase().startsWith(first))];
}

/** Namespaces with errors or warnings of their own (info alone is not a problem). */
export function namespacesWithProblems(options: NamespaceOption[]): string[] {
  return options.filter((o) => o.findings && o.findings.error + o.findings.warning > 0).map((o) => o.name);
}

/** The selection after toggling one name, in the options' order (so URLs do not depend on click order). */
export function toggleNamespace(selected: string[], name: string, options: NamespaceOption[]): string[] {
  const next = new Set(selected);
  if (next.has(name)) next.delete(name);
  else next.add(name);
  const order = options.map((o) => o.name);
  return [...next].sort((a, b) => (order.indexOf(a) + 1 || Infinity) - (order.indexOf(b) + 1 || Infinity) || a.localeCompare(b));
}

/** "3 services · 4 workloads · 2 Istio objects", leaving out zeros. */
export function countsText(counts: NamespaceInfo['counts'] | undefined): string {
  if (!counts) return '';
  const parts = [
    counts.services ? `${counts.services} svc` : '',
    counts.workloads ? `${counts.workloads} wl` : '',
    counts.istioObjects ? `${counts.istioObjects} Istio` : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

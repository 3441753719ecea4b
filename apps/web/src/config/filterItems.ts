/** The Config page's filters, applied in the browser so typing and picking answer at once. */
import type { ConfigItem, Finding } from '@meshlens/model';
import type { ConfigListState } from './links';

/** Items passing the kind, severity and free-text filters (text matches kind, namespace, name and file, case-insensitively). */
export function filterItems(items: ConfigItem[], state: ConfigListState): ConfigItem[] {
  const terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((item) => {
    if (state.kind && item.ref.kind !== state.kind) return false;
    if (state.severity === 'ok' && item.severity) return false;
    if (state.severity !== 'any' && state.severity !== 'ok' && item.severity !== state.severity) return false;
    if (terms.length === 0) return true;
    const haystack = `${item.ref.kind} ${item.ref.namespace ?? ''}/${item.ref.name} ${item.file ?? ''}`.toLowerCase();
    return terms.every((t) => haystack.includes(t));
  });
}

export interface NamespaceSummary {
  namespace: string;
  error: number;
  warning: number;
  info: number;
}

/** Errors/warnings/info per namespace (a Namespace object's findings count for itself), busiest first. */
export function summaryByNamespace(findings: Finding[]): NamespaceSummary[] {
  const out = new Map<string, NamespaceSummary>();
  for (const f of findings) {
    const ns = f.object.namespace ?? (f.object.kind === 'Namespace' ? f.object.name : undefined);
    if (!ns) continue;
    let s = out.get(ns);
    if (!s) out.set(ns, (s = { namespace: ns, error: 0, warning: 0, info: 0 }));
    s[f.severity]++;
  }
  return [...out.values()].sort((a, b) => b.error - a.error || b.warning - a.warning || b.info - a.info || a.namespace.localeCompare(b.namespace));
}

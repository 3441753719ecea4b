/** Findings counted per namespace: the Config page's summary and the namespace picker's problem counts. */
import type { Finding } from '@meshlens/model';

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

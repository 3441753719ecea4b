/**
 * "Show in the graph" for a config object: which graph nodes stand for it or for what it configures (a workload, the
 * workloads of a Service, the workloads a VirtualService's hosts and gateways reach, the pods a policy selects — as
 * the workload and service lists' `istioConfig` say), which namespaces the graph needs, whether idle nodes must be
 * shown, and in words what the link will show or why nothing can be shown. Pure.
 */
import type { ObjectRef, ServiceRow, WorkloadRow } from '@meshlens/model';
import { refKey } from '@meshlens/model';
import { WORKLOAD_KINDS } from '../config/graphFindings';

/** What the lists say about the object's surroundings (rows of `GET /api/workloads` and `GET /api/services`). */
export interface GraphRows {
  workloads: WorkloadRow[];
  services: ServiceRow[];
}

/** Where "show in the graph" goes, and what it says. */
export interface ObjectGraphTarget {
  /** The graph's namespaces: the selection, plus those the target needs. */
  namespaces: string[];
  /** `workload` when the target is a workload node (their ids are `wl:<ns>:<name>` there). */
  graphType?: 'workload';
  /** The node to select. */
  focus?: string;
  /** Find text that highlights every target node. */
  find?: string;
  /** Idle nodes must be shown: a target had no traffic in the window. */
  idle: boolean;
  /** The link's words. */
  text: string;
  /** Whether some node stands for the object; false: the link shows the namespace and `text` says why nothing more. */
  found: boolean;
}

/** A workload with no traffic in or out in the window: the graph hides it unless idle nodes are shown. */
export function isIdleRow(row: Pick<WorkloadRow, 'traffic' | 'health'>): boolean {
  return row.traffic.requestRate === 0 && !row.traffic.tcpBytesRate && !(row.health.outbound && row.health.outbound.rate > 0);
}

/** The namespaces whose lists can tell what an object configures: its own, and those of the objects it refers to or hosts it names. */
export function candidateNamespaces(ref: ObjectRef, references: ObjectRef[], hosts: string[] = []): string[] {
  const out = new Set<string>();
  if (ref.namespace) out.add(ref.namespace);
  else if (ref.kind === 'Namespace') out.add(ref.name);
  for (const r of references) if (r.namespace) out.add(r.namespace);
  for (const h of hosts) {
    // reviews.bookinfo, reviews.bookinfo.svc, reviews.bookinfo.svc.cluster.local
    const m = /^[^.*]+\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(h);
    if (m && (m[2] || !h.includes('.', h.indexOf('.') + 1))) out.add(m[1]!);
  }
  return [...out].sort();
}

const VIA_RANK: Record<string, number> = { gateway: 0, host: 1, selector: 2, namespace: 3, mesh: 4 };

function withSelection(selection: string[] | null, needed: string[]): string[] {
  const out = [...(selection ?? [])];
  for (const ns of needed) if (!out.includes(ns)) out.push(ns);
  return out;
}

function workloadTargets(rows: WorkloadRow[], selection: string[] | null, what: string): ObjectGraphTarget {
  const namespaces = withSelection(selection, [...new Set(rows.map((r) => r.namespace))]);
  const first = rows[0]!;
  const names = rows.map((r) => `${r.namespace}/${r.name}`);
  const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return {
    namespaces,
    graphType: 'workload',
    focus: `wl:${first.namespace}:${first.name}`,
    find: [...new Set(rows.map((r) => r.name))].join(','),
    idle: rows.some(isIdleRow),
    text: `${what}: ${rows.length === 1 ? 'workload' : 'workloads'} ${list}`,
    found: true,
  };
}

function notFound(ref: ObjectRef, selection: string[] | null, why: string, find?: string): ObjectGraphTarget {
  const namespaces = withSelection(selection, ref.namespace ? [ref.namespace] : []);
  return { namespaces, idle: true, text: why, found: false, ...(find ? { find } : {}) };
}

/**
 * Where "show in the graph" lands for `ref`: the node of a workload, Pod or ServiceEntry; a Service's workloads; for any
 * other Istio object, the workloads it applies to (through a gateway first, then its hosts, then a selector), found in
 * `rows`. `hosts`: what a VirtualService, DestinationRule or ServiceEntry names, used for words and for the find text.
 */
export function objectGraphTarget(ref: ObjectRef, rows: GraphRows, selection: string[] | null, hosts: string[] = []): ObjectGraphTarget {
  const name = `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  if (WORKLOAD_KINDS.has(ref.kind) || ref.kind === 'Pod') {
    const inNamespace = rows.workloads.filter((w) => w.namespace === ref.namespace);
    // a Pod belongs to the workload whose name prefixes its own (`reviews-v1-5c7d…`), or is one (a bare pod)
    const row = inNamespace.find((w) => w.name === ref.name) ??
      (ref.kind === 'Pod' ? inNamespace.filter((w) => ref.name.startsWith(`${w.name}-`)).sort((a, b) => b.name.length - a.name.length)[0] : undefined);
    if (row) return workloadTargets([row], selection, `Show ${ref.name} in the graph`);
    return notFound(ref, selection, `${ref.kind} ${name} runs no workload the mesh knows, so the graph has no node for it.`, ref.name);
  }
  if (ref.kind === 'ServiceEntry') {
    return {
      namespaces: withSelection(selection, ref.namespace ? [ref.namespace] : []),
      focus: `se:${ref.namespace}:${ref.name}`,
      find: hosts.filter((h) => !h.includes('*'))[0] ?? ref.name,
      idle: true,
      text: `Show ${ref.name} in the graph (its node shows when some traffic used it, or with idle nodes)`,
      found: true,
    };
  }
  if (ref.kind === 'Service') {
    const svc = rows.services.find((s) => s.namespace === ref.namespace && s.name === ref.name);
    const behind = svc ? rows.workloads.filter((w) => w.namespace === ref.namespace && svc.workloads.includes(w.name)) : [];
    if (behind.length > 0) return workloadTargets(behind, selection, `Show ${ref.name} in the graph`);
    return notFound(ref, selection, `Service ${name} selects no workload, so the graph has no node for it.`, ref.name);
  }
  // Any other object: the workloads whose applied configuration names it (via a Service's row: that Service's workloads).
  const key = refKey(ref);
  const rank = new Map<string, { row: WorkloadRow; via: number }>();
  const consider = (row: WorkloadRow, via: string) => {
    const r = VIA_RANK[via] ?? 5;
    const k = `${row.namespace}/${row.name}`;
    const seen = rank.get(k);
    if (!seen || r < seen.via) rank.set(k, { row, via: r });
  };
  for (const w of rows.workloads) {
    const applied = w.istioConfig.objects.find((o) => refKey(o.ref) === key);
    if (applied) consider(w, applied.via);
  }
  for (const s of rows.services) {
    const applied = s.istioConfig.objects.find((o) => refKey(o.ref) === key);
    if (!applied) continue;
    for (const w of rows.workloads) if (w.namespace === s.namespace && s.workloads.includes(w.name)) consider(w, applied.via);
  }
  const all = [...rank.values()].sort((a, b) => a.via - b.via || a.row.namespace.localeCompare(b.row.namespace) || a.row.name.localeCompare(b.row.name));
  // namespace- or mesh-wide objects apply to everything: those are not "found", the namespace's graph is the answer
  const specific = all.filter((a) => a.via < VIA_RANK.namespace!);
  if (specific.length > 0) return workloadTargets(specific.map((a) => a.row), selection, `Show what ${ref.name} configures in the graph`);
  if (all.length > 0) {
    const namespaces = withSelection(selection, [...new Set(all.map((a) => a.row.namespace))]);
    return { namespaces, idle: false, text: `${ref.kind} ${name} applies to every workload of ${all[0]!.via === VIA_RANK.mesh ? 'the mesh' : namespaces.join(', ')}: show their graph`, found: true };
  }
  const named = hosts.length > 0 ? ` (${hosts.join(', ')})` : '';
  return notFound(
    ref,
    selection,
    `${ref.kind} ${name} configures no workload the graph can draw: no Service or workload of ${ref.namespace ?? 'the mesh'} is reached by what it names${named}. The graph of ${ref.namespace ?? 'its namespace'} shows its neighbours.`,
    hosts.length > 0 ? hosts.join(',') : undefined,
  );
}

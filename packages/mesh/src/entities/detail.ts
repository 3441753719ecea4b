/** The detail pages: a workload, a service or an application with its pods, configuration, traffic and findings. */
import type {
  AppliedConfig, ApplicationDetail, Finding, GraphResponse, PodDetail, ServiceBackend, ServiceDetail, ServicePortInfo, ServiceRoute, UnreachedEdge, WorkloadDetail,
} from '@meshlens/model';
import { refKey } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { labelsMatch, podCount } from '../inventory/query.js';
import { protocolOfPort } from '../routing/protocol.js';
import { findSubset, lookupDestinationRule } from '../routing/destination-rules.js';
import { countFindings, type EntityModel } from './model.js';
import { podDetail } from './pods.js';
import { applicationRow, serviceApplied, serviceRow, workloadApplied, workloadRow } from './rows.js';
import { fqdnIn, type AppliedObject } from './config.js';
import { entityNodeIds, trafficEdges, type EntityRef } from './traffic.js';
import { explainFlag } from './access-log.js';

function applied(m: EntityModel, list: AppliedObject[]): AppliedConfig[] {
  return list.map((a) => {
    const findingList = m.findings.byObject.get(refKey(a.obj.ref)) ?? [];
    return {
      ref: { kind: a.obj.ref.kind, ...(a.obj.ref.namespace ? { namespace: a.obj.ref.namespace } : {}), name: a.obj.ref.name },
      via: a.via,
      badges: a.badges,
      findings: countFindings(findingList),
      findingList,
    };
  });
}

function pods(m: EntityModel, workloads: WorkloadView[]): PodDetail[] {
  return workloads.flatMap((w) => w.pods.map((p) => podDetail(m.inv, p, m.status(p, m.queryTime)))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function own(m: EntityModel, refs: Array<{ ref: { kind: string; namespace?: string; name: string } } | undefined>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const o of refs) {
    if (!o) continue;
    const key = refKey(o.ref);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...(m.findings.byObject.get(key) ?? []));
  }
  return out;
}

/** Findings on other objects that involve `refs` (their references name one), without those already `mine`. */
function involving(m: EntityModel, refs: Array<{ ref: { kind: string; namespace?: string; name: string } } | undefined>, mine: Finding[]): Finding[] {
  const own = new Set(mine);
  const out = new Set<Finding>();
  for (const o of refs) if (o) for (const f of m.findings.byInvolved.get(refKey(o.ref)) ?? []) if (!own.has(f)) out.add(f);
  return [...out];
}

/** Sets `involving` on a detail when some finding elsewhere involves its objects. */
function withInvolving<T extends { findings: Finding[]; involving?: Finding[] }>(m: EntityModel, detail: T, refs: Array<{ ref: { kind: string; namespace?: string; name: string } } | undefined>): T {
  const list = involving(m, refs, detail.findings);
  if (list.length > 0) detail.involving = list;
  return detail;
}

function workloadObjects(w: WorkloadView) {
  return [w.obj, ...w.pods.map((p) => p.obj)];
}

const ports = (s: ServiceView) => s.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'}`);

/** The entity reference of a workload of the model (for `entityNodeIds`). */
export function workloadEntity(m: EntityModel, w: WorkloadView): EntityRef {
  return { kind: 'workload', workload: w, services: m.servicesOf.get(w) ?? [] };
}

/** The entity reference of a service of the model. */
export function serviceEntity(s: ServiceView): EntityRef {
  return { kind: 'service', service: s };
}

/** The entity reference of an application `ns/app` of the model, or undefined when it has no workload. */
export function applicationEntity(m: EntityModel, namespace: string, app: string): EntityRef | undefined {
  const workloads = m.applications.get(`${namespace}/${app}`);
  if (!workloads) return undefined;
  const services: ServiceView[] = [];
  for (const w of workloads) for (const s of m.servicesOf.get(w) ?? []) if (!services.includes(s)) services.push(s);
  return { kind: 'application', namespace, app, workloads, services };
}

/** A workload's page; `graph` is the window's workload graph of its namespace. */
export function workloadDetail(m: EntityModel, w: WorkloadView, graph: GraphResponse): WorkloadDetail {
  const detail: WorkloadDetail = {
    timestamp: m.queryTime,
    duration: m.duration,
    workload: workloadRow(m, w),
    pods: pods(m, [w]),
    services: (m.servicesOf.get(w) ?? []).map((s) => ({ namespace: s.namespace, name: s.name, ports: ports(s) })),
    istioConfig: applied(m, workloadApplied(m, w)),
    traffic: trafficEdges(graph, entityNodeIds(workloadEntity(m, w), graph)),
    findings: own(m, workloadObjects(w)),
  };
  withInvolving(m, detail, workloadObjects(w));
  const missed = unreached(graph, m.servicesOf.get(w) ?? []);
  if (missed.length > 0) detail.unreached = missed;
  return detail;
}

/**
 * Requests that ended at one of `services`' nodes with a response flag: no workload received them (a workload graph
 * draws requests that reached a workload to the workload itself), so the caller's proxy answered them.
 */
function unreached(graph: GraphResponse, services: ServiceView[]): UnreachedEdge[] {
  const ids = new Set(services.map((s) => `svc:${s.namespace}:${s.name}`));
  const out: UnreachedEdge[] = [];
  for (const e of trafficEdges(graph, ids)) {
    const flags = Object.keys(e.responseFlags).filter((f) => f !== '-');
    if (e.direction === 'inbound' && flags.length > 0) out.push({ ...e, explained: flags.flatMap((f) => f.split(',')).map(explainFlag) });
  }
  return out;
}

/** An application's page; `graph` is the window's app graph of its namespace. */
export function applicationDetail(m: EntityModel, namespace: string, app: string, graph: GraphResponse): ApplicationDetail | undefined {
  const r = applicationRow(m, `${namespace}/${app}`);
  const e = applicationEntity(m, namespace, app);
  if (!r || !e || e.kind !== 'application') return undefined;
  return withInvolving(m, {
    timestamp: m.queryTime,
    duration: m.duration,
    application: r.row,
    workloads: e.workloads.map((w) => workloadRow(m, w)),
    services: r.services.map((s) => serviceRow(m, s)),
    pods: pods(m, e.workloads),
    istioConfig: applied(m, r.applied),
    traffic: trafficEdges(graph, entityNodeIds(e, graph)),
    findings: own(m, e.workloads.flatMap(workloadObjects)),
  }, e.workloads.flatMap(workloadObjects));
}

/** A Service's page; `graph` is the window's service graph of its namespace. */
export function serviceDetail(m: EntityModel, s: ServiceView, graph: GraphResponse): ServiceDetail {
  const workloads = m.workloadsOf.get(s) ?? [];
  const routes = serviceRoutes(m.inv, s, workloads);
  const detail: ServiceDetail = {
    timestamp: m.queryTime,
    duration: m.duration,
    service: serviceRow(m, s),
    hostname: s.hostname,
    ports: s.ports.map((p): ServicePortInfo => {
      const proto = protocolOfPort({ number: p.port, name: p.name, protocol: p.protocol, appProtocol: p.appProtocol });
      const info: ServicePortInfo = { port: p.port, protocol: p.protocol ?? 'TCP', istioProtocol: proto === 'unknown' ? 'auto' : proto };
      if (p.name) info.name = p.name;
      if (p.targetPort !== undefined) info.targetPort = p.targetPort;
      if (p.appProtocol) info.appProtocol = p.appProtocol;
      return info;
    }),
    backends: backends(m, s, workloads, routes),
    routes,
    pods: pods(m, workloads),
    istioConfig: applied(m, serviceApplied(m, s)),
    traffic: trafficEdges(graph, entityNodeIds(serviceEntity(s), graph)),
    findings: own(m, [s.obj]),
  };
  withInvolving(m, detail, [s.obj]);
  if (s.clusterIP) detail.clusterIP = s.clusterIP;
  return detail;
}

function matchText(match: unknown): string | undefined {
  if (!Array.isArray(match) || match.length === 0) return undefined;
  const parts = match.map((m: Record<string, any>) => {
    const bits: string[] = [];
    for (const [field, value] of Object.entries(m ?? {})) {
      if (field === 'headers' || field === 'queryParams') {
        for (const [name, cond] of Object.entries(value ?? {})) {
          const [op, v] = Object.entries(cond ?? {})[0] ?? ['present', ''];
          bits.push(`${field === 'headers' ? 'header' : 'query'} ${name} ${op} ${v}`);
        }
      } else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const [op, v] = Object.entries(value)[0] ?? ['', ''];
        bits.push(`${field} ${op} ${v}`);
      } else bits.push(`${field} ${Array.isArray(value) ? value.join(',') : String(value)}`);
    }
    return bits.join(' and ');
  });
  return parts.join(' or ');
}

/** The rules of the VirtualServices for the Service's host that route it (mesh or gateway bound), in order. */
function serviceRoutes(inv: Inventory, s: ServiceView, workloads: WorkloadView[]): ServiceRoute[] {
  const out: ServiceRoute[] = [];
  for (const vs of inv.istio.VirtualService) {
    const vsNs = vs.ref.namespace ?? 'default';
    const spec = vs.object.spec ?? {};
    const hosts: string[] = (Array.isArray(spec.hosts) ? spec.hosts : []).filter((h: unknown): h is string => typeof h === 'string').map((h: string) => fqdnIn(inv, h, vsNs));
    for (const protocol of ['http', 'tcp', 'tls'] as const) {
      const rules: unknown = spec[protocol];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule: Record<string, any>, i: number) => {
        const route: Array<Record<string, any>> = Array.isArray(rule?.route) ? rule.route : [];
        const dests = route.filter((d) => typeof d?.destination?.host === 'string');
        const touches = hosts.includes(s.hostname) || dests.some((d) => fqdnIn(inv, d.destination.host, vsNs) === s.hostname);
        if (!touches || dests.length === 0) return;
        const weights = dests.map((d) => (typeof d.weight === 'number' ? d.weight : dests.length === 1 ? 100 : 0));
        const r: ServiceRoute = {
          virtualService: { kind: 'VirtualService', namespace: vsNs, name: vs.ref.name },
          path: `spec.${protocol}[${i}]`,
          protocol,
          matched: Array.isArray(rule?.match) && rule.match.length > 0,
          destinations: dests.map((d, k) => {
            const host = fqdnIn(inv, d.destination.host, vsNs);
            const subset: string | undefined = typeof d.destination.subset === 'string' ? d.destination.subset : undefined;
            const port: number | undefined = typeof d.destination.port?.number === 'number' ? d.destination.port.number : undefined;
            let reached: WorkloadView[] = [];
            if (host === s.hostname) {
              if (subset === undefined) reached = workloads;
              else {
                const sub = findSubset(lookupDestinationRule(inv, host, vsNs, s.namespace, {}), subset);
                reached = sub ? workloads.filter((w) => labelsMatch(sub.labels, w.labels)) : [];
              }
            }
            return { host, ...(subset ? { subset } : {}), ...(port !== undefined ? { port } : {}), weight: weights[k]!, workloads: reached.map((w) => w.name) };
          }),
        };
        const text = matchText(rule?.match);
        if (text) r.match = text;
        out.push(r);
      });
    }
  }
  return out;
}

/**
 * The workloads behind the Service with their subsets and, when a VirtualService routes the host, the share of the
 * default route (the first rule without match conditions) each gets: the destination's weight, split by pod count.
 */
function backends(m: EntityModel, s: ServiceView, workloads: WorkloadView[], routes: ServiceRoute[]): ServiceBackend[] {
  const drs = m.inv.istio.DestinationRule.filter((dr) => typeof dr.object.spec?.host === 'string' && fqdnIn(m.inv, dr.object.spec.host, dr.ref.namespace ?? 'default') === s.hostname);
  const defaultRoute = routes.find((r) => !r.matched && r.destinations.some((d) => d.host === s.hostname));
  const weights = new Map<WorkloadView, number>();
  if (defaultRoute) {
    for (const d of defaultRoute.destinations) {
      if (d.host !== s.hostname) continue;
      const reached = workloads.filter((w) => d.workloads.includes(w.name));
      const pods = reached.reduce((n, w) => n + podCount(w), 0);
      for (const w of reached) weights.set(w, (weights.get(w) ?? 0) + (pods > 0 ? (d.weight * podCount(w)) / pods : 0));
    }
  }
  return workloads.map((w) => {
    const subsets: string[] = [];
    for (const dr of drs) {
      for (const sub of Array.isArray(dr.object.spec.subsets) ? dr.object.spec.subsets : []) {
        if (typeof sub?.name === 'string' && labelsMatch(sub.labels ?? {}, w.labels)) subsets.push(sub.name);
      }
    }
    const b: ServiceBackend = { name: w.name, kind: w.kind, labels: w.labels, subsets: [...new Set(subsets)], health: workloadRow(m, w).health };
    if (w.version) b.version = w.version;
    if (defaultRoute) b.weight = Math.round((weights.get(w) ?? 0) * 10) / 10;
    return b;
  });
}

/** The list rows of GET /api/workloads, /api/services and /api/applications. */
import type { AppliedConfigRef, AppliedConfigSummary, ApplicationRow, EntityHealth, FindingCounts, InventoryObject, ObjectRef, ReplicaStatus, ServiceRow, WorkloadRow } from '@meshlens/model';
import { refKey } from '@meshlens/model';
import type { ServiceView, WorkloadView } from '../inventory/types.js';
import { podCount } from '../inventory/query.js';
import { workloadReplicas } from '../health/replicas.js';
import { entityHealth } from '../health/status.js';
import { configForService, configForWorkload, mergeApplied, orderBadges, type AppliedObject } from './config.js';
import { countFindings, inboundTraffic, type EntityModel } from './model.js';
import { isAmbient } from './namespace.js';

interface WorkloadParts {
  row: WorkloadRow;
  applied: AppliedObject[];
  replicas: ReplicaStatus;
}

interface Memo {
  workloads: Map<WorkloadView, WorkloadParts>;
  /** Replicas and sidecar state of workloads, for rows that need only those (applications). */
  flags: Map<WorkloadView, { replicas: ReplicaStatus; missingSidecar: boolean; ambient: boolean }>;
  services: Map<ServiceView, { row: ServiceRow; applied: AppliedObject[] }>;
  /** Each applied object's reference and finding counts (the same in every row it appears in). */
  objects: Map<InventoryObject, { ref: ObjectRef; findings: FindingCounts }>;
  /** Namespaces whose workloads are the control plane's: no sidecar is expected there. */
  controlPlane: Set<string>;
}

const MEMO = new WeakMap<EntityModel, Memo>();

function memo(m: EntityModel): Memo {
  let x = MEMO.get(m);
  if (!x) MEMO.set(m, (x = { workloads: new Map(), flags: new Map(), services: new Map(), objects: new Map(), controlPlane: new Set(['istio-system', 'kube-system', m.inv.meshConfig.rootNamespace]) }));
  return x;
}

const NO_FINDINGS: FindingCounts = Object.freeze({ error: 0, warning: 0, info: 0 });

/** An object's reference and finding counts, once per model. */
function objectInfo(m: EntityModel, o: InventoryObject): { ref: ObjectRef; findings: FindingCounts } {
  const cache = memo(m).objects;
  let info = cache.get(o);
  if (!info) {
    const list = m.findings.byObject.get(refKey(o.ref));
    info = { ref: { kind: o.ref.kind, ...(o.ref.namespace ? { namespace: o.ref.namespace } : {}), name: o.ref.name }, findings: list ? countFindings(list) : { ...NO_FINDINGS } };
    cache.set(o, info);
  }
  return info;
}

/** `ingress` / `egress` for Istio gateway proxies; undefined otherwise (waypoints, plain workloads). */
export function gatewayKind(w: WorkloadView): 'ingress' | 'egress' | undefined {
  if (!w.isGatewayProxy) return undefined;
  const istio = w.labels.istio ?? '';
  const component = w.labels['operator.istio.io/component'] ?? '';
  const managed = w.labels['gateway.istio.io/managed'];
  if (istio.includes('egress') || component === 'EgressGateways') return 'egress';
  if (istio.includes('ingress') || component === 'IngressGateways') return 'ingress';
  // A Gateway API gateway deployed by istiod: its name (`<gateway>-istio`) is the only hint of an egress role.
  if (managed === 'istio.io-gateway-controller') return w.name.includes('egress') ? 'egress' : 'ingress';
  if (managed !== undefined) return undefined;
  if (w.name.includes('egress')) return 'egress';
  if (w.name.includes('ingress') || w.name.includes('gateway')) return 'ingress';
  return undefined;
}

/** The objects a workload is made of: its controller and its Pod objects. */
function workloadObjects(w: WorkloadView): InventoryObject[] {
  const out: InventoryObject[] = [];
  if (w.obj) out.push(w.obj);
  for (const p of w.pods) if (p.obj && p.obj !== w.obj) out.push(p.obj);
  return out;
}

/** The summary a row shows of its applied objects, with each object's finding counts. */
export function appliedSummary(m: EntityModel, applied: AppliedObject[]): AppliedConfigSummary {
  const objects: AppliedConfigRef[] = applied.map((a) => {
    const info = objectInfo(m, a.obj);
    return { ref: info.ref, via: a.via, badges: a.badges, findings: info.findings };
  });
  return { objects, badges: applied.length === 0 ? [] : applied.length === 1 ? applied[0]!.badges : orderBadges(applied.flatMap((a) => a.badges)) };
}

/** Findings of own objects plus applied objects, each object counted once. */
function rowFindings(m: EntityModel, own: InventoryObject[], applied: AppliedObject[]): FindingCounts {
  const c: FindingCounts = { error: 0, warning: 0, info: 0 };
  const seen = new Set<InventoryObject>();
  const add = (o: InventoryObject) => {
    if (seen.has(o)) return;
    seen.add(o);
    const f = objectInfo(m, o).findings;
    c.error += f.error;
    c.warning += f.warning;
    c.info += f.info;
  };
  for (const o of own) add(o);
  for (const a of applied) add(a.obj);
  return c;
}

/** A workload's replicas and whether its pods miss a sidecar or are ambient (memoized per model). */
function workloadFlags(m: EntityModel, w: WorkloadView): { replicas: ReplicaStatus; missingSidecar: boolean; ambient: boolean } {
  const cache = memo(m).flags;
  let f = cache.get(w);
  if (!f) {
    const nsLabels = m.inv.namespaces.get(w.namespace)?.labels ?? {};
    const ambient = w.pods.length > 0 ? w.pods.every((p) => isAmbient(p.labels, nsLabels, p.hasSidecar)) : isAmbient(w.labels, nsLabels, w.hasSidecar);
    f = {
      replicas: workloadReplicas(m.inv, w, m.status, m.queryTime),
      missingSidecar: w.pods.length > 0 && !w.hasSidecar && !w.isGatewayProxy && !ambient && !memo(m).controlPlane.has(w.namespace),
      ambient,
    };
    cache.set(w, f);
  }
  return f;
}

function workloadParts(m: EntityModel, w: WorkloadView): WorkloadParts {
  const cache = memo(m).workloads;
  const hit = cache.get(w);
  if (hit) return hit;
  const services = m.servicesOf.get(w) ?? [];
  const applied = configForWorkload(m.inv, w);
  const { replicas, missingSidecar, ambient } = workloadFlags(m, w);
  const totals = m.totals.workload(w.namespace, w.name);
  const row: WorkloadRow = {
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    labels: w.labels,
    health: entityHealth(totals, [replicas], m.totals.outboundWorkload(w.namespace, w.name)),
    missingSidecar,
    ambient,
    istioConfig: appliedSummary(m, applied),
    traffic: inboundTraffic(totals),
    findings: rowFindings(m, workloadObjects(w), applied),
    serviceAccount: w.serviceAccount,
    podCount: podCount(w),
    services: services.map((s) => s.name),
  };
  if (w.app) row.app = w.app;
  if (w.version) row.version = w.version;
  const gw = gatewayKind(w);
  if (gw) row.gateway = gw;
  const parts = { row, applied, replicas };
  cache.set(w, parts);
  return parts;
}

/** A workload's health alone (what the Overview counts), without building its row. */
export function workloadHealth(m: EntityModel, w: WorkloadView): EntityHealth {
  const hit = memo(m).workloads.get(w);
  if (hit) return hit.row.health;
  return entityHealth(m.totals.workload(w.namespace, w.name), [workloadFlags(m, w).replicas], m.totals.outboundWorkload(w.namespace, w.name));
}

/** A Service's health alone: its request health. */
export function serviceHealth(m: EntityModel, s: ServiceView): EntityHealth {
  return entityHealth(m.totals.service(s.namespace, s.name));
}

/** An application's health alone (`ns/app`): its requests and each workload's replicas. */
export function applicationHealth(m: EntityModel, key: string): EntityHealth | undefined {
  const workloads = m.applications.get(key);
  if (!workloads || workloads.length === 0) return undefined;
  const { namespace, app } = workloads[0]!;
  return entityHealth(m.totals.application(namespace, app!), workloads.map((w) => workloadFlags(m, w).replicas), m.totals.outboundApplication(namespace, app!));
}

/** The row of one workload (memoized per model). */
export function workloadRow(m: EntityModel, w: WorkloadView): WorkloadRow {
  return workloadParts(m, w).row;
}

/** The Istio objects that apply to a workload (memoized per inventory). */
export function workloadApplied(m: EntityModel, w: WorkloadView): AppliedObject[] {
  return configForWorkload(m.inv, w);
}

/** Every workload row of the model's namespaces, sorted by namespace and name. */
export function workloadRows(m: EntityModel): WorkloadRow[] {
  return m.workloads.map((w) => workloadRow(m, w));
}

function serviceParts(m: EntityModel, s: ServiceView): { row: ServiceRow; applied: AppliedObject[] } {
  const cache = memo(m).services;
  const hit = cache.get(s);
  if (hit) return hit;
  const applied = configForService(m.inv, s);
  const workloads = m.workloadsOf.get(s) ?? [];
  const totals = m.totals.service(s.namespace, s.name);
  const wflags = workloads.map((w) => workloadFlags(m, w));
  const row: ServiceRow = {
    namespace: s.namespace,
    name: s.name,
    labels: s.obj.object.metadata.labels ?? {},
    // Kiali: a service's health is its request health only.
    health: entityHealth(totals),
    missingSidecar: wflags.some((f) => f.missingSidecar),
    ambient: wflags.length > 0 && wflags.every((f) => f.ambient),
    istioConfig: appliedSummary(m, applied),
    traffic: inboundTraffic(totals),
    findings: rowFindings(m, [s.obj], applied),
    type: s.type,
    ports: s.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'}`),
    workloads: workloads.map((w) => w.name),
  };
  if (s.selector && Object.keys(s.selector).length > 0) row.selector = s.selector;
  const parts = { row, applied };
  cache.set(s, parts);
  return parts;
}

/** The row of one Service (memoized per model). */
export function serviceRow(m: EntityModel, s: ServiceView): ServiceRow {
  return serviceParts(m, s).row;
}

/** The Istio objects that apply to a Service (memoized per inventory). */
export function serviceApplied(m: EntityModel, s: ServiceView): AppliedObject[] {
  return configForService(m.inv, s);
}

/** Every Service row of the model's namespaces, sorted by namespace and name. */
export function serviceRows(m: EntityModel): ServiceRow[] {
  return m.services.map((s) => serviceRow(m, s));
}

/** Labels every workload of the list shares. */
function sharedLabels(workloads: WorkloadView[]): Record<string, string> {
  const labels = { ...(workloads[0]?.labels ?? {}) };
  for (const w of workloads.slice(1)) for (const k of Object.keys(labels)) if (w.labels[k] !== labels[k]) delete labels[k];
  return labels;
}

/** The application `ns/app`: its workloads' rows merged (health = its requests and each workload's replicas). */
export function applicationRow(m: EntityModel, key: string): { row: ApplicationRow; applied: AppliedObject[]; services: ServiceView[] } | undefined {
  const workloads = m.applications.get(key);
  if (!workloads || workloads.length === 0) return undefined;
  const [namespace, name] = [workloads[0]!.namespace, workloads[0]!.app!];
  const flags = workloads.map((w) => workloadFlags(m, w));
  const services: ServiceView[] = [];
  for (const w of workloads) for (const s of m.servicesOf.get(w) ?? []) if (!services.includes(s)) services.push(s);
  if (services.length > 1) services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lists = [...workloads.map((w) => configForWorkload(m.inv, w)), ...services.map((s) => configForService(m.inv, s))];
  const applied = lists.length === 1 ? lists[0]! : mergeApplied(lists);
  const totals = m.totals.application(namespace, name);
  const own = workloads.flatMap(workloadObjects);
  const row: ApplicationRow = {
    namespace,
    name,
    labels: sharedLabels(workloads),
    health: entityHealth(totals, flags.map((f) => f.replicas), m.totals.outboundApplication(namespace, name)),
    missingSidecar: flags.some((f) => f.missingSidecar),
    ambient: flags.every((f) => f.ambient),
    istioConfig: appliedSummary(m, applied),
    traffic: inboundTraffic(totals),
    findings: rowFindings(m, own, applied),
    workloads: workloads.map((w) => w.name),
    versions: [...new Set(workloads.map((w) => w.version).filter((v): v is string => v !== undefined))].sort(),
    services: services.map((s) => s.name),
  };
  return { row, applied, services };
}

/** Every application row of the model's namespaces, sorted by namespace and name. */
export function applicationRows(m: EntityModel): ApplicationRow[] {
  const out: ApplicationRow[] = [];
  for (const key of m.applications.keys()) {
    const r = applicationRow(m, key);
    if (r) out.push(r.row);
  }
  return out;
}

/**
 * What the entity pages need, computed once per request over the inventory, one window's telemetry and the
 * findings: inbound totals, which Services select which workloads, applications (workloads grouped by canonical
 * service), and per-object findings. The list rows, the overview and the detail pages all read it.
 */
import type { Finding, FindingCounts, InboundTraffic, TelemetrySamples } from '@meshlens/model';
import { refKey } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/types.js';
import { withObjectStatus, type PodStatusProvider } from '../health/pod-status.js';
import { errorPercent, requestRate, type RequestTotals } from '../health/status.js';
import { roundPercent, roundRate } from '../graph/round.js';
import { servicesSelectingWorkload } from './config.js';
import { entityTotals, type EntityTotals } from './totals.js';
import { findingsByInvolvedObject } from '../checks/involved.js';

export interface EntityInput {
  inv: Inventory;
  /** The window's telemetry for (at least) `namespaces`, as GET /api/graph fetches it. */
  samples: TelemetrySamples;
  /** Every finding of the source (the config-health engine's). */
  findings: Finding[];
  /** The namespaces the request covers. */
  namespaces: string[];
  /** End of the window, unix seconds. */
  queryTime: number;
  /** Window length, seconds. */
  duration: number;
  /** Pod runtime state beyond the Pod objects' own (the demo's simulated pods). */
  podStatus?: PodStatusProvider;
}

export interface EntityModel {
  inv: Inventory;
  namespaces: string[];
  requested: Set<string>;
  queryTime: number;
  duration: number;
  totals: EntityTotals;
  status: PodStatusProvider;
  findings: FindingIndex;
  /** Workloads of the requested namespaces, sorted by namespace then name. */
  workloads: WorkloadView[];
  /** Services of the requested namespaces, sorted by namespace then name. */
  services: ServiceView[];
  /** Services selecting each workload (same namespace). */
  servicesOf: Map<WorkloadView, ServiceView[]>;
  /** Workloads each Service selects. */
  workloadsOf: Map<ServiceView, WorkloadView[]>;
  /** `ns/app` → workloads, for the requested namespaces, keys sorted. */
  applications: Map<string, WorkloadView[]>;
}

/** Findings by object, with counts by severity. */
export interface FindingIndex {
  byObject: Map<string, Finding[]>;
  /** Findings by each other object they involve (their references), for "involves this object". */
  byInvolved: Map<string, Finding[]>;
  /** Counts by namespace (a Namespace object's findings count in it). */
  byNamespace: Map<string, FindingCounts>;
}

const FINDINGS = new WeakMap<Finding[], FindingIndex>();

/** Groups findings by object and namespace (memoized per findings list: the engine returns the same list until it changes). */
export function findingIndex(findings: Finding[]): FindingIndex {
  const hit = FINDINGS.get(findings);
  if (hit) return hit;
  const byObject = new Map<string, Finding[]>();
  const byNamespace = new Map<string, FindingCounts>();
  for (const f of findings) {
    const key = refKey(f.object);
    const list = byObject.get(key);
    if (list) list.push(f);
    else byObject.set(key, [f]);
    const ns = f.object.namespace ?? (f.object.kind === 'Namespace' ? f.object.name : undefined);
    if (ns === undefined) continue;
    let c = byNamespace.get(ns);
    if (!c) byNamespace.set(ns, (c = { error: 0, warning: 0, info: 0 }));
    c[f.severity]++;
  }
  const idx = { byObject, byNamespace, byInvolved: findingsByInvolvedObject(findings) };
  FINDINGS.set(findings, idx);
  return idx;
}

/** Counts of a list of findings by severity. */
export function countFindings(list: Iterable<Finding>): FindingCounts {
  const c: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const f of list) c[f.severity]++;
  return c;
}

const byName = <T extends { namespace: string; name: string }>(a: T, b: T) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The entities of a namespace selection: a function of the inventory alone. */
interface Selection {
  workloads: WorkloadView[];
  services: ServiceView[];
  servicesOf: Map<WorkloadView, ServiceView[]>;
  workloadsOf: Map<ServiceView, WorkloadView[]>;
  applications: Map<string, WorkloadView[]>;
}

const SELECTIONS = new WeakMap<Inventory, Map<string, Selection>>();

/** The workloads, Services and applications of `namespaces`, memoized per inventory (a few selections each). */
function selectionOf(inv: Inventory, namespaces: string[]): Selection {
  const key = [...namespaces].sort().join(',');
  let byKey = SELECTIONS.get(inv);
  if (!byKey) SELECTIONS.set(inv, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const requested = new Set(namespaces);
  const workloads = inv.workloads.filter((w) => requested.has(w.namespace)).sort(byName);
  const services = inv.services.filter((s) => requested.has(s.namespace)).sort(byName);
  const servicesOf = new Map<WorkloadView, ServiceView[]>();
  const workloadsOf = new Map<ServiceView, WorkloadView[]>(services.map((s) => [s, []]));
  const applications = new Map<string, WorkloadView[]>();
  for (const w of workloads) {
    const list = servicesSelectingWorkload(inv, w);
    servicesOf.set(w, list);
    for (const s of list) workloadsOf.get(s)?.push(w);
    if (w.app) {
      const appKey = `${w.namespace}/${w.app}`;
      const apps = applications.get(appKey);
      if (apps) apps.push(w);
      else applications.set(appKey, [w]);
    }
  }
  const selection: Selection = { workloads, services, servicesOf, workloadsOf, applications: new Map([...applications].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  if (byKey.size >= 16) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, selection);
  return selection;
}

/** Builds the per-request model for `input.namespaces`. */
export function entityModel(input: EntityInput): EntityModel {
  const { inv } = input;
  const requested = new Set(input.namespaces);
  const selection = selectionOf(inv, input.namespaces);
  return {
    inv,
    namespaces: [...input.namespaces],
    requested,
    queryTime: input.queryTime,
    duration: input.duration,
    totals: entityTotals(inv, input.samples, requested),
    status: withObjectStatus(input.podStatus),
    findings: findingIndex(input.findings),
    ...selection,
  };
}

/** Inbound traffic of totals, rounded as the graph rounds. */
export function inboundTraffic(t: RequestTotals | undefined): InboundTraffic {
  if (!t) return { requestRate: 0 };
  const out: InboundTraffic = { requestRate: roundRate(requestRate(t)) };
  const err = errorPercent(t);
  if (err !== undefined) out.errorPercent = roundPercent(err);
  if (t.tcp > 0) out.tcpBytesRate = roundRate(t.tcp);
  return out;
}

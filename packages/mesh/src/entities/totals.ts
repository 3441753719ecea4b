/**
 * Inbound traffic per workload, service, application and namespace, and outbound per workload, from one window's
 * telemetry: every request counted once (the graph's reporter de-duplication), in one pass over the samples
 * whatever the number of namespaces.
 */
import type { PromSample, TelemetrySamples } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { forEachCounted } from '../graph/reporters.js';
import { isOK } from '../graph/labels.js';
import { emptyTotals, type RequestTotals } from '../health/status.js';

/** Inbound (and outbound) totals of the window, looked up by namespace and name. */
export interface EntityTotals {
  /** Requests (and TCP bytes) a workload received. */
  workload(namespace: string, name: string): RequestTotals | undefined;
  /** Requests a Service was asked for (including those that never reached a workload: UO, UH, NR…). */
  service(namespace: string, name: string): RequestTotals | undefined;
  /** Requests an application (canonical service) received. */
  application(namespace: string, app: string): RequestTotals | undefined;
  /** Requests received by a namespace's workloads (or asked of its Services, when no workload got them). */
  namespace(namespace: string): RequestTotals | undefined;
  /** Requests a workload sent: its outbound health, and what a gateway forwarded. */
  outboundWorkload(namespace: string, name: string): RequestTotals | undefined;
  /** Requests an application sent. */
  outboundApplication(namespace: string, app: string): RequestTotals | undefined;
}

/** Totals by namespace then name: two map look-ups, no key string per sample. */
class Table {
  private readonly byNs = new Map<string, Map<string, RequestTotals>>();
  at(ns: string, name: string): RequestTotals {
    let inner = this.byNs.get(ns);
    if (!inner) this.byNs.set(ns, (inner = new Map()));
    let t = inner.get(name);
    if (!t) inner.set(name, (t = emptyTotals()));
    return t;
  }
  get(ns: string, name: string): RequestTotals | undefined {
    return this.byNs.get(ns)?.get(name);
  }
}

/** Adds one series (`value` requests/s, or bytes/s for TCP) to `t`, classified as the graph classifies edges. */
function addSeries(t: RequestTotals, metric: Record<string, string>, value: number, tcp: boolean): void {
  if (tcp) {
    t.tcp += value;
    return;
  }
  const http = metric.response_code ?? '';
  const noResponse = http === '0' || http === '';
  if (metric.request_protocol === 'grpc') {
    t.grpc += value;
    const grpc = metric.grpc_response_status ?? '';
    if (noResponse) t.grpcNoResponse += value;
    else if (grpc === '' || grpc.length === 3) {
      // A 3-digit code: the call failed at the HTTP level, where 4xx and 5xx are errors.
      const code = grpc === '' ? http : grpc;
      if (code.startsWith('4') || code.startsWith('5')) t.grpcErr += value;
    } else if (grpc !== '0') t.grpcErr += value;
    return;
  }
  t.http += value;
  if (noResponse) t.httpNoResponse += value;
  else if (http.startsWith('4')) t.http4xx += value;
  else if (http.startsWith('5')) t.http5xx += value;
}

const APPS = new WeakMap<Inventory, Map<string, Map<string, string | undefined>>>();

/** The canonical service of each workload, by namespace then name (once per inventory). */
function appsOf(inv: Inventory): Map<string, Map<string, string | undefined>> {
  let m = APPS.get(inv);
  if (!m) {
    m = new Map();
    for (const w of inv.workloads) {
      let inner = m.get(w.namespace);
      if (!inner) m.set(w.namespace, (inner = new Map()));
      inner.set(w.name, w.app);
    }
    APPS.set(inv, m);
  }
  return m;
}

/**
 * `forEachCounted` over samples split by the namespaces of their ends. Every report of one request pair has the same
 * source and destination namespaces, so de-duplication sees the same pairs; the split keeps the pair index's lists
 * short where many namespaces hold workloads of the same names (a thousand tenants each running `cart-v1`).
 */
export function forEachCountedByNamespace(samples: readonly PromSample[] | undefined, visit: (metric: Record<string, string>, value: number) => void): void {
  if (!samples || samples.length === 0) return;
  const parts = new Map<string, Map<string, PromSample[]>>();
  for (const s of samples) {
    const src = s.metric.source_workload_namespace ?? '';
    const dst = s.metric.destination_workload_namespace ?? '';
    let inner = parts.get(src);
    if (!inner) parts.set(src, (inner = new Map()));
    const list = inner.get(dst);
    if (list) list.push(s);
    else inner.set(dst, [s]);
  }
  for (const inner of parts.values()) for (const list of inner.values()) forEachCounted(list, visit);
}

/**
 * The series of a window that a Prometheus query for `namespaces` would return (the graph queries' selection: source
 * workload, destination workload or destination service in one of them). Sources that answer everything at once (a
 * samples file, a snapshot) then cost a detail page what Prometheus would.
 */
export function samplesTouching(samples: TelemetrySamples, namespaces: ReadonlySet<string>): TelemetrySamples {
  const out: Record<string, PromSample[]> = {};
  for (const [family, list] of Object.entries(samples) as Array<[string, PromSample[] | undefined]>) {
    if (!list) continue;
    out[family] = list.filter((s) => namespaces.has(s.metric.source_workload_namespace ?? '') || namespaces.has(s.metric.destination_workload_namespace ?? '') || namespaces.has(s.metric.destination_service_namespace ?? ''));
  }
  return out as TelemetrySamples;
}

const CACHE = new WeakMap<object, WeakMap<Inventory, Map<string, EntityTotals>>>();

/**
 * The per-entity totals of a window's samples (only the namespaces in `namespaces` are kept, when given). Memoized
 * per samples object, inventory and namespaces: sources hand out the same samples object for the same window (a
 * samples file, a snapshot, Prometheus' few-second cache), and the Overview and the lists ask together.
 */
export function entityTotals(inv: Inventory, samples: TelemetrySamples, namespaces?: ReadonlySet<string>): EntityTotals {
  const key = namespaces ? [...namespaces].sort().join(',') : '*';
  let byInv = CACHE.get(samples);
  if (!byInv) CACHE.set(samples, (byInv = new WeakMap()));
  let byNs = byInv.get(inv);
  if (!byNs) byInv.set(inv, (byNs = new Map()));
  const hit = byNs.get(key);
  if (hit) return hit;
  const totals = computeTotals(inv, samples, namespaces);
  // A handful of namespace selections per window at most; drop the oldest beyond that.
  if (byNs.size >= 8) byNs.delete(byNs.keys().next().value!);
  byNs.set(key, totals);
  return totals;
}

function computeTotals(inv: Inventory, samples: TelemetrySamples, namespaces?: ReadonlySet<string>): EntityTotals {
  const workloads = new Table();
  const services = new Table();
  const applications = new Table();
  const outWorkloads = new Table();
  const outApplications = new Table();
  const byNamespace = new Map<string, RequestTotals>();
  const apps = appsOf(inv);
  const keep = (ns: string) => !namespaces || namespaces.has(ns);
  const visit = (tcp: boolean) => (m: Record<string, string>, value: number) => {
    const wlNs = m.destination_workload_namespace;
    const wl = m.destination_workload;
    const svcNs = m.destination_service_namespace;
    const svc = m.destination_service_name;
    const workloadKnown = isOK(wl) && isOK(wlNs);
    if (workloadKnown && keep(wlNs)) {
      addSeries(workloads.at(wlNs, wl), m, value, tcp);
      const app = apps.get(wlNs)?.get(wl) ?? (isOK(m.destination_canonical_service) ? m.destination_canonical_service : undefined);
      if (app) addSeries(applications.at(wlNs, app), m, value, tcp);
    }
    if (isOK(svc) && isOK(svcNs) && keep(svcNs)) addSeries(services.at(svcNs, svc), m, value, tcp);
    const ns = workloadKnown ? wlNs : isOK(svcNs) ? svcNs : undefined;
    if (ns && keep(ns)) {
      let t = byNamespace.get(ns);
      if (!t) byNamespace.set(ns, (t = emptyTotals()));
      addSeries(t, m, value, tcp);
    }
    const srcNs = m.source_workload_namespace;
    const src = m.source_workload;
    if (isOK(src) && isOK(srcNs) && keep(srcNs)) {
      addSeries(outWorkloads.at(srcNs, src), m, value, tcp);
      const app = apps.get(srcNs)?.get(src) ?? (isOK(m.source_canonical_service) ? m.source_canonical_service : undefined);
      if (app) addSeries(outApplications.at(srcNs, app), m, value, tcp);
    }
  };
  forEachCountedByNamespace(samples.istio_requests_total, visit(false));
  forEachCountedByNamespace(samples.istio_tcp_received_bytes_total, visit(true));
  forEachCountedByNamespace(samples.istio_tcp_sent_bytes_total, visit(true));
  return {
    workload: (ns, name) => workloads.get(ns, name),
    service: (ns, name) => services.get(ns, name),
    application: (ns, app) => applications.get(ns, app),
    namespace: (ns) => byNamespace.get(ns),
    outboundWorkload: (ns, name) => outWorkloads.get(ns, name),
    outboundApplication: (ns, app) => outApplications.get(ns, app),
  };
}

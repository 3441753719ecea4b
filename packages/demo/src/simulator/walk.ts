/**
 * Sends one traffic class through the routing core and emits what every proxy on the way would report, following
 * its nested calls (made by the workload that received the request) and its mirrored copies. Amounts are per
 * second at the class's nominal rate; the time shape is applied later.
 */
import { podCount, resolveDestinationWorkloads, workloadByName, type Inventory, type WorkloadView } from '@meshlens/mesh';
import type { Endpoint, TracePath, TraceRequest, TraceResult, TraceSource } from '@meshlens/model';
import { addShifts, fitLogNormal, NO_SHIFT, type Shift } from './latency.js';
import { UNKNOWN } from './labels.js';
import { legsOf, metricProtocol, type Leg, type LegContext } from './legs.js';
import { httpSlices, tcpSlices, type ServerBehaviour } from './outcomes.js';
import { reportSlice, type Sink } from './report.js';
import type { Incident, LatencySpec, NestedCall, TrafficBytes, TrafficRequest } from '../traffic/types.js';

/** What a class or a nested call asks of its destination. */
export interface TrafficSpec {
  request: TrafficRequest;
  latencyMs: LatencySpec;
  bytes: TrafficBytes;
  errorRate: number;
  concurrency?: number;
  calls: NestedCall[];
}

export interface WalkContext {
  inv: Inventory;
  cluster: string;
  trace: (req: TraceRequest) => TraceResult;
  sink: Sink;
  /** Incidents by `ns/workload` of their target. */
  incidentsByTarget: Map<string, Incident[]>;
  /** The incident in force for this pass (undefined: the normal state). */
  active?: Incident;
  /** Incidents whose target this class reaches. */
  touched: Set<Incident>;
  /** Problems found while walking (no path, unknown source…), deduplicated. */
  problems: Set<string>;
  /** Where the problems are attributed (`traffic/x.yaml:12 class "name"`). */
  where: string;
}

const MAX_DEPTH = 8;

/** Walks `spec` sent by `source` at `rate` requests (or connections) per second. */
export function walk(ctx: WalkContext, source: TraceSource, spec: TrafficSpec, rate: number, depth = 0): void {
  if (rate <= 0) return;
  const result = ctx.trace({ source, ...spec.request });
  for (const p of result.problems) ctx.problems.add(`${ctx.where}: ${p}`);
  if (result.paths.length === 0) ctx.problems.add(`${ctx.where}: the routing core found no path for ${describe(spec.request)}`);
  const applyAbortFraction = !result.paths.some((p) => p.outcome.kind === 'fault-abort');
  const legCtx: LegContext = { inv: ctx.inv, cluster: ctx.cluster, hostHeader: hostHeader(spec.request) };
  for (const path of result.paths) {
    if (path.weight <= 0) continue;
    const legs = legsOf(legCtx, source, path, spec.request.protocol);
    const last = legs[legs.length - 1]!;
    const server = last.server && !last.toGateway ? last.server : undefined;
    const behaviour = behaviourOf(ctx, server, spec, rate, applyAbortFraction, depth);
    const slices = last.protocol === 'tcp' ? tcpSlices(path, behaviour) : httpSlices(path, behaviour, spec.request.protocol === 'http2', last.protocol);
    const pathRate = rate * path.weight;
    let reached = 0;
    for (const s of slices) {
      reportSlice(legCtx, ctx.sink, legs, s, pathRate * s.share, spec.bytes);
      if (s.reached) reached += s.share;
    }
    if (server && depth < MAX_DEPTH) callsFrom(ctx, server, spec.calls, pathRate * reached, depth);
    const forwarded = slices.filter((s) => !s.flags.includes('FI')).reduce((a, s) => a + s.share, 0);
    for (const m of path.mirrors ?? []) mirror(ctx, legCtx, last, m.to, spec, pathRate * forwarded * m.fraction, depth);
  }
}

/** The nested calls a workload makes for the requests it received (`onlyFromVersions` filters by its version). */
function callsFrom(ctx: WalkContext, w: WorkloadView, calls: NestedCall[], receivedRate: number, depth: number): void {
  if (receivedRate <= 0) return;
  for (const call of calls) {
    if (!fromVersion(w, call)) continue;
    walk(ctx, { kind: 'workload', namespace: w.namespace, name: w.name }, call, receivedRate * call.perRequest, depth + 1);
  }
}

function fromVersion(w: WorkloadView, call: NestedCall): boolean {
  return !call.onlyFromVersions || call.onlyFromVersions.includes(w.labels.version ?? w.version ?? '');
}

function behaviourOf(ctx: WalkContext, server: WorkloadView | undefined, spec: TrafficSpec, rate: number, applyAbortFraction: boolean, depth: number): ServerBehaviour {
  let incident: Incident | undefined;
  if (server) {
    for (const i of ctx.incidentsByTarget.get(`${server.namespace}/${server.name}`) ?? []) {
      ctx.touched.add(i);
      if (i === ctx.active) incident = i;
    }
  }
  const downstream = server && depth < MAX_DEPTH ? downstreamDelays(ctx, server, spec.calls, depth) : NO_SHIFT;
  // Little's law when the class does not say how many requests it keeps in flight.
  const ln = fitLogNormal(spec.latencyMs.p50, spec.latencyMs.p95);
  const meanMs = Math.exp(ln.mu + (ln.sigma * ln.sigma) / 2) + downstream.reduce((a, s) => a + s.weight * s.ms, 0);
  return {
    latencyMs: spec.latencyMs,
    latencyFactor: incident?.latencyFactor ?? 1,
    errorRate: spec.errorRate,
    burstErrorRate: incident?.errorRate ?? 0,
    responseBytes: spec.bytes.response,
    downstream,
    concurrency: spec.concurrency ?? (rate * meanMs) / 1000,
    applyAbortFraction,
  };
}

/**
 * Delays injected further down the call chain of `w` (fault delays on its calls, and theirs), as shifts of its
 * response time: sequential calls add up, a call's own route timeout caps what it can add.
 */
function downstreamDelays(ctx: WalkContext, w: WorkloadView, calls: NestedCall[], depth: number): Shift[] {
  let total = NO_SHIFT;
  for (const call of calls) {
    if (!fromVersion(w, call)) continue;
    const result = ctx.trace({ source: { kind: 'workload', namespace: w.namespace, name: w.name }, ...call.request });
    const perCall = new Map<number, number>();
    for (const path of result.paths) {
      if (path.weight <= 0) continue;
      const delay = path.fault?.delay && path.outcome.kind === 'delivered' ? path.fault.delay : undefined;
      const own: Shift[] = delay && delay.fraction > 0 ? [{ weight: 1 - delay.fraction, ms: 0 }, { weight: delay.fraction, ms: delay.ms }] : NO_SHIFT;
      const next = path.destination.kind === 'workload' && depth + 1 < MAX_DEPTH ? workloadByName(ctx.inv, path.destination.namespace, path.destination.name) : undefined;
      const below = next ? downstreamDelays(ctx, next, call.calls, depth + 1) : NO_SHIFT;
      for (const s of addShifts(own, below)) {
        const ms = path.timeoutMs !== undefined ? Math.min(s.ms, path.timeoutMs) : s.ms;
        perCall.set(ms, (perCall.get(ms) ?? 0) + path.weight * s.weight);
      }
    }
    const one = [...perCall].map(([ms, weight]) => ({ ms, weight }));
    if (one.every((s) => s.ms === 0)) continue;
    const whole = Math.floor(call.perRequest);
    const frac = call.perRequest - whole;
    for (let k = 0; k < Math.min(whole, 4); k++) total = addShifts(total, one);
    if (frac > 0) total = addShifts(total, [...one.map((s) => ({ ...s, weight: s.weight * frac })), { ms: 0, weight: 1 - frac }]);
    total = prune(total);
  }
  return total;
}

/** Keeps the mix small: drops negligible shifts and renormalizes. */
function prune(shifts: Shift[]): Shift[] {
  const kept = shifts.filter((s) => s.weight > 1e-6).sort((a, b) => b.weight - a.weight).slice(0, 16);
  const sum = kept.reduce((a, s) => a + s.weight, 0);
  return kept.map((s) => ({ ...s, weight: s.weight / sum }));
}

/**
 * Mirrored copies are fire-and-forget: the sending proxy does not report them (istio/istio#11093), the mirror
 * target's sidecar reports them as ordinary inbound requests from the original client, and the target makes its
 * own downstream calls for them.
 */
function mirror(ctx: WalkContext, legCtx: LegContext, from: Leg, to: Endpoint, spec: TrafficSpec, rate: number, depth: number): void {
  if (rate <= 0) return;
  const sender = from.client.workload;
  const source: TraceSource = sender ? { kind: 'workload', namespace: sender.namespace, name: sender.name } : { kind: 'outside' };
  for (const { workload, weight, host } of mirrorTargets(ctx.inv, to, sender?.namespace ?? namespaceOf(to))) {
    // A one-hop path straight to the mirror's workload: the copy bypasses routing rules.
    const end = endpointOf(workload);
    const path: TracePath = {
      weight: 1, outcome: { kind: 'delivered' }, destination: end, ...(host ? { destinationServiceHost: host } : {}),
      hops: [{ from: sender ? endpointOf(sender) : { kind: 'client', description: 'client' }, to: end, protocol: spec.request.protocol, decidedBy: [], explanation: 'mirrored copy' }],
    };
    const legs = legsOf(legCtx, source, path, spec.request.protocol);
    const last = legs[legs.length - 1]!;
    const b = behaviourOf(ctx, workload, { ...spec, concurrency: 0 }, rate * weight, false, depth);
    const slices = last.protocol === 'tcp' ? tcpSlices(path, b) : httpSlices(path, b, spec.request.protocol === 'http2', last.protocol);
    let reached = 0;
    for (const s of slices) {
      reportSlice(legCtx, ctx.sink, legs, s, rate * weight * s.share, spec.bytes, false);
      if (s.reached) reached += s.share;
    }
    if (depth < MAX_DEPTH) callsFrom(ctx, workload, spec.calls, rate * weight * reached, depth);
  }
}

/** The workloads a mirror destination reaches (a Service, narrowed by its DestinationRule subset), spread by pods. */
function mirrorTargets(inv: Inventory, to: Endpoint, fromNamespace: string): Array<{ workload: WorkloadView; weight: number; host?: string }> {
  if (to.kind === 'workload') {
    const w = workloadByName(inv, to.namespace, to.name);
    return w ? [{ workload: w, weight: 1 }] : [];
  }
  if (to.kind !== 'service') return [];
  return resolveDestinationWorkloads(inv, to.host, to.port, to.subset, fromNamespace).map((x) => ({ ...x, host: to.host }));
}

function endpointOf(w: WorkloadView): Endpoint {
  return { kind: 'workload', namespace: w.namespace, name: w.name, pods: podCount(w) };
}

/** The namespace an endpoint lives in, for resolving short names. */
function namespaceOf(to: Endpoint): string {
  return 'namespace' in to && to.namespace ? to.namespace : 'default';
}

/** The Host header a client sends: the host, with the port unless it is the scheme's default. */
function hostHeader(r: TrafficRequest): string | undefined {
  const host = r.host ?? r.ip;
  if (!host || metricProtocol(r.protocol) === 'tcp') return undefined;
  return r.port === 80 || r.port === 443 ? host : `${host}:${r.port}`;
}

function describe(r: TrafficRequest): string {
  return `${r.protocol}://${r.host ?? r.ip ?? UNKNOWN}:${r.port}${r.path ?? ''}`;
}

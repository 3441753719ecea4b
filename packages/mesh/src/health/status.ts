/**
 * Entity health with Kiali's default rules (reference kiali.md §4.5): request health from inbound error ratios
 * (the graph's `healthOf`, same tolerances), workload status from replicas, and the worst-of combination —
 * application = requests + each workload's replicas, workload = requests + replicas, service = requests only.
 */
import type { EntityHealth, EntityStatus, HealthCounts, ReplicaStatus } from '@meshlens/model';
import type { HealthVerdict } from '../graph/health.js';

/** Kiali's priorities: Failure(4) > Degraded(3) > Not Ready(2) > Healthy(1) > NA(0). */
const RANK: Record<EntityStatus, number> = { Failure: 4, Degraded: 3, NotReady: 2, Healthy: 1, NA: 0 };

/** The rank of a status (higher is worse), for "worst first" sorting. */
export function statusRank(s: EntityStatus): number {
  return RANK[s];
}

/** The worse of two statuses. */
export function worseStatus(a: EntityStatus, b: EntityStatus): EntityStatus {
  return RANK[b] > RANK[a] ? b : a;
}

/** Inbound requests of one entity over the window, split the way the tolerances read them. */
export interface RequestTotals {
  /** HTTP requests/s and their failures. */
  http: number;
  http4xx: number;
  http5xx: number;
  httpNoResponse: number;
  /** gRPC requests/s and their failures. */
  grpc: number;
  grpcErr: number;
  grpcNoResponse: number;
  /** TCP bytes/s received (no error signal). */
  tcp: number;
}

/** Empty totals, to add into. */
export function emptyTotals(): RequestTotals {
  return { http: 0, http4xx: 0, http5xx: 0, httpNoResponse: 0, grpc: 0, grpcErr: 0, grpcNoResponse: 0, tcp: 0 };
}

/** Adds `b` into `a`. */
export function addTotals(a: RequestTotals, b: RequestTotals): void {
  a.http += b.http;
  a.http4xx += b.http4xx;
  a.http5xx += b.http5xx;
  a.httpNoResponse += b.httpNoResponse;
  a.grpc += b.grpc;
  a.grpcErr += b.grpcErr;
  a.grpcNoResponse += b.grpcNoResponse;
  a.tcp += b.tcp;
}

/** Inbound requests/s (HTTP + gRPC). */
export function requestRate(t: RequestTotals): number {
  return t.http + t.grpc;
}

/** Percent of requests that failed (4xx, 5xx, no response, gRPC non-OK), as the graph's `httpPercentErr`; undefined without requests. */
export function errorPercent(t: RequestTotals): number | undefined {
  const total = t.http + t.grpc;
  if (!(total > 0)) return undefined;
  return ((t.http4xx + t.http5xx + t.httpNoResponse + t.grpcErr + t.grpcNoResponse) / total) * 100;
}

interface RequestVerdict extends HealthVerdict {
  reason?: string;
}

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toString()}%`;

/** The sentence naming the category that decided a verdict. */
function reasonOf(name: string, status: EntityStatus, ratio: number, degraded: number, failure: number, direction: string): string {
  const threshold = status === 'Failure' ? `failure from ${failure}%` : degraded === 0 ? 'degraded above 0%' : `degraded from ${degraded}%`;
  return `${name} on ${pct(ratio)} of ${direction} requests (${threshold})`;
}

// Rates are floats: 1/10 is 10 % even when the division lands a hair below (as the graph's healthOf).
const EPSILON = 1e-9;
const HEALTHY = 1;
const DEGRADED = 3;
const FAILURE = 4;

/**
 * Request health of one direction's totals with Kiali's default tolerances (the graph's `healthOf`, category by
 * category: 5xx, no response and gRPC errors degrade above 0 % and fail from 10 %; 4xx degrade from 10 % and fail
 * from 20 %), with a sentence naming the deciding category. Written without allocations but the answer: it runs
 * for every entity of a list; health.test.ts checks it agrees with `healthOf`.
 */
export function requestVerdict(t: RequestTotals, direction: 'inbound' | 'outbound' = 'inbound'): RequestVerdict {
  let rank = 0;
  let ratio = 0;
  let name = '';
  let deg = 0;
  let fail = 0;
  // healthOf's order within a protocol (no response, then 5xx / gRPC errors, then 4xx); HTTP before gRPC; a later
  // category wins when worse, or equally bad (not Healthy) with a larger ratio.
  const consider = (errors: number, total: number, degraded: number, failure: number, label: string) => {
    if (!(total > 0)) return;
    const r = errors / total;
    const pctValue = r * 100;
    const s = pctValue >= failure - EPSILON ? FAILURE : (degraded === 0 ? pctValue > 0 : pctValue >= degraded - EPSILON) ? DEGRADED : HEALTHY;
    if (s > rank || (s === rank && s !== HEALTHY && r > ratio)) {
      rank = s;
      ratio = s === HEALTHY ? 0 : r;
      name = label;
      deg = degraded;
      fail = failure;
    }
  };
  consider(t.httpNoResponse, t.http, 0, 10, 'no response');
  consider(t.http5xx, t.http, 0, 10, '5xx');
  consider(t.http4xx, t.http, 10, 20, '4xx');
  consider(t.grpcNoResponse, t.grpc, 0, 10, 'no response (gRPC)');
  consider(t.grpcErr, t.grpc, 0, 10, 'gRPC errors');
  if (rank === 0) return { status: 'NA', errorRatio: 0 };
  if (rank === HEALTHY) return { status: 'Healthy', errorRatio: 0 };
  const status: EntityStatus = rank === FAILURE ? 'Failure' : 'Degraded';
  return { status: status as HealthVerdict['status'], errorRatio: ratio, reason: reasonOf(name, status, ratio, deg, fail, direction) };
}

/**
 * Kiali's workload status from replicas: none desired → NotReady; none available → Failure; fewer available than
 * desired → Degraded; all available but a different number existing (pods pending) → Failure; else Healthy.
 */
export function replicaVerdict(r: ReplicaStatus): { status: EntityStatus; reason?: string } {
  if (r.desired === 0) return { status: 'NotReady', reason: 'scaled to 0 replicas' };
  if (r.available === 0) return { status: 'Failure', reason: `0 of ${r.desired} replicas available` };
  if (r.available < r.desired) return { status: 'Degraded', reason: `${r.available} of ${r.desired} replicas available` };
  if (r.current !== r.desired) return { status: 'Failure', reason: `${r.current} replicas exist for ${r.desired} desired (pods pending)` };
  return { status: 'Healthy' };
}

const round4 = (v: number) => Math.round(v * 10000) / 10000;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Combines request totals and (for workloads and applications) outbound totals and replica statuses into an entity's
 * health: the worst verdict wins (inbound first on ties), and its reason is kept. A workload with healthy replicas and
 * no requests is Healthy; a service without requests is NA.
 */
export function entityHealth(inbound: RequestTotals | undefined, replicas?: ReplicaStatus[], outbound?: RequestTotals): EntityHealth {
  // Written without closures or spreads: this runs for every row of a list.
  let status: EntityStatus = 'NA';
  let reason: string | undefined;
  const inV = inbound ? requestVerdict(inbound, 'inbound') : undefined;
  const outV = outbound ? requestVerdict(outbound, 'outbound') : undefined;
  if (inV && RANK[inV.status] > RANK[status]) {
    status = inV.status;
    reason = inV.reason;
  }
  if (outV && RANK[outV.status] > RANK[status]) {
    status = outV.status;
    reason = outV.reason;
  }
  let summed: ReplicaStatus | undefined;
  if (replicas) {
    for (let i = 0; i < replicas.length; i++) {
      const r = replicas[i]!;
      const v = replicaVerdict(r);
      if (RANK[v.status] > RANK[status]) {
        status = v.status;
        reason = v.reason;
      }
      if (!summed) summed = replicas.length === 1 ? r : { desired: r.desired, current: r.current, available: r.available, ...(r.assumed ? { assumed: true } : {}) };
      else {
        summed.desired += r.desired;
        summed.current += r.current;
        summed.available += r.available;
        if (r.assumed) summed.assumed = true;
      }
    }
  }
  const health: EntityHealth = { status };
  if (reason) health.reason = reason;
  if (inbound && inV && requestRate(inbound) > 0) health.requests = { rate: round3(requestRate(inbound)), errorRatio: round4(inV.errorRatio) };
  if (outbound && outV && requestRate(outbound) > 0) health.outbound = { rate: round3(requestRate(outbound)), errorRatio: round4(outV.errorRatio) };
  if (summed) health.replicas = summed;
  return health;
}

/** Zero counts. */
export function emptyCounts(): HealthCounts {
  return { healthy: 0, degraded: 0, failure: 0, notReady: 0, noTraffic: 0 };
}

/** Counts one status. */
export function countStatus(c: HealthCounts, s: EntityStatus): void {
  if (s === 'Healthy') c.healthy++;
  else if (s === 'Degraded') c.degraded++;
  else if (s === 'Failure') c.failure++;
  else if (s === 'NotReady') c.notReady++;
  else c.noTraffic++;
}

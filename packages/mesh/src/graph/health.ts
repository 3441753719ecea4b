/** Request health with Kiali's default tolerances, for edges and for nodes (from their inbound requests). */
import type { HealthStatus, Protocol } from '@meshlens/model';

/** Request rates of one protocol and direction, the input of a health verdict. */
export interface RequestTally {
  protocol: Protocol;
  total: number;
  http4xx?: number;
  http5xx?: number;
  /** Requests that got no response (code 0, shown `-`). */
  noResponse?: number;
  /** gRPC calls with a non-OK status. */
  grpcErr?: number;
}

export interface HealthVerdict {
  status: HealthStatus;
  /** The error ratio (0..1) of the category that decided the status (the largest, among equally bad ones). */
  errorRatio: number;
}

const RANK: Record<HealthStatus, number> = { NA: 0, Healthy: 1, Degraded: 3, Failure: 4 };
// Rates are floats: 1/10 is 10 % even when the division lands a hair below.
const EPSILON = 1e-9;

/**
 * Kiali's default tolerances: 5xx, no-response and gRPC errors are Degraded above 0 % and Failure from 10 %;
 * 4xx are Degraded from 10 % and Failure from 20 %. No requests → NA.
 */
export function healthOf(t: RequestTally): HealthVerdict {
  if (!(t.total > 0)) return { status: 'NA', errorRatio: 0 };
  // Written out (no per-call arrays of checks): this runs for every edge and node of a graph.
  let status: HealthStatus = 'Healthy';
  let errorRatio = 0;
  const consider = (errors: number, degraded: number, failure: number): void => {
    const ratio = errors / t.total;
    const s = statusOf(ratio * 100, degraded, failure);
    if (RANK[s] > RANK[status] || (RANK[s] === RANK[status] && s !== 'Healthy' && ratio > errorRatio)) {
      status = s;
      errorRatio = ratio;
    }
  };
  consider(t.noResponse ?? 0, 0, 10);
  if (t.protocol === 'grpc') consider(t.grpcErr ?? 0, 0, 10);
  else {
    consider(t.http5xx ?? 0, 0, 10);
    consider(t.http4xx ?? 0, 10, 20);
  }
  return { status, errorRatio };
}

/** One category's verdict: `degraded` 0 means any error degrades; thresholds are percentages. */
function statusOf(pct: number, degraded: number, failure: number): HealthStatus {
  if (pct >= failure - EPSILON) return 'Failure';
  return (degraded === 0 ? pct > 0 : pct >= degraded - EPSILON) ? 'Degraded' : 'Healthy';
}

/** The worse of two verdicts. */
export function worseOf(a: HealthVerdict, b: HealthVerdict): HealthVerdict {
  if (RANK[b.status] > RANK[a.status]) return b;
  if (RANK[b.status] === RANK[a.status] && b.errorRatio > a.errorRatio) return b;
  return a;
}

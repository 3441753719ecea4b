/** The routing core the simulator sends every class through. */
import { traceRequest, type Inventory } from '@meshlens/mesh';
import type { TraceRequest, TraceResult } from '@meshlens/model';

export type TraceFn = (inv: Inventory, req: TraceRequest) => TraceResult;

/** `traceRequest` from `@meshlens/mesh`, the routing core every class goes through unless a test passes another. */
export function defaultTrace(): TraceFn {
  return traceRequest;
}

/** Idle nodes: Services and workloads of the requested namespaces that had no traffic in the window. */
import type { ServiceView } from '../inventory/index.js';
import type { GraphContext } from './context.js';
import { waypointWorkload } from './ambient.js';
import { seedOfWorkload, serviceSeed, waypointSeed } from './ids.js';
import type { GraphState } from './state.js';

/**
 * Adds what the requested namespaces define but telemetry never mentioned. Service graphs get Services;
 * the other graph types get their workload-derived nodes, plus Services with no workload behind them
 * (otherwise such a Service would not appear at all).
 */
export function addIdleNodes(ctx: GraphContext, state: GraphState): void {
  const mark = (seedId: string, create: () => ReturnType<GraphState['node']>) => {
    if (!state.nodes.has(seedId)) create().idle = true;
  };
  for (const s of ctx.inv.services) {
    if (!ctx.requested.has(s.namespace)) continue;
    if (!ctx.ambient.show && isWaypointService(ctx, s)) continue;
    if (ctx.graphType === 'service' || ctx.workloadsOf(s).length === 0) {
      const seed = serviceSeed(s.namespace, s.name);
      mark(seed.id, () => state.node(seed));
    }
  }
  if (ctx.graphType === 'service') return;
  for (const w of ctx.inv.workloads) {
    if (!ctx.requested.has(w.namespace)) continue;
    // Hidden waypoints stay hidden when idle too; shown ones are waypoint nodes.
    const wp = waypointWorkload(ctx.ambient, w.namespace, w.name);
    if (wp && !ctx.ambient.show) continue;
    const seed = wp ? waypointSeed(w.namespace, w.name, wp) : seedOfWorkload(ctx, w);
    mark(seed.id, () => state.node(seed));
    const node = state.nodes.get(seed.id)!;
    (node.workloadNames ??= new Set()).add(w.name);
  }
}

/** A waypoint's own Service (Istio names it after the Gateway): hidden with the waypoint. */
function isWaypointService(ctx: GraphContext, s: ServiceView): boolean {
  if (ctx.ambient.waypoints.size === 0) return false;
  if (ctx.ambient.waypoints.has(`${s.namespace}/${s.name}`)) return true;
  const ws = ctx.workloadsOf(s);
  return ws.length > 0 && ws.every((w) => waypointWorkload(ctx.ambient, w.namespace, w.name) !== undefined);
}

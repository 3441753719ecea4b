/** Look-ups over the inventory that graph assembly needs many times, built once per graph. */
import type { GraphOptions, GraphType } from '@meshlens/model';
import type { Inventory, ServiceView, WorkloadView } from '../inventory/index.js';
import { ambientContext, type AmbientContext } from './ambient.js';
import { hasLabels, selects } from './selectors.js';
import { indexServiceEntries, type ServiceEntryIndex } from './service-entries.js';

export interface GraphContext {
  inv: Inventory;
  graphType: GraphType;
  requested: Set<string>;
  options: GraphOptions;
  /** `ns/app` → workloads whose canonical service is `app`. */
  workloadsByApp: Map<string, WorkloadView[]>;
  /** `ns/app/version` → workloads. */
  workloadsByAppVersion: Map<string, WorkloadView[]>;
  /** `ns/name` → Service. */
  servicesByName: Map<string, ServiceView>;
  serviceEntries: ServiceEntryIndex;
  /** Waypoints and whether ambient joins are needed (see ambient.ts). */
  ambient: AmbientContext;
  /** The Services that select a workload, computed on first use (selector matching is the costly part). */
  servicesOf(w: WorkloadView): ServiceView[];
  /** The workloads a Service selects, computed on first use. */
  workloadsOf(s: ServiceView): WorkloadView[];
}

/** Builds the per-graph look-ups. */
export function graphContext(inv: Inventory, options: GraphOptions, telemetryIsAmbient = false): GraphContext {
  const workloadsByApp = new Map<string, WorkloadView[]>();
  const workloadsByAppVersion = new Map<string, WorkloadView[]>();
  for (const w of inv.workloads) {
    if (!w.app) continue;
    push(workloadsByApp, `${w.namespace}/${w.app}`, w);
    if (w.version) push(workloadsByAppVersion, `${w.namespace}/${w.app}/${w.version}`, w);
  }
  const servicesByName = new Map<string, ServiceView>();
  // Services with a selector, by namespace: the only ones that can select a workload.
  const selectingByNs = new Map<string, ServiceView[]>();
  for (const s of inv.services) {
    servicesByName.set(`${s.namespace}/${s.name}`, s);
    if (hasLabels(s.selector)) push(selectingByNs, s.namespace, s);
  }
  const workloadsByNs = new Map<string, WorkloadView[]>();
  for (const w of inv.workloads) push(workloadsByNs, w.namespace, w);
  const servicesOfCache = new Map<WorkloadView, ServiceView[]>();
  const workloadsOfCache = new Map<ServiceView, WorkloadView[]>();
  return {
    inv,
    graphType: options.graphType,
    requested: new Set(options.namespaces),
    options,
    workloadsByApp,
    workloadsByAppVersion,
    servicesByName,
    serviceEntries: indexServiceEntries(inv),
    ambient: ambientContext(inv, options.showWaypoints === true, telemetryIsAmbient),
    servicesOf(w) {
      let hit = servicesOfCache.get(w);
      if (!hit) {
        hit = [];
        for (const s of selectingByNs.get(w.namespace) ?? []) if (selects(s.selector, w.labels)) hit.push(s);
        servicesOfCache.set(w, hit);
      }
      return hit;
    },
    workloadsOf(s) {
      let hit = workloadsOfCache.get(s);
      if (!hit) {
        hit = [];
        if (hasLabels(s.selector)) for (const w of workloadsByNs.get(s.namespace) ?? []) if (selects(s.selector, w.labels)) hit.push(w);
        workloadsOfCache.set(s, hit);
      }
      return hit;
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

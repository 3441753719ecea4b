/**
 * Ambient mode in the graph: which workloads are waypoints, which reports came from ztunnel, and which service a
 * waypoint serves. Ambient Istio reports one request in several places: ztunnel reports L4 bytes on both ends of
 * every connection it carries (`istio_tcp_*`, `reporter="source"|"destination"`, scraped from the ztunnel pods, so
 * the series carry `app="ztunnel"`), and a waypoint reports L7 requests end to end (`reporter="waypoint"`,
 * source = the client, destination = the workload that answered). A connection through a waypoint is two ztunnel
 * hops (client → waypoint, waypoint → workload) carrying the requests the waypoint reports once.
 */
import type { TelemetrySource } from '@meshlens/model';
import { inAmbientMesh, waypointOf, waypoints, type Inventory } from '../inventory/index.js';
import { label } from './labels.js';

/** Label Istio puts on the pods it deploys for a Gateway API Gateway (waypoints included). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** `gateway.istio.io/managed` value of waypoint deployments (Kiali's waypoint label). */
const WAYPOINT_MANAGED = 'istio.io-mesh-controller';

export interface WaypointRef {
  namespace: string;
  name: string;
}

export interface AmbientContext {
  /** `ns/workload` of every waypoint proxy → the waypoint Gateway it runs. */
  waypoints: Map<string, WaypointRef>;
  /** Draw waypoints as nodes (`GraphOptions.showWaypoints`). */
  show: boolean;
  /**
   * Whether the graph needs the ambient joins at all: waypoints exist, or the telemetry has waypoint or ztunnel
   * reports. Sidecar-only meshes keep the plain path (and the edge JSON without `telemetry`).
   */
  active: boolean;
}

/** The waypoints of an inventory, by the workload that runs each one. */
export function ambientContext(inv: Inventory, show: boolean, telemetryIsAmbient: boolean): AmbientContext {
  const map = new Map<string, WaypointRef>();
  for (const g of waypoints(inv)) {
    const ref = { namespace: g.ref.namespace ?? 'default', name: g.ref.name };
    // Istio names the Deployment after the Gateway; telemetry may name it before the inventory sees it.
    map.set(`${ref.namespace}/${ref.name}`, ref);
  }
  for (const w of inv.workloads) {
    const gw = w.labels[GATEWAY_NAME_LABEL];
    const own = gw !== undefined ? map.get(`${w.namespace}/${gw}`) : undefined;
    if (own) map.set(`${w.namespace}/${w.name}`, own);
    else if (w.labels['gateway.istio.io/managed'] === WAYPOINT_MANAGED) map.set(`${w.namespace}/${w.name}`, { namespace: w.namespace, name: gw ?? w.name });
  }
  return { waypoints: map, show, active: map.size > 0 || telemetryIsAmbient };
}

/** True when any series of the samples was written by a waypoint or a ztunnel (cheap: stops at the first). */
export function hasAmbientReports(lists: ReadonlyArray<ReadonlyArray<{ metric: Record<string, string> }> | undefined>): boolean {
  for (const list of lists) {
    if (!list) continue;
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!.metric;
      if (m.reporter === 'waypoint' || m.app === 'ztunnel') return true;
    }
  }
  return false;
}

/** The waypoint a workload runs, if it is one. */
export function waypointWorkload(amb: AmbientContext, namespace: string, workload: string): WaypointRef | undefined {
  if (amb.waypoints.size === 0) return undefined;
  return amb.waypoints.get(`${namespace}/${workload}`);
}

/**
 * Who wrote a series. `reporter="waypoint"` is a waypoint; `app="ztunnel"` (the scrape target's label) is ztunnel.
 * Without that label (a query that summed it away), an L4 series is ztunnel's when the reporting side's workload
 * runs without a sidecar in the ambient mesh: nothing else there could have reported it.
 */
export function telemetrySourceOf(inv: Inventory, m: Record<string, string>, reporter: 'source' | 'destination' | 'waypoint', l4: boolean): TelemetrySource {
  if (reporter === 'waypoint') return 'waypoint';
  if (m.app === 'ztunnel') return reporter === 'source' ? 'ztunnel-source' : 'ztunnel-destination';
  if (l4) {
    const side = reporter === 'source' ? 'source' : 'destination';
    const w = inv.workloadsByKey.get(`${label(m, `${side}_workload_namespace`)}/${label(m, `${side}_workload`)}`);
    if (w && inAmbientMesh(inv, w)) return reporter === 'source' ? 'ztunnel-source' : 'ztunnel-destination';
  }
  return reporter === 'source' ? 'sidecar-source' : 'sidecar-destination';
}

/**
 * The waypoint that handled a waypoint-reported request: the requested Service's (`istio.io/use-waypoint` on the
 * Service or its namespace), else the answering workload's (a workload-addressed waypoint).
 */
export function waypointOfRequest(inv: Inventory, m: Record<string, string>, service: { namespace: string; name: string } | undefined): WaypointRef | undefined {
  const svc = service ? inv.services.find((s) => s.namespace === service.namespace && s.name === service.name) : undefined;
  const viaService = svc ? waypointOf(inv, { namespace: svc.namespace, labels: svc.obj.object.metadata.labels ?? {} }) : undefined;
  const w = inv.workloadsByKey.get(`${label(m, 'destination_workload_namespace')}/${label(m, 'destination_workload')}`);
  const key = viaService ?? (w ? waypointOf(inv, { namespace: w.namespace, labels: w.labels }) : undefined);
  if (!key) return undefined;
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The bit of a telemetry source in `EdgeState.telemetry`. */
export const TELEMETRY_BITS: Record<TelemetrySource, number> = {
  'sidecar-source': 1, 'sidecar-destination': 2, waypoint: 4, 'ztunnel-source': 8, 'ztunnel-destination': 16,
};

const ORDER = Object.keys(TELEMETRY_BITS) as TelemetrySource[];

/** The sources of a bit set, in a fixed order. */
export function telemetrySources(bits: number): TelemetrySource[] {
  return ORDER.filter((s) => (bits & TELEMETRY_BITS[s]) !== 0);
}

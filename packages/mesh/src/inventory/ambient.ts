/**
 * Ambient mode as the inventory shows it: which pods are enrolled (`istio.io/dataplane-mode`), which waypoint serves
 * a namespace, Service or pod (`istio.io/use-waypoint`, `istio.io/use-waypoint-namespace`), whether ingress goes
 * through it (`istio.io/ingress-use-waypoint`), the waypoints themselves (Gateway API Gateways of class
 * `istio-waypoint`) and the ztunnel pods. Read from labels as istiod reads them (Istio 1.24+).
 */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory, PodView, WorkloadView } from './types.js';

export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';

/** The Gateway API Gateways of class `istio-waypoint`: the mesh's waypoint proxies. */
export function waypoints(inv: Inventory): InventoryObject[] {
  return inv.gatewayApi.Gateway.filter((g) => g.object.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS);
}

/** True for a waypoint Gateway. */
export function isWaypoint(o: InventoryObject): boolean {
  return o.object.apiVersion.startsWith('gateway.networking.k8s.io/') && o.object.kind === 'Gateway' && o.object.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS;
}

/** The ztunnel pods: `app=ztunnel` in the mesh's root namespace (istio-system), or of a DaemonSet named ztunnel. */
export function ztunnelPods(inv: Inventory): PodView[] {
  const root = inv.meshConfig.rootNamespace;
  return inv.pods.filter((p) => p.labels.app === 'ztunnel' && (p.namespace === root || p.namespace === 'istio-system' || p.workload === 'ztunnel'));
}

/**
 * Whether a pod (or a workload's pods) is in the ambient mesh (as entities' isAmbient reads labels): its own `istio.io/dataplane-mode` wins (`none` opts
 * out, `ambient` opts in), else its namespace's; a pod with a sidecar is never captured by ztunnel.
 */
export function inAmbientMesh(inv: Inventory, p: PodView | WorkloadView): boolean {
  if (p.hasSidecar) return false;
  const own = p.labels[DATAPLANE_MODE_LABEL];
  if (own === 'none') return false;
  if (own === 'ambient') return true;
  return inv.namespaces.get(p.namespace)?.ambient ?? false;
}

/** The waypoint an object uses, as `ns/name`; undefined when none (or `istio.io/use-waypoint: none`). */
export function waypointOf(inv: Inventory, o: { namespace: string; labels: Record<string, string> }): string | undefined {
  const own = o.labels[USE_WAYPOINT_LABEL];
  if (own === 'none') return undefined;
  if (own) return `${o.labels[USE_WAYPOINT_NAMESPACE_LABEL] || o.namespace}/${own}`;
  const ns = inv.namespaces.get(o.namespace);
  if (!ns?.useWaypoint || ns.useWaypoint === 'none') return undefined;
  return `${ns.useWaypointNamespace || o.namespace}/${ns.useWaypoint}`;
}

/** `istio.io/ingress-use-waypoint=true` on a Service or its namespace. */
export function ingressUsesWaypoint(inv: Inventory, o: { namespace: string; labels: Record<string, string> }): boolean {
  const own = o.labels[INGRESS_USE_WAYPOINT_LABEL];
  if (own !== undefined) return own === 'true';
  return inv.namespaces.get(o.namespace)?.ingressUseWaypoint ?? false;
}

/** Which workloads are gateway proxies (and so route by Gateway servers instead of sidecar rules). */
import type { WorkloadView } from '../inventory/types.js';

/**
 * True for an Istio gateway proxy. The inventory's `isGatewayProxy` also fires for injected sidecars (they run an
 * `istio-proxy` container of the same proxyv2 image), so a pod whose only container is `istio-proxy`, or a workload
 * with the installer's gateway labels, is required here.
 */
export function isGatewayWorkload(w: WorkloadView): boolean {
  const l = w.labels;
  if (l['istio'] === 'ingressgateway' || l['istio'] === 'egressgateway') return true;
  if (l['operator.istio.io/component'] === 'IngressGateways' || l['operator.istio.io/component'] === 'EgressGateways') return true;
  if (l['gateway.istio.io/managed'] !== undefined) return true;
  return w.isGatewayProxy && w.containers.length > 0 && w.containers.every((c) => c.name === 'istio-proxy');
}

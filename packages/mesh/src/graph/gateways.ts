/** Gateway and egress-router decorations, read from the configuration rather than telemetry. */
import type { EgressForward, GatewayInfo } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/index.js';
import { labelsMatch } from '../inventory/index.js';
import { stripNamespacePrefix } from './hosts.js';
import { GATEWAY_NAME_LABEL } from './ambient.js';
import { WAYPOINT_GATEWAY_CLASS } from '../inventory/index.js';

/** The Gateway API Gateway a gateway workload was deployed for (Kiali's `isK8sGatewayAPI`). */
export interface GatewayApiRef {
  namespace: string;
  name: string;
  gatewayClassName?: string;
  /** The listeners' hostnames (`*` for a listener that names none). */
  hostnames: string[];
}

/**
 * Workloads deployed for a Gateway API Gateway (pods labelled `gateway.networking.k8s.io/gateway-name`, in the
 * Gateway's namespace), waypoints excepted: those are waypoint nodes, not gateways.
 */
export function gatewayApiGatewaysByWorkload(inv: Inventory): Map<WorkloadView, GatewayApiRef> {
  const out = new Map<WorkloadView, GatewayApiRef>();
  if (inv.gatewayApi.Gateway.length === 0) return out;
  const byKey = new Map<string, GatewayApiRef>();
  for (const g of inv.gatewayApi.Gateway) {
    const spec = g.object.spec ?? {};
    if (spec.gatewayClassName === WAYPOINT_GATEWAY_CLASS) continue;
    const hostnames = new Set<string>();
    for (const l of Array.isArray(spec.listeners) ? spec.listeners : []) hostnames.add(typeof l?.hostname === 'string' ? l.hostname : '*');
    const ns = g.ref.namespace ?? 'default';
    byKey.set(`${ns}/${g.ref.name}`, {
      namespace: ns, name: g.ref.name,
      ...(typeof spec.gatewayClassName === 'string' ? { gatewayClassName: spec.gatewayClassName } : {}),
      hostnames: [...hostnames].sort(),
    });
  }
  for (const w of inv.workloads) {
    const name = w.labels[GATEWAY_NAME_LABEL] ?? w.pods.find((p) => p.labels[GATEWAY_NAME_LABEL] !== undefined)?.labels[GATEWAY_NAME_LABEL];
    const ref = name !== undefined ? byKey.get(`${w.namespace}/${name}`) : undefined;
    if (ref) out.set(w, ref);
  }
  return out;
}

/** Workloads selected by an Istio Gateway, with the hosts its servers accept (ingress or egress by the proxy's labels). */
export function gatewayInfoByWorkload(inv: Inventory): Map<WorkloadView, GatewayInfo> {
  const hostsOf = new Map<WorkloadView, Set<string>>();
  for (const gw of inv.istio.Gateway) {
    const selector = gw.object.spec?.selector;
    if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) continue;
    const hosts: string[] = [];
    for (const server of Array.isArray(gw.object.spec?.servers) ? gw.object.spec.servers : []) {
      for (const h of Array.isArray(server?.hosts) ? server.hosts : []) if (typeof h === 'string') hosts.push(stripNamespacePrefix(h));
    }
    // Istio applies a Gateway's selector to proxies in every namespace (unless PILOT_SCOPE_GATEWAY_TO_NAMESPACE is set).
    for (const w of inv.workloads) {
      if (!labelsMatch(selector, w.labels)) continue;
      const set = hostsOf.get(w) ?? new Set<string>();
      for (const h of hosts) set.add(h);
      hostsOf.set(w, set);
    }
  }
  const out = new Map<WorkloadView, GatewayInfo>();
  for (const [w, set] of hostsOf) {
    const hostnames = [...set].sort();
    out.set(w, isEgressGateway(w) ? { egressInfo: { hostnames } } : { ingressInfo: { hostnames } });
  }
  return out;
}

/** Egress gateways by Istio's install labels. */
export function isEgressGateway(w: WorkloadView): boolean {
  return w.labels.istio === 'egressgateway' || w.labels['operator.istio.io/component'] === 'EgressGateways';
}

/**
 * The forwarding table of an OpenShift-style egress router: the `EGRESS_DESTINATION` env of any container or
 * init container (the router itself usually runs as an init container). Lines are `<port> <proto> <ip> [<targetPort>]`;
 * a line with only an IP is the fallback for every other port and is returned as port 0, targetPort 0.
 */
export function egressForwards(w: WorkloadView): EgressForward[] | undefined {
  const values: string[] = [];
  for (const c of w.containers) for (const e of c.env ?? []) if (e.name === 'EGRESS_DESTINATION' && e.value !== undefined) values.push(e.value);
  const spec = podSpecOf(w);
  for (const c of Array.isArray(spec?.initContainers) ? spec.initContainers : []) {
    for (const e of Array.isArray(c?.env) ? c.env : []) if (e?.name === 'EGRESS_DESTINATION' && typeof e.value === 'string') values.push(e.value);
  }
  if (values.length === 0) return undefined;
  const forwards: EgressForward[] = [];
  for (const text of values) for (const line of text.split('\n')) {
    const f = parseEgressLine(line);
    if (f) forwards.push(f);
  }
  return forwards;
}

/** One `EGRESS_DESTINATION` line; comments (`#…`) and blank lines give nothing. */
export function parseEgressLine(line: string): EgressForward | undefined {
  const text = line.replace(/#.*$/, '').trim();
  if (text === '') return undefined;
  const parts = text.split(/\s+/);
  if (parts.length === 1) return { port: 0, protocol: 'tcp', targetIP: parts[0]!, targetPort: 0 };
  const port = Number(parts[0]);
  if (parts.length < 3 || !Number.isInteger(port)) return undefined;
  const targetPort = parts[3] === undefined ? port : Number(parts[3]);
  return { port, protocol: parts[1]!.toLowerCase(), targetIP: parts[2]!, targetPort: Number.isInteger(targetPort) ? targetPort : port };
}

function podSpecOf(w: WorkloadView): any {
  const o = w.obj?.object;
  if (!o) return w.pods[0]?.obj?.object.spec;
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

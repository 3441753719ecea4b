/** No proxy on the client: plain Kubernetes Service routing (kube-proxy), or a direct connection. No Istio rule applies. */
import type { Endpoint, Hop } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { isIP, toFqdn } from '../hosts/names.js';
import { lookupRegistryAddress, lookupRegistryHost } from '../hosts/registry.js';
import { failedLeg, resolveTarget } from './destinations.js';
import { isHttpFamily } from './protocol.js';
import type { Leg, ProxyContext, Request } from './types.js';

/** The legs of a request from a client without a sidecar. */
export function plainLegs(inv: Inventory, ctx: ProxyContext, req: Request): Leg[] {
  const onlyServices = (e: { kind: string }) => e.kind === 'Service';
  const name = req.host && !isIP(req.host) ? toFqdn(req.host, ctx.namespace, inv.clusterDomain, 'dns') : undefined;
  // the address dialled decides without a proxy; a name is only used to find it (DNS)
  const entry = (name ? lookupRegistryHost(inv, name, ctx.namespace, onlyServices) : undefined) ?? (req.ip ? lookupRegistryAddress(inv, req.ip, ctx.namespace, onlyServices) : undefined);
  const protocol = isHttpFamily(req.protocol) || req.protocol === 'https' || req.protocol === 'tls' ? req.protocol : 'tcp';
  const noProxy = `${ctx.who[0]!.toUpperCase()}${ctx.who.slice(1)} has no sidecar, so no VirtualService or DestinationRule applies`;
  if (!entry) {
    const to: Endpoint = { kind: 'external', ...(name ? { host: name } : {}), ...(req.ip ? { ip: req.ip } : {}), port: req.port };
    const hop: Hop = { from: ctx.from, to, protocol, decidedBy: [], explanation: `${noProxy}; ${name ?? req.ip} is not a Kubernetes Service, so the connection goes straight to it.` };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to, tls: { mode: 'NONE' } }];
  }
  if (!entry.ports.some((p) => p.number === req.port)) {
    const to: Endpoint = { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port: req.port };
    const hop: Hop = { from: ctx.from, to, protocol, decidedBy: [], explanation: `${noProxy}; Service ${entry.namespace}/${entry.name} has no port ${req.port}, so the connection is refused.` };
    return [failedLeg(hop, { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' })];
  }
  const resolved = resolveTarget(inv, ctx, undefined, { host: entry.host, port: req.port, share: 1, refs: [], why: `${noProxy}; kube-proxy balanced the connection over the endpoints of Service ${entry.namespace}/${entry.name}` }, req, protocol);
  return resolved.legs;
}

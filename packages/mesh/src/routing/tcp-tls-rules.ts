/** TLS (by SNI, not terminated) and TCP rule matching (reference §3.4). */
import { hostMatches, ipInCidr } from '../hosts/names.js';
import { commonConditions } from './http-rules.js';
import type { ProxyContext, Request } from './types.js';

type Condition = { path: string; note: string } | false;

/** `destinationSubnets`: holds when the dialled IP is in one of them (never without an IP). */
function subnetCondition(m: Record<string, unknown>, path: string, req: Request): Condition[] {
  if (!Array.isArray(m.destinationSubnets) || m.destinationSubnets.length === 0) return [];
  const subnets = m.destinationSubnets.filter((s): s is string => typeof s === 'string');
  const ok = req.ip !== undefined && subnets.some((s) => ipInCidr(req.ip!, s));
  return [ok && { path: `${path}.destinationSubnets`, note: `destination subnets ${subnets.join(', ')}` }];
}

/** The conditions of one TLS match entry: `sniHosts` (required) against the SNI, plus subnets/port/source/gateways. */
export function tlsConditions(m: Record<string, unknown>, path: string, vsNamespace: string, ctx: ProxyContext, req: Request, gateways: string[]): Condition[] {
  const out: Condition[] = [];
  const sniHosts = Array.isArray(m.sniHosts) ? m.sniHosts.filter((s): s is string => typeof s === 'string') : [];
  const sni = req.sni;
  const hit = sni !== undefined ? sniHosts.findIndex((s) => hostMatches(s, sni)) : -1;
  out.push(hit >= 0 && { path: `${path}.sniHosts[${hit}]`, note: `SNI ${sni} matches ${sniHosts[hit]}` });
  out.push(...subnetCondition(m, path, req));
  out.push(...commonConditions(m, path, vsNamespace, ctx, req.port, gateways));
  return out;
}

/** The conditions of one TCP match entry. */
export function tcpConditions(m: Record<string, unknown>, path: string, vsNamespace: string, ctx: ProxyContext, req: Request, gateways: string[]): Condition[] {
  return [...subnetCondition(m, path, req), ...commonConditions(m, path, vsNamespace, ctx, req.port, gateways)];
}

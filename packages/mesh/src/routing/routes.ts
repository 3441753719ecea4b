/** Applying a matched rule: weighted destinations, fault injection, mirroring, timeouts and retries (reference §3.5, §3.10–3.12). */
import type { Endpoint, InventoryObject, MirrorTarget, RuleRef, TraceProtocol } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { lookupRegistryHost } from '../hosts/registry.js';
import { toFqdn } from '../hosts/names.js';
import { destinationPort, resolveTarget } from './destinations.js';
import { faultOf, fmtPct, timeoutAndRetries } from './faults.js';
import { describeEndpoint, ruleRef, shortName } from './refs.js';
import type { SidecarScope } from './sidecar-scope.js';
import type { Leg, ProxyContext, Request, RouteTarget } from './types.js';

interface Destination { host?: unknown; subset?: unknown; port?: { number?: unknown } }

/** The weighted targets of a rule's `route`: weights are relative; one destination gets everything; a missing weight is 0. */
export function routeTargets(inv: Inventory, vs: InventoryObject, path: string, route: unknown[], refs: RuleRef[], why: string): RouteTarget[] {
  const vsNs = vs.ref.namespace ?? 'default';
  const weights = route.map((r) => (typeof (r as { weight?: unknown })?.weight === 'number' ? (r as { weight: number }).weight : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return route.flatMap((r, k) => {
    const dest = ((r as { destination?: Destination })?.destination ?? {}) as Destination;
    if (typeof dest.host !== 'string') return [];
    const share = route.length === 1 ? 1 : total > 0 ? weights[k]! / total : 0;
    if (share === 0) return []; // "if weight is 0, the destination will not receive any traffic" (reference §3.5)
    const host = toFqdn(dest.host, vsNs, inv.clusterDomain);
    const entryPath = `${path}.route[${k}]`;
    const note = route.length === 1 ? `Sends every request of this rule to ${dest.host}${typeof dest.subset === 'string' ? ` subset ${dest.subset}` : ''}.` : `Sends ${fmtPct(share)} of this rule's requests (weight ${weights[k]} of ${total}) to ${dest.host}${typeof dest.subset === 'string' ? ` subset ${dest.subset}` : ''}.`;
    return [{
      host,
      ...(typeof dest.port?.number === 'number' ? { port: dest.port.number } : {}),
      ...(typeof dest.subset === 'string' ? { subset: dest.subset } : {}),
      share,
      refs: [...refs, ruleRef(vs, entryPath, note)],
      why,
      ...(route.length > 1 ? { shareNote: `${fmtPct(share)} of the requests (${entryPath}, weight ${weights[k]} of ${total})` } : {}),
    }];
  });
}

/**
 * The legs of rule `spec.<section>[index]` of `vs` once it matched: one per destination and endpoint, with the fault
 * split applied (an abort of fraction f becomes a `fault-abort` leg of weight w·f, the rest goes on).
 */
export function ruleLegs(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope | undefined, vs: InventoryObject, section: 'http' | 'tls' | 'tcp', index: number,
  refs: RuleRef[], why: string, req: Request, protocol: TraceProtocol, problems: string[],
): Leg[] {
  const path = `spec.${section}[${index}]`;
  const rule = ((vs.object.spec?.[section] as unknown[])[index] ?? {}) as Record<string, unknown>;
  if (section === 'http' && !Array.isArray(rule.route)) {
    const action = rule.redirect ? 'redirect' : rule.directResponse ? 'directResponse' : rule.delegate ? 'delegate' : undefined;
    const to: Endpoint = { kind: 'client', ...(ctx.workload ? { namespace: ctx.workload.namespace, workload: ctx.workload.name } : {}), description: action ? `${action} answered by ${ctx.who}` : `no destination in ${path}` };
    problems.push(action ? `${path} of VirtualService ${shortName(vs)} answers with ${action}; the trace stops at the proxy.` : `${path} of VirtualService ${shortName(vs)} has no route.`);
    return [{
      weight: 1, hops: [{ from: ctx.from, to, protocol, decidedBy: refs, explanation: `${why}; the rule has ${action ?? 'no route'}, so the proxy answers the request itself.` }],
      outcome: action ? { kind: 'delivered' } : { kind: 'no-route', responseCode: 404, responseFlags: 'NR' }, destination: to,
    }];
  }
  const targets = routeTargets(inv, vs, path, Array.isArray(rule.route) ? rule.route : [], refs, why);
  const fault = section === 'http' ? faultOf(vs, path, rule) : undefined;
  const http = section === 'http' ? timeoutAndRetries(rule, fault !== undefined) : {};
  const mirrors = section === 'http' ? mirrorsOf(inv, ctx, vs, path, rule, req) : [];
  const legs: Leg[] = [];
  for (const target of targets) {
    const resolved = resolveTarget(inv, ctx, scope, target, req, protocol);
    const abort = fault?.abort && fault.abort.fraction > 0 ? fault.abort : undefined;
    const delay = fault?.delay && fault.delay.fraction > 0 ? fault.delay : undefined;
    const faultNote = [
      delay ? ` A fault delays ${fmtPct(delay.fraction)} of them by ${delay.ms / 1000} s.` : '',
      fault ? ' Timeouts and retries are not enabled on a rule that injects faults.' : '',
    ].join('');
    if (abort) {
      const hop = { ...resolved.firstHop, decidedBy: [...resolved.firstHop.decidedBy, abort.rule], explanation: `${resolved.firstHop.explanation} A fault aborts ${fmtPct(abort.fraction)} of them with ${abort.httpStatus !== undefined ? `HTTP ${abort.httpStatus}` : `gRPC status ${abort.grpcStatus}`} (FI) before they leave the proxy.` };
      legs.push({
        weight: target.share * abort.fraction, hops: [hop],
        // a gRPC abort is an HTTP 200 response carrying the grpc-status
        outcome: { kind: 'fault-abort', responseCode: abort.httpStatus ?? 200, responseFlags: 'FI' },
        destination: hop.to, ...(resolved.destinationServiceHost ? { destinationServiceHost: resolved.destinationServiceHost } : {}),
        fault: { ...(delay ? { delay } : {}), abort },
      });
    }
    const rest = abort ? 1 - abort.fraction : 1;
    if (rest <= 0) continue;
    for (const leg of resolved.legs) {
      const first = leg.hops[0]!;
      const hops = delay || fault ? [{ ...first, decidedBy: delay ? [...first.decidedBy, delay.rule] : first.decidedBy, explanation: `${first.explanation}${faultNote}` }, ...leg.hops.slice(1)] : leg.hops;
      legs.push({
        ...leg, hops, weight: target.share * rest * leg.weight,
        ...(delay ? { fault: { delay } } : {}),
        ...(leg.outcome.kind === 'delivered' ? http : {}),
        ...(mirrors.length > 0 && leg.outcome.kind === 'delivered' ? { mirrors } : {}),
      });
    }
  }
  return legs;
}

/** `mirror` (+ `mirrorPercentage`, 100% when absent) and `mirrors[]` (+ `percentage`, 100% when absent) of an HTTP rule (reference §3.11). */
function mirrorsOf(inv: Inventory, ctx: ProxyContext, vs: InventoryObject, path: string, rule: Record<string, unknown>, req: Request): MirrorTarget[] {
  const list: Array<{ dest: Destination; pct: unknown; at: string }> = [];
  if (rule.mirror && typeof rule.mirror === 'object') list.push({ dest: rule.mirror as Destination, pct: (rule.mirrorPercentage as { value?: unknown } | undefined)?.value, at: `${path}.mirror` });
  if (Array.isArray(rule.mirrors)) {
    rule.mirrors.forEach((m: { destination?: Destination; percentage?: { value?: unknown } }, j: number) => {
      if (m?.destination) list.push({ dest: m.destination, pct: m.percentage?.value, at: `${path}.mirrors[${j}]` });
    });
  }
  const vsNs = vs.ref.namespace ?? 'default';
  return list.flatMap(({ dest, pct, at }) => {
    if (typeof dest.host !== 'string') return [];
    const fraction = typeof pct === 'number' ? Math.min(100, Math.max(0, pct)) / 100 : 1;
    if (fraction === 0) return [];
    const host = toFqdn(dest.host, vsNs, inv.clusterDomain);
    const entry = lookupRegistryHost(inv, host, ctx.namespace);
    const written = typeof dest.port?.number === 'number' ? dest.port.number : undefined;
    const subset = typeof dest.subset === 'string' ? dest.subset : undefined;
    const to: Endpoint = !entry
      ? { kind: 'external', host, port: written ?? req.port }
      : entry.kind === 'Service'
        ? { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port: destinationPort(entry, written, req.port), ...(subset ? { subset } : {}) }
        : { kind: 'serviceEntry', namespace: entry.namespace, name: entry.name, host: entry.host, port: destinationPort(entry, written, req.port), location: entry.location, ...(entry.resolution ? { resolution: entry.resolution } : {}) };
    return [{ to, fraction, rule: ruleRef(vs, at, `Mirrors ${fmtPct(fraction)} of the requests to ${describeEndpoint(to)} (fire and forget; responses are discarded).`) }];
  });
}

/**
 * Routing-chain checks no peer has (MLS1001–MLS1003): each asks the routing core (traceRequest) where a request
 * would really go, instead of pattern-matching YAML, and reports the chain of objects that decided it.
 */
import type { Finding, InventoryObject, TraceProtocol, TraceResult } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf, someNames, tellsProblem } from './finding.js';
import { arr, fqdn, gatewayByName, podsSelected, rec, registryIntersecting, resolveHost } from './lookup.js';
import { traceRequest } from '../routing/trace.js';
import { isGatewayWorkload } from '../routing/gateway-workloads.js';
import { normalizeGatewayName, vsGateways } from '../routing/virtual-services.js';
import { describeEndpoint } from '../routing/refs.js';
import { isExportedTo, exportToOf } from '../hosts/export-to.js';
import type { WorkloadView } from '../inventory/types.js';
import { selectorReadKey } from './keys.js';
import { clientName, likelyClients, type LikelyClient } from './clients.js';

/** A concrete host to ask the tracer about: `*.wikipedia.org` → `www.wikipedia.org`. */
export function sampleHost(host: string): string {
  return host === '*' ? 'example.com' : host.startsWith('*.') ? `www${host.slice(1)}` : host;
}

/** The protocol and port a VirtualService's rules expect (first tls/tcp/http rule with a port match). */
function sampleRequest(vs: InventoryObject): { protocol: TraceProtocol; port: number } {
  const spec = rec(vs.object.spec);
  const portOf = (section: string) => arr(spec[section]).flatMap((r) => arr(rec(r).match).map((m) => rec(m).port)).find((p): p is number => typeof p === 'number');
  if (arr(spec.tls).length) return { protocol: 'https', port: portOf('tls') ?? 443 };
  if (arr(spec.tcp).length) return { protocol: 'tcp', port: portOf('tcp') ?? 0 };
  return { protocol: 'http', port: portOf('http') ?? 80 };
}

export function traceWords(t: TraceResult): string {
  const p = t.paths[0];
  if (!p) return t.problems[0] ?? 'the request goes nowhere';
  const last = p.hops[p.hops.length - 1];
  return `${p.hops.map((h) => describeEndpoint(h.to)).join(' → ')} (${p.outcome.kind})${last ? `: ${last.explanation}` : ''}`.replace(/\.+$/, '');
}

/**
 * The clients of `host` the VirtualService's mesh rules are meant for: sidecar workloads in namespaces it is exported
 * to that see no registry entry for the host either, most plausible first (clients.ts).
 */
function meshClients(ctx: CheckContext, vs: InventoryObject, host: string): LikelyClient[] {
  ctx.read('MESH'); // outboundTrafficPolicy decides PassthroughCluster or BlackHole in the quoted trace
  return likelyClients(ctx, host, (ns) => isExportedTo(exportToOf(vs), nsOf(vs), ns) && registryIntersecting(ctx, host, ns).length === 0, nsOf(vs));
}

/**
 * "default/pod1 (the likely client: no Service selects it…)": the client traced, why it was chosen, and the other
 * clients as plausible as it (named up to three; a count for the workloads that merely could use the rule).
 */
export function clientWords(clients: LikelyClient[], host: string): string {
  const first = clients[0]!;
  const peers = clients.filter((c) => c !== first && c.rank === first.rank).map(clientName);
  if (first.rank === 2) {
    return clients.length === 1
      ? `${clientName(first)} (the only sidecar workload that can send it)`
      : `${clientName(first)} (one of the ${clients.length} sidecar workloads that can send it: none names ${host} in its spec or only sends traffic)`;
  }
  const also = peers.length === 0 ? '' : first.rank === 0 ? `; ${someNames(peers)} name${peers.length === 1 ? 's' : ''} it too` : `; also ${someNames(peers)}`;
  return `${clientName(first)} (the likely client: ${first.why}${also})`;
}

/** Gateway workloads selected by Gateway `gw` (in any namespace, as istiod does by default). */
export function selectedGatewayWorkloads(ctx: CheckContext, gw: InventoryObject): WorkloadView[] {
  const selector = rec(rec(gw.object.spec).selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) return [];
  const pods = podsSelected(ctx, selector, '*');
  const out = new Map<string, WorkloadView>();
  for (const p of pods) {
    const w = ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
    if (w) out.set(`${w.namespace}/${w.name}`, w);
  }
  return [...out.values()];
}

/** True when a rule's matches admit traffic arriving through `gateway` (no `gateways` in a match means all of the VS's). */
export function ruleAppliesTo(rule: unknown, gateway: string, vsNs: string): boolean {
  const matches = arr(rec(rule).match);
  if (matches.length === 0) return true;
  return matches.some((m) => {
    const g = arr(rec(m).gateways).filter((x): x is string => typeof x === 'string');
    return g.length === 0 || g.map((x) => normalizeGatewayName(x, vsNs)).includes(gateway);
  });
}

export const routingChain: Check = {
  name: 'routing-chain',
  kinds: ['VirtualService'],
  run(ctx, vs) {
    const out: Finding[] = [];
    const ns = nsOf(vs);
    const spec = rec(vs.object.spec);
    const gateways = vsGateways(vs);
    const sample = sampleRequest(vs);
    // MLS1001: a host on the mesh gateway that the registry does not define: sidecars never apply the rules.
    if (gateways.includes('mesh')) {
      arr(spec.hosts).forEach((h, i) => {
        if (typeof h !== 'string') return;
        const host = fqdn(ctx, h, ns);
        if (registryIntersecting(ctx, host, ns).length > 0) return;
        const clients = meshClients(ctx, vs, host);
        const client = clients[0]?.workload;
        if (client) ctx.read(`Sidecar:${client.namespace}`);
        const probe = sampleHost(host);
        const trace = client ? traceRequest(ctx.inv, { source: { kind: 'workload', namespace: client.namespace, name: client.name }, protocol: sample.protocol, host: probe, port: sample.port }) : undefined;
        const clientObj = client?.obj ?? client?.pods.find((p) => p.obj)?.obj;
        out.push(makeFinding(vs, 'MLS1001', `spec.hosts[${i}]`,
          `No Service or ServiceEntry defines ${host}, so sidecars build no route for it and never apply this VirtualService's mesh rules${trace ? `. Asked where ${sample.protocol}://${probe}:${sample.port} from ${clientWords(clients, host)} goes, the routing core answers: ${traceWords(trace)}` : ''}.`,
          host.endsWith(`.svc.${ctx.inv.clusterDomain}`)
            ? `Create Service ${host.split('.')[0]} in namespace ${host.split('.')[1]}, or correct spec.hosts[${i}] to an existing service.`
            : `Create a ServiceEntry for ${host} (location: MESH_EXTERNAL, resolution: ${host.startsWith('*') ? 'NONE (wildcard host)' : 'DNS'}, port ${sample.port} protocol ${sample.protocol === 'https' ? 'TLS' : sample.protocol.toUpperCase()}) exported to the clients' namespaces${client ? ` (${client.namespace})` : ''}.`,
          trace && clientObj ? [{ obj: clientObj, note: `the client traced: its sidecar has no route for ${host}` }] : []));
      });
    }
    // MLS1002: a bound Gateway for which no rule of this VirtualService matches.
    arr(spec.gateways).forEach((g, i) => {
      if (typeof g !== 'string' || g === 'mesh') return;
      const key = normalizeGatewayName(g, ns);
      const gw = gatewayByName(ctx, key);
      if (!gw) return; // KIA1102 reports it
      const rules = [...arr(spec.http), ...arr(spec.tls), ...arr(spec.tcp)];
      if (rules.some((r) => ruleAppliesTo(r, key, ns))) return;
      const selected = selectedGatewayWorkloads(ctx, gw);
      const w = selected[0];
      const host = typeof arr(spec.hosts)[0] === 'string' ? sampleHost(fqdn(ctx, arr(spec.hosts)[0], ns)) : undefined;
      const serverPort = arr(rec(gw.object.spec).servers).map((s) => rec(rec(s).port).number).find((p): p is number => typeof p === 'number') ?? sample.port;
      const trace = w && host ? traceRequest(ctx.inv, { source: { kind: 'gateway', namespace: w.namespace, name: w.name }, protocol: sample.protocol, host, port: serverPort }) : undefined;
      // the dead end at these gateway workloads is one problem with MLS1003 (mesh traffic sent there, stopping there)
      out.push(tellsProblem(makeFinding(vs, 'MLS1002', `spec.gateways[${i}]`,
        `This VirtualService binds gateway ${key}, but every rule matches only other gateways (match.gateways), so nothing routes traffic arriving at ${key}${trace ? `. The routing core, tracing ${host}:${serverPort} arriving at ${w!.namespace}/${w!.name}: ${traceWords(trace)}` : ''}.`,
        `Add a rule with match.gateways: [${g}] (and port/sniHosts as needed) that routes on to the real destination (for egress: the external host, e.g. destination.host ${arr(spec.hosts)[0] ?? '<host>'} port ${serverPort}), or remove ${g} from spec.gateways.`,
        [{ obj: gw, path: 'spec.servers', note: 'the bound Gateway' }]), { problem: selected.map((x) => `gateway-dead-end:${x.namespace}/${x.name}`) }));
    });
    // MLS1003: mesh → egress gateway hop without gateway → external hop (the reverse is egress-gateway-leg.ts).
    if (gateways.includes('mesh')) out.push(...egressChain(ctx, vs, sample));
    return out;
  },
};

function egressChain(ctx: CheckContext, vs: InventoryObject, sample: { protocol: TraceProtocol; port: number }): Finding[] {
  const ns = nsOf(vs);
  const spec = rec(vs.object.spec);
  const host = arr(spec.hosts).find((h): h is string => typeof h === 'string');
  if (!host) return [];
  const out: Finding[] = [];
  for (const section of ['http', 'tls', 'tcp'] as const) {
    arr(spec[section]).forEach((rule, i) => {
      if (!ruleAppliesTo(rule, 'mesh', ns)) return;
      arr(rec(rule).route).forEach((d, j) => {
        const dest = rec(rec(d).destination);
        if (typeof dest.host !== 'string') return;
        const entry = resolveHost(ctx, fqdn(ctx, dest.host, ns), ns);
        const svc = entry?.service;
        if (!svc?.selector || Object.keys(svc.selector).length === 0) return;
        ctx.read(selectorReadKey(svc.namespace, svc.selector));
        if (!ctx.idx.gatewayServices().has(`${svc.namespace}/${svc.name}`)) return;
        const pods = podsSelected(ctx, svc.selector, svc.namespace);
        const gwWorkloads = [...new Set(pods.map((p) => ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`)).filter((w): w is WorkloadView => !!w && isGatewayWorkload(w)))];
        const w = gwWorkloads[0];
        if (!w) return;
        const port = typeof rec(dest.port).number === 'number' ? rec(dest.port).number : sample.port;
        const probe = sampleHost(fqdn(ctx, host, ns));
        const trace = traceRequest(ctx.inv, { source: { kind: 'gateway', namespace: w.namespace, name: w.name }, protocol: sample.protocol, host: probe, port });
        const delivered = trace.paths.some((p) => p.outcome.kind === 'delivered' && p.destination.kind !== 'gateway');
        if (delivered) return;
        out.push(tellsProblem(makeFinding(vs, 'MLS1003', `spec.${section}[${i}].route[${j}].destination.host`,
          `Mesh traffic for ${host} is sent to the egress gateway ${w.namespace}/${w.name} (via ${svc.namespace}/${svc.name}), but nothing routes it on from there: tracing ${probe}:${port} arriving at the gateway gives ${traceWords(trace)}. The egress path is incomplete (mesh → gateway without gateway → external).`,
          `Add a Gateway server for ${host} on port ${port} selecting the egress gateway pods, and a VirtualService rule with match.gateways: [<that Gateway>] routing to ${host} port ${port}.`,
          [{ obj: svc.obj, path: 'spec.selector', note: 'Service of the egress gateway' }]), {
          problem: gwWorkloads.map((x) => `gateway-dead-end:${x.namespace}/${x.name}`),
          // told within MLS1002, whose trace already shows the dead end and whose fix names the bound Gateway
          sentence: `Its mesh rule spec.${section}[${i}] sends ${host} to this gateway (Service ${svc.namespace}/${svc.name}, workload ${w.namespace}/${w.name}), so the egress path is incomplete: mesh → gateway without gateway → external`,
          fix: '',
        }));
      });
    });
  }
  return out;
}



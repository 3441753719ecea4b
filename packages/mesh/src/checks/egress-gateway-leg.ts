/**
 * MLS1003, reverse half: a VirtualService routes a host out of the mesh through an EGRESS gateway (gateway →
 * external hop), but no mesh-bound VirtualService sends that host's traffic to the egress gateway's Service (mesh →
 * gateway hop). Sidecars then go straight out and the gateway route is never used — a silent bypass of the egress
 * policy. Same code as the forward half (routing-chain.ts): the catalogue title covers an incomplete egress path in
 * either direction, and the message says which hop is missing.
 */
import type { Finding, InventoryObject, TraceProtocol } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { arr, destinationRulesFor, fqdn, gatewayByName, rec, resolveHost, servicesSelecting, virtualServicesIntersecting } from './lookup.js';
import { clientWords, ruleAppliesTo, sampleHost, selectedGatewayWorkloads, traceWords } from './routing-chain.js';
import { likelyClients, type LikelyClient } from './clients.js';
import { traceRequest } from '../routing/trace.js';
import { normalizeGatewayName, vsGateways } from '../routing/virtual-services.js';
import { isExportedTo } from '../hosts/export-to.js';
import { labelsMatch } from '../inventory/query.js';
import type { RegistryEntry } from '../hosts/registry.js';
import type { ServiceView, WorkloadView } from '../inventory/types.js';

const SECTIONS = ['http', 'tls', 'tcp'] as const;
type Section = (typeof SECTIONS)[number];

/** An egress gateway proxy, by the installer's labels (the ingress gateway runs the same image). */
function isEgressWorkload(w: WorkloadView): boolean {
  return w.labels['istio'] === 'egressgateway' || w.labels['operator.istio.io/component'] === 'EgressGateways';
}

/** The port a rule is about: its match port, else the first Gateway server port of a fitting protocol. */
function rulePort(rule: unknown, section: Section, gw: InventoryObject): number {
  const matched = arr(rec(rule).match).map((m) => rec(m).port).find((p): p is number => typeof p === 'number');
  if (matched !== undefined) return matched;
  const fits = section === 'http' ? ['HTTP', 'HTTP2', 'GRPC', 'HTTPS'] : section === 'tls' ? ['TLS', 'HTTPS'] : ['TCP', 'TLS', 'MONGO'];
  const servers = arr(rec(gw.object.spec).servers).map((s) => rec(rec(s).port));
  const port = servers.find((p) => fits.includes(String(p.protocol ?? '').toUpperCase()))?.number ?? servers[0]?.number;
  return typeof port === 'number' ? port : section === 'http' ? 80 : 443;
}

/** True when a mesh-bound VirtualService for `host` has a mesh rule routing to one of `gwHosts`. */
function meshLegExists(ctx: CheckContext, host: string, gwHosts: Set<string>): boolean {
  return virtualServicesIntersecting(ctx, host).some(({ vs }) => {
    if (!vsGateways(vs).includes('mesh')) return false;
    const ns = nsOf(vs);
    return SECTIONS.some((s) => arr(rec(vs.object.spec)[s]).some((rule) => ruleAppliesTo(rule, 'mesh', ns)
      && arr(rec(rule).route).some((d) => typeof rec(rec(d).destination).host === 'string' && gwHosts.has(fqdn(ctx, rec(rec(d).destination).host, ns)))));
  });
}

/** The likely clients of `host` (clients.ts) in namespaces that see `entry` (any namespace when there is no entry). */
function clientsSeeing(ctx: CheckContext, host: string, entry: RegistryEntry | undefined, prefer: string): LikelyClient[] {
  return likelyClients(ctx, host, (ns) => !entry || isExportedTo(entry.exportTo, entry.namespace, ns), prefer);
}

/** `subset: <name>` of a DestinationRule subset of the gateway Service that selects the egress pods, if one exists. */
function subsetHint(ctx: CheckContext, svcHost: string, w: WorkloadView): string {
  for (const { dr } of destinationRulesFor(ctx, svcHost)) {
    for (const s of arr(rec(dr.object.spec).subsets)) {
      const labels = rec(rec(s).labels) as Record<string, string>;
      if (typeof rec(s).name === 'string' && Object.keys(labels).length > 0 && labelsMatch(labels, w.labels)) return `, subset ${rec(s).name} (DestinationRule ${nsName(dr)})`;
    }
  }
  return '';
}

export const egressGatewayLeg: Check = {
  name: 'egress-gateway-leg',
  kinds: ['VirtualService'],
  run(ctx, vs) {
    const ns = nsOf(vs);
    const spec = rec(vs.object.spec);
    const hosts = arr(spec.hosts).filter((h): h is string => typeof h === 'string').map((h) => fqdn(ctx, h, ns));
    const out: Finding[] = [];
    const done = new Set<string>(); // a rule applying to several bound egress gateways is reported once
    arr(spec.gateways).forEach((g) => {
      if (typeof g !== 'string' || g === 'mesh') return;
      const key = normalizeGatewayName(g, ns);
      const gw = gatewayByName(ctx, key);
      if (!gw) return; // KIA1102 reports it
      const egress = selectedGatewayWorkloads(ctx, gw).filter(isEgressWorkload);
      const w = egress[0];
      if (!w) return;
      const services = new Map<string, ServiceView>();
      for (const e of egress) for (const s of servicesSelecting(ctx, e.labels, e.namespace)) services.set(`${s.name}.${s.namespace}.svc.${ctx.inv.clusterDomain}`, s);
      const gwHosts = new Set(services.keys());
      const svcHost = [...gwHosts][0] ?? `istio-egressgateway.${w.namespace}.svc.${ctx.inv.clusterDomain}`;
      for (const section of SECTIONS) {
        arr(spec[section]).forEach((rule, i) => {
          if (done.has(`${section}[${i}]`) || !ruleAppliesTo(rule, key, ns)) return;
          // the first route destination that leaves the mesh: a ServiceEntry host, or a name outside the cluster domain
          let external: { j: number; host: string; entry: RegistryEntry | undefined } | undefined;
          arr(rec(rule).route).some((d, j) => {
            const written = rec(rec(d).destination).host;
            if (typeof written !== 'string') return false;
            const host = fqdn(ctx, written, ns);
            if (gwHosts.has(host)) return false;
            const entry = resolveHost(ctx, host, ns);
            if (entry ? entry.kind !== 'ServiceEntry' : host.endsWith(`.svc.${ctx.inv.clusterDomain}`)) return false;
            external = { j, host, entry };
            return true;
          });
          if (!external) return;
          const missing = hosts.filter((h) => !meshLegExists(ctx, h, gwHosts));
          const h = missing[0];
          if (!h) return;
          done.add(`${section}[${i}]`);
          const port = rulePort(rule, section, gw);
          const protocol: TraceProtocol = section === 'tls' ? 'https' : section === 'tcp' ? 'tcp' : 'http';
          const clients = clientsSeeing(ctx, h, external.entry, ns);
          const client = clients[0]?.workload;
          ctx.read('MESH'); // outboundTrafficPolicy decides PassthroughCluster or BlackHole in the quoted trace
          if (client) ctx.read(`Sidecar:${client.namespace}`);
          const probe = sampleHost(h);
          const trace = client ? traceRequest(ctx.inv, { source: { kind: 'workload', namespace: client.namespace, name: client.name }, protocol, host: probe, port }) : undefined;
          // the routing core is the judge: if the sidecar's request does reach the egress gateway, the path is whole
          if (trace?.paths.some((p) => p.hops.some(({ to }) => to.kind === 'gateway' && egress.some((e) => e.namespace === to.namespace && e.name === to.workload)))) return;
          const hostsWord = missing.length > 1 ? someNames(missing) : h;
          const refs = [
            { obj: gw, path: 'spec.selector', note: `Gateway on the egress gateway ${w.namespace}/${w.name}` },
            ...(external.entry?.kind === 'ServiceEntry' ? [{ obj: external.entry.obj, path: external.entry.hostPath, note: 'the external host the gateway sends traffic to' }] : []),
            ...[...services.values()].map((s) => ({ obj: s.obj, path: 'spec.selector', note: 'Service of the egress gateway: no mesh rule routes to it' })),
          ];
          out.push(makeFinding(vs, 'MLS1003', `spec.${section}[${i}].route[${external.j}].destination.host`,
            `Traffic for ${hostsWord} arriving at the egress gateway ${w.namespace}/${w.name} (Gateway ${key}) is routed out to ${external.host}, but no VirtualService bound to mesh sends ${hostsWord} to ${svcHost}, so sidecars never use this route and go straight out${trace ? `: tracing ${protocol}://${probe}:${port} from ${clientWords(clients, h)}, the routing core answers ${traceWords(trace)}` : ''}. The egress path is incomplete (gateway → external without mesh → gateway).`,
            `Add a VirtualService bound to mesh for ${h} (or add mesh to this VirtualService's gateways) with a ${section} rule matching gateways: [mesh]${section === 'tls' ? ` and sniHosts: [${h}]` : ''}, port ${port}, that routes to ${svcHost} port ${port}${subsetHint(ctx, svcHost, w)}.`,
            refs));
        });
      }
    });
    return out;
  },
};

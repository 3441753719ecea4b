/**
 * Cuts a traced path into legs between proxies. Every gateway on the way is an Envoy that reports the request it
 * forwards (as `reporter="source"`) but never the request it receives, so a path outside → ingress gateway →
 * productpage is one reported leg (gateway → productpage), and sleep → egress gateway → httpbin.org is two
 * (sleep's sidecar → egress gateway, egress gateway → httpbin.org).
 */
import { inAmbientMesh, ingressUsesWaypoint, isWaypointWorkload, serviceByHost, servicesOfWorkload, waypointOf, workloadByName, type Inventory, type WorkloadView } from '@meshlens/mesh';
import type { Endpoint, TracePath, TraceProtocol, TraceSource } from '@meshlens/model';
import { UNKNOWN, spiffeOf, type DestinationInfo, type SourceInfo } from './labels.js';

/** The client end of a leg. */
export interface Party {
  workload?: WorkloadView;
  /** Has an Envoy that reports (a sidecar or a gateway proxy). */
  proxy: boolean;
  /** In the ambient mesh without a sidecar: its node's ztunnel carries (and reports, at L4) its connections. */
  ztunnel: boolean;
}

export interface Leg {
  client: Party;
  /** The workload that receives this leg's requests, when known (a gateway, or the final workload). */
  server?: WorkloadView;
  /** The server's sidecar reports inbound (`reporter="destination"`); gateways and non-mesh pods do not. */
  serverReports: boolean;
  /** Leg into a gateway (not the last one). */
  toGateway: boolean;
  /** Both ends speak Istio mTLS. */
  mtls: boolean;
  /** The server is in the ambient mesh without a sidecar: its ztunnel reports the connection (`reporter="destination"`, L4). */
  serverZtunnel: boolean;
  /** The ambient waypoint the requested Service sends through (it routes, and reports `reporter="waypoint"`). */
  waypoint?: WorkloadView;
  protocol: 'http' | 'grpc' | 'tcp';
  /** Labels of the destination as a proxy that knows the answering workload reports it. */
  destination: DestinationInfo;
  /** The same when the answering workload is not known (local replies, upstream never reached). */
  destinationUnknownWorkload: DestinationInfo;
}

export interface LegContext {
  inv: Inventory;
  cluster: string;
  /** Host header of the original request, for HTTP passthrough/blackhole series. */
  hostHeader?: string;
}

/** Istio reports `http` for HTTP/1.1 and HTTP/2, `grpc` for gRPC; TLS and TCP are TCP metrics. */
export function metricProtocol(p: TraceProtocol): 'http' | 'grpc' | 'tcp' {
  if (p === 'http' || p === 'http2') return 'http';
  if (p === 'grpc') return 'grpc';
  return 'tcp';
}

/** The client party of a trace source. */
export function partyOf(inv: Inventory, source: TraceSource): Party {
  if (source.kind === 'outside') return { proxy: false, ztunnel: false };
  const w = workloadByName(inv, source.namespace, source.name);
  const proxy = source.kind === 'gateway' || !!w?.hasSidecar || !!w?.isGatewayProxy;
  return { workload: w, proxy, ztunnel: !proxy && !!w && inAmbientMesh(inv, w) };
}

/** Splits a path at the gateways it crosses. */
export function legsOf(ctx: LegContext, source: TraceSource, path: TracePath, requestProtocol: TraceProtocol): Leg[] {
  const { inv } = ctx;
  const legs: Leg[] = [];
  let client = partyOf(inv, source);
  let legStart = 0;
  path.hops.forEach((hop, i) => {
    if (hop.to.kind !== 'gateway') return;
    const gw = workloadByName(inv, hop.to.namespace, hop.to.workload);
    if (gw && client.workload === gw) return; // the source itself is this gateway
    // a waypoint on the path is not a leg boundary: the last leg reports through it (`waypointFor`, report.ts)
    if (gw && isWaypointWorkload(inv, gw)) return;
    const prev = path.hops[i - 1]?.to;
    const host = prev?.kind === 'service' ? prev.host : gw ? servicesOfWorkload(inv, gw)[0]?.hostname : undefined;
    const mtls = client.proxy;
    const dest = serviceDestination(ctx, host, gw, mtls);
    legs.push({
      client, server: gw, serverReports: false, toGateway: true, mtls, serverZtunnel: false,
      protocol: metricProtocol(path.hops[Math.max(legStart, i)]?.protocol ?? requestProtocol),
      destination: dest, destinationUnknownWorkload: { ...dest, workload: undefined, principal: UNKNOWN },
    });
    client = { workload: gw, proxy: true, ztunnel: false };
    legStart = i + 1;
  });
  legs.push(finalLeg(ctx, client, path, path.hops[path.hops.length - 1]?.protocol ?? requestProtocol));
  return legs;
}

function finalLeg(ctx: LegContext, client: Party, path: TracePath, protocol: TraceProtocol): Leg {
  const { inv } = ctx;
  const end = path.destination;
  const proto = metricProtocol(protocol);
  const base = { client, toGateway: false, protocol: proto };
  if (end.kind === 'workload') {
    const w = workloadByName(inv, end.namespace, end.name);
    const reports = !!w && w.hasSidecar && !w.isGatewayProxy;
    const ambientServer = !!w && !reports && !w.isGatewayProxy && inAmbientMesh(inv, w);
    // ztunnel and sidecars reach an ambient pod over HBONE: always mutual TLS.
    const mtls = ((client.proxy && reports && tlsIsIstio(ctx, path)) || ((client.proxy || client.ztunnel) && ambientServer)) || (client.ztunnel && reports);
    const host = path.destinationServiceHost ?? serviceHostOnPath(path) ?? (w ? servicesOfWorkload(inv, w)[0]?.hostname : undefined);
    const dest = serviceDestination(ctx, host, w, mtls, path);
    // Without a sidecar (or ztunnel) on the server there is no peer metadata exchange: the client cannot name the workload.
    const known = reports || ambientServer || (w?.isGatewayProxy ?? false) ? dest : { ...dest, workload: undefined, principal: UNKNOWN };
    const waypoint = waypointFor(ctx, client, host);
    return {
      ...base, server: w, serverReports: reports, mtls, serverZtunnel: ambientServer, ...(waypoint ? { waypoint } : {}),
      destination: known, destinationUnknownWorkload: { ...dest, workload: undefined, principal: UNKNOWN },
    };
  }
  const dest = endpointDestination(ctx, end, path, proto);
  return { ...base, serverReports: false, mtls: false, serverZtunnel: false, destination: dest, destinationUnknownWorkload: dest };
}

/**
 * The waypoint a client's requests to `host` go through: the Service's (`istio.io/use-waypoint` on it or its
 * namespace), for clients in the mesh (ztunnel-captured pods, sidecars); gateways only send to it when the
 * Service says `istio.io/ingress-use-waypoint=true`.
 */
function waypointFor(ctx: LegContext, client: Party, host: string | undefined): WorkloadView | undefined {
  if (!host || (!client.proxy && !client.ztunnel)) return undefined;
  const svc = serviceByHost(ctx.inv, host);
  if (!svc) return undefined;
  const labels = svc.obj.object.metadata.labels ?? {};
  if (client.workload?.isGatewayProxy && !ingressUsesWaypoint(ctx.inv, { namespace: svc.namespace, labels })) return undefined;
  const key = waypointOf(ctx.inv, { namespace: svc.namespace, labels });
  if (!key) return undefined;
  const [ns, name] = key.split('/') as [string, string];
  // Istio deploys a waypoint as a Deployment named after its Gateway.
  const w = workloadByName(ctx.inv, ns, name);
  return w && w !== client.workload ? w : undefined;
}

/** Auto mTLS unless the DestinationRule sets a non-Istio TLS mode (or auto mTLS is off and nothing asks for it). */
function tlsIsIstio(ctx: LegContext, path: TracePath): boolean {
  const mode = path.tls?.mode;
  if (mode === undefined) return ctx.inv.meshConfig.enableAutoMtls;
  return mode === 'ISTIO_MUTUAL';
}

function serviceHostOnPath(path: TracePath): string | undefined {
  for (let i = path.hops.length - 1; i >= 0; i--) {
    const to = path.hops[i]!.to;
    if (to.kind === 'service' || to.kind === 'serviceEntry') return to.host;
  }
  return undefined;
}

/** Destination labels for a Kubernetes service (or ServiceEntry) host and, maybe, the workload behind it. */
function serviceDestination(ctx: LegContext, host: string | undefined, w: WorkloadView | undefined, mtls: boolean, path?: TracePath): DestinationInfo {
  const svc = host ? serviceByHost(ctx.inv, host) : undefined;
  const se = path?.hops.map((h) => h.to).find((e): e is Extract<Endpoint, { kind: 'serviceEntry' }> => e.kind === 'serviceEntry');
  const serviceNamespace = svc?.namespace ?? se?.namespace ?? w?.namespace ?? UNKNOWN;
  return {
    workload: w,
    principal: mtls && w ? spiffeOf(w, ctx.inv.meshConfig.trustDomain) : UNKNOWN,
    service: svc?.hostname ?? host ?? UNKNOWN,
    serviceName: svc?.name ?? se?.host ?? host ?? UNKNOWN,
    serviceNamespace,
    cluster: serviceNamespace === UNKNOWN ? UNKNOWN : ctx.cluster,
  };
}

/** Destination labels for requests that never reach a known workload (istio.md §4.3). */
function endpointDestination(ctx: LegContext, end: Endpoint, path: TracePath, proto: 'http' | 'grpc' | 'tcp'): DestinationInfo {
  const unknown: DestinationInfo = { principal: UNKNOWN, service: UNKNOWN, serviceName: UNKNOWN, serviceNamespace: UNKNOWN, cluster: UNKNOWN };
  if (path.outcome.kind === 'no-route') return unknown;
  // A ServiceEntry on the way names the destination even when its endpoint is an outside address.
  const se = [...path.hops].reverse().map((h) => h.to).find((e): e is Extract<Endpoint, { kind: 'serviceEntry' }> => e.kind === 'serviceEntry');
  if (se && (end.kind === 'external' || end.kind === 'serviceEntry')) {
    return { principal: UNKNOWN, service: path.destinationServiceHost ?? se.host, serviceName: se.host, serviceNamespace: se.namespace, cluster: ctx.cluster };
  }
  switch (end.kind) {
    case 'service':
      return { principal: UNKNOWN, service: end.host, serviceName: end.name, serviceNamespace: end.namespace, cluster: ctx.cluster };
    case 'passthrough':
    case 'blackhole':
    case 'external': {
      // HTTP listeners know the Host header; TCP proxies only know the original destination address, which Istio does not report.
      const service = proto === 'tcp' ? UNKNOWN : ctx.hostHeader ?? (end.host ?? (end.ip ? `${end.ip}:${end.port}` : UNKNOWN));
      return { ...unknown, service, serviceName: end.kind === 'blackhole' ? 'BlackHoleCluster' : 'PassthroughCluster' };
    }
    default:
      return unknown;
  }
}

/**
 * The client labels of a leg's reports. A server's sidecar learns who called only from the client's proxy (peer
 * metadata over mTLS/ALPN or headers): requests from clients without one arrive as `unknown`.
 */
export function sourceInfo(ctx: LegContext, leg: Leg, reporter: 'source' | 'destination' | 'waypoint'): SourceInfo {
  const w = reporter !== 'source' && !leg.client.proxy && !leg.client.ztunnel ? undefined : leg.client.workload;
  return {
    workload: w,
    principal: leg.mtls && w ? spiffeOf(w, ctx.inv.meshConfig.trustDomain) : UNKNOWN,
    cluster: w ? ctx.cluster : UNKNOWN,
  };
}

/**
 * How istiod merges the servers of every Gateway selecting one gateway workload (pilot `MergeGateways`, reference §3.9):
 * Gateways are taken oldest first, and on one port a later server that cannot share the listener is rejected.
 */
import type { InventoryObject } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { labelsMatch, servicesOfWorkload } from '../inventory/query.js';
import { shortName } from './refs.js';

/** One `spec.servers[i]` of a Gateway, with the fields the merge looks at. */
export interface GatewayServer {
  gateway: InventoryObject;
  index: number;
  number: number;
  /** `port.protocol`, upper-cased. */
  protocol: string;
  /** `tls.mode`, PASSTHROUGH when `tls` has none; undefined without `tls`. */
  tlsMode?: string;
  bind?: string;
  /** `hosts` as written. */
  hosts: string[];
  /** `port 31400 TCP, hosts *` */
  describe: string;
}

/** A server istiod drops, the server it lost to, and why. */
export interface RejectedServer {
  server: GatewayServer;
  by: GatewayServer;
  reason: string;
}

/** The servers on the port a request arrives at: those istiod keeps (in merge order) and those it rejects. */
export interface MergedPort {
  accepted: GatewayServer[];
  rejected: RejectedServer[];
}

/** Milliseconds of `metadata.creationTimestamp`; a missing one is Go's zero time, which sorts before every real one. */
function createdAt(obj: InventoryObject): number {
  const ts: unknown = (obj.object.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  const ms = ts instanceof Date ? ts.getTime() : typeof ts === 'string' ? Date.parse(ts) : NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function timestampOf(obj: InventoryObject): string | undefined {
  const ts: unknown = (obj.object.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
  return ts instanceof Date ? ts.toISOString() : typeof ts === 'string' ? ts : undefined;
}

/**
 * Config objects in the order istiod processes them. pilot `PushContext.initGateways` calls `sortConfigByCreationTime`
 * (pkg/config/model.go): creationTimestamp ascending (`time.Time.Compare`, so an object without one, the zero time,
 * comes first), then name, then namespace on equal times. File order plays no part.
 */
export function sortByCreationTime(objects: readonly InventoryObject[]): InventoryObject[] {
  return [...objects].sort((a, b) => {
    const ta = createdAt(a);
    const tb = createdAt(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    const byName = cmp(a.ref.name, b.ref.name);
    return byName !== 0 ? byName : cmp(a.ref.namespace ?? 'default', b.ref.namespace ?? 'default');
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ports a request to `port` may hit on the gateway: Gateway `port.number` may name the Service port or the target port (IST0162 logic). */
export function acceptedPorts(inv: Inventory, gw: WorkloadView, port: number): Set<number> {
  const ports = new Set([port]);
  for (const svc of servicesOfWorkload(inv, gw)) {
    for (const p of svc.ports) {
      if (p.port === port && typeof p.targetPort === 'number') ports.add(p.targetPort);
      if (p.targetPort === port) ports.add(p.port);
    }
  }
  return ports;
}

/** Istio's `protocol.IsHTTP()`: the protocols an HTTP connection manager serves in plain text. */
function isHttpProtocol(p: string): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-WEB' || p === 'HTTP_PROXY';
}

/** pilot `gateway.IsTLSServer`: has `tls` and is not an HTTP protocol (HTTPS, TLS, also TCP with tls). */
function isTlsServer(s: GatewayServer): boolean {
  return s.tlsMode !== undefined && !isHttpProtocol(s.protocol);
}

/** pilot `canMergeProtocols(new, current)`: only onto an HTTP server, and only HTTP (or the same protocol). */
function canMerge(next: string, current: string): boolean {
  return (isHttpProtocol(next) || next === current) && isHttpProtocol(current);
}

/** Why `first` went before `later`, for explanations. */
function precedence(first: GatewayServer, later: GatewayServer): string {
  if (first.gateway === later.gateway) return 'earlier in the same Gateway';
  const tf = timestampOf(first.gateway);
  const tl = timestampOf(later.gateway);
  const name = shortName(later.gateway);
  if (createdAt(first.gateway) === createdAt(later.gateway)) {
    return `${tf ? `created at the same time (${tf}) as` : 'like'} ${name}${tf ? '' : ' without a creationTimestamp'}, so istiod orders them by name, then namespace`;
  }
  if (!tf) return `it has no creationTimestamp, so istiod takes it before ${name} (created ${tl})`;
  return `created ${tf}, before ${name} (created ${tl ?? '?'}), and istiod merges Gateways oldest first`;
}

function label(s: GatewayServer): string {
  return `server spec.servers[${s.index}] of Gateway ${shortName(s.gateway)} (${s.describe})`;
}

function serversOf(gateway: InventoryObject): GatewayServer[] {
  const servers: unknown = gateway.object.spec?.servers;
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((raw: unknown, index: number) => {
    const s = raw as { port?: { number?: unknown; protocol?: unknown }; hosts?: unknown; tls?: { mode?: unknown }; bind?: unknown } | undefined;
    if (typeof s?.port?.number !== 'number') return [];
    const protocol = String(s.port.protocol ?? '').toUpperCase();
    const tlsMode = s.tls && typeof s.tls === 'object' ? (typeof s.tls.mode === 'string' ? s.tls.mode : 'PASSTHROUGH') : undefined;
    const hosts = (Array.isArray(s.hosts) ? s.hosts : []).filter((h): h is string => typeof h === 'string');
    const shownMode = (protocol === 'HTTPS' || protocol === 'TLS') ? ` ${tlsMode ?? 'PASSTHROUGH'}` : '';
    return [{
      gateway, index, number: s.port.number, protocol, ...(tlsMode ? { tlsMode } : {}), ...(typeof s.bind === 'string' ? { bind: s.bind } : {}),
      hosts, describe: `port ${s.port.number} ${protocol}${shownMode}, hosts ${hosts.join(', ')}`,
    }];
  });
}

/** pilot `sanitizeServerHostNamespace`: `./h` → `<ns>/h`, `*\/h` → `h`; TLS hosts are compared as these strings. */
function sanitizedHost(h: string, namespace: string): string {
  const slash = h.indexOf('/');
  if (slash < 0) return h;
  const ns = h.slice(0, slash);
  return ns === '.' ? `${namespace}/${h.slice(slash + 1)}` : ns === '*' ? h.slice(slash + 1) : h;
}

/**
 * The servers of every Gateway selecting `gw` (selectors match in all namespaces) on the port `port` lands on, merged
 * as pilot `MergeGateways` does: Gateways oldest first; a TLS server whose host another TLS server on that port already
 * has is dropped (duplicate SNI filter chain); onto a plain-text first server only HTTP merges with HTTP, every other
 * server with the same bind is dropped ("conflict with existing server"); onto a TLS first server only servers with
 * `tls` are added. Different `bind`s are separate listeners and never conflict.
 */
export function mergeGatewayServers(inv: Inventory, gw: WorkloadView, port: number): MergedPort {
  const ports = acceptedPorts(inv, gw, port);
  const selecting = inv.istio.Gateway.filter((g) => {
    const selector: unknown = g.object.spec?.selector;
    return !(selector && typeof selector === 'object' && !labelsMatch(selector as Record<string, string>, gw.labels));
  });
  const accepted: GatewayServer[] = [];
  const rejected: RejectedServer[] = [];
  let first: GatewayServer | undefined;
  let plain: GatewayServer | undefined;
  const tlsHosts = new Map<string, { bind: string | undefined; owner: GatewayServer }>();
  for (const gateway of sortByCreationTime(selecting)) {
    const gwNs = gateway.ref.namespace ?? 'default';
    for (const s of serversOf(gateway)) {
      if (!ports.has(s.number)) continue;
      if (s.tlsMode !== undefined) {
        const hosts = s.hosts.map((h) => sanitizedHost(h, gwNs));
        const dup = hosts.find((h) => tlsHosts.has(h) && tlsHosts.get(h)!.bind === s.bind);
        if (dup !== undefined) {
          const owner = tlsHosts.get(dup)!.owner;
          rejected.push({ server: s, by: owner, reason: `host ${dup} is already served with TLS on port ${s.number} by ${label(owner)}, ${precedence(owner, s)}; two SNI filter chains for one host are not allowed` });
          continue;
        }
        for (const h of hosts) tlsHosts.set(h, { bind: s.bind, owner: s });
      }
      if (!first) {
        first = s;
        if (!isTlsServer(s)) plain = s;
        accepted.push(s);
      } else if (plain) {
        if (plain.bind === s.bind && !(canMerge(s.protocol, plain.protocol))) {
          rejected.push({ server: s, by: plain, reason: `port ${s.number} is already held by the plain-text ${label(plain)}, ${precedence(plain, s)}; a later server joins a plain-text port only when both are HTTP, so this ${s.protocol} server conflicts (IST0145) and is dropped` });
          continue;
        }
        accepted.push(s);
      } else if (s.tlsMode === undefined && first.bind === s.bind) {
        rejected.push({ server: s, by: first, reason: `port ${s.number} already carries TLS servers (the first is ${label(first)}, ${precedence(first, s)}), and a server without tls settings cannot be told apart by SNI, so it is dropped` });
      } else {
        accepted.push(s);
      }
    }
  }
  return { accepted, rejected };
}

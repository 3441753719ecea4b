/** Protocol selection (reference §3.17): which rule list (`http`, `tls`, `tcp`) a port's traffic is routed by. */
import type { TraceProtocol } from '@meshlens/model';

/** Istio protocols, lower-cased; `unknown` means Istio sniffs the traffic (HTTP if it looks like HTTP, else TCP). */
export type PortProtocol = 'http' | 'http2' | 'grpc' | 'grpc-web' | 'https' | 'tls' | 'tcp' | 'mongo' | 'mysql' | 'redis' | 'udp' | 'unknown';

/** Which list of VirtualService rules applies. */
export type RouteClass = 'http' | 'tls' | 'tcp';

const KNOWN: ReadonlySet<string> = new Set(['http', 'http2', 'grpc', 'grpc-web', 'https', 'tls', 'tcp', 'mongo', 'mysql', 'redis', 'udp']);
/** `ConvertProtocol`: ports that are TCP even without a name (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

/**
 * The Istio protocol of a port, as `pkg/config/kube/conversion.go ConvertProtocol` decides it: a Kubernetes
 * `protocol: UDP` is UDP; `appProtocol` wins over the name; else the name's part before the first `-`
 * (`grpc-web` checked first); a ServiceEntry port gives `protocol` directly. Unknown ⇒ `unknown` (sniffed).
 */
export function protocolOfPort(port: { number?: number; name?: string; protocol?: string; appProtocol?: string }, kind: 'Service' | 'ServiceEntry' = 'Service'): PortProtocol {
  if (kind === 'ServiceEntry') {
    const p = (port.protocol ?? '').toLowerCase();
    return KNOWN.has(p) ? (p as PortProtocol) : 'unknown';
  }
  if ((port.protocol ?? '').toUpperCase() === 'UDP') return 'udp';
  const app = (port.appProtocol ?? '').toLowerCase();
  if (app === 'kubernetes.io/h2c') return 'http2';
  if (app === 'kubernetes.io/ws') return 'http';
  if (app === 'kubernetes.io/wss') return 'https';
  if (KNOWN.has(app)) return app as PortProtocol;
  const name = (port.name ?? '').toLowerCase();
  if (name.startsWith('grpc-web')) return 'grpc-web';
  const prefix = name.split('-')[0] ?? '';
  if (KNOWN.has(prefix)) return prefix as PortProtocol;
  if (port.number !== undefined && WELL_KNOWN_TCP_PORTS.has(port.number)) return 'tcp';
  return 'unknown';
}

/** True for the protocols a client speaks as HTTP (the `http` rules see them). */
export function isHttpFamily(p: TraceProtocol | PortProtocol): boolean {
  return p === 'http' || p === 'http2' || p === 'grpc' || p === 'grpc-web';
}

/**
 * The rule list for traffic of `request` protocol on a port of protocol `port`: HTTP family ⇒ `http`; HTTPS/TLS
 * ⇒ `tls` (routed by SNI, not terminated); any other declared protocol ⇒ `tcp`; an undeclared port is sniffed,
 * so HTTP requests get `http` rules and everything else is opaque TCP.
 */
export function routeClassOf(port: PortProtocol, request: TraceProtocol): RouteClass {
  if (isHttpFamily(port)) return 'http';
  if (port === 'https' || port === 'tls') return 'tls';
  if (port === 'unknown') return isHttpFamily(request) ? 'http' : 'tcp';
  return 'tcp';
}

/** The protocol a hop carries once the proxy has classified the traffic. */
export function hopProtocolOf(cls: RouteClass, port: PortProtocol, request: TraceProtocol): TraceProtocol {
  if (cls === 'http') {
    if (port === 'http2' || port === 'grpc') return port;
    return isHttpFamily(request) ? request : 'http';
  }
  if (cls === 'tls') return request === 'https' ? 'https' : 'tls';
  return 'tcp';
}

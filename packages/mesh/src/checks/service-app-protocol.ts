/**
 * KIA0602 (IST0118): a Service port's `appProtocol` must name a protocol Istio knows. Istio's `ConvertProtocol`
 * (pkg/config/kube/conversion.go) reads `appProtocol` instead of the port name whenever it is set — the name is then
 * ignored — accepting Kubernetes' `kubernetes.io/h2c`, `kubernetes.io/ws`, `kubernetes.io/wss`, a `grpc-web` prefix,
 * and otherwise the part before the first `-` through `protocol.Parse` (case-insensitive: http, http2, https, grpc,
 * grpc-web, http_proxy, tcp, tls, mongo, mysql, redis, udp). Anything else is "unsupported": the port falls back to
 * protocol sniffing, except on the well-known ports 25, 53, 3306 and 27017, which become TCP. UDP ports
 * (`protocol: UDP`) are UDP whatever appProtocol says.
 *
 * Kiali requires the value to be exactly one of its protocol names; Meshlens follows Istio (`http-v2` is HTTP, the
 * well-known ports are not flagged). Installer-managed Services are skipped as for KIA0601.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding } from './finding.js';
import { arr, rec } from './lookup.js';

const PARSED = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
const KUBERNETES = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Ports Istio takes for TCP whatever their name says (server-first protocols: SMTP, DNS, MySQL, MongoDB). */
export const WELL_KNOWN_PORTS: ReadonlySet<unknown> = new Set([25, 53, 3306, 27017]);

/** The protocol Istio reads from an appProtocol value, or undefined when it is unsupported. */
export function appProtocolOf(value: string): string | undefined {
  if (KUBERNETES.has(value)) return value;
  if (value.toLowerCase().startsWith('grpc-web')) return 'grpc-web';
  const prefix = value.split('-')[0]!.toLowerCase();
  return PARSED.has(prefix) ? prefix : undefined;
}

export const serviceAppProtocol: Check = {
  name: 'service-app-protocol',
  kinds: ['Service'],
  run(_ctx, svc) {
    const labels = svc.object.metadata.labels ?? {};
    if (labels.istio !== undefined || labels.release === 'istio' || labels['gateway.istio.io/managed'] !== undefined) return [];
    const out: Finding[] = [];
    arr(rec(svc.object.spec).ports).forEach((p, i) => {
      const port = rec(p);
      const app = port.appProtocol;
      if (typeof app !== 'string' || String(port.protocol ?? 'TCP').toUpperCase() === 'UDP') return;
      if (appProtocolOf(app) !== undefined || WELL_KNOWN_PORTS.has(port.port)) return;
      const lower = app.toLowerCase();
      const hint = lower.startsWith('kubernetes.io/') ? ' (Istio knows kubernetes.io/h2c, kubernetes.io/ws and kubernetes.io/wss, written in lower case)'
        : lower === 'h2c' ? ' (write kubernetes.io/h2c, or http2)'
        : lower === 'grpc+tls' || lower === 'grpcs' ? ' (gRPC over TLS is tls or https to Istio)' : '';
      out.push(makeFinding(svc, 'KIA0602', `spec.ports[${i}].appProtocol`,
        `Port ${port.port}${port.name ? ` (${port.name})` : ''} declares appProtocol "${app}", which Istio does not recognise${hint}. Istio reads appProtocol instead of the port name when it is set, so ${port.name ? `the name "${port.name}" is ignored and ` : ''}the port falls back to protocol sniffing: HTTP routing, retries and per-request metrics may not apply, and server-first protocols break.`,
        `Set appProtocol to one of http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis (or kubernetes.io/h2c, kubernetes.io/ws, kubernetes.io/wss), or remove it and name the port <protocol>[-suffix].`));
    });
    return out;
  },
};

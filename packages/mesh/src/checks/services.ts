/**
 * Services: port names must follow `<protocol>[-suffix]` (KIA0601/IST0118), ExternalName port names must resolve
 * a protocol other than plain tcp (IST0150), and some selected workload must expose the port the Service targets (KIA0701).
 * Services of Kubernetes' own namespaces (kube-system's kube-dns names its ports `dns`) are outside the mesh by
 * design and not judged: istioctl's PortNameAnalyzer skips them, and Kiali excludes ^kube-.* by default.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { arr, rec, workloadsSelected } from './lookup.js';
import { isSystemNamespace } from '../inventory/system-namespaces.js';
import { WELL_KNOWN_PORTS } from './service-app-protocol.js';

const PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp']);

/** The protocol a port name or appProtocol declares, if Istio recognises it. */
export function declaredProtocol(name: unknown, appProtocol: unknown): string | undefined {
  if (typeof appProtocol === 'string' && appProtocol) {
    const a = appProtocol.toLowerCase().replace(/^kubernetes\.io\//, '');
    if (PROTOCOLS.has(a) || a === 'h2c' || a === 'ws' || a === 'wss') return a;
  }
  if (typeof name !== 'string' || name === '') return undefined;
  const n = name.toLowerCase();
  if (n.startsWith('grpc-web')) return 'grpc-web';
  const prefix = n.split('-')[0]!;
  return PROTOCOLS.has(prefix) ? prefix : undefined;
}

export const serviceChecks: Check = {
  name: 'services',
  kinds: ['Service'],
  run(ctx, svc) {
    if (isSystemNamespace(svc.ref.namespace)) return [];
    const out: Finding[] = [];
    const spec = rec(svc.object.spec);
    const labels = svc.object.metadata.labels ?? {};
    const ports = arr(spec.ports);
    if (spec.type === 'ExternalName') {
      const i = ports.findIndex((p) => { const proto = declaredProtocol(rec(p).name, rec(p).appProtocol); return proto === undefined || proto === 'tcp'; });
      if (i >= 0) out.push(makeFinding(svc, 'MLS0504', `spec.ports[${i}].name`,
        `Port ${rec(ports[i]).number ?? rec(ports[i]).port} of this ExternalName Service is named "${rec(ports[i]).name ?? ''}", which gives no protocol (or plain tcp): the proxy may not forward its traffic to ${spec.externalName}.`,
        `Name the port after its protocol (http-…, https-…, tls-…) or set appProtocol.`));
      return out;
    }
    const skipNaming = labels.istio !== undefined || labels.release === 'istio' || labels['gateway.istio.io/managed'] !== undefined;
    if (!skipNaming) {
      ports.forEach((p, i) => {
        const port = rec(p);
        // As Istio's ConvertProtocol: a UDP port is UDP, an appProtocol replaces the name (KIA0602 judges it), and
        // the well-known ports are TCP whatever they are called.
        if (String(port.protocol ?? 'TCP').toUpperCase() === 'UDP' || (typeof port.appProtocol === 'string' && port.appProtocol !== '') || WELL_KNOWN_PORTS.has(port.port)) return;
        if (declaredProtocol(port.name, undefined) !== undefined) return;
        out.push(makeFinding(svc, 'KIA0601', port.name === undefined ? `spec.ports[${i}]` : `spec.ports[${i}].name`,
          `Port ${port.port}${port.name ? ` is named "${port.name}", which` : ' has no name and'} does not declare a protocol (<protocol>[-suffix] or appProtocol): Istio guesses it by sniffing, and HTTP features (routing by path, retries, metrics per response code) may not apply.`,
          `Rename the port to http-…, grpc-…, tcp-… (whatever it serves), or set appProtocol.`));
      });
    }
    // KIA0701: a selected workload must expose the targeted port, when the workloads declare ports at all.
    const selector = rec(spec.selector) as Record<string, string>;
    if (Object.keys(selector).length > 0 && !skipNaming) {
      const workloads = workloadsSelected(ctx, selector, nsOf(svc));
      const containers = workloads.flatMap((w) => w.containers);
      const declared = containers.flatMap((c) => c.ports);
      if (workloads.length > 0 && declared.length > 0) {
        ports.forEach((p, i) => {
          const port = rec(p);
          const target = port.targetPort ?? port.port;
          const ok = declared.some((d) => (typeof target === 'number' ? d.containerPort === target : d.name === target));
          if (ok) return;
          out.push(makeFinding(svc, 'KIA0701', `spec.ports[${i}]${port.targetPort !== undefined ? '.targetPort' : ''}`,
            `Port ${port.port} targets ${target}, but no container of the selected workloads (${workloads.map((w) => w.name).join(', ')}) declares that port (they declare ${[...new Set(declared.map((d) => d.containerPort))].join(', ')}).`,
            `Set targetPort to the port the container listens on, or add containerPort ${target} to the workload.`,
            workloads.flatMap((w) => (w.obj ? [{ obj: w.obj, path: 'spec.template.spec.containers', note: 'selected workload' }] : []))));
        });
      }
    }
    return out;
  },
};

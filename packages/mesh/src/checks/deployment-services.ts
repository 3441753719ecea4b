/**
 * A Deployment behind several Services: one port number with different protocols (IST0116), or one targetPort
 * mapped from different ports (IST0137). Istio then builds conflicting listeners for the same pods.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf, someNames } from './finding.js';
import { rec, servicesSelecting } from './lookup.js';

export const deploymentServices: Check = {
  name: 'deployment-services',
  kinds: ['Deployment'],
  run(ctx, dep) {
    const ns = nsOf(dep);
    const labels = (rec(rec(rec(dep.object.spec).template).metadata).labels ?? {}) as Record<string, string>;
    ctx.read(`SVC:${ns}`);
    ctx.read(`NS:${ns}`);
    // Only Deployments in the mesh get listeners built from their Services.
    const inject = rec(rec(rec(dep.object.spec).template).metadata).annotations?.['sidecar.istio.io/inject'];
    if (inject === 'false' || !(ctx.inv.namespaces.get(ns)?.injection || inject === 'true')) return [];
    const services = servicesSelecting(ctx, labels, ns);
    if (services.length < 2) return [];
    const out: Finding[] = [];
    const byPort = new Map<number, Map<string, string[]>>();
    const byTarget = new Map<string, Map<number, string[]>>();
    for (const s of services) {
      for (const p of s.ports) {
        const proto = (p.protocol ?? 'TCP').toUpperCase();
        const m = byPort.get(p.port) ?? new Map<string, string[]>();
        m.set(proto, [...(m.get(proto) ?? []), s.name]);
        byPort.set(p.port, m);
        const target = String(p.targetPort ?? p.port);
        const t = byTarget.get(target) ?? new Map<number, string[]>();
        t.set(p.port, [...(t.get(p.port) ?? []), s.name]);
        byTarget.set(target, t);
      }
    }
    const refs = services.map((s) => ({ obj: s.obj, path: 'spec.ports', note: 'selects this Deployment' }));
    for (const [port, protos] of byPort) {
      if (protos.size < 2) continue;
      out.push(makeFinding(dep, 'MLS0511', 'spec.template.metadata.labels', `Services ${someNames(services.map((s) => s.name))} select this Deployment and use port ${port} with different protocols (${[...protos.keys()].join(', ')}): the sidecar can build only one listener per port.`,
        `Use the same protocol for port ${port} in every Service of this Deployment, or different port numbers.`, refs));
    }
    for (const [target, ports] of byTarget) {
      if (ports.size < 2) continue;
      out.push(makeFinding(dep, 'MLS0512', 'spec.template.metadata.labels', `Services ${someNames(services.map((s) => s.name))} map targetPort ${target} of this Deployment from different ports (${[...ports.keys()].join(', ')}): inbound traffic on that port gets conflicting configuration.`,
        `Map targetPort ${target} from the same port in every Service, or give the container distinct ports.`, refs));
    }
    return out;
  },
};

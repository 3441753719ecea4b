/**
 * Sidecar injection: namespace without injection label (IST0102, or IST0148 when the injector injects by default),
 * several injection labels (IST0123), a pod without sidecar in an injected namespace (IST0103).
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { arr, rec } from './lookup.js';
import { meshExtras } from './mesh-config.js';
import { isSystemNamespace } from '../inventory/system-namespaces.js';

const INJECTION_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

export const namespaceInjection: Check = {
  name: 'namespace-injection',
  kinds: ['Namespace'],
  run(ctx, ns) {
    const name = ns.ref.name;
    // Istio never injects Kubernetes' own namespaces: no label to ask for there (istioctl skips them too).
    if (name === ctx.inv.meshConfig.rootNamespace || name === 'istio-system' || isSystemNamespace(name)) return [];
    const labels = ns.object.metadata.labels ?? {};
    const present = INJECTION_LABELS.filter((l) => labels[l] !== undefined);
    // istio-injection=disabled opts out; it does not compete with the other labels.
    const competing = present.filter((l) => !(l === 'istio-injection' && labels[l] === 'disabled'));
    if (competing.length > 1) {
      return [makeFinding(ns, 'MLS0503', 'metadata.labels', `The namespace carries several injection labels (${competing.map((l) => `${l}=${labels[l]}`).join(', ')}); which one wins depends on the installation, so injection is unpredictable.`,
        `Keep exactly one of ${competing.join(', ')} (e.g. kubectl label namespace ${name} ${competing.slice(1).map((l) => `${l}-`).join(' ')}).`)];
    }
    if (present.length >= 1) return [];
    ctx.read('MESH');
    if (meshExtras(ctx.inv).injectByDefault) {
      return [makeFinding(ns, 'MLS0509', 'metadata', `Namespace ${name} has no injection label, and the injector is installed with enableNamespacesByDefault: its pods get sidecars.`,
        `Label it explicitly: kubectl label namespace ${name} istio-injection=enabled (or =disabled to opt out).`)];
    }
    return [makeFinding(ns, 'MLS0501', 'metadata', `Namespace ${name} is not enabled for sidecar injection: its pods run without proxies, outside the mesh's routing, mTLS and telemetry.`,
      `kubectl label namespace ${name} istio-injection=enabled, or istio-injection=disabled to mark it as intentionally outside the mesh.`)];
  },
};

export const podInjection: Check = {
  name: 'pod-injection',
  kinds: ['Pod'],
  run(ctx, pod) {
    const ns = nsOf(pod);
    if (isSystemNamespace(ns)) return []; // the injector skips these namespaces whatever their labels say
    ctx.read(`NS:${ns}`);
    const nsObj = ctx.inv.namespaces.get(ns);
    if (nsObj?.labels['istio-injection'] !== 'enabled') return [];
    const spec = rec(pod.object.spec);
    if (spec.hostNetwork === true) return [];
    // the label wins over the annotation, as in the injector
    const optOut = pod.object.metadata.labels?.['sidecar.istio.io/inject'] ?? pod.object.metadata.annotations?.['sidecar.istio.io/inject'];
    if (optOut === 'false') return [];
    const containers = [...arr(spec.containers), ...arr(spec.initContainers)];
    if (containers.some((c) => rec(c).name === 'istio-proxy')) return [];
    const out: Finding[] = [makeFinding(pod, 'MLS0502', 'spec.containers', `Pod ${pod.ref.name} has no istio-proxy container although namespace ${ns} is labelled istio-injection=enabled: it was probably created before the label (or while the injector was down), so its traffic bypasses the mesh.`,
      `Restart its workload (kubectl rollout restart …) so the injector adds the sidecar, or annotate it sidecar.istio.io/inject: "false" if it must stay outside.`,
      nsObj.obj ? [{ obj: nsObj.obj, path: 'metadata.labels', note: 'injection enabled here' }] : [])];
    return out;
  },
};

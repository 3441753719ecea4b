/**
 * MLS1005: a hand-made Service or Deployment named like an installed Istio gateway (istio-ingressgateway,
 * istio-egressgateway) without the installer's labels: it replaces or shadows the installed one (different ports,
 * labels, image settings), so Gateways and Services selecting `istio: …gateway` reach something else than expected.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { rec } from './lookup.js';

const INSTALLER_LABELS = ['operator.istio.io/component', 'install.operator.istio.io/owning-resource', 'istio.io/rev', 'release', 'app.kubernetes.io/managed-by', 'helm.sh/chart'];

export const gatewayShadow: Check = {
  name: 'gateway-shadow',
  kinds: ['Service', 'Deployment'],
  run(ctx, obj) {
    const name = obj.ref.name;
    if (!/^istio-(ingress|egress)gateway$/.test(name)) return [];
    const labels = obj.object.metadata.labels ?? {};
    if (INSTALLER_LABELS.some((l) => labels[l] !== undefined)) return [];
    ctx.read('K:' + obj.ref.kind);
    const dup = ctx.inv.errors.find((e) => e.object === `${obj.ref.kind} ${nsOf(obj)}/${name}` && /duplicate object/.test(e.message));
    const where = dup ? /not the cop(?:y|ies) at (\S+?:(?:\d+|\?))/.exec(dup.message)?.[1] : undefined;
    const spec = rec(obj.object.spec);
    const detail = obj.ref.kind === 'Service'
      ? `its ports (${(Array.isArray(spec.ports) ? spec.ports : []).map((p: unknown) => `${rec(p).port}→${rec(p).targetPort ?? rec(p).port}`).join(', ')}) and selector replace the installer's`
      : `its pod template (labels ${Object.entries(rec(rec(rec(spec.template).metadata).labels)).map(([k, v]) => `${k}=${v}`).join(', ')}) replaces the installer's, and proxy settings the installer sets (service account, ports 8080/8443, readiness) are missing`;
    const out: Finding[] = [makeFinding(obj, 'MLS1005', 'metadata.name',
      `This ${obj.ref.kind} is named like Istio's installed gateway ${nsOf(obj)}/${name} but carries none of the installer's labels (${INSTALLER_LABELS.slice(0, 3).join(', ')}…): it is hand-written and ${where ? `overrides the installed definition at ${where}` : 'shadows the installed gateway'}; ${detail}.`,
      `Delete this hand-written ${obj.ref.kind} and use the installed ${name} (istioctl install with the egress/ingress gateway enabled); configure it through Gateway/VirtualService/DestinationRule objects instead.`)];
    return out;
  },
};

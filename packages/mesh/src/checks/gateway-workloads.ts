/**
 * Gateway ↔ workload: the selector must pick a gateway pod (KIA0302/IST0101), each server port must be offered by a
 * Service of that pod (IST0162), and each credentialName Secret must exist in the gateway pod's namespace (IST0101).
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, someNames } from './finding.js';
import { arr, podsSelected, rec } from './lookup.js';
import { labelsMatch } from '../inventory/query.js';
import { formatLabels } from '../routing/refs.js';

export const gatewayWorkloads: Check = {
  name: 'gateway-workloads',
  kinds: ['Gateway'],
  run(ctx, gw) {
    const spec = rec(gw.object.spec);
    const selector = rec(spec.selector) as Record<string, string>;
    const out: Finding[] = [];
    if (Object.keys(selector).length === 0) return out;
    const pods = podsSelected(ctx, selector, '*');
    if (pods.length === 0) {
      out.push(makeFinding(gw, 'KIA0302', 'spec.selector',
        `The selector ${formatLabels(selector)} matches no pod in any namespace, so no gateway proxy serves this Gateway: its servers and the VirtualServices bound to it have no effect.`,
        `Change spec.selector to the labels of an installed gateway's pods (usually istio: ingressgateway or istio: egressgateway), or deploy a gateway whose pods carry ${formatLabels(selector)}.`));
      return out;
    }
    const podNamespaces = [...new Set(pods.map((p) => p.namespace))];
    // Services of the selected pods (same namespace, selector matching one of the pods).
    const services = podNamespaces.flatMap((ns) => {
      ctx.read(`SVCNS:${ns}`);
      return (ctx.idx.servicesByNamespace().get(ns) ?? []).filter((s) => s.selector && Object.keys(s.selector).length > 0 && pods.some((p) => p.namespace === ns && labelsMatch(s.selector, p.labels)));
    });
    const reported = new Set<number>();
    arr(spec.servers).forEach((server, i) => {
      const port = rec(rec(server).port).number;
      if (typeof port !== 'number' || reported.has(port)) return;
      const offered = services.some((s) => s.ports.some((p) => (p.protocol ?? 'TCP').toUpperCase() === 'TCP' && (p.port === port || (p.targetPort ?? p.port) === port)));
      if (offered) return;
      reported.add(port);
      const offers = services.flatMap((s) => s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}`));
      out.push(makeFinding(gw, 'MLS0301', `spec.servers[${i}].port.number`,
        `Server port ${port} is not a port or target port of any Service selecting the gateway pods (${formatLabels(selector)})${services.length ? `: ${services.map((s) => `${s.namespace}/${s.name}`).join(', ')} offer${services.length === 1 ? 's' : ''} ${offers.join(', ')}` : ': no Service selects them'}. Clients cannot reach this listener through the gateway Service.`,
        services.length ? `Use one of the target ports the gateway Service forwards to (${offers.map((o) => o.split('→')[1]).join(', ')}) or add port ${port} to Service ${services[0]!.namespace}/${services[0]!.name}.` : `Create a Service selecting the gateway pods with a port targeting ${port}.`,
        services.map((s) => ({ obj: s.obj, path: 'spec.ports', note: 'Service of the gateway pods' }))));
    });
    arr(spec.servers).forEach((server, i) => {
      const cred = rec(rec(server).tls).credentialName;
      if (typeof cred !== 'string' || cred === '') return;
      const [credNs, credName] = cred.includes('/') ? cred.split('/', 2) as [string, string] : [undefined, cred];
      const lookIn = credNs ? [credNs] : podNamespaces;
      for (const ns of lookIn) ctx.read(`SEC:${ns}/${credName}`);
      if (lookIn.some((ns) => ctx.idx.secrets().has(`${ns}/${credName}`))) return;
      out.push(makeFinding(gw, 'MLS0302', `spec.servers[${i}].tls.credentialName`,
        `The Secret "${credName}" named by credentialName is not in ${lookIn.join(', ')}, the namespace of the gateway pods (${someNames(pods.map((p) => `${p.namespace}/${p.name}`))}); the gateway reads certificates from its own namespace, so this TLS server has no certificate and refuses handshakes.`,
        `Create the TLS Secret ${credName} in namespace ${lookIn[0]} (kubectl create -n ${lookIn[0]} secret tls ${credName} --cert=… --key=…), or fix the name in credentialName.`,
        [], 'IST0101'));
    });
    return out;
  },
};



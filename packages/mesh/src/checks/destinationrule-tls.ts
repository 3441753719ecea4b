/**
 * DestinationRule client TLS: SIMPLE/MUTUAL without caCertificates at destination level (IST0128) or per port
 * (IST0129); ISTIO_MUTUAL towards workloads that have no sidecar (MLS0203). (DISABLE towards STRICT servers,
 * KIA0207/KIA0208, is part of the mTLS matrix in mtls.ts.)
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf, someNames } from './finding.js';
import { arr, fqdn, podsSelected, rec, resolveHost } from './lookup.js';

export const destinationRuleTls: Check = {
  name: 'destinationrule-tls',
  kinds: ['DestinationRule'],
  run(ctx, dr) {
    const out: Finding[] = [];
    const spec = rec(dr.object.spec);
    const tp = rec(spec.trafficPolicy);
    const exempt = (tls: Record<string, any>) => typeof tls.credentialName === 'string' && tls.credentialName !== '' && spec.workloadSelector !== undefined;
    const caCheck = (tls: Record<string, any>, path: string, code: 'MLS0201' | 'MLS0202', port?: unknown) => {
      if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && !tls.caCertificates && !exempt(tls)) {
        out.push(makeFinding(dr, code, `${path}.mode`,
          `TLS mode ${tls.mode} towards ${spec.host}${port !== undefined ? ` port ${port}` : ''} has no caCertificates: the server's certificate is not verified, so any server can impersonate it.`,
          `Set ${path}.caCertificates to the CA bundle that signed the server certificate (or use credentialName with a workloadSelector).`));
      }
    };
    caCheck(rec(tp.tls), 'spec.trafficPolicy.tls', 'MLS0201');
    arr(tp.portLevelSettings).forEach((p, i) => caCheck(rec(rec(p).tls), `spec.trafficPolicy.portLevelSettings[${i}].tls`, 'MLS0202', rec(rec(p).port).number));

    const mode = rec(tp.tls).mode;
    if (mode === 'ISTIO_MUTUAL' && typeof spec.host === 'string') {
      const host = fqdn(ctx, spec.host, nsOf(dr));
      const entry = resolveHost(ctx, host, nsOf(dr));
      if (entry?.kind === 'Service') {
        if (entry.service?.selector && Object.keys(entry.service.selector).length) {
          const pods = podsSelected(ctx, entry.service.selector, entry.namespace);
          const bare = pods.filter((p) => !p.hasSidecar);
          if (pods.length > 0 && bare.length === pods.length) out.push(makeFinding(dr, 'MLS0203', 'spec.trafficPolicy.tls.mode',
            `Clients use ISTIO_MUTUAL towards ${host}, but its pods (${someNames(bare.map((p) => p.name))}) have no sidecar to terminate mTLS: connections fail.`,
            `Inject a sidecar into the pods of ${entry.namespace}/${entry.name}, or set tls.mode DISABLE for this host.`,
            [{ obj: entry.obj, path: 'spec.selector', note: 'pods without sidecar' }]));
        }
      }
    }
    return out;
  },
};

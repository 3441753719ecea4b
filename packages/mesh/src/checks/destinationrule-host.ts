/** DestinationRule host: it must match a Service or ServiceEntry visible to the rule's namespace (KIA0202/IST0174). */
import type { Check } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { fqdn, registryIntersecting, resolveHost } from './lookup.js';
import { isWildcard } from '../hosts/names.js';

export const destinationRuleHost: Check = {
  name: 'destinationrule-host',
  kinds: ['DestinationRule'],
  run(ctx, dr) {
    const written: unknown = dr.object.spec?.host;
    if (typeof written !== 'string') return [];
    const ns = nsOf(dr);
    const host = fqdn(ctx, written, ns);
    const found = isWildcard(host) ? registryIntersecting(ctx, host, ns).length > 0 : resolveHost(ctx, host, ns) !== undefined;
    if (found) return [];
    return [makeFinding(dr, 'KIA0202', 'spec.host',
      `The host "${written}" (${host}) matches no Service or ServiceEntry visible from namespace ${ns}, so this DestinationRule applies to nothing: its subsets and traffic policy are never used.`,
      `Point spec.host at an existing service (a Service FQDN such as name.namespace.svc.${ctx.inv.clusterDomain}, or a ServiceEntry host), or create the ServiceEntry for ${host}.`)];
  },
};

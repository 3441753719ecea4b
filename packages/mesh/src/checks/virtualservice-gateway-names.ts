/**
 * KIA1108: a VirtualService gateway reference in the legacy form. Istio (`resolveGatewayName`) reads a reference
 * without "/" but with a dot as `<name>.<namespace>[.svc.<domain>]` and binds `<namespace>/<name>`; the documented
 * form is `<namespace>/<name>`. Kiali flags any reference containing a dot, including `ns/name.with.dots`, which
 * Istio reads as the Gateway `name.with.dots` of ns (a valid name): Meshlens flags only references without "/".
 * Checked in `spec.gateways` and in the `gateways` of http/tls/tcp matches (Kiali reports the latter with the path of
 * spec.gateways).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding } from './finding.js';
import { arr, gatewayByName, rec } from './lookup.js';

/** `<namespace>/<name>` of a legacy `name.namespace[.svc.domain]` reference. */
export function legacyGatewayKey(ref: string): string {
  const i = ref.indexOf('.');
  const rest = ref.slice(i + 1);
  const j = rest.indexOf('.');
  return `${j < 0 ? rest : rest.slice(0, j)}/${ref.slice(0, i)}`;
}

export const virtualServiceGatewayNames: Check = {
  name: 'virtualservice-gateway-names',
  kinds: ['VirtualService'],
  run(ctx, vs) {
    const out: Finding[] = [];
    const spec = rec(vs.object.spec);
    const lists: Array<{ list: unknown; path: string }> = [{ list: spec.gateways, path: 'spec.gateways' }];
    for (const kind of ['http', 'tls', 'tcp'] as const) {
      arr(spec[kind]).forEach((route, i) => arr(rec(route).match).forEach((m, j) => lists.push({ list: rec(m).gateways, path: `spec.${kind}[${i}].match[${j}].gateways` })));
    }
    for (const { list, path } of lists) {
      arr(list).forEach((g, k) => {
        if (typeof g !== 'string' || g === 'mesh' || g.includes('/') || !g.includes('.')) return;
        const key = legacyGatewayKey(g);
        const gw: InventoryObject | undefined = gatewayByName(ctx, key);
        out.push(makeFinding(vs, 'KIA1108', `${path}[${k}]`,
          `The gateway reference "${g}" uses the legacy <name>.<namespace> form: Istio still reads it as ${key}${gw ? '' : ' (which does not exist)'}, but the documented form is <namespace>/<name>, which other tools (and readers) expect.`,
          `Write "${key}".`,
          gw ? [{ obj: gw, path: 'metadata.name', note: 'the Gateway this reference binds' }] : []));
      });
    }
    return out;
  },
};

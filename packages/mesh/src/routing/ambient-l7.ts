/**
 * Layer 7 config that ztunnel does not apply: in the ambient mesh without a waypoint for the destination Service,
 * VirtualServices, Gateway API routes (GAMMA) and DestinationRule subsets or traffic policies written for it are
 * ignored — ztunnel only does Layer 4. The trace says so, with the objects, so that nobody wonders why a split or a
 * fault "does not work".
 */
import type { RuleRef } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import type { RegistryEntry } from '../hosts/registry.js';
import { lookupDestinationRule } from './destination-rules.js';
import { apiName } from './gwapi-objects.js';
import { meshRouteSets } from './gwapi-mesh.js';
import { ruleRef, shortName } from './refs.js';
import { meshVirtualServicesNaming } from './virtual-services.js';

/** The L7 objects for `entry` a client in `clientNamespace` would apply with a sidecar, as "not applied" refs and words. */
export function unappliedL7Rules(inv: Inventory, entry: RegistryEntry, clientNamespace: string, port: number, reason: string): { refs: RuleRef[]; words: string } {
  const refs: RuleRef[] = [];
  const sentences: string[] = [];
  const svc = entry.name;
  const tail = (they: string) => `but ${reason}: ztunnel only does L4, so ${they} do not apply`;
  for (const c of meshVirtualServicesNaming(inv, clientNamespace, entry.host)) {
    const sections = (['http', 'tls', 'tcp'] as const).filter((s) => Array.isArray(c.vs.object.spec?.[s]) && (c.vs.object.spec[s] as unknown[]).length > 0);
    if (sections.length === 0) continue;
    const what = sections.includes('http') ? 'L7 rules' : 'rules';
    refs.push(ruleRef(c.vs, c.hostPath, `Not applied: VirtualService ${shortName(c.vs)} has ${what} for ${svc}, ${tail('they')}.`));
    sentences.push(`VirtualService ${shortName(c.vs)} has ${what} for ${svc}, ${tail('they')}.`);
  }
  const seen = new Set<string>();
  for (const cls of ['http', 'tcp', 'tls'] as const) {
    for (const set of meshRouteSets(inv, clientNamespace, entry.host, port, cls)) {
      for (const { route, parent } of set.routes) {
        const key = `${route.ref.kind}/${route.ref.namespace}/${route.ref.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        refs.push(ruleRef(route, parent.path, `Not applied: ${apiName(route)} routes ${svc} for the mesh, ${tail('its rules')}.`));
        sentences.push(`${apiName(route)} routes ${svc} for the mesh (parentRef Service ${parent.namespace}/${parent.name}), ${tail('its rules')}.`);
      }
    }
  }
  const dr = lookupDestinationRule(inv, entry.host, clientNamespace, entry.namespace, {});
  for (const obj of dr?.objs ?? []) {
    const spec = obj.object.spec ?? {};
    const parts = [...(Array.isArray(spec.subsets) && spec.subsets.length > 0 ? ['subsets'] : []), ...(spec.trafficPolicy ? ['a traffic policy'] : [])];
    if (parts.length === 0) continue;
    const path = spec.trafficPolicy ? 'spec.trafficPolicy' : 'spec.subsets';
    refs.push(ruleRef(obj, path, `Not applied: DestinationRule ${shortName(obj)} defines ${parts.join(' and ')} for ${svc}, ${tail('they')}.`));
    sentences.push(`DestinationRule ${shortName(obj)} defines ${parts.join(' and ')} for ${svc}, ${tail('they')}.`);
  }
  return { refs, words: sentences.map((s) => ` ${s}`).join('') };
}

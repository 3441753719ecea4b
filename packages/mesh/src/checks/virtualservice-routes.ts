/**
 * VirtualService routes: a weight on a single destination (KIA1104), the same host+subset twice in one route
 * (KIA1105), several mesh-bound VirtualServices for one host (KIA1106/IST0109), and subset routing of the mesh that
 * a gateway-bound VirtualService bypasses (IST0140).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { arr, fqdn, rec, virtualServicesIntersecting } from './lookup.js';
import { exportToOf } from '../hosts/export-to.js';
import { vsGateways } from '../routing/virtual-services.js';
import { vsDestinations } from './vs-walk.js';

function scope(obj: InventoryObject): Set<string> {
  const list = exportToOf(obj);
  if (!list || list.length === 0 || list.includes('*')) return new Set(['*']);
  return new Set(list.map((e) => (e === '.' ? nsOf(obj) : e)));
}

function overlap(a: Set<string>, b: Set<string>): boolean {
  return a.has('*') || b.has('*') || [...a].some((x) => b.has(x));
}

export const virtualServiceRoutes: Check = {
  name: 'virtualservice-routes',
  kinds: ['VirtualService'],
  run(ctx, vs) {
    const out: Finding[] = [];
    const ns = nsOf(vs);
    const spec = rec(vs.object.spec);
    for (const section of ['http', 'tcp', 'tls'] as const) {
      arr(spec[section]).forEach((r, i) => {
        const route = arr(rec(r).route);
        if (route.length === 1 && typeof rec(route[0]).weight === 'number' && rec(route[0]).weight !== 100) {
          out.push(makeFinding(vs, 'KIA1104', `spec.${section}[${i}].route[0].weight`, `This route has a single destination with weight ${rec(route[0]).weight}; the weight is ignored and all traffic goes to it (weight 100).`,
            `Remove the weight, or add the other destinations the traffic should be split across.`));
        }
        const seen = new Map<string, number>();
        route.forEach((d, j) => {
          const dest = rec(rec(d).destination);
          if (typeof dest.host !== 'string') return;
          const key = `${fqdn(ctx, dest.host, ns)}|${dest.subset ?? ''}|${rec(dest.port).number ?? ''}`;
          const first = seen.get(key);
          if (first === undefined) {
            seen.set(key, j);
            return;
          }
          out.push(makeFinding(vs, 'KIA1105', `spec.${section}[${i}].route[${j}].destination`, `Destination ${dest.host}${dest.subset ? ` subset ${dest.subset}` : ''} already appears at route[${first}] of this rule; the weights of both add up to the same place.`,
            `Merge route[${first}] and route[${j}] into one destination with the summed weight.`));
        });
      });
    }
    // KIA1106 / IST0109: several VirtualServices bound to mesh for the same host.
    if (vsGateways(vs).includes('mesh')) {
      const myScope = scope(vs);
      const reported = new Set<InventoryObject>();
      const conflicts: Array<{ other: InventoryObject; host: string; path: string; otherPath: string }> = [];
      arr(spec.hosts).forEach((h, i) => {
        if (typeof h !== 'string') return;
        const host = fqdn(ctx, h, ns);
        for (const c of virtualServicesIntersecting(ctx, host)) {
          if (c.vs === vs || reported.has(c.vs) || !vsGateways(c.vs).includes('mesh')) continue;
          const same = c.host === host || (host.startsWith('*') && c.host.startsWith('*'));
          if (!same || !overlap(myScope, scope(c.vs))) continue;
          reported.add(c.vs);
          conflicts.push({ other: c.vs, host, path: `spec.hosts[${i}]`, otherPath: c.path });
        }
      });
      if (conflicts.length > 0) {
        out.push(makeFinding(vs, 'KIA1106', conflicts[0]!.path,
          `VirtualServices ${someNames([vs, ...conflicts.map((c) => c.other)].map(nsName), 4)} are all bound to mesh for ${[...new Set(conflicts.map((c) => c.host))].join(', ')}; sidecars do not merge them, so only one applies and which one is undefined.`,
          `Merge their rules into one VirtualService per host (or bind the others to a gateway only).`,
          conflicts.map((c) => ({ obj: c.other, path: c.otherPath, note: 'same host on mesh' }))));
      }
    }
    out.push(...ingressSubsets(ctx, vs));
    return out;
  },
};

/** IST0140: a gateway-only VirtualService routes to a host without subset while the mesh VirtualService of that host routes by subset. */
function ingressSubsets(ctx: Parameters<Check['run']>[0], vs: InventoryObject): Finding[] {
  const gateways = vsGateways(vs);
  if (gateways.includes('mesh')) return [];
  const ns = nsOf(vs);
  const out: Finding[] = [];
  const done = new Set<string>();
  for (const d of vsDestinations(vs)) {
    if (d.subset !== undefined || d.mirror) continue;
    const host = fqdn(ctx, d.host, ns);
    if (done.has(host)) continue;
    const meshVs = virtualServicesIntersecting(ctx, host).find((c) => c.vs !== vs && c.host === host && vsGateways(c.vs).includes('mesh') && vsDestinations(c.vs).some((x) => x.subset !== undefined && fqdn(ctx, x.host, nsOf(c.vs)) === host));
    if (!meshVs) continue;
    done.add(host);
    out.push(makeFinding(vs, 'MLS0105', `${d.path}.host`,
      `Requests from gateway ${gateways.join(', ')} go to ${host} without a subset, while VirtualService ${nsName(meshVs.vs)} routes mesh traffic for ${host} by subset: the gateway does not apply mesh rules, so its requests ignore that subset routing.`,
      `Route by subset here too (copy the subset routing of ${nsName(meshVs.vs)}), or bind ${nsName(meshVs.vs)} to the gateway as well.`,
      [{ obj: meshVs.vs, path: meshVs.path, note: 'mesh routing by subset' }]));
  }
  return out;
}

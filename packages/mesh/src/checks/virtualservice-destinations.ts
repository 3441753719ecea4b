/**
 * VirtualService destinations: the host must be in the registry (KIA1101/IST0101), a written port must exist on it
 * (IST0101 host:port), an omitted port is required when the service has several (IST0112), and a subset must be
 * defined by a DestinationRule of that host (KIA1107/IST0101). Mirrors are checked like routes.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsName, nsOf } from './finding.js';
import { destinationRulesFor, fqdn, resolveHost, arr, rec } from './lookup.js';
import { vsDestinations } from './vs-walk.js';

export const virtualServiceDestinations: Check = {
  name: 'virtualservice-destinations',
  kinds: ['VirtualService'],
  run(ctx, vs) {
    const ns = nsOf(vs);
    const out: Finding[] = [];
    const seen = new Set<string>();
    const add = (key: string, f: () => Finding) => {
      if (seen.has(key)) return; // one finding per distinct problem, as istioctl drops identical messages
      seen.add(key);
      out.push(f());
    };
    function checkSubset(d: ReturnType<typeof vsDestinations>[number], host: string): void {
      const drs = destinationRulesFor(ctx, host);
      const defining = drs.filter(({ dr }) => arr(rec(dr.object.spec).subsets).some((s) => rec(s).name === d.subset));
      if (defining.length === 0) {
        const known = drs.flatMap(({ dr }) => arr(rec(dr.object.spec).subsets).map((s) => rec(s).name).filter((n): n is string => typeof n === 'string'));
        add(`subset|${d.mirror}|${host}|${d.subset}`, () => makeFinding(vs, 'KIA1107', `${d.path}.subset`,
          `Subset "${d.subset}" of ${host} is not defined: ${drs.length === 0 ? `no DestinationRule has host ${host}` : `DestinationRule ${drs.map(({ dr }) => nsName(dr)).join(', ')} defines only ${known.length ? known.join(', ') : 'no subsets'}`}. Requests routed here fail with 503 (NR/UH).`,
          drs.length === 0
            ? `Create a DestinationRule with host ${host} and a subset "${d.subset}" whose labels select the right pods, or remove the subset from ${d.path}.`
            : `Add subset "${d.subset}" to DestinationRule ${nsName(drs[0]!.dr)}, or use one of: ${known.join(', ') || '(none)'}.`,
          [...drs.map(({ dr }) => ({ obj: dr, path: 'spec.subsets', note: `DestinationRule for ${host}` }))]));
      }
    }
    // The rules apply in every namespace the VirtualService is exported to: the host must be visible there.
    const exportTo = arr(rec(vs.object.spec).exportTo).filter((e): e is string => typeof e === 'string');
    const viewers = exportTo.length === 0 || exportTo.includes('*') ? [ns] : [...new Set(exportTo.map((e) => (e === '.' ? ns : e)))];
    for (const d of vsDestinations(vs)) {
      const host = fqdn(ctx, d.host, ns);
      const what = d.mirror ? 'mirror host' : 'destination host';
      const blind = viewers.find((v) => !resolveHost(ctx, host, v));
      const entry = blind === undefined ? resolveHost(ctx, host, viewers[0]!) : undefined;
      if (d.subset !== undefined) checkSubset(d, host);
      if (d.host === '') {
        out.push(makeFinding(vs, 'KIA1101', d.path.replace(/\.destination$/, ''), `This route entry has no destination host, so its share of the traffic goes nowhere.`,
          `Add destination.host to ${d.path.replace(/\.destination$/, '')}, or remove the entry.`));
        continue;
      }
      if (!entry) {
        add(`host|${d.mirror}|${host}`, () => makeFinding(vs, 'KIA1101', `${d.path}.host`,
          `The ${what} "${d.host}" (${host}) is not in the service registry seen from namespace ${blind}${blind !== ns ? ` (this VirtualService is exported to ${viewers.join(', ')})` : ''}: no Service or ServiceEntry defines it (or its exportTo hides it), so this ${d.mirror ? 'mirror' : 'route'} goes nowhere.`,
          `Create a Service or ServiceEntry for ${host} exported to ${ns}, or change ${d.path}.host to an existing service (for a Service in another namespace write name.namespace.svc.${ctx.inv.clusterDomain}).`));
        continue;
      }
      const entryRef = { obj: entry.obj, path: entry.hostPath ?? 'metadata.name', note: `${entry.kind} defining ${entry.host}` };
      if (d.port !== undefined && entry.ports.length > 0 && !entry.ports.some((p) => p.number === d.port)) {
        add(`port|${host}|${d.port}`, () => makeFinding(vs, 'MLS0106', `${d.path}.port.number`,
          `The ${what} ${host}:${d.port} names a port that ${entry.kind} ${nsName(entry.obj)} does not declare (ports: ${entry.ports.map((p) => p.number).join(', ')}).`,
          `Use one of the declared ports (${entry.ports.map((p) => p.number).join(', ')}) or add port ${d.port} to ${entry.kind} ${nsName(entry.obj)}.`, [entryRef]));
      }
      if (d.port === undefined && !d.mirror && entry.kind === 'Service' && entry.ports.length > 1) {
        add(`portreq|${host}`, () => makeFinding(vs, 'MLS0102', `${d.path}.host`,
          `This VirtualService routes to ${host}, which exposes several ports (${entry.ports.map((p) => p.number).join(', ')}); without destination.port the target port is ambiguous.`,
          `Add destination.port.number (one of ${entry.ports.map((p) => p.number).join(', ')}) at ${d.path}.`, [entryRef]));
      }
    }
    return out;
  },
};

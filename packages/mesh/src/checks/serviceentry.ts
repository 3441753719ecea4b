/**
 * ServiceEntry: addresses required for TCP or unset protocol (IST0134), the same host and port in several entries
 * (KIA1211) and conflicting protocols on them (KIA1212/IST0177).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { arr, fqdn, rec, registryIntersecting } from './lookup.js';
import { meshExtras } from './mesh-config.js';
import { exportToOf } from '../hosts/export-to.js';

/** Namespaces that see config exported with `exportTo` from `ns` (`*` = all). */
function scope(obj: InventoryObject): Set<string> {
  const list = exportToOf(obj);
  if (!list || list.length === 0 || list.includes('*')) return new Set(['*']);
  return new Set(list.map((e) => (e === '.' ? nsOf(obj) : e)));
}

function overlap(a: Set<string>, b: Set<string>): boolean {
  if (a.has('*') || b.has('*')) return true;
  return [...a].some((x) => b.has(x));
}

export const serviceEntryChecks: Check = {
  name: 'serviceentry',
  kinds: ['ServiceEntry'],
  run(ctx, se) {
    const out: Finding[] = [];
    const spec = rec(se.object.spec);
    const ns = nsOf(se);
    ctx.read('MESH');
    const addresses = arr(spec.addresses).length > 0 || arr(rec(se.object.status).addresses).length > 0;
    if (!addresses && !meshExtras(ctx.inv).dnsAutoAllocate) {
      const i = arr(spec.ports).findIndex((p) => { const proto = rec(p).protocol; return proto === undefined || proto === '' || String(proto).toUpperCase() === 'TCP'; });
      if (i >= 0) out.push(makeFinding(se, 'MLS0401', `spec.ports[${i}].protocol`,
        `Port ${rec(arr(spec.ports)[i]).number} is TCP (or has no protocol) and the entry has no addresses: a TCP listener cannot tell hosts apart without an IP, so this entry captures all traffic on the port (or none).`,
        `Add spec.addresses (the IPs or CIDR of ${arr(spec.hosts).join(', ')}), set the port's protocol to HTTP/HTTPS/TLS if it is one, or enable DNS capture with auto-allocation (ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE).`));
    }
    const myScope = scope(se);
    arr(spec.hosts).forEach((h, hi) => {
      if (typeof h !== 'string') return;
      const host = fqdn(ctx, h, ns);
      const others = registryIntersecting(ctx, host, ns).filter((e) => e.kind === 'ServiceEntry' && e.obj !== se && e.host === host && overlap(myScope, scope(e.obj)));
      for (const p of arr(spec.ports)) {
        const port = rec(p).number;
        if (typeof port !== 'number') continue;
        const mine = String(rec(p).protocol ?? '').toUpperCase();
        const same = others.filter((e) => e.ports.some((q) => q.number === port));
        if (same.length === 0) continue;
        const conflicting = same.filter((e) => e.ports.some((q) => q.number === port && (q.protocol ?? '') !== mine));
        const list = conflicting.length ? conflicting : same;
        const objs = [...new Set(list.map((e) => e.obj))];
        out.push(conflicting.length
          ? makeFinding(se, 'KIA1212', `spec.hosts[${hi}]`,
            `${host}:${port} is declared ${mine || 'without protocol'} here and ${someNames(conflicting.map((e) => `${e.ports.find((q) => q.number === port)?.protocol ?? 'without protocol'} by ${nsName(e.obj)}`))}: the proxy keeps one of them, so the other protocol's traffic is handled wrongly.`,
            `Declare the same protocol for ${host}:${port} in every ServiceEntry, or merge them.`, objs.map((o) => ({ obj: o, path: 'spec.ports', note: `also declares ${host}:${port}` })))
          : makeFinding(se, 'KIA1211', `spec.hosts[${hi}]`,
            `${host}:${port} is also declared by ${someNames(objs.map(nsName))}; only one entry takes effect and which one is undefined.`,
            `Merge the ServiceEntries for ${host} into one.`, objs.map((o) => ({ obj: o, path: 'spec.ports', note: `also declares ${host}:${port}` }))));
      }
    });
    return out;
  },
};

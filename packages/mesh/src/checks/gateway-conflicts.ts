/**
 * Gateway × Gateway: two Gateways on the same gateway pod and port with overlapping hosts (KIA0301/IST0145, seed
 * 004's case), and the same certificate on Gateways whose selectors overlap (IST0138).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { arr, podsSelected, rec } from './lookup.js';
import { gatewayCredentials } from './index-build.js';
import { hostsIntersect, parseScopedHost } from '../hosts/names.js';

interface Server { port: number; hosts: string[]; index: number }

function serversOf(gw: InventoryObject): Server[] {
  return arr(rec(gw.object.spec).servers).flatMap((s, index) => {
    const port = rec(rec(s).port).number;
    if (typeof port !== 'number') return [];
    return [{ port, index, hosts: arr(rec(s).hosts).filter((h): h is string => typeof h === 'string').map((h) => parseScopedHost(h, nsOf(gw)).host) }];
  });
}

function podKeys(ctx: CheckContext, gw: InventoryObject): Set<string> {
  const selector = rec(rec(gw.object.spec).selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) return new Set();
  return new Set(podsSelected(ctx, selector, '*').map((p) => `${p.namespace}/${p.name}`));
}

export const gatewayConflicts: Check = {
  name: 'gateway-conflicts',
  kinds: ['Gateway'],
  run(ctx, gw) {
    const out: Finding[] = [];
    const mine = serversOf(gw);
    const myPods = mine.length ? podKeys(ctx, gw) : new Set<string>();
    const seenPorts = new Set<number>();
    for (const s of mine) {
      if (seenPorts.has(s.port) || myPods.size === 0) continue;
      ctx.read(`GP:${s.port}`);
      const others = (ctx.idx.gatewaysByPort().get(s.port) ?? []).filter((o) => o !== gw);
      const conflicting: Array<{ gw: InventoryObject; server: Server }> = [];
      for (const o of others) {
        const theirServer = serversOf(o).find((t) => t.port === s.port && t.hosts.some((h) => s.hosts.some((m) => hostsIntersect(h, m))));
        if (!theirServer) continue;
        const theirPods = podKeys(ctx, o);
        if (![...theirPods].some((p) => myPods.has(p))) continue;
        conflicting.push({ gw: o, server: theirServer });
      }
      if (conflicting.length === 0) continue;
      seenPorts.add(s.port);
      const shared = s.hosts.filter((h) => conflicting.some((c) => c.server.hosts.some((t) => hostsIntersect(h, t))));
      out.push(makeFinding(gw, 'KIA0301', `spec.servers[${s.index}].port.number`,
        `Gateway ${nsName(gw)} and ${conflicting.length === 1 ? nsName(conflicting[0]!.gw) : `${conflicting.length} other Gateways (${someNames(conflicting.map((c) => nsName(c.gw)))})`} claim port ${s.port} on the same gateway pods with overlapping hosts (${shared.join(', ')}). The proxy builds one listener per port: only one of the servers wins, and the other Gateway's traffic is refused or misrouted.`,
        `Merge the servers into one Gateway, give each Gateway distinct hosts (e.g. different sniHosts for TLS passthrough), or move one to another port.`,
        conflicting.map((c) => ({ obj: c.gw, path: `spec.servers[${c.server.index}]`, note: `also on port ${s.port}` }))));
    }
    // Duplicate certificates: reported on the Gateway whose selector is contained in the other's.
    const selector = rec(rec(gw.object.spec).selector) as Record<string, string>;
    const creds = new Set(gatewayCredentials(gw));
    for (const cred of creds) {
      ctx.read(`GC:${cred}`);
      const others = (ctx.idx.gatewaysByCredential().get(cred) ?? []).filter((o) => o !== gw && Object.entries(selector).every(([k, v]) => rec(rec(o.object.spec).selector)[k] === v));
      if (others.length === 0) continue;
      const name = cred.replace(/^cred:|^file:/, '');
      const index = arr(rec(gw.object.spec).servers).findIndex((sv) => gatewayCredentials({ ...gw, object: { ...gw.object, spec: { servers: [sv] } } })[0] === cred);
      out.push(makeFinding(gw, 'MLS0303', `spec.servers[${Math.max(0, index)}].tls`,
        `The certificate ${name} is also used by ${someNames(others.map(nsName))} on the same gateway workload. Clients that reuse an HTTP/2 connection for another host of the same certificate get 404s.`,
        `Use a distinct certificate per Gateway, or merge the servers into one Gateway.`,
        others.map((o) => ({ obj: o, path: 'spec.servers', note: `uses ${name}` }))));
    }
    return out;
  },
};

/**
 * AuthorizationPolicy references Kiali validates against the mesh: `to.operation.hosts` that no Service,
 * ServiceEntry or VirtualService defines (KIA0104), and `from.source.principals/notPrincipals` naming a service
 * account that does not exist (KIA0106) or a trust domain the mesh does not know (KIA0108).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { arr, rec } from './lookup.js';
import { lookupHosts } from './index-build.js';
import { hostReadKeys } from './keys.js';
import { meshExtras } from './mesh-config.js';
import { hostsIntersect, isIP, normalizeHost } from '../hosts/names.js';

/**
 * The registry host an `operation.hosts` entry names, or undefined when it is a Host-header pattern that the
 * registry cannot confirm or deny (`*`, `prefix*`, `*suffix`, an IP). `host:port` loses its port; short names
 * and `name.namespace` are expanded the way a client's resolver would (`name.namespace` only for a known namespace).
 */
function registryHostOf(ctx: CheckContext, written: string, ns: string): string | undefined {
  const raw = written.trim();
  if (raw === '' || raw.includes('*')) return undefined;
  const h = normalizeHost(raw);
  if (isIP(h)) return undefined;
  const parts = h.split('.');
  const domain = ctx.inv.clusterDomain;
  if (parts.length === 1) return `${h}.${ns}.svc.${domain}`;
  if (parts.length === 2) {
    ctx.read(`NSX:${parts[1]}`);
    return ctx.inv.namespaces.has(parts[1]!) ? `${h}.svc.${domain}` : h;
  }
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.${domain}`;
  return h;
}

/** True when a Service, ServiceEntry (any exportTo: the Host header is the client's choice) or VirtualService defines `host`. */
function hostDefined(ctx: CheckContext, host: string): boolean {
  for (const k of hostReadKeys('R', host)) ctx.read(k);
  if (lookupHosts(ctx.idx.registry(), host, hostsIntersect).length > 0) return true;
  // A VirtualService host (a gateway's public name, say) is a legitimate Host header too, as Kiali accepts.
  for (const k of hostReadKeys('V', host)) ctx.read(k);
  return lookupHosts(ctx.idx.virtualServices(), host, hostsIntersect).length > 0;
}

/** KIA0104: one finding per `rules[i].to[j].operation.hosts[k]` the mesh does not define. */
function unknownHosts(ctx: CheckContext, ap: InventoryObject): Finding[] {
  const out: Finding[] = [];
  const ns = nsOf(ap);
  ctx.read('MESH');
  const allowAny = ctx.inv.meshConfig.outboundTrafficPolicy === 'ALLOW_ANY';
  arr(rec(ap.object.spec).rules).forEach((rule, i) => {
    arr(rec(rule).to).forEach((to, j) => {
      arr(rec(rec(to).operation).hosts).forEach((h, k) => {
        if (typeof h !== 'string') return;
        const host = registryHostOf(ctx, h, ns);
        if (!host || hostDefined(ctx, host)) return;
        const internal = host.endsWith(`.svc.${ctx.inv.clusterDomain}`);
        // Kiali lowers this to a warning when unregistered external hosts are reachable (ALLOW_ANY); a missing
        // cluster Service stays an error: no request can reach one.
        const lenient = allowAny && !internal;
        const f = makeFinding(ap, 'KIA0104', `spec.rules[${i}].to[${j}].operation.hosts[${k}]`,
          `No Service, ServiceEntry or VirtualService defines ${host}${host !== h ? ` (written "${h}")` : ''}, so no request of the mesh carries this Host and this operation never matches${lenient ? ' (unless clients call it as an unregistered external host, which outboundTrafficPolicy ALLOW_ANY permits)' : ''}.`,
          internal
            ? `Correct the host to an existing Service (here "${host.split('.')[0]}" would have to be a Service in namespace ${host.split('.')[1]}), or create that Service.`
            : `Correct the host, add a ServiceEntry for ${host}, or use a Host-header pattern ("*.${host.split('.').slice(1).join('.')}") if any subdomain is meant.`);
        if (lenient) f.severity = 'warning';
        out.push(f);
      });
    });
  });
  return out;
}

/** True when service account `sa` exists in `ns`: a ServiceAccount object, a workload running as it, or `default`. */
function serviceAccountExists(ctx: CheckContext, ns: string, sa: string): boolean {
  ctx.read(`NSX:${ns}`);
  ctx.read(`SA:${ns}`);
  ctx.read(`W:${ns}`);
  ctx.read('K:WorkloadEntry');
  ctx.read('K:WorkloadGroup');
  if (!ctx.inv.namespaces.has(ns)) return false;
  // Kubernetes creates `default` in every namespace; manifests rarely list ServiceAccounts their pods use.
  if (sa === 'default') return true;
  if (ctx.inv.serviceAccounts.some((o) => o.ref.name === sa && nsOf(o) === ns)) return true;
  if ((ctx.idx.workloadsByNamespace().get(ns) ?? []).some((w) => w.serviceAccount === sa || w.pods.some((p) => p.serviceAccount === sa))) return true;
  // VMs: WorkloadEntry.spec.serviceAccount and WorkloadGroup.spec.template.serviceAccount.
  const vm = [...(ctx.idx.byNamespace('WorkloadEntry').get(ns) ?? []).map((o) => rec(o.object.spec).serviceAccount),
    ...(ctx.idx.byNamespace('WorkloadGroup').get(ns) ?? []).map((o) => rec(rec(o.object.spec).template).serviceAccount)];
  return vm.includes(sa);
}

/** KIA0106 / KIA0108: principals `<trustDomain>/ns/<ns>/sa/<sa>` whose account or trust domain is unknown. */
function unknownPrincipals(ctx: CheckContext, ap: InventoryObject): Finding[] {
  const out: Finding[] = [];
  ctx.read('MESH');
  const domains = [ctx.inv.meshConfig.trustDomain, ...meshExtras(ctx.inv).trustDomainAliases];
  arr(rec(ap.object.spec).rules).forEach((rule, i) => {
    arr(rec(rule).from).forEach((from, j) => {
      for (const field of ['principals', 'notPrincipals'] as const) {
        arr(rec(rec(from).source)[field]).forEach((p, k) => {
          // Istio matches principals as strings with `*` prefix/suffix/presence: a pattern names no single account.
          if (typeof p !== 'string' || p.includes('*')) return;
          const m = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(p.trim());
          if (!m) return;
          const [, td, ns, sa] = m as unknown as [string, string, string, string];
          const path = `spec.rules[${i}].from[${j}].source.${field}[${k}]`;
          const effect = field === 'principals' ? 'this source never matches' : 'this exclusion excludes nobody';
          if (!domains.includes(td)) {
            out.push(makeFinding(ap, 'KIA0108', path,
              `The principal "${p}" is in trust domain ${td}, but the mesh's trust domain is ${ctx.inv.meshConfig.trustDomain}${domains.length > 1 ? ` (aliases: ${domains.slice(1).join(', ')})` : ''}: workloads of this mesh never present it, so ${effect} unless it comes from another mesh.`,
              `Write "${ctx.inv.meshConfig.trustDomain}/ns/${ns}/sa/${sa}", or add ${td} to meshConfig.trustDomainAliases if it is a former or federated trust domain.`));
            return;
          }
          if (serviceAccountExists(ctx, ns, sa)) return;
          const nsKnown = ctx.inv.namespaces.has(ns);
          const known = nsKnown ? accountsOf(ctx, ns) : [];
          out.push(makeFinding(ap, 'KIA0106', path,
            nsKnown
              ? `No service account ${sa} exists in namespace ${ns} (no ServiceAccount object and no workload runs as it; known: ${known.slice(0, 8).join(', ') || 'default'}), so ${effect}.`
              : `Namespace ${ns} does not exist, so service account ${ns}/${sa} cannot, and ${effect}.`,
            `Correct the principal to the service account the calling workload runs as (spec.serviceAccountName of its pods), or create ServiceAccount ${sa} in namespace ${ns}.`));
        });
      }
    });
  });
  return out;
}

/** Service accounts known in `ns` (objects and the ones workloads run as), sorted, for the message. */
function accountsOf(ctx: CheckContext, ns: string): string[] {
  const names = new Set<string>(['default']);
  for (const o of ctx.inv.serviceAccounts) if (nsOf(o) === ns) names.add(o.ref.name);
  for (const w of ctx.idx.workloadsByNamespace().get(ns) ?? []) names.add(w.serviceAccount);
  return [...names].sort();
}

export const authorizationRefs: Check = {
  name: 'authorization-refs',
  kinds: ['AuthorizationPolicy'],
  run(ctx, ap) {
    return [...unknownHosts(ctx, ap), ...unknownPrincipals(ctx, ap)];
  },
};

/**
 * WorkloadGroup checks of Kiali's catalogue:
 * - KIA1701: `spec.template.serviceAccount` must exist in the group's namespace: VMs bootstrap with a token of that
 *   account and present its identity. It exists when a ServiceAccount object names it, a workload runs as it, or it
 *   is `default` (Kubernetes creates it in every namespace). Kiali knows only the accounts workloads run as.
 * - KIA1702: two WorkloadGroups of one namespace with the same `spec.metadata.labels`: the WorkloadEntries they
 *   register are indistinguishable to selectors (Services, subsets, policies). Groups without labels are not compared
 *   (Kiali compares them too; their entries are selected by nothing).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { rec } from './lookup.js';
import { formatLabels } from '../routing/refs.js';

function accountExists(ctx: CheckContext, ns: string, sa: string): boolean {
  ctx.read(`SA:${ns}`);
  ctx.read(`W:${ns}`);
  if (sa === 'default') return true;
  if (ctx.inv.serviceAccounts.some((o) => o.ref.name === sa && nsOf(o) === ns)) return true;
  return (ctx.idx.workloadsByNamespace().get(ns) ?? []).some((w) => w.serviceAccount === sa || w.pods.some((p) => p.serviceAccount === sa));
}

function accountsOf(ctx: CheckContext, ns: string): string[] {
  const names = new Set<string>(['default']);
  for (const o of ctx.inv.serviceAccounts) if (nsOf(o) === ns) names.add(o.ref.name);
  for (const w of ctx.idx.workloadsByNamespace().get(ns) ?? []) names.add(w.serviceAccount);
  return [...names].sort();
}

function labelsOf(wg: InventoryObject): Record<string, string> {
  const l = rec(rec(rec(wg.object.spec).metadata).labels);
  return Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

export const workloadGroupChecks: Check = {
  name: 'workloadgroups',
  kinds: ['WorkloadGroup'],
  run(ctx, wg) {
    const out: Finding[] = [];
    const ns = nsOf(wg);
    const sa = rec(rec(wg.object.spec).template).serviceAccount;
    if (typeof sa === 'string' && sa !== '' && !accountExists(ctx, ns, sa)) {
      out.push(makeFinding(wg, 'KIA1701', 'spec.template.serviceAccount',
        `No service account ${sa} exists in namespace ${ns} (no ServiceAccount object and no workload runs as it; known: ${accountsOf(ctx, ns).slice(0, 8).join(', ')}): the VMs of this group cannot get a token for it, so they cannot join the mesh with that identity.`,
        `Create ServiceAccount ${sa} in namespace ${ns}, or set spec.template.serviceAccount to an existing account.`));
    }
    const labels = labelsOf(wg);
    if (Object.keys(labels).length > 0) {
      ctx.read('K:WorkloadGroup');
      const others = (ctx.idx.byNamespace('WorkloadGroup').get(wg.ref.namespace ?? '') ?? []).filter((o) => o !== wg && sameLabels(labelsOf(o), labels));
      if (others.length > 0) {
        out.push(makeFinding(wg, 'KIA1702', 'spec.metadata.labels',
          `${someNames(others.map(nsName))} ${others.length === 1 ? 'has' : 'have'} the same labels (${formatLabels(labels)}): the WorkloadEntries of these groups cannot be told apart by any selector (Service, subset, policy).`,
          `Give each WorkloadGroup a distinguishing label (app or version), or merge the groups.`,
          others.map((o) => ({ obj: o, path: 'spec.metadata.labels', note: 'same labels' }))));
      }
    }
    return out;
  },
};

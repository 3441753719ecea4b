/**
 * DestinationRule subsets: labels must select pods of the host (KIA0203/IST0173), a subset needs labels (KIA0209),
 * and two DestinationRules must not define the same host and subset (KIA0201).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, tellsProblem } from './finding.js';
import { arr, destinationRulesIntersecting, fqdn, podsSelected, rec, resolveHost } from './lookup.js';
import { exportToOf, isExportedTo } from '../hosts/export-to.js';
import { isWildcard } from '../hosts/names.js';
import { formatLabels } from '../routing/refs.js';
import type { PodView } from '../inventory/types.js';

/** The pods a subset of `host` would select: the host's own selector (Service or SE workloadSelector) plus the subset labels. */
export function subsetPods(ctx: CheckContext, dr: InventoryObject, labels: Record<string, string>): { pods: PodView[]; scope?: string; entry?: ReturnType<typeof resolveHost> } | undefined {
  const written: unknown = dr.object.spec?.host;
  if (typeof written !== 'string') return undefined;
  const host = fqdn(ctx, written, nsOf(dr));
  if (isWildcard(host)) return undefined;
  const entry = resolveHost(ctx, host, nsOf(dr));
  if (!entry) return undefined;
  ctx.read('NODES');
  if (entry.kind === 'Service') {
    const sel = entry.service?.selector;
    if (!sel || Object.keys(sel).length === 0) return undefined; // no selector: endpoints are managed by hand
    return { pods: podsSelected(ctx, { ...sel, ...labels }, entry.namespace), scope: `pods of Service ${entry.namespace}/${entry.name} (${formatLabels(sel)})`, entry };
  }
  if (entry.workloadSelector) return { pods: podsSelected(ctx, { ...entry.workloadSelector, ...labels }, entry.namespace), scope: `workloads of ServiceEntry ${entry.namespace}/${entry.name}`, entry };
  return undefined; // external ServiceEntry: subsets select endpoints, not pods
}

/** The problem key of subset `i` selecting no pod of its host (KIA0203, with MLS1004 as its alias). */
export function subsetProblem(i: number): string {
  return `subset-without-pods:${i}`;
}

export const destinationRuleSubsets: Check = {
  name: 'destinationrule-subsets',
  kinds: ['DestinationRule'],
  run(ctx, dr) {
    const out: Finding[] = [];
    const spec = rec(dr.object.spec);
    arr(spec.subsets).forEach((s, i) => {
      const subset = rec(s);
      const labels = rec(subset.labels) as Record<string, string>;
      const path = `spec.subsets[${i}]`;
      if (Object.keys(labels).length === 0) {
        out.push(makeFinding(dr, 'KIA0209', `${path}.name`, `Subset "${subset.name}" has no labels, so it selects every endpoint of the host and is no different from the host itself.`,
          `Add labels (e.g. version: v1) that pick out the pods of this subset, or remove the subset.`));
        return;
      }
      const hit = subsetPods(ctx, dr, labels);
      if (!hit || hit.pods.length > 0) return;
      // one problem with MLS1004 (routing-subsets.ts: the labels sit on other pods), told here
      out.push(tellsProblem(makeFinding(dr, 'KIA0203', `${path}.labels`,
        `Subset "${subset.name}" selects ${formatLabels(labels)}, but none of the ${hit.scope} carries these labels: traffic routed to this subset fails with 503 UH (no healthy upstream).`,
        `Set the subset labels to labels the host's pods carry, or add ${formatLabels(labels)} to the pod template of the intended workload.`,
        hit.entry ? [{ obj: hit.entry.obj, path: hit.entry.kind === 'Service' ? 'spec.selector' : 'spec.workloadSelector', note: 'the host whose pods the subset narrows' }] : []),
        { problem: subsetProblem(i) }));
    });
    out.push(...duplicates(ctx, dr));
    return out;
  },
};

/** KIA0201: another DestinationRule visible to the same clients with the same host and a common subset (or neither has subsets). */
function duplicates(ctx: CheckContext, dr: InventoryObject): Finding[] {
  const spec = rec(dr.object.spec);
  if (typeof spec.host !== 'string' || spec.workloadSelector) return [];
  const ns = nsOf(dr);
  const host = fqdn(ctx, spec.host, ns);
  const mySubsets = new Set(arr(spec.subsets).map((s) => rec(s).name).filter((n): n is string => typeof n === 'string'));
  const out: Finding[] = [];
  for (const { dr: other, host: otherHost } of destinationRulesIntersecting(ctx, host)) {
    if (other === dr || otherHost !== host || rec(other.object.spec).workloadSelector) continue;
    const ons = nsOf(other);
    if (ons !== ns && !(isExportedTo(exportToOf(other), ons, ns) && isExportedTo(exportToOf(dr), ns, ons))) continue;
    const theirs = arr(rec(other.object.spec).subsets).map((s) => rec(s).name).filter((n): n is string => typeof n === 'string');
    const common = theirs.filter((n) => mySubsets.has(n));
    if (common.length === 0 && !(mySubsets.size === 0 && theirs.length === 0)) continue;
    out.push(makeFinding(dr, 'KIA0201', 'spec.host',
      `DestinationRule ${nsName(other)} also configures ${host}${common.length ? ` with subset ${common.join(', ')}` : ''}. Istio merges them in creation order and silently drops the later duplicate subsets and policies.`,
      `Merge the two DestinationRules into one, or remove the duplicate subset from one of them.`,
      [{ obj: other, path: 'spec.host', note: 'same host' }]));
  }
  return out;
}

/**
 * MLS1004: a subset whose labels select none of the host's own pods but do select other pods — the labels were put on
 * the wrong pod (seed 001: `version: v1` on the client pod1 instead of the egress gateway). Names the pods that
 * plausibly got the labels for this subset: pods labelled by hand (a Pod made by hand, or a pod carrying labels its
 * workload's template does not give it) and pods in the host's or the DestinationRule's namespace. Pods that carry
 * the labels because their own workload's template says so (bookinfo's `version: v1` everywhere) are not named: at
 * most counted. Told together with KIA0203 on the same subset (grouping.ts).
 */
import type { Finding } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsOf, someNames, tellsProblem, type RefInput } from './finding.js';
import { arr, podsSelected, rec } from './lookup.js';
import { subsetPods, subsetProblem } from './destinationrule-subsets.js';
import { formatLabels } from '../routing/refs.js';
import type { PodView } from '../inventory/types.js';

/** True when the pod itself carries `labels` (made or labelled by hand), not its workload's template. */
function labelledByHand(ctx: CheckContext, p: PodView, labels: Record<string, string>): boolean {
  if (!p.obj || p.synthetic) return false;
  const w = ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
  if (!w || w.kind === 'Pod') return !p.obj.object.metadata.ownerReferences?.length;
  return Object.entries(labels).some(([k, v]) => w.labels[k] !== v);
}

export const subsetLabelsElsewhere: Check = {
  name: 'routing-subsets',
  kinds: ['DestinationRule'],
  run(ctx, dr) {
    const out: Finding[] = [];
    arr(rec(dr.object.spec).subsets).forEach((s, i) => {
      const labels = rec(rec(s).labels) as Record<string, string>;
      if (Object.keys(labels).length === 0) return;
      const own = subsetPods(ctx, dr, labels);
      if (!own || own.pods.length > 0) return;
      // Only when the host's pods lack the label keys altogether (the label went on another pod), not when they carry
      // another value (a version that is simply not deployed: KIA0203 says that).
      const ownAll = podsSelected(ctx, own.entry?.service?.selector ?? own.entry?.workloadSelector ?? {}, own.entry?.namespace ?? '*');
      if (ownAll.some((p) => Object.keys(labels).some((k) => p.labels[k] !== undefined))) return;
      const elsewhere = podsSelected(ctx, labels, '*');
      if (elsewhere.length === 0) return;
      const near = new Set([nsOf(dr), own.entry?.namespace].filter((n): n is string => !!n));
      const byHand = elsewhere.filter((p) => labelledByHand(ctx, p, labels));
      const relevant = [...byHand, ...elsewhere.filter((p) => !byHand.includes(p) && near.has(p.namespace))];
      const name = (p: PodView) => `${p.namespace}/${p.name}`;
      const names = relevant.map(name);
      const hostPods = own.entry ? `the pods behind ${own.entry.namespace}/${own.entry.name}` : "the host's pods";
      const what = formatLabels(labels);
      // the pods named, or — when no pod got the labels for this subset — how many carry them by their own template
      const carriers = relevant.length > 0
        ? `${someNames(names)}${byHand.length > 0 ? ` (set on the pod${byHand.length === 1 ? '' : 's'} by hand)` : ''} carr${relevant.length === 1 ? 'ies' : 'y'} ${what} but ${relevant.length === 1 ? 'is not an endpoint' : 'are not endpoints'} of this host`
        : `${elsewhere.length} pod${elsewhere.length === 1 ? '' : 's'} of other workloads carr${elsewhere.length === 1 ? 'ies' : 'y'} ${what} from ${elsewhere.length === 1 ? 'its' : 'their'} own template (e.g. ${someNames(elsewhere.slice(0, 2).map(name), 2)}), and none of them is an endpoint of this host`;
      const nothing = relevant.length > 0 ? `, so labelling ${relevant.length === 1 ? 'it' : 'them'} changes nothing for this subset` : '';
      const removal = relevant.length > 0 ? `Remove ${what} from ${someNames(names)} if it was added for this subset: only ${hostPods} can be its endpoints.` : '';
      const refs: RefInput[] = relevant.flatMap((p) => {
        const w = ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
        const o = p.obj ?? w?.obj;
        return o ? [{ obj: o, path: p.obj ? 'metadata.labels' : 'spec.template.metadata.labels', note: `carries ${what}${byHand.includes(p) ? ' (set on the pod itself)' : ''}` }] : [];
      });
      out.push(tellsProblem(makeFinding(dr, 'MLS1004', `spec.subsets[${i}].labels`,
        `Subset "${rec(s).name}" selects ${what}: none of the ${own.scope} carries these labels, but ${carriers}${nothing}.`,
        `Put ${what} on the pod template of the host's own workload (${hostPods}), or change the subset labels to ones those pods carry.${removal ? ` ${removal}` : ''}`,
        refs), {
        problem: subsetProblem(i),
        // told within KIA0203 (which already says no pod of the host carries the labels): where the labels are instead
        sentence: `The labels are elsewhere: ${carriers}${nothing}`,
        fix: removal,
      }));
    });
    return out;
  },
};

/**
 * MLS1004: a subset whose labels select none of the host's own pods but do select other pods — the labels were put on
 * the wrong pod (seed 001: `version: v1` on the client pod1 instead of the egress gateway). Names the pods that carry them.
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding } from './finding.js';
import { arr, podsSelected, rec } from './lookup.js';
import { subsetPods } from './destinationrule-subsets.js';
import { formatLabels } from '../routing/refs.js';

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
      // Hand-labelled pods first (no owner, no app label: `kubectl label pod … version=v1`), then the rest.
      const rank = (p: (typeof all)[number]) => (p.obj && !p.obj.object.metadata.ownerReferences?.length ? 0 : 2) + (p.labels.app === undefined ? 0 : 1);
      const all = podsSelected(ctx, labels, '*');
      const elsewhere = [...all].sort((a, b) => rank(a) - rank(b));
      if (elsewhere.length === 0) return;
      const names = elsewhere.slice(0, 3).map((p) => `${p.namespace}/${p.name}`);
      out.push(makeFinding(dr, 'MLS1004', `spec.subsets[${i}].labels`,
        `Subset "${rec(s).name}" selects ${formatLabels(labels)}: none of the ${own.scope} carries these labels, but ${names.join(', ')}${elsewhere.length > 3 ? ` (and ${elsewhere.length - 3} more)` : ''} do${elsewhere.length === 1 ? 'es' : ''} — pods that are not endpoints of this host, so labelling them changes nothing for this subset.`,
        `Put ${formatLabels(labels)} on the pod template of the host's own workload (the pods behind ${own.entry ? `${own.entry.namespace}/${own.entry.name}` : 'the host'}), or change the subset labels to ones those pods carry${elsewhere.length ? `; remove the label from ${names[0]} if it was added for this` : ''}.`,
        elsewhere.slice(0, 1).flatMap((p) => {
          const w = ctx.inv.workloadsByKey.get(`${p.namespace}/${p.workload}`);
          const o = p.obj ?? w?.obj;
          return o ? [{ obj: o, path: p.obj ? 'metadata.labels' : 'spec.template.metadata.labels', note: `carries ${formatLabels(labels)}` }] : [];
        })));
    });
    return out;
  },
};

/**
 * KIA0005: `spec.exportTo` of a VirtualService, DestinationRule or ServiceEntry naming a namespace that does not
 * exist — the config is then invisible where its author meant it to apply. `.`, `*` and `~` are not namespaces.
 * (Sidecar has no exportTo: its visibility is its own namespace.)
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding, nsOf } from './finding.js';
import { arr, rec } from './lookup.js';

const SPECIAL = new Set(['.', '*', '~']);

export const exportToNamespaces: Check = {
  name: 'export-to-namespaces',
  kinds: ['VirtualService', 'DestinationRule', 'ServiceEntry'],
  run(ctx, obj) {
    const out: Finding[] = [];
    arr(rec(obj.object.spec).exportTo).forEach((e, i) => {
      if (typeof e !== 'string') return;
      const ns = e.trim();
      if (SPECIAL.has(ns)) return;
      // Every object provides NSX:<its namespace>, so a namespace known only from its contents counts too.
      ctx.read(`NSX:${ns}`);
      if (ctx.inv.namespaces.has(ns)) return;
      out.push(makeFinding(obj, 'KIA0005', `spec.exportTo[${i}]`,
        `exportTo names namespace ${ns}, which does not exist, so this ${obj.ref.kind} is not exported where intended.`,
        `Correct the namespace name, use "." for the ${obj.ref.kind}'s own namespace ${nsOf(obj)} or "*" for all, or create namespace ${ns}.`));
    });
    return out;
  },
};


/**
 * Workload selectors of Sidecar, PeerAuthentication, RequestAuthentication and AuthorizationPolicy: a selector must
 * match a pod of its namespace (KIA0004; IST0101 for Sidecars, IST0127 for AuthorizationPolicies), one namespace may
 * hold only one selector-less object of a kind (KIA0002/IST0111), and one workload only one selecting object
 * (KIA0003/IST0110). Sidecars have no effect on ambient workloads (IST0167).
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames } from './finding.js';
import { podsSelected, rec } from './lookup.js';
import { formatLabels } from '../routing/refs.js';
import type { PodView } from '../inventory/types.js';

/** The selector labels of an object (`workloadSelector.labels` for Sidecars, `selector.matchLabels` for the others). */
export function selectorOf(obj: InventoryObject): { labels?: Record<string, string>; path: string } {
  const spec = rec(obj.object.spec);
  if (obj.ref.kind === 'Sidecar') {
    const l = rec(rec(spec.workloadSelector).labels);
    return { labels: Object.keys(l).length ? (l as Record<string, string>) : undefined, path: 'spec.workloadSelector.labels' };
  }
  const l = rec(rec(spec.selector).matchLabels);
  return { labels: Object.keys(l).length ? (l as Record<string, string>) : undefined, path: 'spec.selector.matchLabels' };
}

const ALIASES: Record<string, { none: string | null; multi: string | null; dup: string | null }> = {
  Sidecar: { none: 'IST0101', multi: 'IST0111', dup: 'IST0110' },
  AuthorizationPolicy: { none: 'IST0127', multi: null, dup: null },
  PeerAuthentication: { none: null, multi: null, dup: null },
  RequestAuthentication: { none: null, multi: null, dup: null },
};

function isAmbientNamespace(ctx: CheckContext, ns: string): boolean {
  ctx.read(`NS:${ns}`);
  const l = ctx.inv.namespaces.get(ns)?.labels ?? {};
  return l['istio.io/dataplane-mode'] === 'ambient' && l['istio-injection'] === undefined && l['istio.io/rev'] === undefined;
}

function isAmbientPod(ctx: CheckContext, p: PodView): boolean {
  return p.labels['istio.io/dataplane-mode'] === 'ambient' || (isAmbientNamespace(ctx, p.namespace) && p.labels['istio.io/dataplane-mode'] !== 'none' && !p.hasSidecar);
}

export const selectorChecks: Check = {
  name: 'selectors',
  kinds: ['Sidecar', 'PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy'],
  run(ctx, obj) {
    const out: Finding[] = [];
    const kind = obj.ref.kind;
    const alias = ALIASES[kind]!;
    const ns = nsOf(obj);
    const { labels, path } = selectorOf(obj);
    const root = ctx.inv.meshConfig.rootNamespace;
    // An AuthorizationPolicy in the root namespace applies mesh-wide.
    const scope = kind === 'AuthorizationPolicy' && ns === root ? '*' : ns;
    const pods = podsSelected(ctx, labels ?? {}, scope);
    if (labels && pods.length === 0) {
      out.push(makeFinding(obj, 'KIA0004', path,
        `The selector ${formatLabels(labels)} matches no pod in ${scope === '*' ? 'the mesh' : `namespace ${ns}`}, so this ${kind} applies to nothing.`,
        `Change the labels to those of the intended workload's pods${kind !== 'AuthorizationPolicy' || scope !== '*' ? ` in ${ns} (a ${kind} only selects pods of its own namespace)` : ''}, or delete the ${kind}.`, [], alias.none));
    } else if (!labels && kind === 'AuthorizationPolicy' && pods.length === 0) {
      out.push(makeFinding(obj, 'MLS0507', 'spec', `This namespace-wide AuthorizationPolicy applies to ${scope === '*' ? 'the whole mesh' : `namespace ${ns}`}, which has no pods: it protects nothing.`,
        `Check the namespace (${ns}) is the one whose workloads you meant to protect.`));
    }
    if (kind === 'Sidecar') {
      const ambientTargets = labels ? pods.filter((p) => isAmbientPod(ctx, p)) : [];
      if ((!labels && isAmbientNamespace(ctx, ns)) || (labels && ambientTargets.length > 0)) {
        out.push(makeFinding(obj, 'MLS0510', labels ? path : 'metadata.namespace', `This Sidecar targets ambient-mode workloads (${labels ? ambientTargets.map((p) => p.name).join(', ') : `namespace ${ns}`}), which have no sidecar proxy: it has no effect.`,
          `Remove the Sidecar, or move the workloads to sidecar mode (istio-injection=enabled).`));
      }
    }
    if (kind === 'AuthorizationPolicy') {
      out.push(...authorizationSources(ctx, obj));
      return out;
    }
    // KIA0002 / KIA0003: overlaps with objects of the same kind in the namespace.
    ctx.read(`${kind}:${ns}`);
    const siblings = (ctx.idx.byNamespace(kind).get(ns) ?? []).filter((o) => o !== obj);
    if (!labels) {
      const others = siblings.filter((o) => !selectorOf(o).labels);
      if (others.length > 0) out.push(makeFinding(obj, 'KIA0002', 'spec', `${someNames(others.map(nsName))} also ${others.length === 1 ? 'has' : 'have'} no workload selector in namespace ${ns}; which ${kind} applies to the namespace is undefined.`,
        `Keep one selector-less ${kind} per namespace: merge them or add a workload selector to the others.`, others.map((o) => ({ obj: o, path: 'metadata.name', note: 'also selector-less' })), alias.multi));
    } else if (pods.length > 0) {
      const mine = new Set(pods.map((p) => p.name));
      const others = siblings.filter((o) => {
        const l = selectorOf(o).labels;
        return l && podsSelected(ctx, l, ns).some((p) => mine.has(p.name));
      });
      if (others.length > 0) {
        const shared = pods.filter((p) => others.some((o) => podsSelected(ctx, selectorOf(o).labels!, ns).some((q) => q.name === p.name)));
        out.push(makeFinding(obj, 'KIA0003', path, `${someNames(others.map(nsName))} also select${others.length === 1 ? 's' : ''} pod${shared.length === 1 ? '' : 's'} ${someNames(shared.map((p) => p.name))}; which ${kind} applies is undefined.`,
          `Make the selectors disjoint, or merge the ${kind}s.`, others.map((o) => ({ obj: o, path: selectorOf(o).path, note: 'selects the same pod' })), alias.dup));
      }
    }
    return out;
  },
};

/** KIA0101 (IST0101): `from.source.namespaces/notNamespaces` patterns that match no namespace. */
function authorizationSources(ctx: CheckContext, ap: InventoryObject): Finding[] {
  const out: Finding[] = [];
  const rules = Array.isArray(ap.object.spec?.rules) ? ap.object.spec.rules : [];
  ctx.read('K:Namespace');
  const known = [...ctx.inv.namespaces.keys()];
  rules.forEach((rule: any, i: number) => {
    (Array.isArray(rule?.from) ? rule.from : []).forEach((from: any, j: number) => {
      for (const field of ['namespaces', 'notNamespaces'] as const) {
        const list = from?.source?.[field];
        if (!Array.isArray(list)) continue;
        list.forEach((pattern: unknown, k: number) => {
          if (typeof pattern !== 'string' || known.some((n) => nsPatternMatches(pattern, n))) return;
          out.push(makeFinding(ap, 'KIA0101', `spec.rules[${i}].from[${j}].source.${field}[${k}]`,
            `The namespace pattern "${pattern}" matches no namespace of the mesh (known: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}), so this condition never matches.`,
            `Correct the namespace name, or remove the entry.`));
        });
      }
    });
  });
  return out;
}

/** Istio's string match for namespaces: exact, `*`, `prefix*` or `*suffix`. */
function nsPatternMatches(pattern: string, ns: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return ns.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return ns.endsWith(pattern.slice(1));
  return pattern === ns;
}

/**
 * The clients a routing finding traces from. Checks see config only (the CLI and the server give the same answer),
 * so "the clients that send the traffic" are the workloads that match, most plausible first — never whichever
 * workload happens to come first in the inventory:
 *   1. workloads whose own spec names the host: a pod hostAlias, or a hostname in a container's env, args or command
 *      (`BILLING_URL=http://billing.partner.example`);
 *   2. workloads no Service selects: nothing calls them, they exist to send traffic (a test pod like seed 001's
 *      `pod1`, a job, a load generator) — hand-made Pods first;
 *   3. any other sidecar workload.
 * Within a rank: the preferred namespace (the routing object's own) first, then by namespace and name.
 * Only sidecar workloads that are not gateways, in namespaces the caller accepts (exportTo, registry visibility).
 */
import type { InventoryObject } from '@meshlens/model';
import type { CheckContext } from './types.js';
import type { WorkloadView } from '../inventory/types.js';
import { isGatewayWorkload } from '../routing/gateway-workloads.js';
import { hostMatches } from '../hosts/names.js';
import { rec, arr, servicesSelecting } from './lookup.js';

export interface LikelyClient {
  workload: WorkloadView;
  /** 0: its spec names the host; 1: no Service selects it; 2: any other sidecar workload. */
  rank: 0 | 1 | 2;
  /** Why it was chosen, for the message: "its env names en.wikipedia.org". */
  why: string;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController'];
const HOSTNAME = /\b[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+\b/gi;

/** The pod spec of a workload object (Pod, controller template, CronJob's job template). */
function podSpec(obj: InventoryObject | undefined): Record<string, any> {
  if (!obj) return {};
  const spec = rec(obj.object.spec);
  if (obj.ref.kind === 'Pod') return spec;
  if (obj.ref.kind === 'CronJob') return rec(rec(rec(rec(spec.jobTemplate).spec).template).spec);
  return rec(rec(spec.template).spec);
}

/** The words of a workload's containers that may name hosts: env values, args, command. */
function containerWords(w: WorkloadView): string[] {
  const out: string[] = [];
  for (const c of w.containers) for (const e of c.env ?? []) if (typeof e.value === 'string') out.push(e.value);
  const specs = [podSpec(w.obj), ...w.pods.map((p) => podSpec(p.obj))];
  for (const s of specs) {
    for (const c of [...arr(s.containers), ...arr(s.initContainers)]) {
      for (const x of [...arr(rec(c).args), ...arr(rec(c).command)]) if (typeof x === 'string') out.push(x);
      for (const e of arr(rec(c).env)) if (typeof rec(e).value === 'string') out.push(rec(e).value);
    }
  }
  return out;
}

/** The host names a workload's own spec names: hostAliases, and names in its containers' env, args and command. */
interface NamedHosts {
  aliases: string[];
  words: string[];
}

// Workload views belong to one inventory and never change: what they name is read once.
const NAMED = new WeakMap<WorkloadView, NamedHosts>();

function namedHosts(w: WorkloadView): NamedHosts {
  let hit = NAMED.get(w);
  if (hit) return hit;
  const aliases = [...(w.hostAliases ?? []), ...w.pods.flatMap((p) => p.hostAliases ?? [])].flatMap((a) => a.hostnames);
  const words = new Set<string>();
  for (const word of containerWords(w)) for (const m of word.matchAll(HOSTNAME)) words.add(m[0].toLowerCase());
  hit = { aliases: [...new Set(aliases)], words: [...words] };
  NAMED.set(w, hit);
  return hit;
}

/** How the workload's own spec names `host`, if it does. */
function namesHost(w: WorkloadView, host: string): string | undefined {
  const named = namedHosts(w);
  const alias = named.aliases.find((h) => hostMatches(host, h));
  if (alias) return `its hostAliases name ${alias}`;
  // (`istio-proxy` args name `$(POD_NAMESPACE).svc.cluster.local`, which matches no client's host)
  const word = named.words.find((h) => hostMatches(host, h));
  return word ? `its containers name ${word}` : undefined;
}

function isHandMadePod(w: WorkloadView): boolean {
  return w.kind === 'Pod' && !(w.obj?.object.metadata.ownerReferences?.length);
}

/**
 * The sidecar workloads that plausibly send traffic to `host` (concrete or wildcard), most plausible first, among
 * those in namespaces `accepts` admits. `prefer` is the namespace to try first in each rank (the routing object's).
 */
export function likelyClients(ctx: CheckContext, host: string, accepts: (namespace: string) => boolean, prefer?: string): LikelyClient[] {
  for (const k of WORKLOAD_KINDS) ctx.read(`K:${k}`);
  const allowed = new Map<string, boolean>();
  const ok = (ns: string) => {
    let v = allowed.get(ns);
    if (v === undefined) allowed.set(ns, (v = accepts(ns)));
    return v;
  };
  const out: LikelyClient[] = [];
  for (const w of ctx.inv.workloads) {
    if (!w.hasSidecar || isGatewayWorkload(w) || !ok(w.namespace)) continue;
    const named = namesHost(w, host);
    if (named) {
      out.push({ workload: w, rank: 0, why: named });
      continue;
    }
    const served = Object.keys(w.labels).length > 0 && servicesSelecting(ctx, w.labels, w.namespace).length > 0;
    if (!served) out.push({ workload: w, rank: 1, why: `${isHandMadePod(w) ? 'a hand-made pod' : `a ${w.kind}`} no Service selects, so it only sends traffic` });
    else out.push({ workload: w, rank: 2, why: `a sidecar workload in namespace ${w.namespace}` });
  }
  const key = (c: LikelyClient) => [c.rank, c.workload.namespace === prefer ? 0 : 1, isHandMadePod(c.workload) ? 0 : 1] as const;
  return out.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.workload.namespace < b.workload.namespace ? -1 : a.workload.namespace > b.workload.namespace ? 1
      : a.workload.name < b.workload.name ? -1 : a.workload.name > b.workload.name ? 1 : 0;
  });
}

/** `ns/name` of a client. */
export function clientName(c: LikelyClient): string {
  return `${c.workload.namespace}/${c.workload.name}`;
}

/**
 * AuthorizationPolicy fields Kiali validates on their own terms:
 * - KIA0102: `to.operation.methods` / `notMethods` must be HTTP methods or Istio string patterns over them
 *   (`*`, `PREFIX*`, `*SUFFIX`). Istio compares the `:method` header exactly, so `get` never matches a GET
 *   request (Kiali accepts any case; Meshlens follows Istio), and a gRPC method name belongs in `paths`.
 * - KIA0105: fields that read the peer's mTLS identity (`source.principals`, `notPrincipals`, `namespaces`,
 *   `notNamespaces`; `when` keys `source.principal`, `source.namespace`, `connection.sni`, Kiali's list) on workloads
 *   where mTLS is not in force: their PeerAuthentication DISABLEs it, or it is PERMISSIVE and clients do not send
 *   mTLS (the DestinationRule for their Services sets another tls.mode, or auto-mTLS is off and no rule sends
 *   ISTIO_MUTUAL). Unlike Kiali, a STRICT policy is enough (only mTLS connections are accepted at all); the missing
 *   client-side rule is KIA0401/KIA0501's business.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames, type RefInput } from './finding.js';
import { arr, podsSelected, rec, servicesSelecting } from './lookup.js';
import { describePolicy, destinationRuleFor, drTlsMode, effectiveMode, meshOf, namespaceWideHost, sendsMtls } from './mtls-policy.js';

/** Kiali's HTTP methods plus the other methods of the IANA registry (WebDAV and friends are HTTP methods too). */
const METHODS = [
  'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE',
  'ACL', 'BASELINE-CONTROL', 'BIND', 'CHECKIN', 'CHECKOUT', 'COPY', 'LABEL', 'LINK', 'LOCK', 'MERGE', 'MKACTIVITY',
  'MKCALENDAR', 'MKCOL', 'MKREDIRECTREF', 'MKWORKSPACE', 'MOVE', 'ORDERPATCH', 'PRI', 'PROPFIND', 'PROPPATCH', 'QUERY',
  'REBIND', 'REPORT', 'SEARCH', 'UNBIND', 'UNCHECKOUT', 'UNLINK', 'UNLOCK', 'UPDATE', 'UPDATEREDIRECTREF', 'VERSION-CONTROL',
];

/** True when an Istio string match (exact, `*`, `prefix*`, `*suffix`) can match one of the HTTP methods. */
function methodMatches(pattern: string): boolean {
  if (pattern === '*') return true;
  const prefix = pattern.endsWith('*') && !pattern.startsWith('*');
  const suffix = pattern.startsWith('*') && !pattern.endsWith('*');
  if (prefix) return pattern.length > 1 && METHODS.some((m) => m.startsWith(pattern.slice(0, -1)));
  if (suffix) return pattern.length > 1 && METHODS.some((m) => m.endsWith(pattern.slice(1)));
  return METHODS.includes(pattern);
}

/** KIA0102: one finding per method entry that can match no HTTP method. */
function methods(ap: InventoryObject): Finding[] {
  const out: Finding[] = [];
  arr(rec(ap.object.spec).rules).forEach((rule, i) => {
    arr(rec(rule).to).forEach((to, j) => {
      for (const field of ['methods', 'notMethods'] as const) {
        arr(rec(rec(to).operation)[field]).forEach((m, k) => {
          if (typeof m !== 'string') return;
          const written = m.trim();
          if (written !== '' && methodMatches(written)) return;
          const effect = field === 'methods' ? 'this operation never matches' : 'this exclusion excludes nothing';
          const upper = written.toUpperCase();
          let why: string;
          let fix: string;
          if (written !== '' && methodMatches(upper)) {
            why = `"${m}" is not an HTTP method as sent on the wire: Istio compares the request method exactly (case-sensitive), so "${m}" never equals "${upper}" and ${effect}. (Kiali accepts any case.)`;
            fix = `Write "${upper}".`;
          } else if (/[/.]/.test(written)) {
            why = `"${m}" looks like a gRPC or URL path, not an HTTP method (gRPC calls are all POST), so ${effect}.`;
            fix = `Move "${m}" to to.operation.${field === 'methods' ? 'paths' : 'notPaths'} (gRPC: "/package.Service/Method"), and use methods: ["POST"] if needed.`;
          } else {
            why = `"${m}" is not an HTTP method, nor an Istio pattern (*, PREFIX*, *SUFFIX) over one, so ${effect}.`;
            fix = `Use HTTP methods such as GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS (or a pattern like "P*").`;
          }
          out.push(makeFinding(ap, 'KIA0102', `spec.rules[${i}].to[${j}].operation.${field}[${k}]`, why, fix));
        });
      }
    });
  });
  return out;
}

/** The fields of `ap` that need the peer's mTLS identity, with a description each. */
function mtlsFields(ap: InventoryObject): Array<{ path: string; what: string; negative: boolean }> {
  const out: Array<{ path: string; what: string; negative: boolean }> = [];
  arr(rec(ap.object.spec).rules).forEach((rule, i) => {
    arr(rec(rule).from).forEach((from, j) => {
      for (const field of ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'] as const) {
        if (arr(rec(rec(from).source)[field]).length > 0) out.push({ path: `spec.rules[${i}].from[${j}].source.${field}`, what: `The field source.${field}`, negative: field.startsWith('not') });
      }
    });
    arr(rec(rule).when).forEach((w, k) => {
      const key = rec(w).key;
      if (key === 'source.principal' || key === 'source.namespace' || key === 'connection.sni') out.push({ path: `spec.rules[${i}].when[${k}].key`, what: `The condition on ${key}`, negative: arr(rec(w).values).length === 0 && arr(rec(w).notValues).length > 0 });
    });
  });
  return out;
}

interface Gap {
  /** What keeps mTLS away, in words. */
  reason: string;
  refs: RefInput[];
  who: string[];
}

/** Why mTLS is not in force for a server with `labels` in `ns` behind `hosts` (undefined when it is). */
function mtlsGap(ctx: CheckContext, ns: string, labels: Record<string, string> | undefined, hosts: string[]): Omit<Gap, 'who'> | undefined {
  const d = effectiveMode(ctx, ns, labels);
  if (d.mode === 'STRICT') return undefined;
  if (d.mode === 'DISABLE') return { reason: `${describePolicy(d)} disables mTLS there`, refs: d.pa ? [{ obj: d.pa, path: 'spec.mtls.mode', note: 'DISABLE: no peer identity' }] : [] };
  // PERMISSIVE: the identity is there only when clients send mTLS.
  const { autoMtls, configMap } = meshOf(ctx);
  for (const host of hosts) {
    const hit = destinationRuleFor(ctx, host, ns);
    const mode = hit && drTlsMode(hit.dr);
    if (hit && mode && !sendsMtls(mode)) {
      return {
        reason: `${d.pa ? describePolicy(d) : "the servers are PERMISSIVE (Istio's default)"} and DestinationRule ${nsName(hit.dr)} makes clients of ${host} use tls.mode ${mode}, so requests carry no peer identity`,
        refs: [{ obj: hit.dr, path: 'spec.trafficPolicy.tls.mode', note: `tls.mode ${mode}` }, ...(d.pa ? [{ obj: d.pa, path: 'spec.mtls.mode', note: 'PERMISSIVE: plain text accepted' }] : [])],
      };
    }
    if (!mode && !autoMtls) {
      return {
        reason: `${d.pa ? describePolicy(d) : "the servers are PERMISSIVE (Istio's default)"}, auto-mTLS is off (enableAutoMtls: false) and no DestinationRule sends ISTIO_MUTUAL to ${host}, so clients send plain text without peer identity`,
        refs: [...(configMap ? [{ obj: configMap, path: 'data.mesh', note: 'enableAutoMtls: false' }] : []), ...(hit ? [{ obj: hit.dr, path: 'spec.host', note: 'sets no tls.mode' }] : [])],
      };
    }
  }
  return undefined;
}

/** KIA0105: fields needing mTLS on workloads (or a namespace) where mTLS is not in force. */
function mtlsRequired(ctx: CheckContext, ap: InventoryObject): Finding[] {
  const fields = mtlsFields(ap);
  if (fields.length === 0) return [];
  const spec = rec(ap.object.spec);
  // Waypoint policies (targetRef/targetRefs) are enforced by ambient proxies, where HBONE is always mTLS.
  if (spec.targetRef !== undefined || spec.targetRefs !== undefined) return [];
  const ns = nsOf(ap);
  const { root } = meshOf(ctx);
  const selector = rec(rec(spec.selector).matchLabels) as Record<string, string>;
  const scope = ns === root ? '*' : ns;
  // The proxies that enforce this policy: selected pods with a sidecar (a pod without one enforces nothing).
  const selected = podsSelected(ctx, selector, scope);
  const pods = selected.filter((p) => p.hasSidecar);
  const gaps = new Map<string, Gap>();
  if (pods.length === 0) {
    // Without any known pod (configuration-only input), judge the namespace as a whole.
    if (selected.length > 0 || ns === root || Object.keys(selector).length > 0) return [];
    const g = mtlsGap(ctx, ns, undefined, [namespaceWideHost(ctx, ns)]);
    if (g) gaps.set(g.reason, { ...g, who: [`namespace ${ns}`] });
  } else {
    const seen = new Set<string>();
    for (const p of pods) {
      const key = `${p.namespace}/${p.workload}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const labels = ctx.idx.podLabels(p);
      const hosts = servicesSelecting(ctx, labels, p.namespace).map((s) => s.hostname);
      const g = mtlsGap(ctx, p.namespace, labels, hosts.length ? hosts : [namespaceWideHost(ctx, p.namespace)]);
      if (!g) continue;
      const cur = gaps.get(g.reason) ?? { ...g, who: [] };
      cur.who.push(key);
      gaps.set(g.reason, cur);
    }
  }
  if (gaps.size === 0) return [];
  const list = [...gaps.values()];
  const text = list.map((g) => `for ${someNames(g.who, 4)}: ${g.reason}`).join('; ');
  const refs = list.flatMap((g) => g.refs);
  const deny = rec(ap.object.spec).action === 'DENY';
  const effect = (negative: boolean) => negative
    ? (deny ? 'the exclusion cannot exempt them, so this DENY rule denies them all' : 'the exclusion cannot exempt them, so this rule matches them whoever they are')
    : (deny ? 'this DENY rule never matches them and lets them through' : 'this rule never matches them');
  return fields.map((f) => makeFinding(ap, 'KIA0105', f.path,
    `${f.what} needs the caller's mTLS identity, but mTLS is not in force ${text}. Such requests carry no peer principal, namespace or SNI: ${effect(f.negative)}.`,
    `Enforce mTLS for these workloads (PeerAuthentication STRICT, or let clients send ISTIO_MUTUAL), or match callers on fields that need no mTLS (ipBlocks, requestPrincipals).`,
    refs));
}

export const authorizationFields: Check = {
  name: 'authorization-fields',
  kinds: ['AuthorizationPolicy'],
  run(ctx, ap) {
    return [...methods(ap), ...mtlsRequired(ctx, ap)];
  },
};

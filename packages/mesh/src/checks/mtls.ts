/**
 * The mTLS matrix between PeerAuthentication (what a server accepts) and DestinationRule (what clients send),
 * Kiali's KIA0204-KIA0208 (on DestinationRules) and KIA0401/KIA0501/KIA0505/KIA0506 (on PeerAuthentications),
 * judged with Istio's precedence (mtls-policy.ts) where Kiali looks at one level at a time:
 * - the server side is the deciding policy (workload > namespace > mesh, UNSET inherits): a namespace DISABLE
 *   overrides a mesh STRICT (Kiali would still see the mesh's), a workload policy overrides its namespace;
 * - a namespace-wide rule is `*.<ns>.svc.<domain>` for the namespace it names (Kiali: only its own namespace), a
 *   mesh-wide rule `*.local` or `*` (Kiali: `*.local`);
 * - KIA0207 also covers a Service rule sending plain text to sidecar workloads whose deciding policy is STRICT
 *   (namespace-wide or workload-level; mesh-wide gives KIA0208), and KIA0505 a workload-level DISABLE policy whose
 *   Services get mTLS from the rule deciding for them; Kiali ignores selector policies here;
 * - KIA0505/KIA0506 only count rules that decide for the servers' hosts (rules are not merged: a namespace-wide
 *   rule shadows the mesh-wide one), for clients in general or in the rule's own namespace.
 *
 * Auto-mTLS (meshConfig.enableAutoMtls, default true):
 * - KIA0401, KIA0501 (a STRICT policy without a DestinationRule sending mTLS) and KIA0204 (a rule without TLS settings
 *   shadowing a mesh- or namespace-wide ISTIO_MUTUAL rule) matter only when auto-mTLS is off: with it, clients send
 *   ISTIO_MUTUAL to sidecars whatever the rule says. Kiali skips KIA0401/KIA0501 the same way; it reports KIA0204
 *   regardless, which Meshlens does not (Istio's auto-mTLS keeps the traffic encrypted). KIA0204 is an error when
 *   the host's servers are STRICT (the plain text is refused).
 * - KIA0205/KIA0206 (a rule sending ISTIO_MUTUAL without a policy enabling mTLS) are skipped with auto-mTLS on, as
 *   Kiali does, when no policy sets a mode, and are then warnings (Istio's default PERMISSIVE accepts the mTLS; Kiali
 *   says error). When the deciding policy DISABLEs mTLS they are errors in both modes: an explicit `tls.mode` is
 *   used as written, so those connections fail whatever auto-mTLS says.
 * - KIA0207/KIA0208 (a rule sending plain text to STRICT servers) and KIA0505/KIA0506 (a DISABLE policy while a rule
 *   sends mTLS) never depend on auto-mTLS, as in Kiali.
 */
import type { Finding, InventoryObject } from '@meshlens/model';
import type { Check, CheckContext } from './types.js';
import { makeFinding, nsName, nsOf, someNames, type RefInput } from './finding.js';
import { destinationRulesIntersecting, fqdn, podsSelected, rec, resolveHost, servicesSelecting } from './lookup.js';
import {
  describePolicy, destinationRuleDeciders, destinationRulesWithHost, drTlsMode, effectiveMode, hasPortLevelMtls, isMeshWideHost,
  meshMode, meshOf, meshWideDestinationRules, namespacePolicy, namespaceWideHost, namespaceWideHostNs, paMode, paSelector,
  sendsMtls, type PaDecision,
} from './mtls-policy.js';
import { hostMatches } from '../hosts/names.js';

const MODE_PATH = 'spec.trafficPolicy.tls.mode';

/** A reference to the ConfigMap that turns auto-mTLS off, when there is one. */
function autoOffRef(ctx: CheckContext): RefInput[] {
  const cm = meshOf(ctx).configMap;
  return cm ? [{ obj: cm, path: 'data.mesh', note: 'enableAutoMtls: false' }] : [];
}

function policyRef(d: PaDecision, note: string): RefInput[] {
  return d.pa ? [{ obj: d.pa, path: 'spec.mtls.mode', note }] : [];
}

/** KIA0205 / KIA0206: a mesh- or namespace-wide rule sends ISTIO_MUTUAL, but no policy enables mTLS for its servers. */
function mtlsWithoutPolicy(ctx: CheckContext, dr: InventoryObject, scope: { ns?: string }): Finding[] {
  const { autoMtls } = meshOf(ctx);
  const code = scope.ns === undefined ? 'KIA0205' : 'KIA0206';
  const d = scope.ns === undefined ? meshMode(ctx) : effectiveMode(ctx, scope.ns);
  const where = scope.ns === undefined ? 'the mesh' : `namespace ${scope.ns}`;
  const host = String(rec(dr.object.spec).host);
  if (d.mode === 'DISABLE') {
    return [makeFinding(dr, code, MODE_PATH,
      `This DestinationRule makes clients send Istio mTLS (ISTIO_MUTUAL) to every host of ${where} (${host}), but ${describePolicy(d)} disables mTLS there: those servers accept only plain text, so these connections fail${autoMtls ? ' (an explicit tls.mode is used as written, auto-mTLS does not correct it)' : ''}.`,
      `Set ${d.pa ? `PeerAuthentication ${nsName(d.pa)}` : 'the PeerAuthentication'} to PERMISSIVE or STRICT, or set tls.mode DISABLE in this DestinationRule if plain text is intended.`,
      policyRef(d, 'disables mTLS on the servers'))];
  }
  if (d.pa || autoMtls) return [];
  // No policy sets a mode: servers keep Istio's default PERMISSIVE, which accepts this mTLS. Kiali reports an error;
  // per Istio nothing fails, mTLS is only not required, so the finding is a warning.
  const f = makeFinding(dr, code, MODE_PATH,
    `This DestinationRule sends Istio mTLS to every host of ${where} (${host}), but no ${scope.ns === undefined ? 'mesh-wide PeerAuthentication (in the root namespace)' : `PeerAuthentication of namespace ${scope.ns} or of the mesh`} enables mTLS: servers keep Istio's default PERMISSIVE, so mTLS is used but not required and plain-text clients are still accepted. (Kiali reports this as an error; Istio's traffic works.)`,
    scope.ns === undefined
      ? `Add a PeerAuthentication in the root namespace ${meshOf(ctx).root} with mtls.mode STRICT (or PERMISSIVE while migrating).`
      : `Add a PeerAuthentication "default" in namespace ${scope.ns} with mtls.mode STRICT (or PERMISSIVE while migrating).`,
    autoOffRef(ctx));
  f.severity = 'warning';
  return [f];
}

/**
 * KIA0207 / KIA0208: the rule sends plain text (tls.mode DISABLE) to servers whose policy is STRICT. KIA0207 when the
 * STRICT policy is namespace-wide or workload-level ("it should be permissive"), KIA0208 when it is mesh-wide.
 */
function plainTextToStrict(ctx: CheckContext, dr: InventoryObject, target: string, decisions: Array<{ d: PaDecision; who?: string }>): Finding[] {
  const strict = decisions.filter((x) => x.d.mode === 'STRICT' && x.d.pa);
  if (strict.length === 0) return [];
  const local = strict.filter((x) => x.d.level !== 'mesh');
  const code = local.length > 0 ? 'KIA0207' : 'KIA0208';
  const shown = local.length > 0 ? local : strict;
  const pas = [...new Map(shown.map((x) => [nsName(x.d.pa!), x])).values()];
  const who = shown.map((x) => x.who).filter((w): w is string => !!w);
  const { autoMtls } = meshOf(ctx);
  return [makeFinding(dr, code, MODE_PATH,
    `This DestinationRule makes clients send plain text (tls.mode DISABLE) to ${target}, but ${pas.map((x) => describePolicy(x.d)).join(' and ')} requires mTLS on ${who.length ? `its workloads (${someNames(who, 4)})` : 'those servers'}: every connection is reset.`,
    `${autoMtls ? 'Remove tls.mode DISABLE (auto-mTLS then sends ISTIO_MUTUAL)' : 'Set tls.mode ISTIO_MUTUAL'}, or set ${pas.map((x) => `PeerAuthentication ${nsName(x.d.pa!)}`).join(' and ')} to PERMISSIVE.`,
    pas.map((x) => ({ obj: x.d.pa!, path: 'spec.mtls.mode', note: 'STRICT: plain text is refused' })))];
}

/** Decisions for the sidecar pods behind a Service host (one per workload), or the namespace's when no pod is known. */
function serverDecisions(ctx: CheckContext, ns: string, selector: Record<string, string> | undefined): Array<{ d: PaDecision; who?: string }> {
  const pods = selector && Object.keys(selector).length ? podsSelected(ctx, selector, ns) : [];
  if (pods.length === 0) return [{ d: effectiveMode(ctx, ns) }];
  const out = new Map<string, { d: PaDecision; who?: string }>();
  for (const p of pods) {
    if (!p.hasSidecar || out.has(p.workload)) continue;
    const d = effectiveMode(ctx, ns, ctx.idx.podLabels(p));
    // Port-level exceptions may exempt the ports this rule is about: stay silent rather than guess.
    if (d.pa && hasPortLevelMtls(d.pa)) continue;
    out.set(p.workload, { d, who: `${ns}/${p.workload}` });
  }
  return [...out.values()];
}

/** KIA0204: this rule sets no TLS, so it shadows a wider rule that sends ISTIO_MUTUAL (auto-mTLS off only). */
function shadowsWiderMtls(ctx: CheckContext, dr: InventoryObject, host: string): Finding[] {
  const { root, autoMtls } = meshOf(ctx);
  if (autoMtls) return [];
  const tp = rec(rec(dr.object.spec).trafficPolicy);
  const portTls = Array.isArray(tp.portLevelSettings) && tp.portLevelSettings.some((p: unknown) => rec(p).tls !== undefined);
  if (tp.tls !== undefined || portTls) return [];
  const ns = nsOf(dr);
  const hostNs = /^[^.]+\.([^.]+)\.svc\./.exec(host)?.[1];
  const wider = destinationRulesIntersecting(ctx, host).filter((e) => {
    if (e.dr === dr || e.host === host || !hostMatches(e.host, host) || drTlsMode(e.dr) !== 'ISTIO_MUTUAL') return false;
    const where = nsOf(e.dr);
    if (isMeshWideHost(e.host)) return where === root || where === ns || where === hostNs;
    const wideNs = namespaceWideHostNs(ctx, e.host);
    return wideNs !== undefined && (where === wideNs || where === root || where === ns);
  }).map((e) => e.dr);
  if (wider.length === 0) return [];
  const names = wider.map((w) => `${nsName(w)} (host ${rec(w.object.spec).host})`).join(', ');
  const server = hostNs ? effectiveMode(ctx, hostNs) : undefined;
  const f = makeFinding(dr, 'KIA0204', tp && Object.keys(tp).length ? 'spec.trafficPolicy' : 'spec.host',
    `This DestinationRule for ${host} sets no TLS mode, and Istio applies only the most specific rule of a host: it replaces the ISTIO_MUTUAL of ${names} for ${host}. With auto-mTLS off, clients of ${host} send plain text${server?.mode === 'STRICT' ? `, which ${describePolicy(server)} refuses: every connection is reset` : ' instead of mTLS'}.`,
    `Add trafficPolicy.tls.mode ISTIO_MUTUAL to this DestinationRule (rules are not merged), or turn enableAutoMtls back on.`,
    [...wider.map((w) => ({ obj: w, path: MODE_PATH, note: 'ISTIO_MUTUAL replaced for this host' })), ...autoOffRef(ctx),
      ...(server?.mode === 'STRICT' ? policyRef(server, 'STRICT: plain text is refused') : [])]);
  if (server?.mode === 'STRICT') f.severity = 'error';
  return [f];
}

export const destinationRuleMtls: Check = {
  name: 'destinationrule-mtls',
  kinds: ['DestinationRule'],
  run(ctx, dr) {
    const spec = rec(dr.object.spec);
    const written = spec.host;
    if (typeof written !== 'string') return [];
    const ns = nsOf(dr);
    const host = fqdn(ctx, written, ns);
    const mode = drTlsMode(dr);
    const wideNs = namespaceWideHostNs(ctx, host);
    const out: Finding[] = [];
    if (isMeshWideHost(host)) {
      if (mode === 'ISTIO_MUTUAL') out.push(...mtlsWithoutPolicy(ctx, dr, {}));
      if (mode === 'DISABLE') out.push(...plainTextToStrict(ctx, dr, `every host of the mesh (${host})`, [{ d: meshMode(ctx) }]));
    } else if (wideNs !== undefined) {
      if (mode === 'ISTIO_MUTUAL') out.push(...mtlsWithoutPolicy(ctx, dr, { ns: wideNs }));
      if (mode === 'DISABLE') out.push(...plainTextToStrict(ctx, dr, `every host of namespace ${wideNs} (${host})`, [{ d: effectiveMode(ctx, wideNs) }]));
    } else if (mode === 'DISABLE') {
      const entry = resolveHost(ctx, host, ns);
      if (entry?.kind === 'Service') out.push(...plainTextToStrict(ctx, dr, host, serverDecisions(ctx, entry.namespace, entry.service?.selector)));
    }
    out.push(...shadowsWiderMtls(ctx, dr, host));
    return out;
  },
};

/** KIA0401 / KIA0501: a STRICT mesh- or namespace-wide policy while no rule sends mTLS and auto-mTLS is off. */
function strictWithoutRule(ctx: CheckContext, pa: InventoryObject, ns: string | undefined): Finding[] {
  if (meshOf(ctx).autoMtls) return [];
  const mesh = meshWideDestinationRules(ctx).filter((d) => drTlsMode(d) === 'ISTIO_MUTUAL');
  if (mesh.length > 0) return [];
  if (ns !== undefined && destinationRulesWithHost(ctx, namespaceWideHost(ctx, ns)).some((d) => drTlsMode(d) === 'ISTIO_MUTUAL')) return [];
  const where = ns === undefined ? 'mesh-wide' : `in namespace ${ns}`;
  const hostHint = ns === undefined ? '"*.local" in the root namespace' : `"${namespaceWideHost(ctx, ns)}" in namespace ${ns}`;
  return [makeFinding(pa, ns === undefined ? 'KIA0401' : 'KIA0501', 'spec.mtls.mode',
    `This PeerAuthentication requires mTLS ${where} (STRICT), but auto-mTLS is off (enableAutoMtls: false) and no DestinationRule ${ns === undefined ? 'for *.local' : `for ${namespaceWideHost(ctx, ns)} or *.local`} sets tls.mode ISTIO_MUTUAL: clients without a rule of their own send plain text, which these servers refuse.`,
    `Add a DestinationRule with host ${hostHint} and trafficPolicy.tls.mode ISTIO_MUTUAL, or turn enableAutoMtls back on.`,
    autoOffRef(ctx))];
}

/** "DestinationRule ns/name (host h, tls.mode M) makes clients [in namespace X] send mTLS". */
function describeRule(d: { dr: InventoryObject; clients?: string }, target: string): string {
  return `DestinationRule ${nsName(d.dr)} (host ${rec(d.dr.object.spec).host}, tls.mode ${drTlsMode(d.dr)}) makes ${d.clients ? `clients in namespace ${d.clients} (which use their own rule first)` : 'clients'} send mTLS to ${target}`;
}

/** KIA0505 / KIA0506: a DISABLE policy while a rule deciding for its servers (for some clients) sends mTLS. */
function disabledWithMtlsRule(ctx: CheckContext, pa: InventoryObject, ns: string | undefined): Finding[] {
  const { root } = meshOf(ctx);
  const code = ns === undefined ? 'KIA0506' : 'KIA0505';
  const target = ns === undefined ? 'the mesh' : `namespace ${ns}`;
  // The rules deciding for the namespace's hosts (a namespace-wide rule shadows a mesh-wide one: rules are not merged).
  const wideHost = ns === undefined ? undefined : namespaceWideHost(ctx, ns);
  const deciders = destinationRuleDeciders(ctx, wideHost ?? '*.local', ns ?? root).filter((d) => sendsMtls(drTlsMode(d.dr)));
  if (deciders.length === 0) return [];
  const rules = deciders.map((d) => d.dr);
  return [makeFinding(pa, code, 'spec.mtls.mode',
    `This PeerAuthentication disables mTLS in ${target}, but ${deciders.map((d) => describeRule(d, target)).join(', and ')}: servers accept only plain text, so those connections fail.`,
    wideHost !== undefined && rules.every((d) => rec(d.object.spec).host !== wideHost)
      ? `Add a DestinationRule in namespace ${ns} with host "${wideHost}" and tls.mode DISABLE, or set this policy to PERMISSIVE.`
      : `Set tls.mode DISABLE in ${rules.map((d) => `DestinationRule ${nsName(d)}`).join(', ')}, or set this policy to PERMISSIVE.`,
    rules.map((d) => ({ obj: d, path: MODE_PATH, note: 'sends mTLS' })))];
}

/** KIA0505 for a workload-level DISABLE policy: the rule deciding for its workloads' Services sends mTLS. */
function workloadDisabledWithMtlsRule(ctx: CheckContext, pa: InventoryObject, selector: Record<string, string>): Finding[] {
  if (hasPortLevelMtls(pa)) return [];
  const ns = nsOf(pa);
  const pods = podsSelected(ctx, selector, ns).filter((p) => p.hasSidecar);
  const seen = new Map<string, { dr: InventoryObject; clients?: string; hosts: string[] }>();
  const services = new Map<string, { hostname: string }>();
  for (const p of pods) for (const s of servicesSelecting(ctx, ctx.idx.podLabels(p), ns)) services.set(s.hostname, s);
  for (const s of services.values()) {
    for (const d of destinationRuleDeciders(ctx, s.hostname, ns)) {
      if (!sendsMtls(drTlsMode(d.dr))) continue;
      const key = nsName(d.dr);
      const cur = seen.get(key) ?? { dr: d.dr, clients: d.clients, hosts: [] };
      cur.hosts.push(s.hostname);
      seen.set(key, cur);
    }
  }
  if (seen.size === 0) return [];
  const list = [...seen.values()];
  return [makeFinding(pa, 'KIA0505', 'spec.mtls.mode',
    `This PeerAuthentication disables mTLS on workload${pods.length > 1 ? 's' : ''} ${someNames(pods.map((p) => `${ns}/${p.workload}`), 4)}, but ${list.map((x) => describeRule(x, x.hosts.join(', '))).join(', and ')}: those workloads accept only plain text, so the connections fail.`,
    list.every((x) => x.hosts.includes(String(fqdn(ctx, String(rec(x.dr.object.spec).host), nsOf(x.dr)))))
      ? `Set tls.mode DISABLE in ${list.map((x) => `DestinationRule ${nsName(x.dr)}`).join(', ')}, or set this policy to PERMISSIVE.`
      : `Add a DestinationRule for ${list.flatMap((x) => x.hosts)[0]} with tls.mode DISABLE in namespace ${ns}, or set this policy to PERMISSIVE.`,
    list.map((x) => ({ obj: x.dr, path: MODE_PATH, note: 'sends mTLS to these workloads' })))];
}

export const peerAuthenticationMtls: Check = {
  name: 'peerauthentication-mtls',
  kinds: ['PeerAuthentication'],
  run(ctx, pa) {
    const { root } = meshOf(ctx);
    const ns = nsOf(pa);
    const mode = paMode(pa);
    const selector = paSelector(pa);
    if (selector) {
      // Istio ignores selector policies in the root namespace; Kiali ignores every selector policy here.
      return ns !== root && mode === 'DISABLE' ? workloadDisabledWithMtlsRule(ctx, pa, selector) : [];
    }
    // Only the first selector-less policy of a namespace counts (KIA0002 reports the others).
    if (namespacePolicy(ctx, ns) !== pa) return [];
    const scope = ns === root ? undefined : ns;
    if (mode === 'STRICT') return strictWithoutRule(ctx, pa, scope);
    if (mode === 'DISABLE') return disabledWithMtlsRule(ctx, pa, scope);
    return [];
  },
};

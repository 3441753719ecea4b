/**
 * Applying a matched Gateway API rule (conversion.go `convertHTTPRoute`, `buildDestination`): filters (header
 * modifiers, redirect, URL rewrite, mirror), timeouts and retries, and weighted backendRefs — Services, Istio
 * `Hostname` backends (ServiceEntry hosts, the egress pattern) — with ReferenceGrants enforced for routes attached
 * to a Gateway. A backend Istio cannot use is kept in the split and answered 500 (Gateway semantics set Envoy's
 * cluster-not-found code to 500).
 */
import { GATEWAY_API_GROUP, type Endpoint, type Hop, type InventoryObject, type MirrorTarget, type RuleRef, type TraceProtocol } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';
import { lookupRegistryHost } from '../hosts/registry.js';
import { destinationPort, failedLeg, resolveTarget } from './destinations.js';
import { DEFAULT_RETRIES, fmtPct, parseDuration } from './faults.js';
import { apiKind, apiName, grantFor, ISTIO_GROUP } from './gwapi-objects.js';
import { describeEndpoint, ruleRef } from './refs.js';
import type { SidecarScope } from './sidecar-scope.js';
import type { Leg, ProxyContext, Request } from './types.js';

/** What the caller knows when a rule of `route` matched. */
export interface MatchedRule {
  route: InventoryObject;
  ruleIndex: number;
  /** Refs so far: listener or parent, rule, match conditions. */
  refs: RuleRef[];
  /** Sentence start: "Gateway x accepted … and rule spec.rules[0] of HTTPRoute y matched (…)". */
  why: string;
  /** True for a route attached to a Gateway: Istio checks cross-namespace backendRefs against ReferenceGrants. */
  enforceGrants: boolean;
  section: 'http' | 'tcp' | 'tls';
}

/** A backendRef resolved to a host, or why Istio cannot use it. */
interface Backend {
  index: number;
  weight: number;
  path: string;
  host?: string;
  port?: number;
  /** `Service ns/name:port`, `Hostname edition.cnn.com:80` */
  describe: string;
  refusal?: string;
  /** The Service a refused backend names (the hop's `to`). */
  intended?: Extract<Endpoint, { kind: 'service' }>;
  grantRef?: RuleRef;
  filters: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `buildDestination`: a backendRef (Service by default, or Istio's `Hostname`) as a route destination. */
function backendOf(inv: Inventory, m: MatchedRule, raw: Record<string, unknown>, index: number, path: string): Backend {
  const routeNs = m.route.ref.namespace ?? 'default';
  const kind = str(raw.kind) ?? 'Service';
  const group = str(raw.group) ?? '';
  const name = str(raw.name) ?? '';
  const ns = str(raw.namespace);
  const port = typeof raw.port === 'number' ? raw.port : undefined;
  const weight = typeof raw.weight === 'number' ? raw.weight : 1;
  const filters = headerFilterWords(raw.filters);
  const base = { index, weight, path, filters, ...(port !== undefined ? { port } : {}) };
  const target = ns ?? routeNs;
  if ((group === '' || group === 'core') && kind === 'Service') {
    const describe = `Service ${target}/${name}${port !== undefined ? `:${port}` : ''}`;
    const intended: Endpoint = { kind: 'service', namespace: target, name, host: `${name}.${target}.svc.${inv.clusterDomain}`, port: port ?? 0 };
    if (m.enforceGrants && target !== routeNs) {
      const grant = grantFor(inv, { group: GATEWAY_API_GROUP, kind: apiKind(m.route), namespace: routeNs }, { group: '', kind: 'Service', namespace: target, name });
      if (!grant) return { ...base, describe, intended, refusal: `refused: no ReferenceGrant in ${target} allows ${apiKind(m.route)} from ${routeNs}` };
      const grantRef = ruleRef(grant.grant, `spec.from[${grant.fromIndex}]`, `ReferenceGrant ${target}/${grant.grant.ref.name} lets ${apiKind(m.route)}s of ${routeNs} refer to Service ${target}/${name}.`);
      return { ...base, describe, intended, host: intended.host, grantRef, ...checkService(inv, target, name, port) };
    }
    if (name.includes('.')) return { ...base, describe, refusal: 'the name of a Service must be used, not a hostname' };
    return { ...base, describe, intended, host: intended.host, ...checkService(inv, target, name, port) };
  }
  if (group === ISTIO_GROUP && kind === 'Hostname') {
    const describe = `Hostname ${name}${port !== undefined ? `:${port}` : ''}`;
    if (ns !== undefined) return { ...base, describe, refusal: 'a Hostname backend may not set a namespace' };
    if (!lookupRegistryHost(inv, name, routeNs)) return { ...base, describe, refusal: `no Service or ServiceEntry visible from namespace ${routeNs} defines ${name}` };
    if (port === undefined) return { ...base, describe, refusal: 'port is required in backendRef' };
    return { ...base, describe, host: name };
  }
  return { ...base, describe: `${kind}${group ? `.${group}` : ''} ${target}/${name}`, refusal: `Istio does not support backendRefs of group "${group}" kind "${kind}"` };
}

function checkService(inv: Inventory, ns: string, name: string, port: number | undefined): Partial<Backend> {
  if (!inv.services.some((s) => s.namespace === ns && s.name === name)) return { refusal: `Service ${ns}/${name} does not exist` };
  if (port === undefined) return { refusal: 'port is required in backendRef' };
  return {};
}

/** RequestHeaderModifier / ResponseHeaderModifier in words. */
function headerFilterWords(filters: unknown): string[] {
  if (!Array.isArray(filters)) return [];
  return filters.flatMap((f: Record<string, unknown>) => {
    const which = f?.type === 'RequestHeaderModifier' ? 'request' : f?.type === 'ResponseHeaderModifier' ? 'response' : undefined;
    if (!which) return [];
    const spec = (which === 'request' ? f.requestHeaderModifier : f.responseHeaderModifier) as { set?: unknown; add?: unknown; remove?: unknown } | undefined;
    const pairs = (l: unknown) => (Array.isArray(l) ? l.map((h: { name?: unknown; value?: unknown }) => `${String(h?.name)}: ${String(h?.value)}`) : []);
    const parts = [
      ...pairs(spec?.set).map((p) => `sets ${p}`), ...pairs(spec?.add).map((p) => `adds ${p}`),
      ...(Array.isArray(spec?.remove) ? spec.remove.map((n: unknown) => `removes ${String(n)}`) : []),
    ];
    return parts.length > 0 ? [`${parts.join(', ')} on the ${which}`] : [];
  });
}

/** The Location a RequestRedirect filter answers with (`createRedirectFilter` and the Gateway API defaults). */
function redirectOf(filter: Record<string, unknown>, req: Request, matchedPrefix: string | undefined): { status: number; location: string } {
  const scheme = str(filter.scheme) ?? (req.protocol === 'https' ? 'https' : 'http');
  const host = str(filter.hostname) ?? req.host ?? req.ip ?? '';
  const defaultPort = scheme === 'https' ? 443 : 80;
  // with a scheme and no port the port is the scheme's; otherwise the request's
  const port = typeof filter.port === 'number' ? filter.port : filter.scheme !== undefined ? defaultPort : req.port;
  const path = req.path.split('?', 1)[0] ?? '/';
  const modifier = filter.path as { type?: unknown; replaceFullPath?: unknown; replacePrefixMatch?: unknown } | undefined;
  let newPath = path;
  if (modifier?.type === 'ReplaceFullPath' && typeof modifier.replaceFullPath === 'string') newPath = modifier.replaceFullPath;
  if (modifier?.type === 'ReplacePrefixMatch' && typeof modifier.replacePrefixMatch === 'string' && matchedPrefix !== undefined) {
    const prefix = matchedPrefix.endsWith('/') && matchedPrefix !== '/' ? matchedPrefix.slice(0, -1) : matchedPrefix;
    const rest = prefix === '/' ? path.slice(1) : path.slice(prefix.length).replace(/^\//, '');
    const replaced = modifier.replacePrefixMatch.replace(/\/$/, '');
    newPath = `${replaced}/${rest}`.replace(/\/$/, '') || '/';
  }
  const status = typeof filter.statusCode === 'number' ? filter.statusCode : 302;
  return { status, location: `${scheme}://${host}${port === defaultPort ? '' : `:${port}`}${newPath}` };
}

/** URLRewrite in words. */
function rewriteWords(filter: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof filter.hostname === 'string') parts.push(`the Host to ${filter.hostname}`);
  const p = filter.path as { type?: unknown; replaceFullPath?: unknown; replacePrefixMatch?: unknown } | undefined;
  if (p?.type === 'ReplaceFullPath') parts.push(`the path to ${String(p.replaceFullPath)}`);
  if (p?.type === 'ReplacePrefixMatch') parts.push(`the matched path prefix to ${String(p.replacePrefixMatch)}`);
  return `URLRewrite rewrites ${parts.join(' and ') || 'nothing'} before forwarding`;
}

/** Timeout and retries of a rule (`convertHTTPRoute`): `timeouts.request`, `timeouts.backendRequest`, `retry`. */
function timeoutAndRetries(rule: Record<string, unknown>): Pick<Leg, 'timeoutMs' | 'retries'> & { notes: string[] } {
  const notes: string[] = [];
  const out: Pick<Leg, 'timeoutMs' | 'retries'> & { notes: string[] } = { notes };
  const retry = rule.retry as { attempts?: unknown; codes?: unknown } | undefined;
  if (retry && typeof retry === 'object') {
    const attempts = typeof retry.attempts === 'number' ? retry.attempts : 2;
    const codes = Array.isArray(retry.codes) ? retry.codes.filter((c): c is number => typeof c === 'number') : [];
    if (attempts > 0) out.retries = { attempts, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', ...codes.map(String)].join(',') };
  } else {
    out.retries = { ...DEFAULT_RETRIES };
  }
  const timeouts = rule.timeouts as { request?: unknown; backendRequest?: unknown } | undefined;
  const request = parseDuration(timeouts?.request);
  if (request !== undefined && request > 0) {
    out.timeoutMs = request;
    notes.push(`the rule's timeouts.request (${String(timeouts!.request)}) bounds the whole request`);
  }
  const backend = parseDuration(timeouts?.backendRequest);
  if (backend !== undefined && backend > 0) {
    if (retry && out.retries) {
      out.retries = { ...out.retries, perTryTimeoutMs: backend };
      notes.push(`the rule's timeouts.backendRequest (${String(timeouts!.backendRequest)}) bounds each try`);
    } else {
      // without a retry stanza Istio makes backendRequest the route timeout
      out.timeoutMs = backend;
      notes.push(`the rule's timeouts.backendRequest (${String(timeouts!.backendRequest)}) becomes the route timeout (no retry stanza)`);
    }
  }
  return out;
}

/** The legs of a matched rule: one per backend and endpoint, refused backends answered 500, redirects answered by the proxy. */
export function apiRuleLegs(
  inv: Inventory, ctx: ProxyContext, scope: SidecarScope | undefined, m: MatchedRule, req: Request, protocol: TraceProtocol, problems: string[],
  matchedPrefix?: string,
): Leg[] {
  const rulesList = m.route.object.spec?.rules;
  const rule = ((Array.isArray(rulesList) ? rulesList[m.ruleIndex] : undefined) ?? {}) as Record<string, unknown>;
  const rulePath = `spec.rules[${m.ruleIndex}]`;
  const routeName = apiName(m.route);
  const filters = m.section === 'http' && Array.isArray(rule.filters) ? rule.filters as Array<Record<string, unknown>> : [];
  const filterRefs: RuleRef[] = [];
  const filterNotes: string[] = [];
  let redirect: { status: number; location: string } | undefined;
  let redirectRef: RuleRef | undefined;
  const mirrors: MirrorTarget[] = [];
  filters.forEach((f, k) => {
    const at = `${rulePath}.filters[${k}]`;
    switch (f?.type) {
      case 'RequestRedirect': {
        redirect = redirectOf((f.requestRedirect ?? {}) as Record<string, unknown>, req, matchedPrefix);
        redirectRef = ruleRef(m.route, at, `RequestRedirect answers ${redirect.status} with Location ${redirect.location}.`);
        break;
      }
      case 'URLRewrite': {
        const words = rewriteWords((f.urlRewrite ?? {}) as Record<string, unknown>);
        filterRefs.push(ruleRef(m.route, at, `${words}.`));
        filterNotes.push(words);
        break;
      }
      case 'RequestHeaderModifier': case 'ResponseHeaderModifier': {
        const words = headerFilterWords([f]);
        if (words.length > 0) {
          filterRefs.push(ruleRef(m.route, at, `${f.type} ${words[0]}.`));
          filterNotes.push(`${f.type} ${words[0]}`);
        }
        break;
      }
      case 'RequestMirror': {
        const mirror = mirrorOf(inv, ctx, m, (f.requestMirror ?? {}) as Record<string, unknown>, at, req);
        if (typeof mirror === 'string') problems.push(mirror);
        else if (mirror) mirrors.push(mirror);
        break;
      }
      default:
        problems.push(`${at} of ${routeName} has filter type ${String(f?.type)}, which Istio does not support; it rejects the rule.`);
    }
  });
  const filterSentence = filterNotes.length > 0 ? ` ${filterNotes.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}`).join('. ')}.` : '';

  if (redirect) {
    const to: Endpoint = { kind: 'client', ...(ctx.workload ? { namespace: ctx.workload.namespace, workload: ctx.workload.name } : {}), description: `redirect ${redirect.status} answered by ${ctx.who}` };
    const hop: Hop = { from: ctx.from, to, protocol, decidedBy: [...m.refs, redirectRef!], explanation: `${m.why}; its RequestRedirect filter (${rulePath}.filters) makes ${ctx.who} answer ${redirect.status} itself with Location: ${redirect.location}; the client follows the redirect with a new request.` };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'delivered' }, destination: to }];
  }

  const raw = Array.isArray(rule.backendRefs) ? rule.backendRefs as Array<Record<string, unknown>> : [];
  const backends = raw.map((b, k) => backendOf(inv, m, (b ?? {}) as Record<string, unknown>, k, `${rulePath}.backendRefs[${k}]`)).filter((b) => b.weight > 0);
  const total = backends.reduce((n, b) => n + b.weight, 0);
  if (total === 0) {
    const to: Endpoint = { kind: 'client', ...(ctx.workload ? { namespace: ctx.workload.namespace, workload: ctx.workload.name } : {}), description: `500 answered by ${ctx.who}` };
    const why = raw.length === 0 ? 'has no backendRefs' : 'gives every backendRef weight 0';
    const hop: Hop = { from: ctx.from, to, protocol, decidedBy: [...m.refs, ruleRef(m.route, rulePath, `Rule ${rulePath} of ${routeName} ${why}.`)], explanation: `${m.why}; the rule ${why}, so ${ctx.who} answers 500 itself (the Gateway API requires a 500 when no backend has weight).` };
    return [{ weight: 1, hops: [hop], outcome: { kind: 'no-healthy-upstream', responseCode: 500, responseFlags: '-' }, destination: to }];
  }
  const http = m.section === 'http' ? timeoutAndRetries(rule) : { notes: [] as string[] };
  const timeoutNotes = http.notes.join('; ');
  const timeoutSentence = timeoutNotes ? ` ${timeoutNotes.charAt(0).toUpperCase()}${timeoutNotes.slice(1)}.` : '';
  const timeoutRefs = http.notes.length > 0 ? [ruleRef(m.route, `${rulePath}.timeouts`, `Timeouts of ${rulePath}: ${http.notes.join('; ')}.`)] : [];

  const legs: Leg[] = [];
  for (const b of backends) {
    const share = backends.length === 1 ? 1 : b.weight / total;
    const note = backends.length === 1 ? `Sends every request of this rule to ${b.describe}.` : `Sends ${fmtPct(share)} of this rule's requests (weight ${b.weight} of ${total}) to ${b.describe}.`;
    const backendRef = ruleRef(m.route, b.path, note);
    const refs = [...m.refs, ...filterRefs, ...timeoutRefs, backendRef, ...(b.grantRef ? [b.grantRef] : [])];
    const shareNote = backends.length > 1 ? `${fmtPct(share)} of the requests (${b.path}, weight ${b.weight} of ${total})` : undefined;
    const backendFilters = b.filters.length > 0 ? ` The backendRef's filters change ${b.filters.join('; ')}.` : '';
    if (b.refusal || !b.host) {
      const http500 = m.section === 'http';
      const to: Endpoint = b.intended
        ? { ...b.intended, port: b.port ?? req.port }
        : { kind: 'external', host: String(raw[b.index]?.name ?? b.describe), port: b.port ?? req.port };
      const outcomeWords = http500 ? `${ctx.who} answers 500 (NC, cluster not found) for ${shareNote ?? 'these requests'}` : `${ctx.who} has no cluster for it and closes ${shareNote ?? 'the connections'}`;
      const hop: Hop = {
        from: ctx.from, to, protocol, decidedBy: refs,
        explanation: `${m.why}; backendRef ${b.path} (${b.describe}) is ${b.refusal?.startsWith('refused') ? b.refusal : `refused: ${b.refusal ?? 'unresolvable'}`}, so Istio drops the backend and ${outcomeWords}.`,
      };
      legs.push({ ...failedLeg(hop, http500 ? { kind: 'no-healthy-upstream', responseCode: 500, responseFlags: 'NC' } : { kind: 'connection-refused', responseCode: 503, responseFlags: 'UF' }), weight: share });
      continue;
    }
    const why = `${m.why}${filterSentence ? `;${filterSentence.replace(/\.$/, '')}` : ''}`;
    const resolved = resolveTarget(inv, ctx, scope, { host: b.host, ...(b.port !== undefined ? { port: b.port } : {}), share, refs, why, ...(shareNote ? { shareNote } : {}) }, req, protocol);
    for (const leg of resolved.legs) {
      const first = leg.hops[0]!;
      const extra = `${timeoutSentence}${backendFilters}`;
      const hops = extra ? [{ ...first, explanation: `${first.explanation}${extra}` }, ...leg.hops.slice(1)] : leg.hops;
      const delivered = leg.outcome.kind === 'delivered';
      legs.push({
        ...leg, hops, weight: share * leg.weight,
        ...(delivered && m.section === 'http' ? { ...(http.timeoutMs !== undefined ? { timeoutMs: http.timeoutMs } : {}), ...(http.retries ? { retries: http.retries } : {}) } : {}),
        ...(delivered && mirrors.length > 0 ? { mirrors } : {}),
      });
    }
  }
  return legs;
}

/** A RequestMirror filter's target (`createMirrorFilter`: percent or fraction, 100% when neither). */
function mirrorOf(inv: Inventory, ctx: ProxyContext, m: MatchedRule, filter: Record<string, unknown>, at: string, req: Request): MirrorTarget | string | undefined {
  const ref = (filter.backendRef ?? {}) as Record<string, unknown>;
  const b = backendOf(inv, m, { ...ref, weight: 1 }, 0, `${at}.requestMirror.backendRef`);
  if (b.refusal || !b.host) return `${at} of ${apiName(m.route)} mirrors to ${b.describe}, which is ${b.refusal?.startsWith('refused') ? b.refusal : `refused: ${b.refusal ?? 'unresolvable'}`}; Istio drops the mirror.`;
  const fraction = filter.fraction as { numerator?: unknown; denominator?: unknown } | undefined;
  const pct = typeof fraction?.numerator === 'number'
    ? (100 * fraction.numerator) / (typeof fraction.denominator === 'number' ? fraction.denominator : 100)
    : typeof filter.percent === 'number' ? filter.percent : 100;
  const share = Math.min(100, Math.max(0, pct)) / 100;
  if (share === 0) return undefined;
  const entry = lookupRegistryHost(inv, b.host, ctx.namespace);
  const to: Endpoint = !entry
    ? { kind: 'external', host: b.host, port: b.port ?? req.port }
    : entry.kind === 'Service'
      ? { kind: 'service', namespace: entry.namespace, name: entry.name, host: entry.host, port: destinationPort(entry, b.port, req.port) }
      : { kind: 'serviceEntry', namespace: entry.namespace, name: entry.name, host: entry.host, port: destinationPort(entry, b.port, req.port), location: entry.location, ...(entry.resolution ? { resolution: entry.resolution } : {}) };
  return { to, fraction: share, rule: ruleRef(m.route, at, `RequestMirror copies ${fmtPct(share)} of the requests to ${describeEndpoint(to)} (fire and forget; responses are discarded).`) };
}

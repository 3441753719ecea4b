/**
 * One AuthorizationPolicy rule against one request, as Istio translates it to Envoy RBAC (pilot/pkg/security/authz/
 * model): `from` entries OR'ed, `to` entries OR'ed, every `when` condition AND'ed, each field's values OR'ed and its
 * `not*` values negated; values match exactly, by `prefix*`, `*suffix` or `*` (present). Principals and namespaces
 * come from the client's mTLS certificate, so without mTLS they never match (and their `not*` forms always do). On a
 * TCP filter chain HTTP-only fields make an ALLOW rule be skipped and are dropped from DENY/CUSTOM/AUDIT rules
 * (Istio's `checkError`: a smaller allow, a wider deny).
 */
export type Action = 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';

/** What the server knows about the request when it checks policies. */
export interface RequestAttributes {
  /** HTTP filter chain (else TCP: only connection attributes exist). */
  http: boolean;
  /** The client's identity from its mTLS certificate (`cluster.local/ns/<ns>/sa/<sa>`), absent on plaintext. */
  principal?: string;
  /** The request's validated JWT principal `<iss>/<sub>`. */
  requestPrincipal?: string;
  /** Why there is no principal / request principal (for explanations). */
  noPrincipalWhy: string;
  noRequestPrincipalWhy: string;
  sourceIp?: string;
  remoteIp?: string;
  /** Authority without port. */
  host?: string;
  /** The server's (workload) port. */
  port: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  sni?: string;
}

/** A condition of a rule with where it is written and what it found. */
export interface Condition {
  path: string;
  note: string;
}

export interface RuleResult {
  matched: boolean;
  /** Conditions that held (when matched). */
  held: Condition[];
  /** The first condition that did not hold, or why the rule is skipped. */
  failed?: Condition;
}

/** Istio's string matcher: `*` any non-empty value, `prefix*`, `*suffix`, else exact. */
export function matchPattern(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v.length > 0;
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return v === p;
}

/** A path value: Istio's matcher, or a path template (`/api/{*}/x`, `/files/{**}`). */
function matchPath(pattern: string, path: string): boolean {
  if (/\{\*\*?\}/.test(pattern)) {
    const re = pattern.split(/(\{\*\*?\})/).map((part) => part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
    return new RegExp(`^${re}$`).test(path);
  }
  return matchPattern(pattern, path);
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((n) => n > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** An IP in a CIDR block (or equal to an address). */
export function inBlock(block: string, ip: string | undefined): boolean {
  if (!ip) return false;
  const [addr, bits] = block.split('/');
  const a = ipv4(addr ?? '');
  const b = ipv4(ip);
  if (a === undefined || b === undefined) return addr === ip;
  const n = bits === undefined ? 32 : Number(bits);
  if (!(n >= 0 && n <= 32)) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** `request.auth.principal` patterns: `iss/sub` with `*` on either side (requestPrincipalGenerator). */
function matchRequestPrincipal(pattern: string, principal: string | undefined): boolean {
  if (!principal) return false;
  if (pattern === '*') return true;
  const i = principal.lastIndexOf('/');
  const [iss, sub] = i >= 0 ? [principal.slice(0, i), principal.slice(i + 1)] : [principal, ''];
  const j = pattern.lastIndexOf('/');
  if (j < 0) return pattern.startsWith('*') ? sub.endsWith(pattern.slice(1)) : pattern.endsWith('*') ? iss.startsWith(pattern.slice(0, -1)) : false;
  const [pIss, pSub] = [pattern.slice(0, j), pattern.slice(j + 1)];
  const issOk = pIss === '*' ? iss.length > 0 : pIss.startsWith('*') ? iss.endsWith(pIss.slice(1)) : iss === pIss;
  const subOk = pSub === '*' ? sub.length > 0 : pSub.endsWith('*') ? sub.startsWith(pSub.slice(0, -1)) : sub === pSub;
  return issOk && subOk;
}

type Kind = 'identity' | 'http' | 'conn';
interface FieldSpec {
  kind: Kind;
  /** The value the request has, in words, for notes. */
  what: (a: RequestAttributes) => string;
  test: (pattern: string, a: RequestAttributes) => boolean;
  /** The value comes from the request's validated JWT. */
  jwt?: boolean;
}

const principalSpec: FieldSpec = { kind: 'identity', what: (a) => `principal ${a.principal}`, test: (p, a) => matchPattern(p, a.principal ? `spiffe://${a.principal}` : undefined) || matchPattern(p, a.principal) };
const namespaceSpec: FieldSpec = {
  kind: 'identity', what: (a) => `source namespace ${/\/ns\/([^/]+)\//.exec(a.principal ?? '')?.[1] ?? '?'}`,
  test: (p, a) => matchPattern(p, /\/ns\/([^/]+)\//.exec(a.principal ?? '')?.[1]),
};
const requestPrincipalSpec: FieldSpec = { kind: 'http', jwt: true, what: (a) => a.requestPrincipal ? `request principal ${a.requestPrincipal}` : `no request principal (${a.noRequestPrincipalWhy})`, test: (p, a) => matchRequestPrincipal(p, a.requestPrincipal) };
const ipSpec: FieldSpec = { kind: 'conn', what: (a) => a.sourceIp ? `source IP ${a.sourceIp}` : 'a source IP the trace does not know', test: (p, a) => inBlock(p, a.sourceIp) };
const remoteIpSpec: FieldSpec = { kind: 'conn', what: (a) => a.remoteIp ? `remote IP ${a.remoteIp}` : 'a client IP the trace does not know', test: (p, a) => inBlock(p, a.remoteIp) };
const hostSpec: FieldSpec = { kind: 'http', what: (a) => `host ${a.host ?? '(none)'}`, test: (p, a) => matchPattern(p, a.host, true) || matchPattern(p, a.host ? `${a.host}:${a.port}` : undefined, true) };
const portSpec: FieldSpec = { kind: 'conn', what: (a) => `port ${a.port}`, test: (p, a) => p === String(a.port) };
const methodSpec: FieldSpec = { kind: 'http', what: (a) => `method ${a.method}`, test: (p, a) => matchPattern(p, a.method) };
const pathSpec: FieldSpec = { kind: 'http', what: (a) => `path ${a.path}`, test: (p, a) => matchPath(p, a.path) };

const SOURCE_FIELDS: Array<[string, string, FieldSpec]> = [
  ['principals', 'notPrincipals', principalSpec],
  ['requestPrincipals', 'notRequestPrincipals', requestPrincipalSpec],
  ['namespaces', 'notNamespaces', namespaceSpec],
  ['ipBlocks', 'notIpBlocks', ipSpec],
  ['remoteIpBlocks', 'notRemoteIpBlocks', remoteIpSpec],
];
const OPERATION_FIELDS: Array<[string, string, FieldSpec]> = [
  ['hosts', 'notHosts', hostSpec],
  ['ports', 'notPorts', portSpec],
  ['methods', 'notMethods', methodSpec],
  ['paths', 'notPaths', pathSpec],
];

/** The spec of a `when` key, or undefined for a key Istio rejects (the rule is then skipped). */
function whenSpec(key: string): FieldSpec | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) {
    const name = header[1]!.toLowerCase();
    return { kind: 'http', what: (a) => `header ${name}${a.headers[name] !== undefined ? `=${a.headers[name]}` : ' absent'}`, test: (p, a) => matchPattern(p, a.headers[name]) };
  }
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) {
    const name = claim[1]!.replace(/\]\[/g, '.');
    const value = (a: RequestAttributes): string | undefined => {
      if (!a.requestPrincipal) return undefined;
      const i = a.requestPrincipal.lastIndexOf('/');
      return name === 'iss' ? a.requestPrincipal.slice(0, i) : name === 'sub' ? a.requestPrincipal.slice(i + 1) : undefined;
    };
    return { kind: 'http', jwt: true, what: (a) => value(a) !== undefined ? `claim ${name}=${value(a)}` : a.requestPrincipal ? `claim ${name}, which the trace does not know (only iss and sub come from --request-principal)` : `no JWT claims (${a.noRequestPrincipalWhy})`, test: (p, a) => value(a) === p };
  }
  switch (key) {
    case 'source.principal': return principalSpec;
    case 'source.namespace': return namespaceSpec;
    case 'source.ip': return ipSpec;
    case 'remote.ip': return remoteIpSpec;
    case 'destination.port': return portSpec;
    case 'request.auth.principal': return requestPrincipalSpec;
    case 'connection.sni': return { kind: 'conn', what: (a) => `SNI ${a.sni ?? '(none)'}`, test: (p, a) => matchPattern(p, a.sni) };
    case 'destination.ip': return { kind: 'conn', what: () => 'a destination IP the trace does not know', test: () => false };
    case 'request.auth.audiences':
    case 'request.auth.presenter':
      return { kind: 'http', what: () => `${key}, which the trace does not know`, test: () => false };
    default:
      return key.startsWith('experimental.envoy.filters.') ? { kind: 'conn', what: () => `${key}, which the trace does not know`, test: () => false } : undefined;
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const fmt = (v: string[]): string => v.length === 1 ? v[0]! : `[${v.join(', ')}]`;

/**
 * One field (values and not-values) against the request: held, failed, dropped (HTTP-only on TCP in a non-ALLOW
 * rule) or `skip` (HTTP-only on TCP in an ALLOW rule: the whole rule is skipped).
 */
function checkField(
  spec: FieldSpec, label: [string, string], at: string, notAt: string, values: string[], notValues: string[], a: RequestAttributes, action: Action,
): { state: 'held' | 'failed' | 'dropped' | 'skip'; cond: Condition } | undefined {
  if (values.length === 0 && notValues.length === 0) return undefined;
  const [name, notName] = label;
  const path = values.length > 0 ? at : notAt;
  const shown = values.length > 0 ? name : notName;
  if (spec.kind === 'http' && !a.http) {
    return action === 'ALLOW'
      ? { state: 'skip', cond: { path, note: `${shown} is HTTP-only and this is TCP traffic: Istio leaves the rule out of the TCP filter, so it cannot match` } }
      : { state: 'dropped', cond: { path, note: `${shown} is HTTP-only: Istio drops it from a ${action} rule on TCP traffic (the rule matches more)` } };
  }
  // identities come from the mTLS certificate, request principals from a validated JWT: absent, only not* forms hold
  const absent = spec.kind === 'identity' && !a.principal ? { needs: "the client's mTLS identity", why: a.noPrincipalWhy, tail: ': without mTLS principals and namespaces cannot match (Istio\'s behaviour)' }
    : spec.jwt && !a.requestPrincipal ? { needs: 'a validated JWT', why: a.noRequestPrincipalWhy, tail: '' } : undefined;
  if (absent) {
    if (values.length > 0) return { state: 'failed', cond: { path: at, note: `${name} ${fmt(values)} needs ${absent.needs}, but ${absent.why}${absent.tail}` } };
    return { state: 'held', cond: { path: notAt, note: `${notName} ${fmt(notValues)} holds: there is nothing to exclude (${absent.why})` } };
  }
  if (values.length > 0) {
    const k = values.findIndex((v) => spec.test(v, a));
    if (k < 0) return { state: 'failed', cond: { path: at, note: `${name} ${fmt(values)} does not match ${spec.what(a)}` } };
    if (notValues.length === 0) return { state: 'held', cond: { path: `${at}[${k}]`, note: `${name} ${values[k]} matches ${spec.what(a)}` } };
  }
  const n = notValues.findIndex((v) => spec.test(v, a));
  if (n >= 0) return { state: 'failed', cond: { path: `${notAt}[${n}]`, note: `${notName} ${notValues[n]} excludes ${spec.what(a)}` } };
  const k = values.findIndex((v) => spec.test(v, a));
  return { state: 'held', cond: { path: k >= 0 ? `${at}[${k}]` : notAt, note: `${k >= 0 ? `${name} ${values[k]} matches ${spec.what(a)}` : ''}${k >= 0 && notValues.length > 0 ? ' and ' : ''}${notValues.length > 0 ? `${notName} ${fmt(notValues)} does not exclude ${spec.what(a)}` : ''}` } };
}

/** Checks a list of fields (AND); a skip or failure stops. */
function checkAll(checks: Array<ReturnType<typeof checkField>>): RuleResult {
  const held: Condition[] = [];
  for (const c of checks) {
    if (!c) continue;
    if (c.state === 'failed' || c.state === 'skip') return { matched: false, held, failed: c.cond };
    held.push(c.cond);
  }
  return { matched: true, held };
}

/** Any of the entries (OR); none → every request. Reports the first entry's failure when all fail. */
function anyOf(entries: unknown[], one: (entry: Record<string, unknown>, i: number) => RuleResult): RuleResult {
  if (entries.length === 0) return { matched: true, held: [] };
  let first: RuleResult | undefined;
  for (let i = 0; i < entries.length; i++) {
    const r = one((entries[i] ?? {}) as Record<string, unknown>, i);
    if (r.matched) return r;
    first ??= r;
  }
  return first!;
}

/** Rule `spec.rules[index]` of a policy with `action` against the request. */
export function matchAuthzRule(rule: Record<string, unknown>, index: number, action: Action, a: RequestAttributes): RuleResult {
  const base = `spec.rules[${index}]`;
  const when = Array.isArray(rule.when) ? rule.when : [];
  const whenChecks: Array<ReturnType<typeof checkField>> = [];
  for (let i = 0; i < when.length; i++) {
    const c = (when[i] ?? {}) as { key?: unknown; values?: unknown; notValues?: unknown };
    const key = typeof c.key === 'string' ? c.key : '';
    const spec = whenSpec(key);
    if (!spec) return { matched: false, held: [], failed: { path: `${base}.when[${i}].key`, note: `when key "${key}" is not an attribute Istio knows: Istio skips the whole rule` } };
    whenChecks.push(checkField(spec, [`when ${key}`, `when ${key} notValues`], `${base}.when[${i}].values`, `${base}.when[${i}].notValues`, strings(c.values), strings(c.notValues), a, action));
  }
  const from = Array.isArray(rule.from) ? rule.from : [];
  const to = Array.isArray(rule.to) ? rule.to : [];
  const fromResult = anyOf(from, (entry, i) => {
    const source = (entry.source ?? {}) as Record<string, unknown>;
    const at = `${base}.from[${i}].source`;
    return checkAll(SOURCE_FIELDS.map(([f, nf, spec]) => checkField(spec, [f, nf], `${at}.${f}`, `${at}.${nf}`, strings(source[f]), strings(source[nf]), a, action)));
  });
  if (!fromResult.matched) return fromResult;
  const toResult = anyOf(to, (entry, i) => {
    const op = (entry.operation ?? {}) as Record<string, unknown>;
    const at = `${base}.to[${i}].operation`;
    return checkAll(OPERATION_FIELDS.map(([f, nf, spec]) => checkField(spec, [f, nf], `${at}.${f}`, `${at}.${nf}`, strings(op[f]), strings(op[nf]), a, action)));
  });
  if (!toResult.matched) return { matched: false, held: fromResult.held, failed: toResult.failed };
  const whenResult = checkAll(whenChecks);
  if (!whenResult.matched) return { matched: false, held: [...fromResult.held, ...toResult.held], failed: whenResult.failed };
  return { matched: true, held: [...fromResult.held, ...toResult.held, ...whenResult.held] };
}

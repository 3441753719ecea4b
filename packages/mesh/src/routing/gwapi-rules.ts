/**
 * HTTPRoute and GRPCRoute rules as istiod turns them into VirtualService http rules (conversion.go): one rule per
 * match, the routes of one parent and host merged in creation order and then sorted by the Gateway API's
 * precedence (`sortHTTPRoutes`: exact path > longer prefix > regex; then method; then more headers; then more
 * query parameters), first match wins. Paths match with Gateway semantics: a PathPrefix is path-separated.
 */
import type { InventoryObject } from '@meshlens/model';
import { apiKind, byCreation } from './gwapi-objects.js';
import { compileRegex } from './regex.js';
import type { Request } from './types.js';

type StringMatch = { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };

/** One match of a rule (or a rule without matches), in the form the ordering and matching read. */
export interface ApiHttpRule {
  route: InventoryObject;
  kind: 'HTTPRoute' | 'GRPCRoute';
  ruleIndex: number;
  /** Index into `matches`, undefined when the rule has none (it matches every request). */
  matchIndex?: number;
  /** The URI match (GRPCRoute: built from `method.service`/`method.method`). */
  uri?: StringMatch & { path: string; defaulted?: boolean };
  method?: { value: string; path: string };
  headers: Array<StringMatch & { name: string; path: string }>;
  queryParams: Array<StringMatch & { name: string; path: string }>;
  /** Only requests on this port (a mesh parentRef with `port`). */
  port?: { number: number; path: string; route: InventoryObject };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function named(list: unknown, base: string): Array<StringMatch & { name: string; path: string }> {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  return list.flatMap((h: Record<string, unknown>, k: number) => {
    const name = str(h?.name);
    if (name === undefined || seen.has(name.toLowerCase())) return []; // later entries with an equal name are ignored
    seen.add(name.toLowerCase());
    return [{ type: h.type === 'RegularExpression' ? 'RegularExpression' as const : 'Exact' as const, value: String(h.value ?? ''), name, path: `${base}[${k}]` }];
  });
}

/** The GRPCRoute method match as a URI match (`createGRPCURIMatch`). */
function grpcUri(method: Record<string, unknown> | undefined, path: string): ApiHttpRule['uri'] {
  if (!method) return undefined;
  const service = str(method.service);
  const name = str(method.method);
  if (method.type === 'RegularExpression') {
    return { type: 'RegularExpression', value: `/${service ?? '[^/]+'}/${name ?? '.+'}`, path };
  }
  if (service && name) return { type: 'Exact', value: `/${service}/${name}`, path };
  if (service) return { type: 'PathPrefix', value: `/${service}/`, path };
  if (name) return { type: 'RegularExpression', value: `/[^/]+/${name}`, path };
  return undefined;
}

/** The rules of one HTTPRoute or GRPCRoute, one per match, with the defaults the API server writes. */
export function httpRulesOf(route: InventoryObject): ApiHttpRule[] {
  const kind = apiKind(route) === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute';
  const rules: unknown = route.object.spec?.rules;
  // the API server defaults `rules` to one rule matching PathPrefix /
  const list = Array.isArray(rules) ? rules : [{}];
  return list.flatMap((rule: Record<string, unknown>, ruleIndex: number): ApiHttpRule[] => {
    const matches = Array.isArray(rule?.matches) ? rule.matches as Array<Record<string, unknown>> : [];
    if (matches.length === 0) {
      // an HTTPRoute rule without matches is defaulted to PathPrefix /; a GRPCRoute rule matches everything
      const uri = kind === 'HTTPRoute' ? { type: 'PathPrefix' as const, value: '/', path: `spec.rules[${ruleIndex}]`, defaulted: true } : undefined;
      return [{ route, kind, ruleIndex, ...(uri ? { uri } : {}), headers: [], queryParams: [] }];
    }
    return matches.map((m, matchIndex): ApiHttpRule => {
      const base = `spec.rules[${ruleIndex}].matches[${matchIndex}]`;
      let uri: ApiHttpRule['uri'];
      let method: ApiHttpRule['method'];
      if (kind === 'GRPCRoute') {
        uri = grpcUri(m?.method as Record<string, unknown> | undefined, `${base}.method`);
      } else {
        const p = m?.path as { type?: unknown; value?: unknown } | undefined;
        const type = p?.type === 'Exact' ? 'Exact' : p?.type === 'RegularExpression' ? 'RegularExpression' : 'PathPrefix';
        uri = { type, value: str(p?.value) ?? '/', path: p ? `${base}.path` : base, ...(p ? {} : { defaulted: true }) };
        if (typeof m?.method === 'string') method = { value: m.method.toUpperCase(), path: `${base}.method` };
      }
      return {
        route, kind, ruleIndex, matchIndex, ...(uri ? { uri } : {}), ...(method ? { method } : {}),
        headers: named(m?.headers, `${base}.headers`),
        queryParams: kind === 'HTTPRoute' ? named(m?.queryParams, `${base}.queryParams`) : [],
      };
    });
  });
}

function uriRank(r: ApiHttpRule): number {
  switch (r.uri?.type) {
    case 'Exact': return 3;
    case 'PathPrefix': return 2;
    case 'RegularExpression': return 1;
    default: return -1;
  }
}

function hasMatch(r: ApiHttpRule): boolean {
  return r.uri !== undefined || r.method !== undefined || r.headers.length > 0 || r.queryParams.length > 0 || r.port !== undefined;
}

/** Istio's `sortHTTPRoutes` comparator (stable): rules without a match last. */
function precedence(a: ApiHttpRule, b: ApiHttpRule): number {
  const ma = hasMatch(a);
  const mb = hasMatch(b);
  if (!ma || !mb) return ma === mb ? 0 : ma ? -1 : 1;
  const ra = uriRank(a);
  const rb = uriRank(b);
  if (ra !== rb) return rb - ra;
  const la = a.uri?.value.length ?? 0;
  const lb = b.uri?.value.length ?? 0;
  if (la !== lb) return lb - la;
  if ((a.method === undefined) !== (b.method === undefined)) return a.method ? -1 : 1;
  if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
  return b.queryParams.length - a.queryParams.length;
}

/** The rules of several routes merged as istiod merges them for one parent and host: creation order, then precedence. */
export function mergedHttpRules(routes: InventoryObject[], port?: (route: InventoryObject) => ApiHttpRule['port']): ApiHttpRule[] {
  const flat = [...routes].sort(byCreation).flatMap((r) => {
    const p = port?.(r);
    return httpRulesOf(r).map((rule) => (p ? { ...rule, port: p } : rule));
  });
  // Array.prototype.sort is stable, as Go's sort.SliceStable
  return flat.sort(precedence);
}

/** A condition of a match that held, for the trace's refs. */
export interface HeldCondition { path: string; note: string; route: InventoryObject }

function stringHolds(m: StringMatch, value: string | undefined, problems: string[]): boolean {
  if (value === undefined) return false;
  if (m.type === 'Exact') return value === m.value;
  if (m.type === 'PathPrefix') {
    if (m.value === '/' || m.value === '') return true;
    const prefix = m.value.endsWith('/') ? m.value.slice(0, -1) : m.value;
    return value === prefix || value.startsWith(`${prefix}/`);
  }
  const { re, error } = compileRegex(m.value);
  if (!re) {
    problems.push(`regex '${m.value}' is not valid RE2 (${error}); the condition never matches.`);
    return false;
  }
  return re.testExact(value);
}

function words(m: StringMatch): string {
  return m.type === 'Exact' ? `exact '${m.value}'` : m.type === 'PathPrefix' ? `prefix '${m.value}'` : `regex '${m.value}'`;
}

/** The conditions of `rule` that held for `req`, or undefined when the rule does not match. */
export function matchHttpRule(rule: ApiHttpRule, req: Request, problems: string[]): HeldCondition[] | undefined {
  const held: HeldCondition[] = [];
  const route = rule.route;
  const [uriPath = '/', query = ''] = req.path.split('?', 2) as [string, string?];
  if (rule.port) {
    if (rule.port.number !== req.port) return undefined;
    held.push({ path: rule.port.path, note: `port ${rule.port.number} (parentRef)`, route: rule.port.route });
  }
  if (rule.uri) {
    if (!stringHolds(rule.uri, uriPath, problems)) return undefined;
    const what = rule.kind === 'GRPCRoute' ? 'gRPC method' : 'path';
    held.push({ path: rule.uri.path, note: `${what} ${words(rule.uri)}${rule.uri.defaulted ? ' (the default match)' : ''}`, route });
  }
  if (rule.method) {
    if (rule.method.value !== req.method) return undefined;
    held.push({ path: rule.method.path, note: `method ${rule.method.value}`, route });
  }
  for (const h of rule.headers) {
    if (!stringHolds(h, req.headers[h.name.toLowerCase()], problems)) return undefined;
    held.push({ path: h.path, note: `header ${h.name} ${words(h)}`, route });
  }
  const params = new URLSearchParams(query);
  for (const q of rule.queryParams) {
    if (!stringHolds(q, params.get(q.name) ?? undefined, problems)) return undefined;
    held.push({ path: q.path, note: `query parameter ${q.name} ${words(q)}`, route });
  }
  return held;
}

/** `spec.rules[1].matches[0]` or `spec.rules[1]` of a rule. */
export function rulePath(rule: { ruleIndex: number; matchIndex?: number }): string {
  return rule.matchIndex === undefined ? `spec.rules[${rule.ruleIndex}]` : `spec.rules[${rule.ruleIndex}].matches[${rule.matchIndex}]`;
}

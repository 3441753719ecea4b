/** HTTP rule evaluation: first match wins; match entries OR, conditions inside one entry AND (reference §3.4). */
import type { InventoryObject } from '@meshlens/model';
import { labelsMatch } from '../inventory/query.js';
import { childPath } from './refs.js';
import { compileRegex } from './regex.js';
import { normalizeGatewayName } from './virtual-services.js';
import type { ProxyContext, Request } from './types.js';

/** One rule of a VirtualService section, in evaluation order. */
export interface RuleSlot {
  vs: InventoryObject;
  section: 'http' | 'tls' | 'tcp';
  index: number;
}

/** The rule that matched, and the conditions of the match entry that decided it. */
export interface RuleMatch {
  slot: RuleSlot;
  /** Index of the match entry, or undefined for a rule without `match` (a catch-all). */
  matchIndex?: number;
  /** Each condition that held: YAML path and words (`header end-user exact 'jason'`). */
  conditions: Array<{ path: string; note: string }>;
}

/** Slots of `section` of VirtualServices, in order; on gateways catch-all rules of merged VirtualServices go last (reference §3.4). */
export function ruleSlots(vses: InventoryObject[], section: RuleSlot['section'], catchAllsLast: boolean): RuleSlot[] {
  const slots: RuleSlot[] = [];
  const tail: RuleSlot[] = [];
  for (const vs of vses) {
    const rules: unknown = vs.object.spec?.[section];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: { match?: unknown }, index) => {
      const isCatchAll = !Array.isArray(rule?.match) || rule.match.length === 0;
      (catchAllsLast && isCatchAll && vses.length > 1 ? tail : slots).push({ vs, section, index });
    });
  }
  return [...slots, ...tail];
}

type Condition = { path: string; note: string } | false;

/**
 * Evaluates `match` entries of a rule for any section: each entry is tried in order with `evaluate`, which returns
 * the conditions that held or `false`. A rule without entries matches everything.
 */
export function matchRule(slot: RuleSlot, evaluate: (m: Record<string, unknown>, path: string) => Condition[] | false): RuleMatch | undefined {
  const rule = (slot.vs.object.spec?.[slot.section] as unknown[])[slot.index] as { match?: unknown } | undefined;
  const base = `spec.${slot.section}[${slot.index}]`;
  if (!Array.isArray(rule?.match) || rule.match.length === 0) return { slot, conditions: [] };
  for (let j = 0; j < rule.match.length; j++) {
    const m = (rule.match[j] ?? {}) as Record<string, unknown>;
    const result = evaluate(m, `${base}.match[${j}]`);
    if (result && result.every((c) => c !== false)) return { slot, matchIndex: j, conditions: result as Array<{ path: string; note: string }> };
  }
  return undefined;
}

/** The conditions every section shares: `port`, `sourceLabels`, `sourceNamespace`, `gateways`. */
export function commonConditions(m: Record<string, unknown>, path: string, vsNamespace: string, ctx: ProxyContext, port: number, gateways: string[]): Condition[] {
  const out: Condition[] = [];
  if (typeof m.port === 'number') out.push(m.port === port && { path: `${path}.port`, note: `port ${m.port}` });
  if (m.sourceLabels && typeof m.sourceLabels === 'object') {
    const sel = m.sourceLabels as Record<string, string>;
    out.push(labelsMatch(sel, ctx.labels) && { path: `${path}.sourceLabels`, note: `source labels ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')}` });
  }
  if (typeof m.sourceNamespace === 'string') out.push(m.sourceNamespace === ctx.namespace && { path: `${path}.sourceNamespace`, note: `source namespace ${m.sourceNamespace}` });
  if (Array.isArray(m.gateways) && m.gateways.length > 0) {
    // a match's own `gateways` overrides the VirtualService's list for that match
    const names = m.gateways.filter((g): g is string => typeof g === 'string').map((g) => normalizeGatewayName(g, vsNamespace));
    out.push(names.some((g) => gateways.includes(g)) && { path: `${path}.gateways`, note: `gateways ${names.join(', ')}` });
  }
  return out;
}

/** True when a StringMatch (`exact`, `prefix`, `regex`; `{}` = present) holds for `value`. Regexes are RE2, anchored. */
export function stringMatches(spec: unknown, value: string | undefined, problems: string[], ignoreCase = false): boolean {
  if (!spec || typeof spec !== 'object') return false;
  const s = spec as { exact?: unknown; prefix?: unknown; regex?: unknown };
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (typeof s.exact === 'string') return v === (ignoreCase ? s.exact.toLowerCase() : s.exact);
  if (typeof s.prefix === 'string') return v.startsWith(ignoreCase ? s.prefix.toLowerCase() : s.prefix);
  if (typeof s.regex === 'string') {
    // Envoy's safe_regex is a full match with RE2, which also keeps a hostile pattern linear in the value
    const { re, error } = compileRegex(s.regex, ignoreCase);
    if (!re) {
      problems.push(`regex '${s.regex}' is not valid RE2 (${error}); the condition never matches.`);
      return false;
    }
    return re.testExact(value);
  }
  return true; // `{}`: presence
}

/** The words for a StringMatch: `exact 'jason'`. */
export function describeStringMatch(spec: unknown): string {
  const s = (spec ?? {}) as Record<string, unknown>;
  for (const k of ['exact', 'prefix', 'regex']) if (typeof s[k] === 'string') return `${k} '${s[k] as string}'`;
  return 'present';
}

/** The conditions of one HTTP match entry against the request. */
export function httpConditions(
  m: Record<string, unknown>, path: string, vsNamespace: string, ctx: ProxyContext, req: Request, gateways: string[], problems: string[],
): Condition[] {
  const out: Condition[] = [];
  const [uriPath, query = ''] = req.path.split('?', 2) as [string, string?];
  if (m.uri !== undefined) {
    out.push(stringMatches(m.uri, uriPath, problems, m.ignoreUriCase === true) && { path: `${path}.uri`, note: `uri ${describeStringMatch(m.uri)}` });
  }
  if (m.scheme !== undefined) {
    const scheme = req.protocol === 'https' ? 'https' : 'http';
    out.push(stringMatches(m.scheme, scheme, problems) && { path: `${path}.scheme`, note: `scheme ${describeStringMatch(m.scheme)}` });
  }
  if (m.method !== undefined) out.push(stringMatches(m.method, req.method, problems) && { path: `${path}.method`, note: `method ${describeStringMatch(m.method)}` });
  if (m.authority !== undefined) out.push(stringMatches(m.authority, req.host, problems) && { path: `${path}.authority`, note: `authority ${describeStringMatch(m.authority)}` });
  if (m.headers && typeof m.headers === 'object') {
    for (const [name, spec] of Object.entries(m.headers as Record<string, unknown>)) {
      const p = childPath(`${path}.headers`, name);
      out.push(stringMatches(spec, req.headers[name.toLowerCase()], problems) && { path: p, note: `header ${name} ${describeStringMatch(spec)}` });
    }
  }
  if (m.withoutHeaders && typeof m.withoutHeaders === 'object') {
    for (const [name, spec] of Object.entries(m.withoutHeaders as Record<string, unknown>)) {
      const p = childPath(`${path}.withoutHeaders`, name);
      out.push(!stringMatches(spec, req.headers[name.toLowerCase()], problems) && { path: p, note: `without header ${name} ${describeStringMatch(spec)}` });
    }
  }
  if (m.queryParams && typeof m.queryParams === 'object') {
    const params = new URLSearchParams(query);
    for (const [name, spec] of Object.entries(m.queryParams as Record<string, unknown>)) {
      const p = childPath(`${path}.queryParams`, name);
      out.push(stringMatches(spec, params.get(name) ?? undefined, problems) && { path: p, note: `query parameter ${name} ${describeStringMatch(spec)}` });
    }
  }
  out.push(...commonConditions(m, path, vsNamespace, ctx, req.port, gateways));
  return out;
}

/**
 * Typed PromQL building blocks. Label values are escaped here, once, so no query is assembled by string
 * concatenation of user input; the same matchers also filter simulated samples (`matchesAll`).
 */

export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `label="value"`. */
export const eq = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
export const neq = (label: string, value: string): LabelMatcher => ({ label, op: '!=', value });
/** `label=~"a|b"` matching exactly one of the values (each regex-escaped). */
export const oneOf = (label: string, values: readonly string[]): LabelMatcher =>
  values.length === 1 ? eq(label, values[0]!) : { label, op: '=~', value: values.map(escapeRegex).join('|') };

/** Escapes RE2 metacharacters so a value matches literally inside `=~`. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `metric{a="1",b=~"x|y"}`. */
export function selector(metric: string, matchers: readonly LabelMatcher[]): string {
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${quote(m.value)}`).join(',')}}`;
}

/** `rate(<selector>[<seconds>s])`. */
export function rate(sel: string, seconds: number): string {
  return `rate(${sel}[${Math.round(seconds)}s])`;
}

/** `sum by (a,b) (<expr>)`; `sum(<expr>)` with no labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(',')}) (${expr})`;
}

/** `a or b or c`, each operand parenthesised. */
export function or(exprs: readonly string[]): string {
  return exprs.length === 1 ? exprs[0]! : exprs.map((e) => `(${e})`).join(' or ');
}

/** `<expr> > 0`: drops idle series as Kiali's idle condition does. */
export function positive(expr: string): string {
  return `${expr} > 0`;
}

const cache = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Whether a label set satisfies a matcher, with Prometheus' semantics (missing label = empty string, regexes anchored). */
export function matches(labels: Record<string, string>, m: LabelMatcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return anchored(m.value).test(v);
    case '!~': return !anchored(m.value).test(v);
  }
}

/** Whether a label set satisfies every matcher. */
export function matchesAll(labels: Record<string, string>, ms: readonly LabelMatcher[]): boolean {
  for (const m of ms) if (!matches(labels, m)) return false;
  return true;
}

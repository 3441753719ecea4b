/**
 * Typed PromQL building blocks. Label values are escaped here, once, so no query is assembled by string
 * concatenation of user input; the same matchers also filter simulated samples (`matchesAll`).
 */
import { RE2JS } from 're2js';

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

/**
 * `rate(<selector>[<seconds>s])`; with `at`, `rate(<selector>[<seconds>s] @ <at>)`: the window ending at that time
 * whatever the step it is evaluated at (the same at every step of a range query, so evaluated once).
 */
export function rate(sel: string, seconds: number, at?: number): string {
  return `rate(${sel}[${Math.round(seconds)}s]${at === undefined ? '' : ` @ ${at}`})`;
}

/** `sum by (a,b) (<expr>)`; `sum(<expr>)` with no labels. */
export function sumBy(labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(',')}) (${expr})`;
}

/**
 * `a or (b or c)`, each operand parenthesised. Nested to the right because Prometheus hashes every series of both
 * operands of each `or`: written `a or b or c` it reads `(a or b) or c`, and the first operand (the largest, as the
 * callers order them: the selected namespaces' own traffic, the destination side) is hashed once per operand after
 * it. The union is the same either way, the first operand's series winning.
 */
export function or(exprs: readonly string[]): string {
  if (exprs.length === 1) return exprs[0]!;
  const [first, ...rest] = exprs;
  return `(${first}) or (${or(rest)})`;
}

/** `<expr> > 0`: drops idle series as Kiali's idle condition does. */
export function positive(expr: string): string {
  return `${expr} > 0`;
}

/** A compiled `=~`/`!~` pattern: `test` is a full match; undefined when RE2 cannot compile the pattern. */
type Compiled = { test: (value: string) => boolean } | undefined;

const META = new Set('\\.+*?()|[]{}^$');

/**
 * The values of a pattern that is only escaped literals joined by `|` (what `oneOf` writes), or undefined: those
 * are matched by a set look-up, as Prometheus does, since they run for every simulated sample.
 */
function literalAlternatives(pattern: string): Set<string> | undefined {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '|') {
      values.push(current);
      current = '';
    } else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined || !META.has(next)) return undefined;
      current += next;
    } else if (META.has(c)) return undefined;
    else current += c;
  }
  values.push(current);
  return new Set(values);
}

/**
 * Compiled patterns, RE2 (re2js) as in Prometheus: the values carry namespace and workload names from requests,
 * clusters and snapshot bundles, and a backtracking engine (JS RegExp) can take minutes on one pattern. Bounded,
 * oldest out first.
 */
const MAX_CACHED = 1000;
const cache = new Map<string, Compiled>();
function compiled(pattern: string): Compiled {
  if (cache.has(pattern)) return cache.get(pattern);
  let c: Compiled;
  const literals = literalAlternatives(pattern);
  if (literals) c = { test: (v) => literals.has(v) };
  else {
    try {
      const re = RE2JS.compile(pattern);
      c = { test: (v) => re.testExact(v) };
    } catch {
      c = undefined;
    }
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(pattern, c);
  return c;
}

/**
 * Whether a label set satisfies a matcher, with Prometheus' semantics (missing label = empty string, regexes
 * anchored). A regex RE2 cannot compile selects nothing, with either operator: Prometheus refuses such a query,
 * so it has no series.
 */
export function matches(labels: Record<string, string>, m: LabelMatcher): boolean {
  const v = labels[m.label] ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return compiled(m.value)?.test(v) ?? false;
    case '!~': {
      const re = compiled(m.value);
      return re ? !re.test(v) : false;
    }
  }
}

/** Whether a label set satisfies every matcher. */
export function matchesAll(labels: Record<string, string>, ms: readonly LabelMatcher[]): boolean {
  for (const m of ms) if (!matches(labels, m)) return false;
  return true;
}

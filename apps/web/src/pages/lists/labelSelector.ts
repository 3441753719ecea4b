/**
 * Kubernetes label selectors, as `kubectl get -l` reads them: `app=reviews,version!=v1`, `app in (a,b)`,
 * `tier notin (db)`, `canary` (the key exists), `!canary` (it does not). Requirements are separated by commas
 * outside parentheses and all must hold. Parsing is strict so that a typo gets a message instead of a silently
 * empty list.
 */

export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'absent' };

export type SelectorResult = { ok: true; requirements: LabelRequirement[] } | { ok: false; error: string };

// Kubernetes label keys: an optional DNS prefix and a name of letters, digits, '-', '_' and '.'.
const KEY = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Values may be empty; otherwise the same alphabet as a key's name.
const VALUE = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at commas that are not inside parentheses; null when the parentheses do not balance. */
function splitTopLevel(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return null;
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(text.slice(start));
  return parts;
}

function checkKey(key: string, part: string): string | null {
  if (!key) return `"${part.trim()}" has no label key.`;
  return KEY.test(key) ? null : `"${key}" is not a valid label key.`;
}

function checkValue(value: string): string | null {
  return VALUE.test(value) ? null : `"${value}" is not a valid label value (letters, digits, "-", "_" and ".").`;
}

function parseRequirement(part: string): LabelRequirement | string {
  const text = part.trim();
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const key = set[1]!;
    const values = set[3]!.split(',').map((v) => v.trim());
    const bad = checkKey(key, part) ?? values.map(checkValue).find((e) => e !== null) ?? null;
    if (bad) return bad;
    if (values.length === 0 || values.every((v) => v === '')) return `"${text}" lists no value.`;
    return { key, op: set[2] as 'in' | 'notin', values: values.filter((v, i, all) => all.indexOf(v) === i) };
  }
  const cmp = /^([^=!\s]*)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (cmp) {
    const key = cmp[1]!;
    const value = cmp[3]!.trim();
    const bad = checkKey(key, part) ?? checkValue(value);
    if (bad) return bad;
    return { key, op: cmp[2] === '!=' ? 'neq' : 'eq', value };
  }
  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    return checkKey(key, part) ?? { key, op: 'absent' };
  }
  if (/\s/.test(text)) return `"${text}" is not a requirement: write key=value, key!=value, key in (a,b), key or !key.`;
  return checkKey(text, part) ?? { key: text, op: 'exists' };
}

/** Parses a selector; the empty selector selects everything. */
export function parseLabelSelector(text: string): SelectorResult {
  if (text.trim() === '') return { ok: true, requirements: [] };
  const parts = splitTopLevel(text);
  if (parts === null) return { ok: false, error: 'The parentheses do not balance.' };
  const requirements: LabelRequirement[] = [];
  for (const part of parts) {
    if (part.trim() === '') return { ok: false, error: 'An empty requirement: remove the extra comma.' };
    const r = parseRequirement(part);
    if (typeof r === 'string') return { ok: false, error: r };
    requirements.push(r);
  }
  return { ok: true, requirements };
}

/** Whether labels satisfy every requirement (as Kubernetes: `!=` and `notin` also hold when the key is absent). */
export function matchesSelector(labels: Readonly<Record<string, string>>, requirements: readonly LabelRequirement[]): boolean {
  for (const r of requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'eq':
        if (value !== r.value) return false;
        break;
      case 'neq':
        if (value === r.value) return false;
        break;
      case 'in':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && r.values.includes(value)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'absent':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** The selector written back in canonical form (`app=reviews,version!=v1`). */
export function formatSelector(requirements: readonly LabelRequirement[]): string {
  return requirements
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'neq':
          return `${r.key}!=${r.value}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'absent':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/**
 * Query strings ↔ search objects, for the router and for each route's `validateSearch`.
 *
 * The router keeps every value as the plain text it has in the URL (no JSON quoting: `duration=600`,
 * `namespaces=a,b`), so every URL Meshlens ever wrote still reads the same. Validators turn that text into typed
 * values and leave out whatever is absent or invalid; they accept their own output as well (a navigation passes
 * typed values through them), which `searchText` makes possible by turning either form back into text first.
 */

/** A search object as the router holds it: raw text from the URL, or typed values from a navigation. */
export type RawSearch = Record<string, unknown>;

/**
 * Keys a URL may repeat, each value whole (a request header `header=Accept: a, b` may hold commas): read as the list
 * of every value in order, written back as one parameter per value.
 */
export const REPEATED_KEYS: ReadonlySet<string> = new Set(['header']);

/**
 * Parses `?a=1&b=x,y` into `{a: '1', b: 'x,y'}`; a repeated key keeps its first value, as URLSearchParams.get does,
 * except the REPEATED_KEYS, which keep every value (`{header: ['a: 1', 'b: 2']}`).
 */
export function parseSearch(searchStr: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(searchStr.startsWith('?') ? searchStr.slice(1) : searchStr)) {
    if (REPEATED_KEYS.has(key)) out[key] = [...((out[key] as string[] | undefined) ?? []), value];
    else if (!(key in out)) out[key] = value;
  }
  return out;
}

/** The URL text of a search value: lists joined with commas, numbers and booleans as written; null when absent. */
export function searchText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object') return null;
  return String(value);
}

/**
 * Writes a search object as `?a=1&b=x,y` (empty: ''), keys in their order, absent values left out. Commas, slashes
 * and colons stay readable (`namespaces=a,b`, `from=default/pod1&url=https://en.wikipedia.org`): they are legal in a
 * query string as they are, which keeps links shareable.
 */
export function stringifySearch(search: RawSearch): string {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (REPEATED_KEYS.has(key) && Array.isArray(value)) {
      for (const v of value) if (v !== undefined && v !== null) p.append(key, String(v));
      continue;
    }
    const text = searchText(value);
    if (text !== null) p.set(key, text);
  }
  const query = p.toString().replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%3A/g, ':');
  return query ? `?${query}` : '';
}

/** Copies into a new object only the keys whose value is defined, so that absent means absent (see router/carry.ts). */
export function defined<T extends object>(search: T): T {
  const out = {} as T;
  for (const [key, value] of Object.entries(search)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

// Field parsers. Each takes either form of a value and answers undefined for absent or invalid input.

/** A comma-separated list, trimmed, without empties or repeats; `x=` (present but empty) is the empty list. */
export function listParam(value: unknown): string[] | undefined {
  const text = searchText(value);
  if (text === null) return undefined;
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** One of `allowed`, compared as URL text. */
export function enumParam<T extends string | number>(value: unknown, allowed: readonly T[]): T | undefined {
  const text = searchText(value);
  if (text === null) return undefined;
  return allowed.find((a) => String(a) === text);
}

/** A number written in decimal that passes `ok`. */
export function numberParam(value: unknown, ok: (n: number) => boolean = Number.isFinite): number | undefined {
  const text = searchText(value);
  if (text === null || !/^\s*-?\d+(?:\.\d+)?\s*$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && ok(n) ? n : undefined;
}

/** Unix seconds: a positive integer. */
export function unixParam(value: unknown): number | undefined {
  return numberParam(value, (n) => Number.isSafeInteger(n) && n > 0);
}

/** `true`/`1` and `false`/`0`. */
export function boolParam(value: unknown): boolean | undefined {
  const text = searchText(value);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/** Every value of a REPEATED_KEYS parameter, in order, without empties; absent when there is none. */
export function repeatedParam(value: unknown): string[] | undefined {
  const values = Array.isArray(value) ? value : value === undefined || value === null || typeof value === 'object' ? [] : [value];
  const texts = values.filter((v) => v !== undefined && v !== null && typeof v !== 'object').map(String).filter((v) => v.length > 0);
  return texts.length > 0 ? texts : undefined;
}

/** Free text; the empty string counts as absent. */
export function textParam(value: unknown): string | undefined {
  const text = searchText(value);
  return text ? text : undefined;
}

/** A search with every key present, `undefined` where the URL leaves it out (what a page writes back: router/carry.ts). */
export type Explicit<T> = { [K in keyof Required<T>]: T[K] | undefined };

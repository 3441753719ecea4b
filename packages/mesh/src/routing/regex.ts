/**
 * Regexes written in Istio objects, matched the way Envoy's `safe_regex` matches them: RE2 syntax, a full match of
 * the value. They come from cluster objects, files and what-if drafts, so they run on re2js, whose time is linear in
 * the input whatever the pattern: a backtracking engine (JS RegExp) takes minutes on `(a+)+` against 30 characters.
 */
import { RE2JS } from 're2js';

/** A compiled pattern, or why RE2 refuses it. */
export type CompiledRegex = { re: RE2JS; error?: undefined } | { re?: undefined; error: string };

/** Compiled patterns kept: a mesh writes a few dozen; the bound keeps hostile input from growing the cache. */
const MAX_CACHED = 1000;
const cache = new Map<string, CompiledRegex>();

/** Compiles an Istio regex (cached); `error` says why RE2 cannot compile it (lookaheads, back-references, bad syntax…). */
export function compileRegex(pattern: string, ignoreCase = false): CompiledRegex {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let compiled = cache.get(key);
  if (!compiled) {
    try {
      compiled = { re: RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) };
    } catch (err) {
      compiled = { error: (err instanceof Error ? err.message : String(err)).replace(/^error parsing regexp: /, '') };
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, compiled);
  }
  return compiled;
}

/** True when `pattern` (RE2) matches all of `value`; false when it does not, or when RE2 cannot compile it. */
export function regexMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const { re } = compileRegex(pattern, ignoreCase);
  return re ? re.testExact(value) : false;
}

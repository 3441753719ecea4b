/**
 * Rules that can never match (IST0130) and matches that repeat or are shadowed by earlier ones (IST0131), in rule
 * order as the proxy evaluates them: a rule after a catch-all, a match equal to an earlier one, a URI prefix that an
 * earlier prefix already covers (Istio's analyzeUnreachableHTTPRules/TCP/TLS).
 */
import type { Finding } from '@meshlens/model';
import type { Check } from './types.js';
import { makeFinding } from './finding.js';
import { arr, rec } from './lookup.js';

/** JSON with sorted keys, so equal matches compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function ruleName(section: string, rule: Record<string, any>, i: number): string {
  return section === 'http' && typeof rule.name === 'string' ? `"${rule.name}"` : `#${i}`;
}

/** An earlier HTTP match whose URI prefix covers this one with otherwise equal conditions. */
function prefixShadow(m: Record<string, any>, earlier: Record<string, any>): boolean {
  const p = rec(earlier.uri).prefix;
  const uri = rec(m.uri);
  // Istio compares prefix against prefix only: an exact URI after a covering prefix is not reported.
  const mine = uri.prefix;
  if (typeof p !== 'string' || typeof mine !== 'string' || !mine.startsWith(p) || canonical(m) === canonical(earlier)) return false;
  const rest = (x: Record<string, any>) => {
    const { uri: _u, name: _n, method, ...others } = x;
    void _u; void _n;
    return canonical({ ...others, method: method ?? { exact: 'GET' } });
  };
  return rest(m) === rest(earlier);
}

export const virtualServiceRuleOrder: Check = {
  name: 'virtualservice-rule-order',
  kinds: ['VirtualService'],
  run(_ctx, vs) {
    const out: Finding[] = [];
    for (const section of ['http', 'tcp', 'tls'] as const) {
      let catchAll: number | undefined;
      const seen = new Map<string, string>();
      const earlierMatches: Array<{ m: Record<string, any>; where: string }> = [];
      arr(rec(vs.object.spec)[section]).forEach((r, i) => {
        const rule = rec(r);
        const name = ruleName(section, rule, i);
        const matches = arr(rule.match).map(rec);
        const path = `spec.${section}[${i}]`;
        if (catchAll !== undefined) {
          out.push(makeFinding(vs, 'MLS0103', path, `Rule ${name} can never match: rule #${catchAll} before it has no match conditions and takes all traffic${matches.length === 0 ? ' (only the last rule can have no matches)' : ''}.`,
            `Move rule #${catchAll} (the catch-all) to the end of spec.${section}, or give it match conditions.`));
          return;
        }
        if (matches.length === 0) {
          catchAll = i;
          return;
        }
        let dups = 0;
        matches.forEach((m, j) => {
          const { name: _n, ...key } = m;
          void _n;
          const k = canonical(key);
          const first = seen.get(k);
          const shadow = section === 'http' && !first ? earlierMatches.find((e) => prefixShadow(m, e.m)) : undefined;
          if (first || shadow) {
            if (first) dups++; // only exact repeats make the whole rule unreachable
            out.push(makeFinding(vs, 'MLS0104', `${path}.match[${j}]`, first ? `Match ${j} of rule ${name} repeats ${first}: it can never be the one that matches.` : `Match ${j} of rule ${name} is shadowed by ${shadow!.where}: every request it matches (URI prefix ${rec(m.uri).prefix}) was already taken by that shorter prefix.`,
              first ? `Remove the duplicate match, or change its conditions.` : `Put the more specific match before ${shadow!.where}, or make the prefixes disjoint.`));
          } else {
            seen.set(k, `match ${j} of rule ${name}`);
          }
          earlierMatches.push({ m, where: `match ${j} of rule ${name}` });
        });
        if (dups === matches.length) {
          out.push(makeFinding(vs, 'MLS0103', path, `Rule ${name} can never match: all of its matches are used by earlier rules.`,
            `Remove rule ${name}, or change its match conditions.`));
        }
      });
    }
    return out;
  },
};

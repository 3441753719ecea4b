/**
 * Property tests of the loader's two YAML readers (fast-yaml.ts and the `yaml` library, the reference), with a fixed
 * seed so that a failure is reproducible: whatever the input, `parseManifests` answers the same with both, never
 * throws, and keeps every object the reference keeps.
 *
 * - generated: Kubernetes-shaped objects with hostile values (YAML look-alikes such as `yes`, `0o17`, `~`, `: `, `#`,
 *   quotes, unicode, bidi overrides, long strings, deep nesting), written by the `yaml` library in block and flow
 *   styles with every quoting choice, as multi-document files and as one `kind: List`;
 * - mutated: those texts with characters deleted, doubled or replaced by YAML's structural characters (`:`, `-`,
 *   `#`, quotes, brackets, `&`, `*`, `!`, `|`, `>`, tabs, CR), which the fast reader must either read exactly as the
 *   library does or hand to it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseManifests } from './index.js';

const SEED = 20261204;

const tricky = fc.constantFrom(
  'yes', 'no', 'on', 'off', 'True', 'FALSE', '~', 'null', 'Null', '0o17', '017', '0x1F', '1e3', '.5', '-.inf', '.NaN', '+1', '12345678901234567890',
  'a: b', 'a #b', '#x', '- x', '[x]', '{x}', '&a', '*a', '!tag', '|', '>', '"', "'", "it's", 'tab\there', 'line\nbreak', ' lead', 'trail ', '',
  'é ü 日本', '\u202Eevil\u202C', '<script>alert(1)</script>', 'javascript:alert(1)', '%25', '@x', '`x`', '---', '...', 'key:', ': value',
);
const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 3, arbitrary: tricky },
  { weight: 1, arbitrary: fc.string({ minLength: 100, maxLength: 600 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const key = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.\/_-]{0,20}$/), tricky, fc.integer({ min: 0, max: 65535 }).map(String));
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 5 }),
  ),
})).v;

const kinds = fc.constantFrom(
  ['v1', 'Service'], ['v1', 'Pod'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['apps/v1', 'Deployment'], ['networking.istio.io/v1', 'VirtualService'],
  ['networking.istio.io/v1', 'DestinationRule'], ['networking.istio.io/v1', 'Gateway'], ['security.istio.io/v1', 'PeerAuthentication'], ['example.com/v1', 'Widget'],
);
const manifest = fc.record({
  kind: kinds,
  name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), tricky),
  namespace: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { nil: undefined }),
  labels: fc.dictionary(key, fc.oneof(fc.string({ maxLength: 10 }), tricky), { maxKeys: 3 }),
  spec: fc.dictionary(key, value, { maxKeys: 6 }),
}).map(({ kind, name, namespace, labels, spec }) => ({
  apiVersion: kind[0], kind: kind[1], metadata: { name, ...(namespace ? { namespace } : {}), labels }, ...(kind[1] === 'Secret' ? { data: spec } : { spec }),
}));

const style = fc.record({
  flow: fc.boolean(),
  quote: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'>,
  indent: fc.constantFrom(2, 4),
  seqIndent: fc.boolean(),
  list: fc.boolean(),
});

function write(objects: object[], s: { flow: boolean; quote: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'; indent: number; seqIndent: boolean; list: boolean }): string {
  const options = { indent: s.indent, indentSeq: s.seqIndent, defaultStringType: s.quote, collectionStyle: s.flow ? ('flow' as const) : ('any' as const), lineWidth: 0 };
  if (s.list) return stringify({ apiVersion: 'v1', kind: 'List', items: objects }, options);
  return objects.map((o) => stringify(o, options)).join('---\n');
}

/** Both readers' answers as plain data (JSON: what a caller can see of them, positions included). */
function answers(text: string): { fast: string; reference: string } {
  const plain = (r: ReturnType<typeof parseManifests>) => JSON.stringify(r);
  return { fast: plain(parseManifests(text, { file: 'fuzz.yaml' })), reference: plain(parseManifests(text, { file: 'fuzz.yaml', reader: 'yaml' })) };
}

const STRUCTURAL = [':', ': ', '-', '- ', ' ', '\n', '#', "'", '"', '{', '}', '[', ']', ',', '&a ', '*a', '!x ', '|', '>', '\t', '\r', '\\', '---\n', '%'];

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'double', 'insert', 'replace'),
  ch: fc.constantFrom(...STRUCTURAL),
});

function mutate(text: string, edits: Array<{ at: number; op: string; ch: string }>): string {
  let t = text;
  for (const e of edits) {
    if (t.length === 0) break;
    const i = e.at % t.length;
    if (e.op === 'delete') t = t.slice(0, i) + t.slice(i + 1);
    else if (e.op === 'double') t = t.slice(0, i) + t[i] + t.slice(i);
    else if (e.op === 'insert') t = t.slice(0, i) + e.ch + t.slice(i);
    else t = t.slice(0, i) + e.ch + t.slice(i + 1);
  }
  return t;
}

describe('the loader under generated and mutated YAML (fixed seed)', () => {
  it('reads 5,000 generated files of hostile values exactly as the yaml library does, keeping every object', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 4 }), style, (objects, s) => {
        const text = write(objects, s);
        const { fast, reference } = answers(text);
        expect(fast).toBe(reference);
        const result = parseManifests(text, { file: 'fuzz.yaml' });
        // every generated object is one the loader keeps or reports, never silently lost
        expect(result.objects.length + result.errors.length).toBeGreaterThanOrEqual(objects.length);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  }, 300_000);

  it('answers 5,000 mutated files as the yaml library does (the fast reader reads them the same or hands them over), never throwing', () => {
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), style, fc.array(mutation, { minLength: 1, maxLength: 6 }), (objects, s, edits) => {
        const text = mutate(write(objects, s), edits);
        const { fast, reference } = answers(text);
        expect(fast).toBe(reference);
      }),
      { seed: SEED + 1, numRuns: 5000 },
    );
  }, 300_000);
});

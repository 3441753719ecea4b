/**
 * The fast reader against the reference (the `yaml` library): wherever it reads a text, objects, origins and every
 * field position are the same; wherever it meets YAML it does not read, it gives up and the library answers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifests } from './index.js';
import { fastParseDocuments } from './fast-yaml.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name) && info.size < 5_000_000) out.push(path);
  }
  return out;
}

/** Both readers' results as plain data (reading the positions the fast path keeps for later). */
function both(text: string) {
  const plain = (r: ReturnType<typeof parseManifests>) => JSON.parse(JSON.stringify(r)) as unknown;
  return { fast: plain(parseManifests(text, { file: 'f.yaml' })), reference: plain(parseManifests(text, { file: 'f.yaml', reader: 'yaml' })) };
}

describe('the fast YAML reader', () => {
  it('reads every manifest of the repository as the yaml library does, and most of them itself', () => {
    const files = ['packages', 'apps', 'deploy', 'e2e'].flatMap((d) => yamlFiles(join(repo, d)));
    let fast = 0;
    const differ: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (fastParseDocuments(text) === undefined) continue;
      fast++;
      const { fast: a, reference: b } = both(text);
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(file.slice(repo.length));
    }
    expect(differ).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
    // Helm templates and deliberately broken fixtures go to the library; the rest does not
    expect(fast / files.length).toBeGreaterThan(0.8);
  }, 60_000);

  const read: Array<[string, string]> = [
    ['documents and comments', '# leading\n---\napiVersion: v1 # trailing\nkind: ConfigMap\nmetadata:\n  name: a\n\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n'],
    ['scalars of every core type', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: types\nspec:\n  a: 0o17\n  b: 017\n  c: 0x1F\n  d: 1e3\n  e: .5\n  f: 1.50\n  g: +1\n  h: -.inf\n  i: .NaN\n  j: ~\n  k: null\n  l: True\n  m: FALSE\n  n: yes\n  o: "12"\n  p: \'it\'\'s\'\n  q: "tab\\there \\u00e9 \\"q\\" \\\\ \\/"\n  r: x:y\n  s: a#b\n  t: -1\n  u: 12345678901234567890\n  v:\n  w: ""\n'],
    ['literal block scalars', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blocks\ndata:\n  keep: |\n    line 1\n\n      indented\n    # not a comment\n\n\n  strip: |-\n    a\n    b\n\n  last: | # header comment\n    end\n'],
    ['sequences in both styles, nested, and `-` alone', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    args:\n      - x\n      - "y"\n    ports:\n    -\n      containerPort: 80\n    - {containerPort: 81, name: "b"}\n  tolerations: []\n  volumes: [{name: v, emptyDir: {}}]\n'],
    ['port numbers as keys, quoted and odd keys', 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: pa\n  annotations:\n    "a.b/c": "1"\n    \'d e\': f\n    <<: merge-is-a-plain-key\nspec:\n  portLevelMtls:\n    15014:\n      mode: PERMISSIVE\n    80: {mode: DISABLE}\n'],
    ['a List whose items are indented under `items:`', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  # between items\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n'],
    ['a root `items` in something that is not a List', 'apiVersion: example.com/v1\nkind: Catalog\nmetadata:\n  name: c\nitems:\n- name: x\n  price: 1\n'],
    ['empty and object-less documents', 'apiVersion: v1\nkind: List\nitems: []\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels: {}\n'],
    ['a Secret next to other objects', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: c2VjcmV0\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n'],
  ];
  for (const [what, text] of read) {
    it(`reads ${what} itself, as the yaml library does`, () => {
      expect(fastParseDocuments(text)).toBeDefined();
      const { fast, reference } = both(text);
      expect(fast).toEqual(reference);
    });
  }

  const handedOver: Array<[string, string]> = [
    ['anchors and aliases', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n a\n  labels: {x: *n}\n'],
    ['tags', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!str a\n'],
    ['folded and keep-chomping block scalars', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  f: >\n    folded\n    text\n  k: |+\n    kept\n\n'],
    ['multi-line plain scalars', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: this goes\n    on here\n'],
    ['multi-line quoted scalars', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "this goes\n    on"\n'],
    ['multi-line flow collections', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {\n  name: a }\n'],
    ['duplicate keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n'],
    ['tabs in indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n'],
    ['CRLF line ends', 'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n'],
    ['a sequence at the root', '- a\n- b\n'],
    ['a mapping nested in a compact one', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n'],
    ['escapes JSON does not have', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\\x41"\n'],
    ['boolean keys', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  true: x\n'],
    ['an unclosed flow sequence', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [broken\n'],
    ['the end-of-document marker', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n...\n'],
    ['a directive', '%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'],
  ];
  for (const [what, text] of handedOver) {
    it(`leaves ${what} to the yaml library`, () => {
      expect(fastParseDocuments(text)).toBeUndefined();
      const { fast, reference } = both(text);
      expect(fast).toEqual(reference);
    });
  }

  it('leaves nesting deeper than any Kubernetes object to the yaml library, which reports it instead of crashing', () => {
    for (const depth of [101, 5000]) {
      let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';
      for (let i = 0; i < depth; i++) block += `${' '.repeat(2 * (i + 1))}k${i}:\n`;
      const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      for (const text of [block, flow]) {
        expect(fastParseDocuments(text)).toBeUndefined();
        expect(() => parseManifests(text, { file: 'deep.yaml' })).not.toThrow();
      }
    }
    const wide = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata: [${Array.from({ length: 300 }, (_, i) => `{a: ${i}}`).join(', ')}]\n`;
    expect(fastParseDocuments(wide)).toBeDefined();
  });

  it('keeps positions as a plain enumerable property: read on first access, spread, serialized, replaced', () => {
    const [obj] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n', { file: 'cm.yaml' }).objects;
    expect(Object.keys(obj!)).toEqual(['ref', 'object', 'origin', 'positions']);
    expect({ ...obj! }.positions).toEqual({ apiVersion: { line: 1, column: 1 }, kind: { line: 2, column: 1 }, metadata: { line: 3, column: 1 }, 'metadata.name': { line: 4, column: 3 }, data: { line: 5, column: 1 }, 'data.k': { line: 6, column: 3 } });
    expect(JSON.parse(JSON.stringify(obj)).positions['data.k']).toEqual({ line: 6, column: 3 });
    obj!.positions = { kind: { line: 9, column: 9 } };
    expect(obj!.positions).toEqual({ kind: { line: 9, column: 9 } });
  });
});

import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests } from './index.js';

const service = (port: number, label: string) => `apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: shop
  labels:
    owner: ${label}
spec:
  selector:
    app: ratings
  ports:
  - name: http
    port: ${port}
`;

function load(files: Array<[string, string]>) {
  const parsed = files.map(([file, text]) => parseManifests(text, { file }));
  return buildInventory(parsed.flatMap((p) => p.objects), parsed.flatMap((p) => p.errors));
}

describe('an object declared more than once', () => {
  const a: [string, string] = ['base/10-shop.yaml', service(9080, 'base')];
  const b: [string, string] = ['overlay/ratings.yaml', service(8080, 'overlay')];
  const c: [string, string] = ['base/20-extra.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n---\n${service(7070, 'extra')}`];

  it('uses the copy of the file that sorts last by path, whatever order the files come in, and says so once', () => {
    for (const order of [[a, b, c], [c, b, a], [b, a, c], [b, c, a]]) {
      const inv = load(order);
      expect(inv.services.map((s) => `${s.namespace}/${s.name} ${s.ports.map((p) => p.port).join(',')}`)).toEqual(['shop/ratings 8080']);
      expect(inv.objects.map((o) => `${o.origin.file}:${o.origin.line} ${o.ref.kind}`)).toEqual(['base/20-extra.yaml:1 ConfigMap', 'overlay/ratings.yaml:1 Service']);
      expect(inv.errors).toEqual([{
        file: 'overlay/ratings.yaml',
        line: 1,
        column: 1,
        object: 'Service shop/ratings',
        message: 'duplicate object: declared 3 times; this copy is used, not the copies at base/10-shop.yaml:1 and base/20-extra.yaml:5. The copy in the file that sorts last by path, and the later document within a file, is used whatever order the files are given in, as `kubectl apply -f <dir>` would leave the cluster',
      }]);
    }
  });

  it('within one file the later document wins; identical copies say so; the same file given twice is no duplicate', () => {
    const twice = load([['all.yaml', `${service(1, 'one')}---\n${service(2, 'two')}`]]);
    expect(twice.services[0]!.ports[0]!.port).toBe(2);
    expect(twice.errors.map((e) => `${e.line} ${e.message.split('. ')[0]}`)).toEqual(['15 duplicate object: declared 2 times; this copy is used, not the copy at all.yaml:1']);

    const same = load([['x/a.yaml', service(1, 'same')], ['y/a.yaml', service(1, 'same')]]);
    expect(same.errors[0]!.message).toContain('not the copy at x/a.yaml:1 (identical content). ');

    expect(load([a, a]).errors).toEqual([]);
  });
});

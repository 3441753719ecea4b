import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests, positionOf } from './index.js';

const fixture = fileURLToPath(new URL('./__fixtures__/reviews.yaml', import.meta.url));
const text = readFileSync(fixture, 'utf8');

describe('parseManifests', () => {
  it('loads every document with its file, line and column', () => {
    const { objects, errors } = parseManifests(text, { file: 'reviews.yaml' });
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.ref.kind, o.ref.namespace, o.ref.name, o.origin.line])).toEqual([
      ['Namespace', undefined, 'shop', 1],
      ['Service', 'shop', 'reviews', 8],
      ['Deployment', 'shop', 'reviews-v1', 20],
      ['VirtualService', 'shop', 'reviews', 40],
      ['Secret', 'istio-system', 'reviews-credential', 67],
    ]);
  });

  it('records the position of every field path', () => {
    const vs = parseManifests(text, { file: 'reviews.yaml' }).objects[3]!;
    expect(vs.positions!['spec.http[1].route[1]']).toEqual({ line: 62, column: 7 });
    expect(vs.positions!['spec.http[1].route[1].destination.subset']).toEqual({ line: 64, column: 9 });
    expect(vs.positions!['spec.http[0].match[0].headers.end-user.exact']).toEqual({ line: 52, column: 11 });
    expect(positionOf(vs, 'spec.http[1].route[1].weight')).toEqual({ file: 'reviews.yaml', line: 65, column: 7 });
    // a path that is not written falls back to its nearest written ancestor
    expect(positionOf(vs, 'spec.http[1].route[1].destination.port')).toEqual({ file: 'reviews.yaml', line: 62, column: 7 });
  });

  it('keeps the good documents when one is malformed, and says where the bad one is', () => {
    const bad = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [broken\n---\nkind: Service\nmetadata:\n  name: nover\n---\n- just\n- a list\n`;
    const { objects, errors } = parseManifests(bad, { file: 'bad.yaml' });
    expect(objects.map((o) => o.ref.name)).toEqual(['ok']);
    expect(errors).toHaveLength(3);
    // the unclosed flow sequence of line 9 is reported where the parser gives up, before the next document
    expect(errors[0]).toMatchObject({ file: 'bad.yaml', line: 10 });
    expect(errors[1]).toEqual({ file: 'bad.yaml', line: 11, column: 1, object: 'Service nover', message: 'object is missing apiVersion' });
    expect(errors[2]).toMatchObject({ file: 'bad.yaml', line: 15, message: expect.stringContaining('not a Kubernetes object') });
  });

  it('reports a document with an alias to a missing anchor, or an alias bomb, and keeps the others', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dangling\ndata: {x: [*nowhere]}',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${bomb.split('\n').map((l) => `  ${l}`).join('\n')}`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after',
    ].join('\n---\n');
    for (const reader of [undefined, 'yaml'] as const) {
      const { objects, errors } = parseManifests(text, { file: 'aliases.yaml', ...(reader ? { reader } : {}) });
      expect(objects.map((o) => o.ref.name)).toEqual(['before', 'after']);
      expect(errors.map((e) => [e.file, e.line, e.message.replace(/:.*/, '')])).toEqual([['aliases.yaml', 6, 'cannot read this document'], ['aliases.yaml', 12, 'cannot read this document']]);
      expect(errors[0]!.message).toMatch(/alias/i);
      expect(errors[1]!.message).toMatch(/alias/i);
    }
  });

  it('unpacks kind: List with positions relative to each item', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n    namespace: x\n  spec:\n    ports:\n    - port: 80\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: b\n`;
    const { objects, errors } = parseManifests(list, { file: 'list.yaml' });
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.ref.kind, o.ref.namespace, o.ref.name, o.origin.line])).toEqual([
      ['Service', 'x', 'a', 4],
      ['ServiceAccount', 'default', 'b', 12],
    ]);
    expect(objects[0]!.positions!['spec.ports[0].port']).toEqual({ line: 11, column: 7 });
  });
});

describe('parseManifests on kind: List (what `kubectl get … -o yaml` writes)', () => {
  // 1-based lines of list: item 0 at line 4, item 1 at 17, item 2 at 27 (written `-` alone, its mapping below)
  const list = [
    'apiVersion: v1', //                                   1
    'kind: List', //                                       2
    'items:', //                                           3
    '- apiVersion: v1', //                                 4
    '  kind: Service', //                                  5
    '  metadata:', //                                      6
    '    name: reviews', //                                7
    '    namespace: shop', //                              8
    '  spec:', //                                          9
    '    selector:', //                                   10
    '      app: reviews', //                              11
    '    ports:', //                                      12
    '    - name: http', //                                13
    '      port: 9080', //                                14
    '    - name: grpc-admin', //                          15
    '      port: 9090', //                                16
    '- apiVersion: networking.istio.io/v1', //            17
    '  kind: VirtualService', //                          18
    '  metadata: {name: reviews, namespace: shop}', //    19
    '  spec:', //                                         20
    '    hosts: [reviews]', //                            21
    '    http:', //                                       22
    '    - route:', //                                    23
    '      - destination:', //                            24
    '          host: reviews', //                         25
    '          subset: v2', //                            26
    '-', //                                               27
    '  apiVersion: v1', //                                28
    '  kind: ServiceAccount', //                          29
    '  metadata:', //                                     30
    '    name: reviews', //                               31
    '    namespace: shop', //                             32
    'metadata:', //                                       33
    '  resourceVersion: ""', //                           34
  ].join('\n');

  for (const reader of ['auto', 'yaml'] as const) {
    it(`gives each item its own line and its fields their lines, relative to the item (${reader === 'auto' ? 'fast reader' : 'yaml library'})`, () => {
      const { objects, errors } = parseManifests(list, { file: 'dump.yaml', reader });
      expect(errors).toEqual([]);
      expect(objects.map((o) => [o.ref.kind, o.ref.name, o.origin.document, o.origin.line, o.origin.column])).toEqual([
        ['Service', 'reviews', 0, 4, 3],
        ['VirtualService', 'reviews', 0, 17, 3],
        ['ServiceAccount', 'reviews', 0, 28, 3],
      ]);
      const [svc, vs, sa] = objects;
      expect(svc!.positions!['spec.ports[1].name']).toEqual({ line: 15, column: 7 });
      expect(svc!.positions!['spec.ports[1]']).toEqual({ line: 15, column: 7 });
      expect(svc!.positions!['metadata.namespace']).toEqual({ line: 8, column: 5 });
      expect(vs!.positions!['spec.http[0].route[0].destination.subset']).toEqual({ line: 26, column: 11 });
      expect(vs!.positions!['spec.hosts[0]']).toEqual({ line: 21, column: 13 });
      expect(vs!.positions!['metadata.name']).toEqual({ line: 19, column: 14 });
      expect(positionOf(vs!, 'spec.http[0].route[0].destination.port')).toEqual({ file: 'dump.yaml', line: 24, column: 9 });
      expect(sa!.positions!['metadata.name']).toEqual({ line: 31, column: 5 });
      // paths are the item's own: nothing of the List or of the other items
      expect(Object.keys(svc!.positions!).filter((p) => p.startsWith('items') || p.startsWith('spec.http'))).toEqual([]);
      expect(Object.keys(sa!.positions!)).toEqual(['apiVersion', 'kind', 'metadata', 'metadata.name', 'metadata.namespace']);
    });
  }

  it('reads a List of thousands of items without going over the whole List for each item', () => {
    const items = Array.from({ length: 3000 }, (_, i) => `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n    namespace: ns-${i % 7}\n  data:\n    key: value-${i}`);
    const text = `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
    for (const reader of ['auto', 'yaml'] as const) {
      const { objects } = parseManifests(text, { file: 'big.yaml', reader });
      expect(objects).toHaveLength(3000);
      expect(objects[2999]!.origin.line).toBe(4 + 2999 * 7);
      expect(objects[2999]!.positions!['data.key']).toEqual({ line: 4 + 2999 * 7 + 6, column: 5 });
      expect(Object.keys(objects[1500]!.positions!)).toHaveLength(7);
    }
  });
});

describe('buildInventory', () => {
  const { objects, errors } = parseManifests(text, { file: 'reviews.yaml' });
  const inv = buildInventory(objects, errors);

  it('indexes services by FQDN and workloads as Istio names them, with pods from the template', () => {
    expect([...inv.servicesByHost.keys()]).toEqual(['reviews.shop.svc.cluster.local']);
    expect(inv.workloads).toHaveLength(1);
    const w = inv.workloads[0]!;
    expect({ ns: w.namespace, name: w.name, kind: w.kind, app: w.app, version: w.version, sa: w.serviceAccount, replicas: w.replicas, sidecar: w.hasSidecar })
      .toEqual({ ns: 'shop', name: 'reviews-v1', kind: 'Deployment', app: 'reviews', version: 'v1', sa: 'bookinfo-reviews', replicas: 2, sidecar: true });
    expect(w.pods).toHaveLength(2);
    expect(w.pods.every((p) => p.synthetic && p.labels.version === 'v1' && /^10\.244\.\d+\.\d+$/.test(p.ip ?? ''))).toBe(true);
    expect(inv.istio.VirtualService.map((o) => o.ref.name)).toEqual(['reviews']);
    expect(inv.meshConfig).toEqual({ rootNamespace: 'istio-system', outboundTrafficPolicy: 'ALLOW_ANY', trustDomain: 'cluster.local', enableAutoMtls: true });
  });

  it('never keeps the contents of a Secret', () => {
    const secret = inv.secrets[0]!;
    expect(secret.object).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'reviews-credential', namespace: 'istio-system', annotations: {} }, type: 'kubernetes.io/tls' });
    expect(JSON.stringify(inv)).not.toContain('ZmFrZQ==');
  });

  it('groups real pods under their Deployment through the ReplicaSet owner', () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: reviews-v1-7d4f9c6b8-x2x9q\n  namespace: shop\n  labels: {app: reviews, version: v1}\n  ownerReferences:\n  - {apiVersion: apps/v1, kind: ReplicaSet, name: reviews-v1-7d4f9c6b8, controller: true}\nspec:\n  nodeName: worker-2\n  containers:\n  - name: reviews\n  - name: istio-proxy\nstatus:\n  podIP: 10.1.2.3\n  hostIP: 192.168.1.12\n`;
    const parsed = parseManifests(pod, { file: 'pod.yaml' });
    const inv2 = buildInventory([...objects, ...parsed.objects]);
    const w = inv2.workloadsByKey.get('shop/reviews-v1')!;
    expect(w.pods.map((p) => [p.name, p.ip, p.hostIP, p.nodeName, p.hasSidecar, p.synthetic])).toEqual([
      ['reviews-v1-7d4f9c6b8-x2x9q', '10.1.2.3', '192.168.1.12', 'worker-2', true, false],
    ]);
  });

  it('reads outboundTrafficPolicy from the istio ConfigMap', () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n  mesh: |-\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n`;
    const inv3 = buildInventory(parseManifests(cm).objects);
    expect(inv3.meshConfig.outboundTrafficPolicy).toBe('REGISTRY_ONLY');
  });
});

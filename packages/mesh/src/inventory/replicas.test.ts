import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInventory, MAX_SYNTHETIC_PODS, parseManifests, podCount, type Inventory } from './index.js';
import { traceRequest } from '../routing/index.js';
import { buildGraph } from '../graph/index.js';
import { checkInventory } from '../checks/index.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** Parses and builds a fixture, timed: a replica count must cost nothing, whatever it says. */
function timedInventory(name: string): { inv: Inventory; ms: number } {
  const t0 = performance.now();
  const { objects, errors } = parseManifests(fixture(name), { file: name });
  const inv = buildInventory(objects, errors);
  return { inv, ms: performance.now() - t0 };
}

/** A workload as the counts see it: kind, replicas asked, pods counted, and the pods the inventory made. */
const counts = (inv: Inventory) => inv.workloads.map((w) => ({
  name: `${w.namespace}/${w.name}`, kind: w.kind, replicas: w.replicas, podCount: podCount(w), pods: w.pods.map((p) => p.name),
}));

describe('huge replica counts', () => {
  // The 1,000,000 Deployment alone took 12 s and 1 GB when the inventory made one pod per replica.
  const { inv, ms } = timedInventory('huge-replicas.yaml');

  it('builds the inventory in well under a second, counting the replicas and making at most 3 pods from each template', () => {
    expect(ms).toBeLessThan(500);
    expect(MAX_SYNTHETIC_PODS).toBe(3);
    expect(counts(inv)).toEqual([
      { name: 'shop/productpage-v1', kind: 'Deployment', replicas: 1, podCount: 1, pods: ['productpage-v1-1uk9fm800-epw9f'] },
      // the pods keep the names they always had: <workload>-<hash>-<suffix of the replica index>
      { name: 'shop/reviews-v1', kind: 'Deployment', replicas: 2147483647, podCount: 2147483647, pods: ['reviews-v1-g5l3hz000-epw9f', 'reviews-v1-g5l3hz000-efwnq', 'reviews-v1-g5l3hz000-f9vgt'] },
      { name: 'shop/reviews-v2', kind: 'Deployment', replicas: 1000000, podCount: 1000000, pods: ['reviews-v2-gfkp6y000-epw9f', 'reviews-v2-gfkp6y000-efwnq', 'reviews-v2-gfkp6y000-f9vgt'] },
      { name: 'shop/reviews-v3', kind: 'Deployment', replicas: 0, podCount: 0, pods: [] },
    ]);
    expect(inv.pods).toHaveLength(7);
    expect(inv.workloadsByKey.get('shop/reviews-v1')!.pods.every((p) => p.synthetic && p.hasSidecar && p.labels.version === 'v1')).toBe(true);
  });

  it('spreads requests by the replica counts, not by the pods made to stand for them', () => {
    const t0 = performance.now();
    const r = traceRequest(inv, { source: { kind: 'workload', namespace: 'shop', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => ({ weight: p.weight, destination: p.destination, explanation: p.hops.at(-1)!.explanation }))).toEqual([
      {
        weight: 0.999534555452, // 2147483647 / 2148483647, as trace weights are rounded
        destination: { kind: 'workload', namespace: 'shop', name: 'reviews-v1', pods: 2147483647, version: 'v1', app: 'reviews' },
        explanation: 'reviews.shop.svc.cluster.local:9080 has endpoints in workload shop/reviews-v1 (2147483647 of 2148483647 pods); requests are spread by pod count.',
      },
      {
        weight: 0.000465444548,
        destination: { kind: 'workload', namespace: 'shop', name: 'reviews-v2', pods: 1000000, version: 'v2', app: 'reviews' },
        explanation: 'reviews.shop.svc.cluster.local:9080 has endpoints in workload shop/reviews-v2 (1000000 of 2148483647 pods); requests are spread by pod count.',
      },
    ]);
  });

  it('assembles the graph: the pods listed are the sample, a Deployment scaled to 0 is dead', () => {
    const t0 = performance.now();
    const g = buildGraph(inv, {}, { graphType: 'workload', namespaces: ['shop'], duration: 600, queryTime: 1767225600, includeIdle: true });
    expect(performance.now() - t0).toBeLessThan(500);
    const idle = { traffic: [{ protocol: 'http', rates: { httpIn: 0, httpOut: 0 } }], health: 'NA', parent: 'box-ns-shop' };
    expect(g.elements).toEqual({
      nodes: [
        { data: { id: 'box-ns-shop', nodeType: 'box', namespace: 'shop', isBox: 'namespace', label: 'shop' } },
        {
          data: {
            id: 'wl:shop:productpage-v1', nodeType: 'workload', namespace: 'shop', workload: 'productpage-v1', app: 'productpage', version: 'v1', label: 'productpage-v1', isIdle: true,
            labels: { app: 'productpage', version: 'v1' },
            pods: [{ name: 'productpage-v1-1uk9fm800-epw9f', hasSidecar: true, ip: '10.244.155.186', hostIP: '10.0.0.35', nodeName: 'node-3' }],
            ...idle,
          },
        },
        {
          data: {
            id: 'wl:shop:reviews-v1', nodeType: 'workload', namespace: 'shop', workload: 'reviews-v1', app: 'reviews', version: 'v1', label: 'reviews-v1', isIdle: true,
            labels: { app: 'reviews', version: 'v1' },
            pods: [
              { name: 'reviews-v1-g5l3hz000-efwnq', hasSidecar: true, ip: '10.244.5.61', hostIP: '10.0.0.16', nodeName: 'node-2' },
              { name: 'reviews-v1-g5l3hz000-epw9f', hasSidecar: true, ip: '10.244.123.170', hostIP: '10.0.0.197', nodeName: 'node-1' },
              { name: 'reviews-v1-g5l3hz000-f9vgt', hasSidecar: true, ip: '10.244.237.178', hostIP: '10.0.0.16', nodeName: 'node-2' },
            ],
            ...idle,
          },
        },
        {
          data: {
            id: 'wl:shop:reviews-v2', nodeType: 'workload', namespace: 'shop', workload: 'reviews-v2', app: 'reviews', version: 'v2', label: 'reviews-v2', isIdle: true,
            labels: { app: 'reviews', version: 'v2' },
            pods: [
              { name: 'reviews-v2-gfkp6y000-efwnq', hasSidecar: true, ip: '10.244.233.188', hostIP: '10.0.0.16', nodeName: 'node-2' },
              { name: 'reviews-v2-gfkp6y000-epw9f', hasSidecar: true, ip: '10.244.1.60', hostIP: '10.0.0.35', nodeName: 'node-3' },
              { name: 'reviews-v2-gfkp6y000-f9vgt', hasSidecar: true, ip: '10.244.21.44', hostIP: '10.0.0.197', nodeName: 'node-1' },
            ],
            ...idle,
          },
        },
        {
          data: {
            id: 'wl:shop:reviews-v3', nodeType: 'workload', namespace: 'shop', workload: 'reviews-v3', app: 'reviews', version: 'v3', label: 'reviews-v3', isIdle: true, isDead: true,
            labels: { app: 'reviews', version: 'v3' },
            ...idle,
          },
        },
      ],
      edges: [],
    });
  });

  it('runs every check over it quickly, with nothing to report', () => {
    const t0 = performance.now();
    expect(checkInventory(inv)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('counts the Pod objects the input has, whatever the replicas say', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: reviews-v1-7d4f9c6b8-x2x9q
  namespace: shop
  labels:
    app: reviews
    version: v1
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: reviews-v1-7d4f9c6b8
    controller: true
spec:
  containers:
  - name: reviews
    image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
  - name: istio-proxy
    image: docker.io/istio/proxyv2:1.23.2
status:
  podIP: 10.244.2.17
`;
    const objects = [...parseManifests(fixture('huge-replicas.yaml'), { file: 'huge-replicas.yaml' }).objects, ...parseManifests(pod, { file: 'pod.yaml' }).objects];
    const w = buildInventory(objects).workloadsByKey.get('shop/reviews-v1')!;
    expect({ replicas: w.replicas, podCount: podCount(w), pods: w.pods.map((p) => [p.name, p.ip, p.synthetic]) })
      .toEqual({ replicas: 2147483647, podCount: 1, pods: [['reviews-v1-7d4f9c6b8-x2x9q', '10.244.2.17', false]] });
  });
});

describe('replica values the API server would refuse', () => {
  it('clamps them instead of crashing: negative is 0, NaN or a string is the default 1, a fraction rounds down, too many is the int32 maximum', () => {
    const { inv, ms } = timedInventory('odd-replicas.yaml');
    expect(ms).toBeLessThan(500);
    expect(counts(inv)).toEqual([
      { name: 'odd/negative', kind: 'Deployment', replicas: 0, podCount: 0, pods: [] },
      { name: 'odd/not-a-number', kind: 'StatefulSet', replicas: 1, podCount: 1, pods: ['not-a-number-1iu2r4400-epw9f'] },
      { name: 'odd/fraction', kind: 'Deployment', replicas: 2, podCount: 2, pods: ['fraction-11uz1jh00-epw9f', 'fraction-11uz1jh00-efwnq'] },
      { name: 'odd/infinite', kind: 'ReplicaSet', replicas: 2147483647, podCount: 2147483647, pods: ['infinite-svxdx3000-epw9f', 'infinite-svxdx3000-efwnq', 'infinite-svxdx3000-f9vgt'] },
      { name: 'odd/too-many', kind: 'Deployment', replicas: 2147483647, podCount: 2147483647, pods: ['too-many-1va8hi500-epw9f', 'too-many-1va8hi500-efwnq', 'too-many-1va8hi500-f9vgt'] },
      { name: 'odd/quoted', kind: 'Deployment', replicas: 1, podCount: 1, pods: ['quoted-1clo7kj00-epw9f'] },
    ]);
    const g = buildGraph(inv, {}, { graphType: 'workload', namespaces: ['odd'], duration: 600, queryTime: 1767225600, includeIdle: true });
    expect(g.elements.nodes.filter((n) => n.data.isDead).map((n) => n.data.id)).toEqual(['wl:odd:negative']);
    expect(checkInventory(inv)).toEqual([]);
  });
});

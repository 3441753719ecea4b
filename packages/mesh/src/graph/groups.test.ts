import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { groupGraph, neighbourhood, viewGraph, worseHealth } from './groups.js';

const node = (id: string, extra: Partial<NodeData> = {}): { data: NodeData } => {
  const [, ns, app, version] = id.split(':');
  return { data: { id, nodeType: 'app', namespace: ns!, app, version, workload: `${app}-${version}`, parent: `box-ns-${ns}`, health: 'Healthy', ...extra } };
};
const box = (ns: string) => ({ data: { id: `box-ns-${ns}`, nodeType: 'box' as const, namespace: ns, isBox: 'namespace' as const, label: ns } });
const http = (source: string, target: string, rates: Record<string, number>, extra: Partial<EdgeData> = {}): { data: EdgeData } => ({
  data: { id: `${source}->${target}:http`, source, target, traffic: { protocol: 'http', rates, responses: { '200': { flags: { '-': 100 }, hosts: { h: 100 } } } }, reporter: 'destination', healthStatus: 'Healthy', ...extra },
});

/** Two teams of three workloads each, a gateway in istio-system calling both, team-a calling team-b, and the outside world. */
function mesh(): GraphResponse {
  return {
    timestamp: 0, duration: 600, graphType: 'versionedApp', namespaces: ['team-a', 'team-b', 'istio-system'],
    elements: {
      nodes: [
        box('team-a'), box('team-b'), box('istio-system'),
        node('vapp:istio-system:gw:v1'),
        node('vapp:team-a:web:v1'), node('vapp:team-a:api:v1'), node('vapp:team-a:api:v2', { health: 'Failure', healthErrorRatio: 0.4 }),
        node('vapp:team-b:db:v1'), node('vapp:team-b:cache:v1', { health: 'Degraded' }), node('vapp:team-b:queue:v1'),
        { data: { id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', isEgressCluster: 'PassthroughCluster', health: 'NA' } },
      ],
      edges: [
        http('vapp:istio-system:gw:v1', 'vapp:team-a:web:v1', { http: 10, httpPercentReq: 50 }),
        http('vapp:istio-system:gw:v1', 'vapp:team-b:db:v1', { http: 10, httpPercentReq: 50 }),
        http('vapp:team-a:web:v1', 'vapp:team-a:api:v1', { http: 4 }),
        http('vapp:team-a:web:v1', 'vapp:team-a:api:v2', { http: 6, http5xx: 3 }, { healthStatus: 'Failure' }),
        http('vapp:team-a:api:v1', 'vapp:team-b:db:v1', { http: 3, http4xx: 1 }, { responseTime: 20, isMTLS: 100, throughput: 100 }),
        http('vapp:team-a:api:v2', 'vapp:team-b:cache:v1', { http: 1 }, { responseTime: 80, isMTLS: 0, throughput: 50, healthStatus: 'Degraded' }),
        http('vapp:team-b:queue:v1', 'egress:PassthroughCluster', { http: 2 }),
      ],
    },
  };
}

const ids = (g: GraphResponse) => g.elements.nodes.map((n) => n.data.id).sort();

describe('node budget', () => {
  it('leaves a graph within budget alone, saying so', () => {
    const g = groupGraph(mesh(), 300);
    expect(g.elements).toEqual(mesh().elements);
    expect(g.grouping).toEqual({ budget: 300, total: 8, visible: 8, expanded: [] });
    expect(groupGraph(mesh(), 0)).toEqual(mesh());
  });

  it('collapses namespaces into groups with stable ids, worst health and unhealthy counts', () => {
    const g = groupGraph(mesh(), 4);
    expect(ids(g)).toEqual(['egress:PassthroughCluster', 'group:ns:team-a', 'group:ns:team-b', 'vapp:istio-system:gw:v1', 'box-ns-istio-system'].sort());
    const a = g.elements.nodes.find((n) => n.data.id === 'group:ns:team-a')!.data;
    expect(a).toMatchObject({ nodeType: 'box', namespace: 'team-a', label: 'team-a (+3)', health: 'Failure', healthErrorRatio: 0.4 });
    expect(a.group).toEqual({
      kind: 'namespace', key: 'team-a', count: 3, unhealthy: 1,
      members: [
        { id: 'vapp:team-a:api:v1', name: 'api v1', health: 'Healthy' },
        { id: 'vapp:team-a:api:v2', name: 'api v2', health: 'Failure' },
        { id: 'vapp:team-a:web:v1', name: 'web v1', health: 'Healthy' },
      ],
    });
    expect(a.parent).toBeUndefined();
    const b = g.elements.nodes.find((n) => n.data.id === 'group:ns:team-b')!.data;
    expect(b.health).toBe('Degraded');
    expect(b.group!.unhealthy).toBe(1);
    expect(g.grouping).toEqual({ budget: 4, total: 8, visible: 4, expanded: [] });
    // Same input, same output: ids and order do not depend on anything else.
    expect(groupGraph(mesh(), 4)).toEqual(g);
  });

  it('sums edges between groups and from single nodes to groups; drops edges inside a group', () => {
    const g = groupGraph(mesh(), 4);
    const edges = Object.fromEntries(g.elements.edges.map((e) => [e.data.id, e.data]));
    expect(Object.keys(edges).sort()).toEqual([
      'group:ns:team-a->group:ns:team-b:http',
      'group:ns:team-b->egress:PassthroughCluster:http',
      'vapp:istio-system:gw:v1->group:ns:team-a:http',
      'vapp:istio-system:gw:v1->group:ns:team-b:http',
    ]);
    const between = edges['group:ns:team-a->group:ns:team-b:http']!;
    expect(between).toMatchObject({
      source: 'group:ns:team-a', target: 'group:ns:team-b', group: { edges: 2 },
      healthStatus: 'Degraded', responseTime: 80, throughput: 150, isMTLS: 75,
    });
    expect(between.traffic.rates).toEqual({ http: 4, http4xx: 1, httpPercentErr: 25, httpPercentReq: 100 });
    expect(between.traffic.responses).toEqual({ '200': { flags: { '-': 100 }, hosts: { h: 100 } } });
    // One underlying edge, re-pointed: its numbers as they were.
    expect(edges['vapp:istio-system:gw:v1->group:ns:team-a:http']!.traffic.rates.http).toBe(10);
  });

  it('keeps expanded namespaces open and collapses their apps when still over budget', () => {
    const open = groupGraph(mesh(), 6, ['team-a']);
    expect(ids(open)).toContain('vapp:team-a:api:v2');
    expect(ids(open)).toContain('group:ns:team-b');
    expect(open.grouping!.expanded).toEqual(['team-a']);
    const apps = groupGraph(mesh(), 4, ['team-a']);
    const api = apps.elements.nodes.find((n) => n.data.id === 'group:app:team-a:api')!.data;
    expect(api).toMatchObject({ parent: 'box-ns-team-a', label: 'api (+2)', health: 'Failure', group: { kind: 'app', key: 'team-a/api', count: 2, unhealthy: 1 } });
    expect(ids(apps)).toContain('vapp:team-a:web:v1');
    expect(ids(groupGraph(mesh(), 4, ['team-a', 'team-a/api']))).toContain('vapp:team-a:api:v1');
  });
});

describe('neighbourhood', () => {
  it('keeps the nodes within the hops, in either direction, with their boxes', () => {
    const one = neighbourhood(mesh(), 'vapp:team-a:api:v1', 1);
    expect(ids(one)).toEqual(['box-ns-team-a', 'box-ns-team-b', 'vapp:team-a:api:v1', 'vapp:team-a:web:v1', 'vapp:team-b:db:v1']);
    expect(one.elements.edges.map((e) => e.data.id)).toEqual(['vapp:team-a:web:v1->vapp:team-a:api:v1:http', 'vapp:team-a:api:v1->vapp:team-b:db:v1:http']);
    const two = neighbourhood(mesh(), 'vapp:team-a:api:v1', 2);
    expect(ids(two)).toContain('vapp:istio-system:gw:v1');
    expect(ids(two)).toContain('vapp:team-a:api:v2');
    expect(ids(two)).not.toContain('vapp:team-b:queue:v1');
  });

  it('treats a group id as its members and an unknown id as the whole graph', () => {
    expect(ids(neighbourhood(mesh(), 'group:ns:team-b', 1))).toContain('egress:PassthroughCluster');
    expect(neighbourhood(mesh(), 'nope', 2)).toEqual(mesh());
  });

  it('applies the neighbourhood before the budget', () => {
    const g = viewGraph(mesh(), { focus: 'vapp:team-a:web:v1', hops: 1, budget: 2 });
    expect(g.neighbourhood).toEqual({ focus: 'vapp:team-a:web:v1', hops: 1 });
    expect(ids(g)).toEqual(['box-ns-istio-system', 'group:ns:team-a', 'vapp:istio-system:gw:v1']);
  });
});

it('ranks health Failure > Degraded > Healthy > NA', () => {
  expect(worseHealth('Healthy', 'Degraded')).toBe('Degraded');
  expect(worseHealth('Failure', 'Degraded')).toBe('Failure');
  expect(worseHealth(undefined, 'Healthy')).toBe('Healthy');
});

describe('views of one parsed graph', () => {
  // The server keeps the last assembled graph parsed and computes every view from it (routes/graph.ts parsedGraph):
  // a view that wrote into its input would leak into the next one.
  const deepFreeze = <T>(value: T): T => {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
  };
  it('leaves its input as it was, so the next view of the same graph gives the same answer', () => {
    const fresh = (options: Parameters<typeof viewGraph>[1]) => JSON.stringify(viewGraph(mesh(), options));
    const shared = deepFreeze(mesh());
    const views: Array<Parameters<typeof viewGraph>[1]> = [
      { budget: 3 },
      { budget: 3, expand: ['team-a'] },
      { budget: 2, expand: ['team-a', 'team-b'] },
      { budget: 3, focus: 'vapp:team-a:api:v2', hops: 1 },
      { budget: 0, focus: 'group:ns:team-b', hops: 2 },
    ];
    for (const options of views) expect(JSON.stringify(viewGraph(shared, options))).toBe(fresh(options));
    expect(JSON.stringify(shared)).toBe(JSON.stringify(mesh()));
  });

  it('sums an edge between two groups once per graph, and again for another graph', () => {
    const graph = mesh();
    // budget 2: team-a and team-b collapse; istio-system has one node and stays as it is
    const edge = (g: GraphResponse) => g.elements.edges.find((e) => e.data.id === 'group:ns:team-a->group:ns:team-b:http')!.data;
    const before = edge(groupGraph(graph, 2));
    expect(before).toMatchObject({ source: 'group:ns:team-a', target: 'group:ns:team-b', traffic: { rates: { http: 4, http4xx: 1, httpPercentErr: 25 } }, group: { edges: 2 }, responseTime: 80, healthStatus: 'Degraded' });
    // the same key in a later view of the same graph: the same sum, not computed again
    expect(edge(groupGraph(graph, 2))).toBe(before);
    // another graph (a new window) sums its own
    const other = mesh();
    other.elements.edges[4] = http('vapp:team-a:api:v1', 'vapp:team-b:db:v1', { http: 7 });
    expect(edge(groupGraph(other, 2))).not.toBe(before);
    expect(edge(groupGraph(other, 2)).traffic.rates.http).toBe(8);
  });
});

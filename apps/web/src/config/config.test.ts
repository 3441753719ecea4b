import { describe, expect, it } from 'vitest';
import type { Finding, GraphResponse, NodeData } from '@meshlens/model';
import { configClass, configHealthByNode, describeConfigHealth, markGraph } from './graphFindings';

const finding = (over: Partial<Finding> & Pick<Finding, 'code' | 'object'>): Finding => ({ severity: 'error', message: 'm', path: 'spec', references: [], ...over });

describe('config-health markers on graph nodes', () => {
  const node = (data: Partial<NodeData> & Pick<NodeData, 'id'>) => ({ data: { nodeType: 'workload', namespace: 'istio-system', ...data } as NodeData });
  const graph: GraphResponse = {
    timestamp: 1790000000,
    duration: 600,
    graphType: 'workload',
    namespaces: ['istio-system', 'default', 'bookinfo'],
    elements: {
      nodes: [
        node({ id: 'box-istio-system', nodeType: 'box', isBox: 'namespace' }),
        node({ id: 'egw', parent: 'box-istio-system', workload: 'istio-egressgateway', app: 'istio-egressgateway', destServices: [{ namespace: 'istio-system', name: 'istio-egressgateway' }] }),
        node({ id: 'box-default', nodeType: 'box', isBox: 'namespace', namespace: 'default' }),
        node({ id: 'client', parent: 'box-default', namespace: 'default', workload: 'pod1', pods: [{ name: 'pod1', hasSidecar: true }] }),
        node({ id: 'box-bookinfo', nodeType: 'box', isBox: 'namespace', namespace: 'bookinfo' }),
        node({ id: 'reviews', parent: 'box-bookinfo', namespace: 'bookinfo', nodeType: 'service', service: 'reviews', hasVS: { hostnames: ['reviews'], objects: [{ namespace: 'bookinfo', name: 'reviews' }] } }),
        node({ id: 'ratings', parent: 'box-bookinfo', namespace: 'bookinfo', workload: 'ratings-v1' }),
        node({ id: 'wiki', namespace: 'bookinfo', nodeType: 'service', isServiceEntry: { hosts: ['*.wikipedia.org'], location: 'MESH_EXTERNAL', namespace: 'bookinfo', name: 'wikipedia' } }),
      ],
      edges: [
        { data: { id: 'e1', source: 'client', target: 'egw', traffic: { protocol: 'tcp', rates: {} } } as never },
        { data: { id: 'e2', source: 'reviews', target: 'ratings', traffic: { protocol: 'http', rates: {} } } as never },
      ],
    },
  };
  // seed 001: the subset finding names the egress Service; its label twin names the client pod; a warning on the hand-made Deployment
  const findings: Finding[] = [
    finding({ code: 'KIA0203', object: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, references: [{ object: { kind: 'Service', namespace: 'istio-system', name: 'istio-egressgateway' } }] }),
    finding({ code: 'MLS1004', object: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, references: [{ object: { kind: 'Pod', namespace: 'default', name: 'pod1' } }] }),
    finding({ code: 'MLS1005', severity: 'warning', object: { kind: 'Deployment', namespace: 'istio-system', name: 'istio-egressgateway' } }),
    finding({ code: 'KIA1107', severity: 'warning', object: { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' } }),
    finding({ code: 'KIA1201', severity: 'info', object: { kind: 'ServiceEntry', namespace: 'bookinfo', name: 'wikipedia' } }),
    // same name, other namespace: concerns no node here
    finding({ code: 'KIA0101', object: { kind: 'Deployment', namespace: 'other', name: 'ratings-v1' } }),
  ];

  it('finds the nodes each finding concerns', () => {
    expect(Object.fromEntries(configHealthByNode(graph, findings))).toEqual({
      egw: { error: 1, warning: 1, info: 0, codes: ['KIA0203', 'MLS1005'] },
      client: { error: 1, warning: 0, info: 0, codes: ['MLS1004'] },
      reviews: { error: 0, warning: 1, info: 0, codes: ['KIA1107'] },
      wiki: { error: 0, warning: 0, info: 1, codes: ['KIA1201'] },
    });
  });

  it('marks nodes, and keeps only those (with their boxes and the edges between them) when asked', () => {
    const marked = markGraph(graph, findings, false);
    expect(marked.elements.nodes.map((n) => `${n.data.id}:${configClass(n.data) ?? '-'}`)).toEqual([
      'box-istio-system:-', 'egw:config-error', 'box-default:-', 'client:config-error', 'box-bookinfo:-', 'reviews:config-warning', 'ratings:-', 'wiki:config-info',
    ]);
    expect(describeConfigHealth(marked.elements.nodes[1]!.data)).toBe('Configuration findings: 1 error, 1 warning (KIA0203, MLS1005); the Config page lists them');
    const only = markGraph(graph, findings, true);
    expect(only.elements.nodes.map((n) => n.data.id)).toEqual(['box-istio-system', 'egw', 'box-default', 'client', 'box-bookinfo', 'reviews', 'wiki']);
    expect(only.elements.edges.map((e) => e.data.id)).toEqual(['e1']);
    expect(markGraph(graph, [], true).elements.nodes).toEqual([]);
    expect(markGraph(graph, [], false)).toBe(graph);
  });
});

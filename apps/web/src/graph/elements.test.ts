import type { EdgeData, GraphResponse, NodeData } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import fixture from '../../test-fixtures/bookinfo-graph.json';
import { edgeClasses, edgeWidth, nodeClasses, toElements, topologyKey } from './elements';
import { badgeLine } from './badges';
import { nodeLabelLines, nodeTitle } from './nodeLabel';
import { edgeLabel } from './edgeLabel';
import { buildStylesheet, SHAPE_BY_CLASS } from './stylesheet';

const graph = fixture as unknown as GraphResponse;
const node = (id: string): NodeData => graph.elements.nodes.find((n) => n.data.id === id)!.data;
const edge = (id: string): EdgeData => graph.elements.edges.find((e) => e.data.id === id)!.data;

describe('node labels and badges', () => {
  it('puts the version on its own line in a versioned-app graph', () => {
    expect(nodeLabelLines(node('vapp_bookinfo_reviews_v3'), 'versionedApp', false)).toEqual(['reviews', 'v3']);
    expect(nodeTitle(node('vapp_bookinfo_reviews_v3'))).toBe('reviews v3');
  });

  it('lists badges in a fixed order with short codes', () => {
    expect(badgeLine(node('svc_bookinfo_reviews'))).toBe('VS · RR · TS · CB');
    expect(nodeLabelLines(node('svc_bookinfo_ratings'), 'versionedApp', false)).toEqual(['ratings', 'VS · FI']);
  });

  it('names outside nodes with their namespace and marks gateways', () => {
    expect(nodeLabelLines(node('vapp_istio-system_istio-ingressgateway'), 'versionedApp', true)).toEqual([
      'istio-ingressgateway',
      '(istio-system)',
      'GW',
    ]);
  });

  it("prefers the server's label and falls back by type", () => {
    expect(nodeLabelLines(node('svc_bookinfo_googleapis'), 'versionedApp', false)).toEqual(['googleapis (SE)']);
    expect(nodeLabelLines(node('svc_bookinfo_PassthroughCluster'), 'versionedApp', false)).toEqual(['PassthroughCluster']);
    expect(nodeLabelLines({ id: 'x', nodeType: 'workload', namespace: 'n', workload: 'w-v1' }, 'workload', false)).toEqual(['w-v1']);
  });
});

describe('classes that drive the stylesheet', () => {
  it('classifies special nodes', () => {
    expect(nodeClasses(node('svc_bookinfo_googleapis'))).toEqual(['node-service', 'health-Healthy', 'service-entry']);
    expect(nodeClasses(node('svc_bookinfo_PassthroughCluster'))).toEqual(['node-service', 'health-NA', 'egress-cluster']);
    expect(nodeClasses(node('vapp_istio-system_istio-ingressgateway'))).toEqual(['node-app', 'health-Healthy', 'gateway', 'outside']);
    expect(nodeClasses(node('vapp_bookinfo_legacy-batch'))).toEqual(['node-app', 'health-NA', 'idle']);
    expect(nodeClasses(node('box_bookinfo'))).toEqual(['box', 'box-namespace']);
  });

  it('classifies edges by protocol, health and mirroring', () => {
    expect(edgeClasses(edge('e9'))).toEqual(['proto-http', 'health-Failure']);
    expect(edgeClasses(edge('e13'))).toEqual(['proto-tcp', 'tcp']);
    expect(edgeClasses(edge('e17'))).toEqual(['proto-http', 'mirror']);
  });

  it('has a shape for every node type', () => {
    const classes = SHAPE_BY_CLASS.map(([cls]) => cls);
    for (const type of ['app', 'workload', 'service', 'unknown']) expect(classes).toContain(`node-${type}`);
  });

  it('labels edges from the field of the chosen mode only', () => {
    const edgeStyle = (mode: Parameters<typeof buildStylesheet>[0]) =>
      buildStylesheet(mode).find((b) => 'selector' in b && b.selector === 'edge') as unknown as { style: Record<string, unknown> };
    expect(edgeStyle('none').style.label).toBeUndefined();
    expect(edgeStyle('requestRate').style.label).toBe('data(labelRate)');
    expect(edgeStyle('trafficShare').style.label).toBe('data(labelShare)');
  });
});

describe('edge labels and widths', () => {
  it('labels rates, errors, latency and share', () => {
    expect(edgeLabel(edge('e9'), 'requestRate')).toBe('3.7 rps\n12.5% err');
    expect(edgeLabel(edge('e13'), 'requestRate')).toBe('18 KiB/s');
    expect(edgeLabel(edge('e9'), 'errorRate')).toBe('12.5% err');
    expect(edgeLabel(edge('e4'), 'errorRate')).toBe('');
    expect(edgeLabel(edge('e9'), 'responseTime')).toBe('240 ms');
    expect(edgeLabel(edge('e13'), 'responseTime')).toBe('');
    expect(edgeLabel(edge('e4'), 'trafficShare')).toBe('32.9%');
    expect(edgeLabel(edge('e3'), 'trafficShare')).toBe('');
  });

  it('grows width with rate on a log scale, within bounds', () => {
    const at = (rps: number) => edgeWidth({ ...edge('e3'), traffic: { protocol: 'http', rates: { http: rps }, responses: {} } });
    expect(at(0)).toBe(1);
    expect(at(1)).toBeLessThan(at(100));
    expect(at(1e9)).toBe(8);
  });
});

describe('conversion', () => {
  it('keeps the server data and adds the label', () => {
    const { nodes, edges } = toElements(graph);
    expect(nodes).toHaveLength(graph.elements.nodes.length);
    expect(edges).toHaveLength(graph.elements.edges.length);
    const reviews = nodes.find((n) => n.data.id === 'svc_bookinfo_reviews')!;
    expect(reviews.data.hasVS).toEqual(node('svc_bookinfo_reviews').hasVS);
    expect(reviews.data.mlLabel).toBe('reviews\nVS · RR · TS · CB');
  });

  it('drops edges and parents the response does not contain', () => {
    const broken: GraphResponse = {
      ...graph,
      elements: {
        nodes: [{ data: { id: 'a', nodeType: 'app', namespace: 'n', parent: 'missing-box' } }],
        edges: [{ data: { id: 'x', source: 'a', target: 'gone', traffic: { protocol: 'http', rates: {}, responses: {} }, reporter: 'source' } }],
      },
    };
    const { nodes, edges } = toElements(broken);
    expect(nodes[0].data.parent).toBeUndefined();
    expect(edges).toHaveLength(0);
  });

  it('keys the topology on nodes and boxes only', () => {
    const changedRates: GraphResponse = { ...graph, elements: { ...graph.elements, edges: graph.elements.edges.slice(1) } };
    expect(topologyKey(changedRates)).toBe(topologyKey(graph));
    const fewerNodes: GraphResponse = { ...graph, elements: { ...graph.elements, nodes: graph.elements.nodes.slice(1) } };
    expect(topologyKey(fewerNodes)).not.toBe(topologyKey(graph));
  });
});

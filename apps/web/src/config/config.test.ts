import { describe, expect, it } from 'vitest';
import type { ConfigItem, Finding, GraphResponse, NodeData } from '@meshlens/model';
import { configListHref, decodeConfigList, graphHref, objectHref } from './links';
import { routeOf } from './router';
import { filterItems, summaryByNamespace } from './filterItems';
import { configClass, configHealthByNode, describeConfigHealth, markGraph } from './graphFindings';
import { findingsByLine, markerTitle } from './markers';

const finding = (over: Partial<Finding> & Pick<Finding, 'code' | 'object'>): Finding => ({ severity: 'error', message: 'm', path: 'spec', references: [], ...over });

describe('routes and links', () => {
  it('maps paths to pages', () => {
    expect(routeOf('/')).toEqual({ page: 'graph' });
    expect(routeOf('/config/')).toEqual({ page: 'config' });
    expect(routeOf('/config/VirtualService/istio-system/eg1')).toEqual({ page: 'object', kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' });
    expect(routeOf('/config/Namespace/-/shop')).toEqual({ page: 'object', kind: 'Namespace', namespace: '-', name: 'shop' });
    expect(routeOf('/config/a/b')).toEqual({ page: 'not-found', pathname: '/config/a/b' });
    expect(routeOf('/config/X/%E0%A4%A/y')).toEqual({ page: 'not-found', pathname: '/config/X/%E0%A4%A/y' });
  });

  it('round-trips the Config filters through the URL, dropping bad values', () => {
    const state = { namespaces: ['istio-system', 'shop'], kind: 'DestinationRule', severity: 'error' as const, text: 'egress gw' };
    const href = configListHref(state);
    expect(href).toBe('/config?namespaces=istio-system,shop&kind=DestinationRule&severity=error&q=egress+gw');
    expect(decodeConfigList(href.slice('/config'.length))).toEqual(state);
    expect(decodeConfigList('?kind=<script>&severity=fatal')).toEqual({ namespaces: null, kind: '', severity: 'any', text: '' });
  });

  it('builds object and graph links', () => {
    expect(objectHref({ kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, ['istio-system'])).toBe('/config/DestinationRule/istio-system/egressgateway?namespaces=istio-system');
    expect(objectHref({ kind: 'Namespace', name: 'shop' })).toBe('/config/Namespace/-/shop');
    expect(graphHref(['a', 'b'], { findingsOnly: true })).toBe('/?namespaces=a,b&findings=only');
  });
});

describe('Config page filters', () => {
  const item = (kind: string, ns: string, name: string, severity?: ConfigItem['severity'], file?: string): ConfigItem => ({
    ref: { kind, namespace: ns, name }, apiVersion: 'networking.istio.io/v1', ...(severity ? { severity } : {}), counts: { error: 0, warning: 0, info: 0 }, ...(file ? { file } : {}),
  });
  const items = [
    item('VirtualService', 'istio-system', 'eg1', 'error', 'scenarios/egress-gateway-broken.yaml'),
    item('DestinationRule', 'istio-system', 'egressgateway', 'error'),
    item('Gateway', 'istio-system', 'egressgateway'),
    item('Gateway', 'bookinfo', 'bookinfo-gateway', 'warning'),
  ];
  const names = (list: ConfigItem[]) => list.map((i) => `${i.ref.kind}/${i.ref.name}`);
  const base = { namespaces: null, kind: '', severity: 'any' as const, text: '' };

  it('filters by kind, severity and text', () => {
    expect(names(filterItems(items, { ...base, severity: 'error' }))).toEqual(['VirtualService/eg1', 'DestinationRule/egressgateway']);
    expect(names(filterItems(items, { ...base, severity: 'ok' }))).toEqual(['Gateway/egressgateway']);
    expect(names(filterItems(items, { ...base, kind: 'Gateway', severity: 'warning' }))).toEqual(['Gateway/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, text: 'EGRESS broken' }))).toEqual(['VirtualService/eg1']);
  });

  it('sums findings per namespace, busiest first', () => {
    const findings = [
      finding({ code: 'KIA0301', severity: 'warning', object: { kind: 'Gateway', namespace: 'bookinfo', name: 'g' } }),
      finding({ code: 'MLS1001', object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' } }),
      finding({ code: 'KIA0201', severity: 'info', object: { kind: 'Namespace', name: 'shop' } }),
      finding({ code: 'MLS0000', object: { kind: 'File', name: 'bad.yaml' } }),
    ];
    expect(summaryByNamespace(findings)).toEqual([
      { namespace: 'istio-system', error: 1, warning: 0, info: 0 },
      { namespace: 'bookinfo', error: 0, warning: 1, info: 0 },
      { namespace: 'shop', error: 0, warning: 0, info: 1 },
    ]);
  });
});

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

describe('YAML markers', () => {
  it('groups findings by line with the worst severity, ignoring lines outside the text', () => {
    const f = (code: string, severity: Finding['severity'], yamlLine?: number) => ({ ...finding({ code, severity, object: { kind: 'DestinationRule', name: 'x' } }), message: `${code} says`, ...(yamlLine ? { yamlLine } : {}) });
    const entries = findingsByLine([f('MLS1004', 'warning', 10), f('KIA0203', 'error', 10), f('A', 'info', 3), f('B', 'info', 40), f('C', 'info')], 12);
    expect(entries.map((e) => `${e.line} ${e.severity} ${e.findings.map((x) => x.code).join(',')}`)).toEqual(['3 info A', '10 error MLS1004,KIA0203']);
    expect(markerTitle(entries[1]!)).toBe('Warning MLS1004: MLS1004 says\nError KIA0203: KIA0203 says');
  });
});

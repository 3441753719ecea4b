import { describe, expect, it } from 'vitest';
import type { NodeData } from '@meshlens/model';
import { entityOfNode, graphFocusLink, graphNodeOf, peerEntity } from './entityLinks';

const node = (data: Partial<NodeData>) => ({ id: 'x', nodeType: 'workload', namespace: 'shop', ...data }) as NodeData;

describe('links between the graph and the entity pages', () => {
  it('finds the page of a graph node, and none for what has no page', () => {
    expect(entityOfNode(node({ nodeType: 'workload', workload: 'reviews-v2' }))).toEqual({ type: 'workload', namespace: 'shop', name: 'reviews-v2' });
    expect(entityOfNode(node({ nodeType: 'app', app: 'reviews', version: 'v2', workload: 'reviews-v2' }))).toEqual({ type: 'application', namespace: 'shop', name: 'reviews' });
    expect(entityOfNode(node({ nodeType: 'service', service: 'reviews' }))).toEqual({ type: 'service', namespace: 'shop', name: 'reviews' });
    expect(entityOfNode(node({ nodeType: 'service', service: 'httpbin.org', isServiceEntry: { name: 'httpbin-ext', namespace: 'shop', hosts: ['httpbin.org'], location: 'MESH_EXTERNAL' } as never }))).toBeNull();
    expect(entityOfNode(node({ nodeType: 'unknown', namespace: 'unknown' }))).toBeNull();
    expect(entityOfNode(node({ nodeType: 'service', service: 'PassthroughCluster', isEgressCluster: 'PassthroughCluster' }))).toBeNull();
    expect(peerEntity({ id: 'egress:BlackHoleCluster', nodeType: 'service', namespace: 'shop', label: 'BlackHoleCluster', egressCluster: 'BlackHoleCluster' })).toBeNull();
    expect(peerEntity({ id: 'wl:shop:a', nodeType: 'workload', namespace: 'shop', label: 'a', workload: 'a' })).toEqual({ type: 'workload', namespace: 'shop', name: 'a' });
  });

  it('focuses the graph on the node that stands for the entity, in the graph type that draws it', () => {
    expect(graphNodeOf('workload', 'shop', 'a')).toEqual({ graphType: 'workload', focus: 'wl:shop:a' });
    expect(graphNodeOf('application', 'shop', 'a')).toEqual({ graphType: 'app', focus: 'app:shop:a' });
    expect(graphNodeOf('service', 'shop', 'a')).toEqual({ graphType: 'versionedApp', focus: 'svc:shop:a' });
    expect(graphFocusLink('workload', 'shop', 'a', ['web']).search).toEqual({ namespaces: ['web', 'shop'], graphType: 'workload', focus: 'wl:shop:a' });
    expect(graphFocusLink('service', 'shop', 'a', null).search).toEqual({ namespaces: ['shop'], focus: 'svc:shop:a' });
    // an entity without traffic is an idle node: the link shows idle nodes so that it lands on it
    expect(graphFocusLink('workload', 'shop', 'idle', null, { idle: true }).search).toEqual({ namespaces: ['shop'], graphType: 'workload', focus: 'wl:shop:idle', idle: true });
  });
});

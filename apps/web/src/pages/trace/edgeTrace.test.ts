import { describe, expect, it } from 'vitest';
import type { EdgeData, NodeData, TraceHostSuggestion } from '@meshlens/model';
import { edgeRequest, edgeUrl, traceSourceOfNode } from './edgeTrace';

const node = (d: Partial<NodeData> & { id: string }): NodeData => ({ nodeType: 'workload', namespace: 'bookinfo', ...d });
const edge = (protocol: 'http' | 'grpc' | 'tcp', hosts: Record<string, number> = {}): EdgeData => ({
  id: 'e', source: 's', target: 't', reporter: 'source', traffic: { protocol, rates: {}, responses: { [protocol === 'tcp' ? '-' : '200']: { flags: { '-': 100 }, hosts } } },
});
const suggestions: TraceHostSuggestion[] = [
  { url: 'http://reviews.bookinfo.svc.cluster.local:9080', host: 'reviews.bookinfo.svc.cluster.local', kind: 'Service', object: 'bookinfo/reviews' },
  { url: 'tcp://tcp-echo.shift.svc.cluster.local:9000', host: 'tcp-echo.shift.svc.cluster.local', kind: 'Service', object: 'shift/tcp-echo' },
  { url: 'tcp://tcp-echo.shift.svc.cluster.local:9001', host: 'tcp-echo.shift.svc.cluster.local', kind: 'Service', object: 'shift/tcp-echo' },
];
const productpage = node({ id: 'wl:bookinfo:productpage-v1', workload: 'productpage-v1' });

describe('tracing from the graph', () => {
  it("a node's source: its workload (a versioned app node has one), outside for unknown, none for boxes, services and egress clusters", () => {
    expect(traceSourceOfNode(productpage)).toBe('bookinfo/productpage-v1');
    expect(traceSourceOfNode(node({ id: 'vapp:bookinfo:reviews:v2', nodeType: 'app', app: 'reviews', version: 'v2', workload: 'reviews-v2' }))).toBe('bookinfo/reviews-v2');
    expect(traceSourceOfNode(node({ id: 'unknown', nodeType: 'unknown', namespace: 'unknown' }))).toBe('outside');
    expect(traceSourceOfNode(node({ id: 'app:bookinfo:reviews', nodeType: 'app', app: 'reviews' }))).toBeNull();
    expect(traceSourceOfNode(node({ id: 'box-ns-bookinfo', nodeType: 'box', isBox: 'namespace' }))).toBeNull();
    expect(traceSourceOfNode(node({ id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', isEgressCluster: 'PassthroughCluster' }))).toBeNull();
  });

  it("an edge to a workload: the Service its requests named, with that Service's declared port", () => {
    const target = node({ id: 'wl:bookinfo:reviews-v2', workload: 'reviews-v2', destServices: [{ namespace: 'bookinfo', name: 'reviews' }] });
    const r = edgeRequest(edge('http'), productpage, target);
    expect(r).toEqual({ from: 'bookinfo/productpage-v1', host: 'reviews.bookinfo.svc.cluster.local', scheme: 'http', needsPort: true });
    expect(edgeUrl(r, suggestions)).toBe('http://reviews.bookinfo.svc.cluster.local:9080');
    // without the mesh's ports, the host alone (port 80)
    expect(edgeUrl(r, [])).toBe('http://reviews.bookinfo.svc.cluster.local');
    // a service node of a service graph
    expect(edgeRequest(edge('http'), productpage, node({ id: 'svc:bookinfo:reviews', nodeType: 'service', service: 'reviews' })).host).toBe('reviews.bookinfo.svc.cluster.local');
  });

  it('a TCP edge takes a TCP URL of the Service; a PassthroughCluster edge the host its telemetry names, if any', () => {
    const tcp = edgeRequest(edge('tcp'), node({ id: 'wl:shift:sleep', namespace: 'shift', workload: 'sleep' }), node({ id: 'svc:shift:tcp-echo', nodeType: 'service', namespace: 'shift', service: 'tcp-echo' }));
    expect(edgeUrl(tcp, suggestions)).toBe('tcp://tcp-echo.shift.svc.cluster.local:9000');
    const passthrough = node({ id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', isEgressCluster: 'PassthroughCluster' });
    const pod1 = node({ id: 'wl:default:pod1', namespace: 'default', workload: 'pod1' });
    expect(edgeUrl(edgeRequest(edge('http', { 'ifconfig.me': 100 }), pod1, passthrough))).toBe('http://ifconfig.me');
    const unknownHost = edgeRequest(edge('tcp', { unknown: 100 }), pod1, passthrough);
    expect(unknownHost).toEqual({ from: 'default/pod1', host: null, scheme: 'tcp', needsPort: false });
    expect(edgeUrl(unknownHost)).toBeNull();
  });

  it('a ServiceEntry edge takes its host and port; an outside address its IP and port', () => {
    const se = node({ id: 'se:egress:httpbin', nodeType: 'service', namespace: 'egress', isServiceEntry: { hosts: ['httpbin.org'], location: 'MESH_EXTERNAL', namespace: 'egress', name: 'httpbin', ports: [{ number: 80, protocol: 'HTTP' }] } });
    expect(edgeUrl(edgeRequest(edge('http'), productpage, se))).toBe('http://httpbin.org');
    const tls = node({ id: 'se:egress:google', nodeType: 'service', namespace: 'egress', isServiceEntry: { hosts: ['www.google.com'], location: 'MESH_EXTERNAL', namespace: 'egress', name: 'google', ports: [{ number: 443, protocol: 'TLS' }] } });
    expect(edgeUrl(edgeRequest(edge('tcp'), productpage, tls))).toBe('https://www.google.com');
    const ip = node({ id: 'ext:203.0.113.25:8443', nodeType: 'service', namespace: 'unknown', isExternalIP: { ip: '203.0.113.25', port: 8443 } });
    expect(edgeUrl(edgeRequest(edge('tcp'), productpage, ip))).toBe('tcp://203.0.113.25:8443');
    expect(edgeUrl(edgeRequest(edge('http'), productpage, ip))).toBe('http://203.0.113.25:8443');
  });
});

import { describe, expect, it } from 'vitest';
import type { ServiceRow, WorkloadRow } from '@meshlens/model';
import { candidateNamespaces, isIdleRow, objectGraphTarget } from './objectGraph';
import { graphLink } from '../router/links';

const counts = { error: 0, warning: 0, info: 0 };
// Rows as GET /api/workloads and /api/services give them on the demo (seed 001 and bookinfo-routing), trimmed.
const egressGateway: WorkloadRow = {
  namespace: 'istio-system', name: 'istio-egressgateway', kind: 'Deployment', labels: { istio: 'egressgateway' },
  health: { status: 'Healthy', replicas: { desired: 1, current: 1, available: 1 } }, missingSidecar: false, ambient: false,
  istioConfig: {
    objects: [
      { ref: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, via: 'host', badges: ['DR'], findings: { ...counts, error: 1 } },
      { ref: { kind: 'Gateway', namespace: 'istio-system', name: 'egressgateway' }, via: 'gateway', badges: ['GW'], findings: counts },
      { ref: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, via: 'host', badges: ['VS', 'RR'], findings: { ...counts, error: 2 } },
    ],
    badges: ['VS', 'RR', 'DR', 'GW'],
  },
  traffic: { requestRate: 0 }, findings: { error: 3, warning: 2, info: 0 }, serviceAccount: 'default', podCount: 1, services: ['istio-egressgateway'], gateway: 'egress',
};
const pod1: WorkloadRow = {
  ...egressGateway, namespace: 'default', name: 'pod1', kind: 'Pod', labels: { version: 'v1' }, gateway: undefined, services: [],
  health: { status: 'Healthy', outbound: { rate: 0.102, errorRatio: 0 } as never }, istioConfig: { objects: [], badges: [] },
};
const reviews = (version: string, rate: number): WorkloadRow => ({
  ...egressGateway, namespace: 'bookinfo', name: `reviews-${version}`, labels: { app: 'reviews', version }, gateway: undefined, services: ['reviews'],
  traffic: { requestRate: rate }, istioConfig: { objects: [{ ref: { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }, via: 'host', badges: ['VS'], findings: counts }], badges: ['VS'] },
});
const reviewsService: ServiceRow = {
  namespace: 'bookinfo', name: 'reviews', labels: {}, health: { status: 'Healthy' }, missingSidecar: false, ambient: false,
  istioConfig: { objects: [{ ref: { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }, via: 'host', badges: ['VS'], findings: counts }], badges: ['VS'] },
  traffic: { requestRate: 3 }, findings: counts, type: 'ClusterIP', ports: ['http 9080/TCP'], workloads: ['reviews-v1', 'reviews-v2'],
};
const rows = { workloads: [pod1, egressGateway, reviews('v1', 2), reviews('v2', 0)], services: [reviewsService] };

describe('show in the graph, for a config object', () => {
  it('a VirtualService: the workloads its gateways and hosts reach, idle nodes on, namespaces added, the first selected', () => {
    const target = objectGraphTarget({ kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, rows, ['default'], ['*.wikipedia.org']);
    expect(target).toEqual({
      namespaces: ['default', 'istio-system'],
      graphType: 'workload',
      focus: 'wl:istio-system:istio-egressgateway',
      find: 'istio-egressgateway',
      idle: true,
      text: 'Show what eg1 configures in the graph: workload istio-system/istio-egressgateway',
      found: true,
    });
    expect(graphLink(target.namespaces, target).search).toEqual({
      namespaces: ['default', 'istio-system'], graphType: 'workload', find: 'istio-egressgateway', idle: true, focus: 'wl:istio-system:istio-egressgateway',
    });
  });

  it('a Gateway and a DestinationRule land on the same egress gateway', () => {
    expect(objectGraphTarget({ kind: 'Gateway', namespace: 'istio-system', name: 'egressgateway' }, rows, null).focus).toBe('wl:istio-system:istio-egressgateway');
    expect(objectGraphTarget({ kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, rows, null).namespaces).toEqual(['istio-system']);
  });

  it("a VirtualService on a Service's host: that Service's workloads, through the Service row too", () => {
    const target = objectGraphTarget({ kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }, rows, null, ['reviews']);
    expect(target).toMatchObject({ namespaces: ['bookinfo'], focus: 'wl:bookinfo:reviews-v1', find: 'reviews-v1,reviews-v2', idle: true, found: true });
  });

  it('a bare Pod and a Service are their workloads; an active workload needs no idle nodes', () => {
    expect(objectGraphTarget({ kind: 'Pod', namespace: 'default', name: 'pod1' }, rows, null)).toEqual({
      namespaces: ['default'], graphType: 'workload', focus: 'wl:default:pod1', find: 'pod1', idle: false, text: 'Show pod1 in the graph: workload default/pod1', found: true,
    });
    expect(objectGraphTarget({ kind: 'Pod', namespace: 'bookinfo', name: 'reviews-v1-5c7d9b8f-x2x9' }, rows, null).focus).toBe('wl:bookinfo:reviews-v1');
    expect(objectGraphTarget({ kind: 'Service', namespace: 'bookinfo', name: 'reviews' }, rows, ['default']).namespaces).toEqual(['default', 'bookinfo']);
  });

  it('nothing to show: the namespace graph, and a sentence saying why', () => {
    const target = objectGraphTarget({ kind: 'VirtualService', namespace: 'default', name: 'external' }, rows, null, ['httpbin.org']);
    expect(target).toEqual({
      namespaces: ['default'],
      idle: true,
      found: false,
      find: 'httpbin.org',
      text: 'VirtualService default/external configures no workload the graph can draw: no Service or workload of default is reached by what it names (httpbin.org). The graph of default shows its neighbours.',
    });
  });

  it('idle rows, and the namespaces whose lists can tell', () => {
    expect([pod1, egressGateway].map(isIdleRow)).toEqual([false, true]);
    expect(candidateNamespaces({ kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, [{ kind: 'Service', namespace: 'istio-system', name: 'istio-egressgateway' }], ['*.wikipedia.org'])).toEqual(['istio-system']);
    expect(candidateNamespaces({ kind: 'VirtualService', namespace: 'ingress', name: 'bookinfo' }, [], ['reviews.bookinfo.svc.cluster.local', 'ratings.other', 'en.wikipedia.org'])).toEqual(['bookinfo', 'ingress', 'other']);
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { ep, inventoryOf } from './__fixtures__/load.js';

// The demo's ambient-bookinfo scenario (packages/demo/scenarios/ambient-bookinfo.yaml), as
// `meshlens trace --from ambient-bookinfo/productpage-v1 http://reviews.ambient-bookinfo:9080/` traces it.
const inv = inventoryOf('../../../../demo/scenarios/ambient-bookinfo.yaml');

describe('traceRequest in the demo scenario ambient-bookinfo', () => {
  it('productpage → reviews goes through the waypoint ambient-bookinfo/waypoint, then to reviews v1, v2 and v3 by their pods', () => {
    const r = traceRequest(inv, { source: { kind: 'workload', namespace: 'ambient-bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews.ambient-bookinfo', port: 9080, path: '/' });
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => ({ weight: Math.round(p.weight * 1e6) / 1e6, outcome: p.outcome.kind, steps: p.hops.map((h) => `${ep(h.from)} -> ${ep(h.to)}`), tls: p.tls?.mode }))).toEqual(
      ['v1', 'v2', 'v3'].map((v) => ({
        weight: 0.333333, outcome: 'delivered', tls: 'ISTIO_MUTUAL',
        steps: [
          'workload:ambient-bookinfo/productpage-v1(1) -> gateway:ambient-bookinfo/waypoint:15008',
          'gateway:ambient-bookinfo/waypoint:15008 -> service:reviews.ambient-bookinfo.svc.cluster.local:9080',
          `service:reviews.ambient-bookinfo.svc.cluster.local:9080 -> workload:ambient-bookinfo/reviews-${v}(1)`,
        ],
      })),
    );
    const [first, atWaypoint] = r.paths[0]!.hops;
    expect(first!.decidedBy.map((d) => `${d.object.kind} ${d.object.namespace}/${d.object.name} ${d.path}`)).toEqual([
      'Service ambient-bookinfo/reviews metadata.labels["istio.io/use-waypoint"]',
      'Gateway.gateway.networking.k8s.io ambient-bookinfo/waypoint spec.gatewayClassName',
    ]);
    expect(first!.explanation).toContain('so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint ambient-bookinfo/waypoint');
    expect(atWaypoint!.explanation).toContain("so waypoint ambient-bookinfo/waypoint used the Service's default route on port 9080 (HTTP)");
  });

  it('productpage → details has no waypoint: ztunnel alone, straight to details-v1 over HBONE', () => {
    const r = traceRequest(inv, { source: { kind: 'workload', namespace: 'ambient-bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080, path: '/details/0' });
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => p.hops.map((h) => `${ep(h.from)} -> ${ep(h.to)}`))).toEqual([[
      'workload:ambient-bookinfo/productpage-v1(1) -> service:details.ambient-bookinfo.svc.cluster.local:9080',
      'service:details.ambient-bookinfo.svc.cluster.local:9080 -> workload:ambient-bookinfo/details-v1(1)',
    ]]);
    expect(r.paths[0]!.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
  });
});

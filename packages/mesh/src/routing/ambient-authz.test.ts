import { describe, expect, it } from 'vitest';
import type { TracePath } from '@meshlens/model';
import { traceRequest } from './index.js';
import { ep, inventoryOf } from './__fixtures__/load.js';

// The waypoint is a server of its own: it enforces the AuthorizationPolicies that target it or the Service the request
// was sent for, with the client identity HBONE carries; the destination's ztunnel then sees the waypoint as its client.
const inv = inventoryOf('ambient/bookinfo.yaml', 'ambient/reviews-waypoint-httproute.yaml', 'ambient/reviews-waypoint-authz.yaml');
const from = { kind: 'workload' as const, namespace: 'bookinfo', name: 'productpage-v1' };
const checks = (p: TracePath) => p.hops.map((h) => [`${ep(h.from)} -> ${ep(h.to)}`, (h.security ?? []).map((s) => `${s.kind} ${s.verdict} at ${s.enforcedBy}: ${s.decidedBy.map((d) => `${d.object.name} ${d.path}`).join(', ')}`)]);

describe('traceRequest: authorization at an ambient waypoint', () => {
  it("allows productpage's GET at the waypoint by the policy targeting Service reviews (principal from HBONE mTLS), then the split goes on", () => {
    const r = traceRequest(inv, { source: from, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0' });
    expect(r.problems).toEqual([]);
    expect(r.paths.map((p) => [p.weight, p.outcome.kind])).toEqual([[0.9, 'delivered'], [0.1, 'delivered']]);
    expect(checks(r.paths[0]!)).toEqual([
      ['workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008', [
        'authz allowed at waypoint bookinfo/waypoint: reviews-viewer spec.rules[0], reviews-viewer spec.rules[0].from[0].source.principals[0], reviews-viewer spec.rules[0].to[0].operation.methods[0]',
      ]],
      ['gateway:bookinfo/waypoint:15008 -> service:reviews-v1.bookinfo.svc.cluster.local:9080', []],
      ['service:reviews-v1.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1)', []],
    ]);
  });

  it('denies a POST at the waypoint with 403: the only path ends there, before any route is taken', () => {
    const r = traceRequest(inv, { source: from, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', method: 'POST' });
    expect(r.problems).toEqual([]);
    expect(r.paths).toHaveLength(1);
    const p = r.paths[0]!;
    expect(p.weight).toBe(1);
    expect(p.outcome).toEqual({
      kind: 'denied-by-policy', responseCode: 403, responseFlags: '-', action: 'ALLOW', enforcedBy: 'waypoint bookinfo/waypoint',
      considered: [{ kind: 'AuthorizationPolicy', namespace: 'bookinfo', name: 'reviews-viewer' }],
    });
    expect(checks(p)).toEqual([
      ['workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008', ['authz denied at waypoint bookinfo/waypoint: reviews-viewer spec.rules[0].to[0].operation.methods']],
    ]);
    expect(p.hops[0]!.security![0]!.explanation).toBe('Waypoint bookinfo/waypoint denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: bookinfo/reviews-viewer spec.rules[0]: methods GET does not match method POST. The client is cluster.local/ns/bookinfo/sa/bookinfo-productpage (mTLS).');
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

const A = (f: string) => `ambient/${f}`;

// A workload in the ambient mesh without a sidecar: its node's ztunnel carries the request at L4.
describe("traceRequest from an ambient workload (ztunnel)", () => {
  it("ztunnel only: reviews has no waypoint, so the VirtualService and DestinationRule written for it are reported as not applied and the connection is spread over every reviews pod", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('l7-without-waypoint.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.hosts[0] @11",
              "DestinationRule bookinfo/reviews spec.trafficPolicy @33"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @52"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.hosts[0] @11",
              "DestinationRule bookinfo/reviews spec.trafficPolicy @33"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @52"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.hosts[0] @11",
              "DestinationRule bookinfo/reviews spec.trafficPolicy @33"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @52"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. VirtualService bookinfo/reviews has L7 rules for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. DestinationRule bookinfo/reviews defines subsets and a traffic policy for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. ztunnel balanced the connection over the endpoints of Service bookinfo/reviews and sent the request to reviews.bookinfo.svc.cluster.local:9080.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v1 (1 of 3 pods); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ],
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. VirtualService bookinfo/reviews has L7 rules for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. DestinationRule bookinfo/reviews defines subsets and a traffic policy for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. ztunnel balanced the connection over the endpoints of Service bookinfo/reviews and sent the request to reviews.bookinfo.svc.cluster.local:9080.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 3 pods); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ],
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. VirtualService bookinfo/reviews has L7 rules for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. DestinationRule bookinfo/reviews defines subsets and a traffic policy for reviews, but reviews has no waypoint: ztunnel only does L4, so they do not apply. ztunnel balanced the connection over the endpoints of Service bookinfo/reviews and sent the request to reviews.bookinfo.svc.cluster.local:9080.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v3 (1 of 3 pods); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });

  it("a namespace-wide waypoint (istio.io/use-waypoint on the namespace): details goes through bookinfo/waypoint, which uses the Service's default route", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('namespace-waypoint.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080, path: '/details/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Namespace undefined/bookinfo metadata.labels[\"istio.io/use-waypoint\"] @9",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:details.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:details.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/details-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/details spec.selector @22"
            ]
          }
        ],
        "destination": "workload:bookinfo/details-v1(1)",
        "dsh": "details.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Namespace bookinfo is labelled istio.io/use-waypoint=waypoint (its Services use the waypoint), so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for details.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint received the request for details.bookinfo.svc.cluster.local (GET /details/0, host details, port 9080); no HTTPRoute with a parentRef to Service bookinfo/details and no VirtualService for it in namespace bookinfo routes it, so waypoint bookinfo/waypoint used the Service's default route on port 9080 (HTTP) and sent the request to details.bookinfo.svc.cluster.local:9080.",
        "details.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/details-v1 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });

  it("istio.io/use-waypoint: none on the Service opts details out of the namespace's waypoint: ztunnel goes straight to the pod", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('namespace-waypoint.yaml'), A('details-opt-out.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080, path: '/details/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:details.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Service bookinfo/details metadata.labels[\"istio.io/use-waypoint\"] @11"
            ]
          },
          {
            "step": "service:details.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/details-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/details spec.selector @13"
            ]
          }
        ],
        "destination": "workload:bookinfo/details-v1(1)",
        "dsh": "details.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/details opts out of namespace bookinfo's waypoint bookinfo/waypoint (label istio.io/use-waypoint=none), so ztunnel does not send it to a waypoint. ztunnel balanced the connection over the endpoints of Service bookinfo/details and sent the request to details.bookinfo.svc.cluster.local:9080.",
        "details.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/details-v1 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });
});

// ztunnel uses a workload waypoint only for traffic addressed to the pod itself, never for traffic to a Service.
describe('traceRequest from an ambient workload to a pod address', () => {
  const inv = inventoryOf(A('bookinfo.yaml'), A('reviews-v2-pod-waypoint.yaml'));
  const ipOf = (workload: string) => inv.pods.find((p) => p.workload === workload)!.ip!;
  const from = { kind: 'workload' as const, namespace: 'bookinfo', name: 'productpage-v1' };

  it('a pod labelled istio.io/use-waypoint (waypoint for workload): ztunnel → reviews-v2-pod-waypoint → the pod', () => {
    const r = traceRequest(inv, { source: from, protocol: 'http', host: ipOf('reviews-v2'), port: 9080, path: '/reviews/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([{
      weight: 1, outcome: 'delivered',
      hops: [
        {
          step: 'workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/reviews-v2-pod-waypoint:15008 [http]',
          decidedBy: [
            'Deployment bookinfo/reviews-v2 spec.template.metadata.labels["istio.io/use-waypoint"] @66',
            'Gateway.gateway.networking.k8s.io bookinfo/reviews-v2-pod-waypoint spec.gatewayClassName @13',
          ],
        },
        { step: 'gateway:bookinfo/reviews-v2-pod-waypoint:15008 -> workload:bookinfo/reviews-v2(1) [http]', decidedBy: [] },
      ],
      destination: 'workload:bookinfo/reviews-v2(1)', tls: 'ISTIO_MUTUAL',
    }]);
    const pod = inv.pods.find((p) => p.workload === 'reviews-v2')!.name;
    expect(r.paths[0]!.hops.map((h) => h.explanation)).toEqual([
      `Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source; ${ipOf('reviews-v2')} is the address of pod bookinfo/${pod} of workload bookinfo/reviews-v2, not of a Service. Pod bookinfo/${pod} is labelled istio.io/use-waypoint=reviews-v2-pod-waypoint, so ztunnel sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/reviews-v2-pod-waypoint, which enforces its policies for traffic addressed to the pod.`,
      `Waypoint bookinfo/reviews-v2-pod-waypoint received traffic addressed to pod bookinfo/${pod} (${ipOf('reviews-v2')}:9080); Service routes do not apply to traffic addressed to a pod, so it forwards the request to that pod. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it.`,
    ]);
  });

  it('a pod without a waypoint: straight to it over HBONE; and the Service reviews does not use the workload waypoint', () => {
    const r = traceRequest(inv, { source: from, protocol: 'http', host: ipOf('reviews-v1'), port: 9080, path: '/reviews/0' });
    expect(project(r.paths)).toEqual([{
      weight: 1, outcome: 'delivered',
      hops: [{ step: 'workload:bookinfo/productpage-v1(1) -> workload:bookinfo/reviews-v1(1) [http]', decidedBy: [] }],
      destination: 'workload:bookinfo/reviews-v1(1)', tls: 'ISTIO_MUTUAL',
    }]);
    const viaService = traceRequest(inv, { source: from, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0' });
    expect(viaService.paths.map((p) => p.hops.map((h) => `${h.to.kind}:${'name' in h.to ? h.to.name : ''}`))).toEqual([
      // endpoints in path order: reviews-v2's pod is re-declared in reviews-v2-pod-waypoint.yaml, which sorts after bookinfo.yaml
      ['service:reviews', 'workload:reviews-v1'], ['service:reviews', 'workload:reviews-v3'], ['service:reviews', 'workload:reviews-v2'],
    ]);
  });
});

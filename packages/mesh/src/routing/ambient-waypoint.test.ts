import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

const A = (f: string) => `ambient/${f}`;

// Services with a waypoint: ztunnel sends to it and it applies the L7 rules; sidecars bypass it (Istio 1.24+).
describe("traceRequest through an ambient waypoint", () => {
  it("an HTTPRoute with a parentRef to Service reviews splits 90/10 at the waypoint: productpage \u2192 waypoint \u2192 reviews-v1 / reviews-v2", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('reviews-waypoint-httproute.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.9,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @13",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:reviews-v1.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @55",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @60",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @58",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[0] @61"
            ]
          },
          {
            "step": "service:reviews-v1.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v1 spec.selector @27"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews-v1.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @13",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:reviews-v2.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @55",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @60",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @58",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[1] @64"
            ]
          },
          {
            "step": "service:reviews-v2.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v2 spec.selector @40"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews-v2.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for reviews.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 90% of the requests (spec.rules[0].backendRefs[0], weight 90 of 100) to reviews-v1.bookinfo.svc.cluster.local:9080.",
        "reviews-v1.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v1 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ],
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for reviews.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 10% of the requests (spec.rules[0].backendRefs[1], weight 10 of 100) to reviews-v2.bookinfo.svc.cluster.local:9080.",
        "reviews-v2.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });

  it("a VirtualService and DestinationRule subsets apply at the waypoint; the sourceLabels match is dropped there, jason goes to subset v2 with the DestinationRule's connection pool", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('reviews-waypoint-vs.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @12",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.hosts[0] @28",
              "VirtualService bookinfo/reviews spec.http[1] @37",
              "VirtualService bookinfo/reviews spec.http[1].match[0].headers.end-user @39",
              "VirtualService bookinfo/reviews spec.http[1].route[0] @42",
              "DestinationRule bookinfo/reviews spec.subsets[1] @65"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @65",
              "Service bookinfo/reviews spec.selector @14"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "connectionPool": {
          "http1MaxPendingRequests": 10,
          "rule": "spec.trafficPolicy.connectionPool @58"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for reviews.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint received the request for reviews.bookinfo.svc.cluster.local (GET /reviews/0, host reviews, port 9080, header end-user=jason) and matched rule spec.http[1] of VirtualService bookinfo/reviews (header end-user exact 'jason') on port 9080 (HTTP) (match entry with sourceLabels — spec.http[0].match[0].sourceLabels — is dropped at a waypoint: ambient traffic carries no source labels) and sent the request to subset v2 (labels version=v2) of reviews.bookinfo.svc.cluster.local:9080, selected by DestinationRule bookinfo/reviews.",
        "subset v2 of reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });

  it("HTTPRoute and VirtualService for one service at the waypoint: the trace says which applies (the HTTPRoute) and reports the unsupported mix", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('reviews-waypoint-vs.yaml'), A('reviews-waypoint-httproute.yaml')), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([
      "HTTPRoute bookinfo/reviews and VirtualService bookinfo/reviews both route reviews.bookinfo.svc.cluster.local at waypoint bookinfo/waypoint. Istio does not support mixing VirtualService and HTTPRoute for one service (undefined behaviour, istio.io/latest/docs/ambient/migrate/migrate-policies); istiod gives the waypoint one route table per service, from the first of them in its order, so HTTPRoute bookinfo/reviews applies and VirtualService bookinfo/reviews is ignored."
    ]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.9,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @12",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:reviews-v1.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @55",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @60",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @58",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[0] @61"
            ]
          },
          {
            "step": "service:reviews-v1.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v1 spec.selector @27"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews-v1.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @12",
              "Gateway.gateway.networking.k8s.io bookinfo/waypoint spec.gatewayClassName @244"
            ]
          },
          {
            "step": "gateway:bookinfo/waypoint:15008 -> service:reviews-v2.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @55",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @60",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @58",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[1] @64"
            ]
          },
          {
            "step": "service:reviews-v2.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v2 spec.selector @40"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews-v2.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for reviews.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 90% of the requests (spec.rules[0].backendRefs[0], weight 90 of 100) to reviews-v1.bookinfo.svc.cluster.local:9080.",
        "reviews-v1.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v1 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ],
      [
        "Workload bookinfo/productpage-v1 is in the ambient mesh (namespace bookinfo is labelled istio.io/dataplane-mode=ambient; no sidecar): its node's ztunnel captures the connection. ztunnel works at Layer 4 only, so no VirtualService, HTTPRoute or DestinationRule applies at the source. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, so ztunnel does not pick a pod itself: it sends the connection over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which applies the Layer 7 rules for reviews.bookinfo.svc.cluster.local.",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 10% of the requests (spec.rules[0].backendRefs[1], weight 10 of 100) to reviews-v2.bookinfo.svc.cluster.local:9080.",
        "reviews-v2.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });

  it("a sidecar client does not use the waypoint: it applies the VirtualService itself (its sourceLabels rule matches) and connects to reviews-v3 directly, and says the waypoint is skipped", () => {
    const r = traceRequest(inventoryOf(A('bookinfo.yaml'), A('reviews-waypoint-vs.yaml')), { source: { kind: 'workload', namespace: 'legacy', name: 'sleep' }, protocol: 'http', host: 'reviews.bookinfo', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:legacy/sleep(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v3 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @30",
              "VirtualService bookinfo/reviews spec.http[0].match[0].sourceLabels @31",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @34",
              "DestinationRule bookinfo/reviews spec.subsets[2] @68"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v3 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[2] @68",
              "Service bookinfo/reviews spec.selector @14"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "connectionPool": {
          "http1MaxPendingRequests": 10,
          "rule": "spec.trafficPolicy.connectionPool @58"
        },
        "tls": "NONE"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of legacy/sleep matched rule spec.http[0] of VirtualService bookinfo/reviews (source labels app=sleep) for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent the request to subset v3 (labels version=v3) of reviews.bookinfo.svc.cluster.local:9080, selected by DestinationRule bookinfo/reviews. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, but sidecars do not send to waypoints (Istio 1.24+; istio/istio#51445): the sidecar of legacy/sleep applied its own rules and connects to the pod directly (over HBONE when the pod is in the ambient mesh), so the routes and policies of waypoint bookinfo/waypoint are skipped.",
        "subset v3 of reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v3 (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });
});

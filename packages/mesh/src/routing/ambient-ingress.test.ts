import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

const A = (f: string) => `ambient/${f}`;

// The ingress gateway in front of a Service with a waypoint: istio.io/ingress-use-waypoint decides.
describe("traceRequest from an ingress gateway to an ambient Service with a waypoint", () => {
  it("without istio.io/ingress-use-waypoint the gateway connects to the reviews pods directly and the waypoint's HTTPRoute is skipped", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', A('bookinfo.yaml'), A('ingress.yaml'), A('reviews-waypoint-httproute.yaml')), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'bookinfo.example.com', port: 80, path: '/reviews/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Gateway bookinfo/bookinfo-gateway spec.servers[0] @12",
              "VirtualService bookinfo/bookinfo spec.http[0] @30",
              "VirtualService bookinfo/bookinfo spec.http[0].match[0].uri @31",
              "VirtualService bookinfo/bookinfo spec.http[0].route[0] @34"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @15"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Gateway bookinfo/bookinfo-gateway spec.servers[0] @12",
              "VirtualService bookinfo/bookinfo spec.http[0] @30",
              "VirtualService bookinfo/bookinfo spec.http[0].match[0].uri @31",
              "VirtualService bookinfo/bookinfo spec.http[0].route[0] @34"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @15"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Gateway bookinfo/bookinfo-gateway spec.servers[0] @12",
              "VirtualService bookinfo/bookinfo spec.http[0] @30",
              "VirtualService bookinfo/bookinfo spec.http[0].match[0].uri @31",
              "VirtualService bookinfo/bookinfo spec.http[0].route[0] @34"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @15"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway bookinfo/bookinfo-gateway (port 80 HTTP, hosts bookinfo.example.com), matched rule spec.http[0] of VirtualService bookinfo/bookinfo (uri prefix '/reviews') and sent the request to reviews.bookinfo.svc.cluster.local:9080. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, but a gateway sends to a waypoint only when the Service or its namespace is labelled istio.io/ingress-use-waypoint=true, so gateway istio-system/istio-ingressgateway connects to the pods directly and the routes and policies of waypoint bookinfo/waypoint are skipped.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v1 (1 of 3 pods); requests are spread by pod count."
      ],
      [
        "Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway bookinfo/bookinfo-gateway (port 80 HTTP, hosts bookinfo.example.com), matched rule spec.http[0] of VirtualService bookinfo/bookinfo (uri prefix '/reviews') and sent the request to reviews.bookinfo.svc.cluster.local:9080. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, but a gateway sends to a waypoint only when the Service or its namespace is labelled istio.io/ingress-use-waypoint=true, so gateway istio-system/istio-ingressgateway connects to the pods directly and the routes and policies of waypoint bookinfo/waypoint are skipped.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 3 pods); requests are spread by pod count."
      ],
      [
        "Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway bookinfo/bookinfo-gateway (port 80 HTTP, hosts bookinfo.example.com), matched rule spec.http[0] of VirtualService bookinfo/bookinfo (uri prefix '/reviews') and sent the request to reviews.bookinfo.svc.cluster.local:9080. Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint, but a gateway sends to a waypoint only when the Service or its namespace is labelled istio.io/ingress-use-waypoint=true, so gateway istio-system/istio-ingressgateway connects to the pods directly and the routes and policies of waypoint bookinfo/waypoint are skipped.",
        "reviews.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v3 (1 of 3 pods); requests are spread by pod count."
      ]
    ]);
  });

  it("with istio.io/ingress-use-waypoint=true the gateway sends to the waypoint, whose HTTPRoute splits 90/10", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', A('bookinfo.yaml'), A('ingress.yaml'), A('reviews-waypoint-httproute.yaml'), A('reviews-waypoint-ingress-label.yaml')), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'bookinfo.example.com', port: 80, path: '/reviews/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.9,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Gateway bookinfo/bookinfo-gateway spec.servers[0] @12",
              "VirtualService bookinfo/bookinfo spec.http[0] @30",
              "VirtualService bookinfo/bookinfo spec.http[0].match[0].uri @31",
              "VirtualService bookinfo/bookinfo spec.http[0].route[0] @34"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/ingress-use-waypoint\"] @12",
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @11",
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
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "Gateway bookinfo/bookinfo-gateway spec.servers[0] @12",
              "VirtualService bookinfo/bookinfo spec.http[0] @30",
              "VirtualService bookinfo/bookinfo spec.http[0].match[0].uri @31",
              "VirtualService bookinfo/bookinfo spec.http[0].route[0] @34"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> gateway:bookinfo/waypoint:15008 [http]",
            "decidedBy": [
              "Service bookinfo/reviews metadata.labels[\"istio.io/ingress-use-waypoint\"] @12",
              "Service bookinfo/reviews metadata.labels[\"istio.io/use-waypoint\"] @11",
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
        "Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway bookinfo/bookinfo-gateway (port 80 HTTP, hosts bookinfo.example.com), matched rule spec.http[0] of VirtualService bookinfo/bookinfo (uri prefix '/reviews') and sent the request to reviews.bookinfo.svc.cluster.local:9080.",
        "Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint and istio.io/ingress-use-waypoint=true, so gateway istio-system/istio-ingressgateway does not pick a pod: it sends the request over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which routes it again with the Service's own Layer 7 rules (the gateway's rules and the waypoint's both apply).",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 90% of the requests (spec.rules[0].backendRefs[0], weight 90 of 100) to reviews-v1.bookinfo.svc.cluster.local:9080.",
        "reviews-v1.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v1 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ],
      [
        "Gateway istio-system/istio-ingressgateway accepted the request on server spec.servers[0] of Gateway bookinfo/bookinfo-gateway (port 80 HTTP, hosts bookinfo.example.com), matched rule spec.http[0] of VirtualService bookinfo/bookinfo (uri prefix '/reviews') and sent the request to reviews.bookinfo.svc.cluster.local:9080.",
        "Service bookinfo/reviews is labelled istio.io/use-waypoint=waypoint and istio.io/ingress-use-waypoint=true, so gateway istio-system/istio-ingressgateway does not pick a pod: it sends the request over HBONE (mTLS, port 15008) to waypoint bookinfo/waypoint, which routes it again with the Service's own Layer 7 rules (the gateway's rules and the waypoint's both apply).",
        "Waypoint bookinfo/waypoint matched rule spec.rules[0] of HTTPRoute bookinfo/reviews (port 9080 (parentRef), path prefix '/' (the default match)), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent 10% of the requests (spec.rules[0].backendRefs[1], weight 10 of 100) to reviews-v2.bookinfo.svc.cluster.local:9080.",
        "reviews-v2.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 1 pod); requests are spread by pod count. The connection is tunnelled over HBONE (mTLS, port 15008) to the ztunnel of the destination pod, which delivers it."
      ]
    ]);
  });
});

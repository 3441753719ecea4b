import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

describe("traceRequest with Gateway API routes for the mesh (GAMMA: parentRef to a Service)", () => {
  it("sends jason's requests to reviews-v2: the header rule of the newer HTTPRoute sorts before the older catch-all (more headers)", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"reviews","port":9080,"path":"/reviews/0","headers":{"end-user":"jason"}});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews-v2.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.parentRefs[0] @450",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.rules[0].matches[0] @456",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.parentRefs[0].port @453",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.rules[0].matches[0].headers[0] @457",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.rules[0].timeouts @462",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews-jason spec.rules[0].backendRefs[0] @460"
            ]
          },
          {
            "step": "service:reviews-v2.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v2 spec.selector @86"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews-v2.bookinfo.svc.cluster.local",
        "timeoutMs": 500,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of bookinfo/productpage-v1 matched rule spec.rules[0].matches[0] of HTTPRoute bookinfo/reviews-jason (port 9080 (parentRef), path prefix '/' (the default match), header end-user exact 'jason'), a Gateway API route for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) and sent the request to reviews-v2.bookinfo.svc.cluster.local:9080. The rule's timeouts.request (500ms) bounds the whole request.",
        "reviews-v2.bookinfo.svc.cluster.local:9080 has endpoints in workload bookinfo/reviews-v2 (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });

  it("shifts other requests to reviews 50/50 between reviews-v1 and reviews-v3 (backendRef weights)", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"reviews","port":9080,"path":"/reviews/0"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews-v1.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @429",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @434",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @432",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[0] @435"
            ]
          },
          {
            "step": "service:reviews-v1.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v1 spec.selector @73"
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
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews-v3.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @429",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @434",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @432",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[1] @438"
            ]
          },
          {
            "step": "service:reviews-v3.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v3 spec.selector @99"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews-v3.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("applies the consumer route of namespace frontend to its own clients only: sleep goes to reviews-v3 even as jason", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"frontend","name":"sleep"},"protocol":"http","host":"reviews.bookinfo","port":9080,"path":"/reviews/0","headers":{"end-user":"jason"}});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/sleep(1) -> service:reviews-v3.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io frontend/reviews-from-frontend spec.parentRefs[0] @473",
              "HTTPRoute.gateway.networking.k8s.io frontend/reviews-from-frontend spec.rules[0] @477",
              "HTTPRoute.gateway.networking.k8s.io frontend/reviews-from-frontend spec.rules[0].backendRefs[0] @478"
            ]
          },
          {
            "step": "service:reviews-v3.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v3 spec.selector @99"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews-v3.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("keeps the HTTPRoutes of the client's namespace over an older VirtualService for the same host, and says so", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml", "gateway-api/bookinfo-virtualservice.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"reviews","port":9080,"path":"/reviews/0"});
    expect(r.problems).toEqual([
      "VirtualService bookinfo/reviews and HTTPRoute bookinfo/reviews, HTTPRoute bookinfo/reviews-jason both route reviews.bookinfo.svc.cluster.local for the mesh; the sidecar applies one VirtualService per host and keeps HTTPRoute bookinfo/reviews, HTTPRoute bookinfo/reviews-jason (a Gateway API route in the client's own namespace bookinfo comes first), so VirtualService bookinfo/reviews is ignored."
    ]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews-v1.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @429",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @434",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @432",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[0] @435"
            ]
          },
          {
            "step": "service:reviews-v1.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v1 spec.selector @73"
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
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews-v3.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0] @429",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0] @434",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.parentRefs[0].port @432",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/reviews spec.rules[0].backendRefs[1] @438"
            ]
          },
          {
            "step": "service:reviews-v3.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews-v3 spec.selector @99"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews-v3.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("orders exact /status/418 before the /status/ prefix and the regex; mirrors 25% to httpbin-v2; backendRequest becomes the timeout", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"httpbin","port":8000,"path":"/status/418"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:httpbin.bookinfo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.parentRefs[0] @491",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[2].matches[0] @516",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[2].matches[0].path @516",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[2].timeouts @529",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[2].backendRefs[0] @527"
            ]
          },
          {
            "step": "service:httpbin.bookinfo.svc.cluster.local:8000 -> workload:bookinfo/httpbin(1) [http]",
            "decidedBy": [
              "Service bookinfo/httpbin spec.selector @181"
            ]
          }
        ],
        "destination": "workload:bookinfo/httpbin(1)",
        "dsh": "httpbin.bookinfo.svc.cluster.local",
        "timeoutMs": 1000,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "mirrors": [
          "service:httpbin-v2.bookinfo.svc.cluster.local:8000 x0.25 @spec.rules[2].filters[0]:520"
        ],
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of bookinfo/productpage-v1 matched rule spec.rules[2].matches[0] of HTTPRoute bookinfo/httpbin (path exact '/status/418'), a Gateway API route for httpbin.bookinfo.svc.cluster.local on port 8000 (HTTP) and sent the request to httpbin.bookinfo.svc.cluster.local:8000. The rule's timeouts.request (5s) bounds the whole request; the rule's timeouts.backendRequest (1s) becomes the route timeout (no retry stanza).",
        "httpbin.bookinfo.svc.cluster.local:8000 has endpoints in workload bookinfo/httpbin (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });

  it("takes POST /status/500 by the prefix with a method (longer than the regex's rank) and rewrites the prefix", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"httpbin","port":8000,"path":"/status/500","method":"POST"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:httpbin-v2.bookinfo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.parentRefs[0] @491",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[1].matches[0] @502",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[1].matches[0].path @502",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[1].matches[0].method @505",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[1].filters[0] @507",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[1].backendRefs[0] @513"
            ]
          },
          {
            "step": "service:httpbin-v2.bookinfo.svc.cluster.local:8000 -> workload:bookinfo/httpbin-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/httpbin-v2 spec.selector @194"
            ]
          }
        ],
        "destination": "workload:bookinfo/httpbin-v2(1)",
        "dsh": "httpbin-v2.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of bookinfo/productpage-v1 matched rule spec.rules[1].matches[0] of HTTPRoute bookinfo/httpbin (path prefix '/status/', method POST), a Gateway API route for httpbin.bookinfo.svc.cluster.local on port 8000 (HTTP); URLRewrite rewrites the matched path prefix to /anything before forwarding and sent the request to httpbin-v2.bookinfo.svc.cluster.local:8000.",
        "httpbin-v2.bookinfo.svc.cluster.local:8000 has endpoints in workload bookinfo/httpbin-v2 (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });

  it("takes GET /status/500 by the regex rule", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"httpbin","port":8000,"path":"/status/500"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:httpbin.bookinfo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.parentRefs[0] @491",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[0].matches[0] @495",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[0].matches[0].path @495",
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.rules[0].backendRefs[0] @499"
            ]
          },
          {
            "step": "service:httpbin.bookinfo.svc.cluster.local:8000 -> workload:bookinfo/httpbin(1) [http]",
            "decidedBy": [
              "Service bookinfo/httpbin spec.selector @181"
            ]
          }
        ],
        "destination": "workload:bookinfo/httpbin(1)",
        "dsh": "httpbin.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("answers 404 NR when no rule of the mesh HTTPRoute matches (a host with routes has no fallback)", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"http","host":"httpbin","port":8000,"path":"/get"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:httpbin.bookinfo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io bookinfo/httpbin spec.parentRefs[0] @491"
            ]
          }
        ],
        "destination": "service:httpbin.bookinfo.svc.cluster.local:8000",
        "dsh": "httpbin.bookinfo.svc.cluster.local"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "HTTPRoute bookinfo/httpbin routes httpbin.bookinfo.svc.cluster.local for the mesh, but none of its 3 rule matches holds for this request (GET /get, port 8000); a host with routes has no fallback, so the sidecar of bookinfo/productpage-v1 answers 404 (NR)."
      ]
    ]);
  });

  it("routes the gRPC method proto.EchoTestService/ForwardEcho to echo-v2 with the GRPCRoute, other methods to echo", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"grpc","host":"echo","port":7070,"path":"/proto.EchoTestService/ForwardEcho"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:echo-v2.bookinfo.svc.cluster.local:7070 [grpc]",
            "decidedBy": [
              "GRPCRoute.gateway.networking.k8s.io bookinfo/echo spec.parentRefs[0] @540",
              "GRPCRoute.gateway.networking.k8s.io bookinfo/echo spec.rules[0].matches[0] @545",
              "GRPCRoute.gateway.networking.k8s.io bookinfo/echo spec.parentRefs[0].port @542",
              "GRPCRoute.gateway.networking.k8s.io bookinfo/echo spec.rules[0].matches[0].method @545",
              "GRPCRoute.gateway.networking.k8s.io bookinfo/echo spec.rules[0].backendRefs[0] @549"
            ]
          },
          {
            "step": "service:echo-v2.bookinfo.svc.cluster.local:7070 -> workload:bookinfo/echo-v2(1) [grpc]",
            "decidedBy": [
              "Service bookinfo/echo-v2 spec.selector @263"
            ]
          }
        ],
        "destination": "workload:bookinfo/echo-v2(1)",
        "dsh": "echo-v2.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("shifts TCP to tcp-echo 80/20 with the TCPRoute for the mesh", () => {
    const r = traceRequest(inventoryOf("gateway-api/bookinfo-mesh.yaml"), {"source":{"kind":"workload","namespace":"bookinfo","name":"productpage-v1"},"protocol":"tcp","host":"tcp-echo","port":9000});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.8,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:tcp-echo-v1.bookinfo.svc.cluster.local:9000 [tcp]",
            "decidedBy": [
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.parentRefs[0] @562",
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.rules[0] @566",
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.rules[0].backendRefs[0] @567"
            ]
          },
          {
            "step": "service:tcp-echo-v1.bookinfo.svc.cluster.local:9000 -> workload:bookinfo/tcp-echo-v1(1) [tcp]",
            "decidedBy": [
              "Service bookinfo/tcp-echo-v1 spec.selector @334"
            ]
          }
        ],
        "destination": "workload:bookinfo/tcp-echo-v1(1)",
        "dsh": "tcp-echo-v1.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.2,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:tcp-echo-v2.bookinfo.svc.cluster.local:9000 [tcp]",
            "decidedBy": [
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.parentRefs[0] @562",
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.rules[0] @566",
              "TCPRoute.gateway.networking.k8s.io bookinfo/tcp-echo spec.rules[0].backendRefs[1] @570"
            ]
          },
          {
            "step": "service:tcp-echo-v2.bookinfo.svc.cluster.local:9000 -> workload:bookinfo/tcp-echo-v2(1) [tcp]",
            "decidedBy": [
              "Service bookinfo/tcp-echo-v2 spec.selector @347"
            ]
          }
        ],
        "destination": "workload:bookinfo/tcp-echo-v2(1)",
        "dsh": "tcp-echo-v2.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });
});

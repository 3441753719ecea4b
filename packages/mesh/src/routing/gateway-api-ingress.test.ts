import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

describe("traceRequest through a Gateway API Gateway of class istio (listeners, attachment, precedence, filters, ReferenceGrant)", () => {
  it("routes http://httpbin.example.com/status/200 through listener http and rule 0 of HTTPRoute httpbin (PathPrefix /status, 3 s request timeout)", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/status/200"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> service:httpbin.ingress.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[0] @184",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.parentRefs[0] @312",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.hostnames[0] @317",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].matches[0] @320",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].matches[0].path @320",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].timeouts @329",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].backendRefs[0] @327"
            ]
          },
          {
            "step": "service:httpbin.ingress.svc.cluster.local:8000 -> workload:ingress/httpbin(1) [http]",
            "decidedBy": [
              "Service ingress/httpbin spec.selector @44"
            ]
          }
        ],
        "destination": "workload:ingress/httpbin(1)",
        "dsh": "httpbin.ingress.svc.cluster.local",
        "timeoutMs": 3000,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener http (port 80 HTTP, hostname httpbin.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, where HTTPRoute ingress/httpbin is attached for httpbin.example.com, and matched rule spec.rules[0].matches[0] of HTTPRoute ingress/httpbin (path prefix '/status') and sent the request to httpbin.ingress.svc.cluster.local:8000. The rule's timeouts.request (3s) bounds the whole request.",
        "httpbin.ingress.svc.cluster.local:8000 has endpoints in workload ingress/httpbin (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });

  it("prefers the exact /headers match with a header over the /status prefixes and applies its RequestHeaderModifier", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/headers","headers":{"x-debug":"1"}});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> service:httpbin.ingress.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[0] @184",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.parentRefs[0] @312",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.hostnames[0] @317",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[1].matches[0] @332",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[1].matches[0].path @332",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[1].matches[0].headers[0] @336",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[1].filters[0] @339",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[1].backendRefs[0] @345"
            ]
          },
          {
            "step": "service:httpbin.ingress.svc.cluster.local:8000 -> workload:ingress/httpbin(1) [http]",
            "decidedBy": [
              "Service ingress/httpbin spec.selector @44"
            ]
          }
        ],
        "destination": "workload:ingress/httpbin(1)",
        "dsh": "httpbin.ingress.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener http (port 80 HTTP, hostname httpbin.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, where HTTPRoute ingress/httpbin is attached for httpbin.example.com, and matched rule spec.rules[1].matches[0] of HTTPRoute ingress/httpbin (path exact '/headers', header x-debug exact '1'); RequestHeaderModifier sets x-debug-by: gateway on the request and sent the request to httpbin.ingress.svc.cluster.local:8000.",
        "httpbin.ingress.svc.cluster.local:8000 has endpoints in workload ingress/httpbin (1 of 1 pod); requests are spread by pod count."
      ]
    ]);
  });

  it("matches PathPrefix /status path-separated: /statusz is not under /status, so no rule holds and the gateway answers 404 NR", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/statusz"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> external:httpbin.example.com:80 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[0] @184",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.parentRefs[0] @312",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.hostnames[0] @317"
            ]
          }
        ],
        "destination": "external:httpbin.example.com:80",
        "dsh": "httpbin.example.com"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener http (port 80 HTTP, hostname httpbin.example.com) of Gateway (Gateway API) ingress/httpbin-gateway and applies HTTPRoute ingress/httpbin for httpbin.example.com, but none of its 4 rule matches holds for this request (GET /statusz, host httpbin.example.com, port 80), so it answers 404 (NR)."
      ]
    ]);
  });

  it("answers a RequestRedirect itself: /old/404 gets 301 to /status/404", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/old/404"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> client:redirect 301 answered by gateway ingress/httpbin-gateway-istio [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[0] @184",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.parentRefs[0] @312",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.hostnames[0] @317",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[2].matches[0] @348",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[2].matches[0].path @348",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[2].filters[0] @352"
            ]
          }
        ],
        "destination": "client:redirect 301 answered by gateway ingress/httpbin-gateway-istio"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener http (port 80 HTTP, hostname httpbin.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, where HTTPRoute ingress/httpbin is attached for httpbin.example.com, and matched rule spec.rules[2].matches[0] of HTTPRoute ingress/httpbin (path prefix '/old'); its RequestRedirect filter (spec.rules[2].filters) makes gateway ingress/httpbin-gateway-istio answer 301 itself with Location: http://httpbin.example.com/status/404; the client follows the redirect with a new request."
      ]
    ]);
  });

  it("routes app.example.com through the wildcard listener to team-a's HTTPRoute (namespace admitted by the selector)", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"app.example.com","port":80,"path":"/"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> service:app.team-a.svc.cluster.local:8080 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[1] @191",
              "HTTPRoute.gateway.networking.k8s.io team-a/app spec.parentRefs[0] @366",
              "HTTPRoute.gateway.networking.k8s.io team-a/app spec.hostnames[0] @370",
              "HTTPRoute.gateway.networking.k8s.io team-a/app spec.rules[0] @372",
              "HTTPRoute.gateway.networking.k8s.io team-a/app spec.rules[0].backendRefs[0] @373"
            ]
          },
          {
            "step": "service:app.team-a.svc.cluster.local:8080 -> workload:team-a/app(2) [http]",
            "decidedBy": [
              "Service team-a/app spec.selector @80"
            ]
          }
        ],
        "destination": "workload:team-a/app(2)",
        "dsh": "app.team-a.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("answers 404 NR for legacy.example.com: team-b's HTTPRoute is not attached, its namespace lacks the selector's label", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"legacy.example.com","port":80,"path":"/"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> external:legacy.example.com:80 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[1] @191",
              "HTTPRoute.gateway.networking.k8s.io team-b/legacy spec.parentRefs[0] @383"
            ]
          }
        ],
        "destination": "external:legacy.example.com:80",
        "dsh": "legacy.example.com"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener wildcard (port 80 HTTP, hostname *.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, but no route attached to it serves legacy.example.com (attached: HTTPRoute ingress/cross for cross.example.com; HTTPRoute team-a/app for app.example.com), so it answers 404 (NR). HTTPRoute team-b/legacy names this Gateway but is not attached: listener wildcard (port 80 HTTP, hostname *.example.com) admits routes from namespaces ingress, team-a only (allowedRoutes.namespaces.from Selector), not from team-b."
      ]
    ]);
  });

  it("splits cross.example.com 50/50: the team-a backend is allowed by a ReferenceGrant, the team-b backend is refused and answered 500", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"cross.example.com","port":80,"path":"/x"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> service:app.team-a.svc.cluster.local:8080 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[1] @191",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.parentRefs[0] @399",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.hostnames[0] @402",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.rules[0] @404",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.rules[0].backendRefs[0] @405",
              "ReferenceGrant.gateway.networking.k8s.io team-a/allow-ingress-routes spec.from[0] @421"
            ]
          },
          {
            "step": "service:app.team-a.svc.cluster.local:8080 -> workload:team-a/app(2) [http]",
            "decidedBy": [
              "Service team-a/app spec.selector @80"
            ]
          }
        ],
        "destination": "workload:team-a/app(2)",
        "dsh": "app.team-a.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.5,
        "outcome": "no-healthy-upstream 500 NC",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> service:legacy.team-b.svc.cluster.local:8080 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[1] @191",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.parentRefs[0] @399",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.hostnames[0] @402",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.rules[0] @404",
              "HTTPRoute.gateway.networking.k8s.io ingress/cross spec.rules[0].backendRefs[1] @409"
            ]
          }
        ],
        "destination": "service:legacy.team-b.svc.cluster.local:8080"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener wildcard (port 80 HTTP, hostname *.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, where HTTPRoute ingress/cross is attached for cross.example.com, and matched rule spec.rules[0] of HTTPRoute ingress/cross (path prefix '/' (the default match)) and sent 50% of the requests (spec.rules[0].backendRefs[0], weight 50 of 100) to app.team-a.svc.cluster.local:8080.",
        "app.team-a.svc.cluster.local:8080 has endpoints in workload team-a/app (2 of 2 pods); requests are spread by pod count."
      ],
      [
        "Gateway ingress/httpbin-gateway-istio accepted the request on listener wildcard (port 80 HTTP, hostname *.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, where HTTPRoute ingress/cross is attached for cross.example.com, and matched rule spec.rules[0] of HTTPRoute ingress/cross (path prefix '/' (the default match)); backendRef spec.rules[0].backendRefs[1] (Service team-b/legacy:8080) is refused: no ReferenceGrant in team-b allows HTTPRoute from ingress, so Istio drops the backend and gateway ingress/httpbin-gateway-istio answers 500 (NC, cluster not found) for 50% of the requests (spec.rules[0].backendRefs[1], weight 50 of 100)."
      ]
    ]);
  });

  it("terminates https://httpbin.example.com on listener https and routes it with the same HTTPRoute (second parentRef)", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"https","host":"httpbin.example.com","port":443,"path":"/delay/1"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:443 -> service:httpbin.ingress.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[2] @201",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.parentRefs[1] @314",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.hostnames[0] @317",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].matches[1] @323",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].matches[1].path @323",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].timeouts @329",
              "HTTPRoute.gateway.networking.k8s.io ingress/httpbin spec.rules[0].backendRefs[0] @327"
            ]
          },
          {
            "step": "service:httpbin.ingress.svc.cluster.local:8000 -> workload:ingress/httpbin(1) [http]",
            "decidedBy": [
              "Service ingress/httpbin spec.selector @44"
            ]
          }
        ],
        "destination": "workload:ingress/httpbin(1)",
        "dsh": "httpbin.ingress.svc.cluster.local",
        "timeoutMs": 3000,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("fails the TLS handshake on listener other-https: its certificate Secret is in namespace certs and no ReferenceGrant allows it", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"https","host":"other.example.com","port":443,"path":"/"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "connection-refused 503 UF",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:443 -> external:other.example.com:443 [https]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[3] @209",
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[3].tls.certificateRefs[0] @215"
            ]
          }
        ],
        "destination": "external:other.example.com:443"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio takes the connection on listener other-https (port 443 HTTPS Terminate, hostname other.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, but its certificateRef Secret certs/other-credential refused: no ReferenceGrant in certs allows Gateway from ingress; the listener has no certificate, so the TLS handshake fails and no request is routed."
      ]
    ]);
  });

  it("answers 404 NR for a host no listener serves", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"shop.example.net","port":80,"path":"/"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:80 -> external:shop.example.net:80 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[0].hostname @185",
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[1].hostname @192"
            ]
          }
        ],
        "destination": "external:shop.example.net:80",
        "dsh": "shop.example.net"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway ingress/httpbin-gateway-istio has listener http (port 80 HTTP, hostname httpbin.example.com) of Gateway (Gateway API) ingress/httpbin-gateway, listener wildcard (port 80 HTTP, hostname *.example.com) of Gateway (Gateway API) ingress/httpbin-gateway on port 80, but no listener hostname matches shop.example.net, so it answers 404 (NR)."
      ]
    ]);
  });

  it("routes TCP on port 9000 with the TCPRoute attached to listener tcp", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"tcp","host":"echo.ingress","port":9000});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:ingress/httpbin-gateway-istio:9000 -> service:echo.ingress.svc.cluster.local:9000 [tcp]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io ingress/httpbin-gateway spec.listeners[4] @217",
              "TCPRoute.gateway.networking.k8s.io ingress/echo spec.parentRefs[0] @435",
              "TCPRoute.gateway.networking.k8s.io ingress/echo spec.rules[0] @438",
              "TCPRoute.gateway.networking.k8s.io ingress/echo spec.rules[0].backendRefs[0] @439"
            ]
          },
          {
            "step": "service:echo.ingress.svc.cluster.local:9000 -> workload:ingress/echo(1) [tcp]",
            "decidedBy": [
              "Service ingress/echo spec.selector @148"
            ]
          }
        ],
        "destination": "workload:ingress/echo(1)",
        "dsh": "echo.ingress.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';
import { whole } from './__fixtures__/authz/whole.js';

// PeerAuthentication at the server side: STRICT refuses plaintext (a reset, not a routing failure), PERMISSIVE takes
// both, portLevelMtls by workload port; the client's identity exists only over mTLS (reference §3.15).
describe('traceRequest with PeerAuthentication (shop fixtures)', () => {
  it("STRICT refuses a plaintext client without a sidecar: connection reset, Envoy's NR on the server, not a routing failure", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/strict.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"orders.shop","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "plaintext-refused",
          "responseCode": 0,
          "responseFlags": "-",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "PeerAuthentication",
            "namespace": "shop",
            "name": "default"
          }
        },
        "hops": [
          {
            "step": "workload:legacy/legacy-client(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls refused STRICT plaintext at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @9"
              ],
              "explanation": "The sidecar of shop/orders accepts only mTLS on port 8080 (PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)), but workload legacy/legacy-client has no sidecar, so the connection is plaintext: the server's inbound listener has no plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection, so the client sees the connection reset (no HTTP response). This is mTLS refusing plaintext, not a routing failure."
            }
          ]
        }
      }
    ]);
  });

  it("STRICT refuses the plaintext a DestinationRule with tls DISABLE makes the client sidecar send: 503 UC", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/strict.yaml", "authz/orders-plaintext.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "plaintext-refused",
          "responseCode": 503,
          "responseFlags": "UC",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "PeerAuthentication",
            "namespace": "shop",
            "name": "default"
          }
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "DISABLE spec.trafficPolicy.tls.mode @11",
        "security": {
          "1": [
            {
              "check": "mtls refused STRICT plaintext at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @9",
                "DestinationRule shop/orders-plaintext spec.trafficPolicy.tls.mode @11"
              ],
              "explanation": "The sidecar of shop/orders accepts only mTLS on port 8080 (PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)), but DestinationRule shop/orders-plaintext sets tls mode DISABLE, so the connection is plaintext: the server's inbound listener has no plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection, so workload shop/frontend's proxy answers 503 with Envoy's flag UC (upstream connection termination). This is mTLS refusing plaintext, not a routing failure."
            }
          ]
        }
      }
    ]);
  });

  it("STRICT accepts auto mTLS between two sidecars and knows the client's principal", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/strict.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "mtls allowed STRICT mTLS cluster.local/ns/shop/sa/frontend at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @9"
              ],
              "explanation": "The sidecar of shop/orders accepts only mTLS on port 8080 (PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)); auto mTLS: both sides have sidecars: the server knows the client as cluster.local/ns/shop/sa/frontend."
            }
          ]
        }
      }
    ]);
  });

  it("STRICT: the ingress gateway reaches orders over auto mTLS", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/strict.yaml", "authz/ingress.yaml"), {"source":{"kind":"gateway","namespace":"istio-system","name":"istio-ingressgateway"},"protocol":"http","host":"shop.example.com","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": [
              "Gateway shop/shop-gateway spec.servers[0] @11",
              "VirtualService shop/shop spec.http[0] @26",
              "VirtualService shop/shop spec.http[0].match[0].uri @27",
              "VirtualService shop/shop spec.http[0].route[0] @30"
            ]
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "mtls allowed STRICT mTLS cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @9"
              ],
              "explanation": "The sidecar of shop/orders accepts only mTLS on port 8080 (PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)); auto mTLS: both sides have sidecars: the server knows the client as cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account."
            },
            {
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-ingress spec.rules[0] @45",
                "AuthorizationPolicy shop/orders-allow-ingress spec.rules[0].from[0].source.principals[0] @47"
              ],
              "explanation": "The sidecar of shop/orders allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy shop/orders-allow-ingress (workload selector) matched (principals cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account matches principal cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account); the client is cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("STRICT: a TCP connection in plaintext is reset too (no HTTP response)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/strict.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"tcp","host":"db.shop","port":5432});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "plaintext-refused",
          "responseCode": 0,
          "responseFlags": "-",
          "enforcedBy": "the sidecar of shop/db",
          "policy": {
            "kind": "PeerAuthentication",
            "namespace": "shop",
            "name": "default"
          }
        },
        "hops": [
          {
            "step": "workload:legacy/legacy-client(1) -> service:db.shop.svc.cluster.local:5432 [tcp]",
            "decidedBy": []
          },
          {
            "step": "service:db.shop.svc.cluster.local:5432 -> workload:shop/db(1) [tcp]",
            "decidedBy": [
              "Service shop/db spec.selector @163"
            ]
          }
        ],
        "destination": "workload:shop/db(1)",
        "dsh": "db.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls refused STRICT plaintext at the sidecar of shop/db",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @9"
              ],
              "explanation": "The sidecar of shop/db accepts only mTLS on port 5432 (PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)), but workload legacy/legacy-client has no sidecar, so the connection is plaintext: the server's inbound listener has no plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection, so the client sees the connection reset (no HTTP response). This is mTLS refusing plaintext, not a routing failure."
            }
          ]
        }
      }
    ]);
  });

  it("PERMISSIVE in namespace shop overrides the mesh-wide STRICT: plaintext is accepted, with no client identity", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/permissive.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"orders.shop","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:legacy/legacy-client(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls allowed PERMISSIVE plaintext at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/migrating spec.mtls.mode @18"
              ],
              "explanation": "The sidecar of shop/orders accepts mTLS and plaintext on port 8080 (PeerAuthentication shop/migrating (namespace-wide) sets PERMISSIVE (spec.mtls.mode)); workload legacy/legacy-client has no sidecar, so the connection is plaintext: the server knows no client identity."
            }
          ]
        }
      }
    ]);
  });

  it("PERMISSIVE with a client sidecar: auto mTLS still carries the identity", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/permissive.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "mtls allowed PERMISSIVE mTLS cluster.local/ns/shop/sa/frontend at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/migrating spec.mtls.mode @18"
              ],
              "explanation": "The sidecar of shop/orders accepts mTLS and plaintext on port 8080 (PeerAuthentication shop/migrating (namespace-wide) sets PERMISSIVE (spec.mtls.mode)); auto mTLS: both sides have sidecars: the server knows the client as cluster.local/ns/shop/sa/frontend."
            }
          ]
        }
      }
    ]);
  });

  it("portLevelMtls: payments is STRICT but PERMISSIVE on 9090, the container port behind Service port 8080 (targetPort http-api)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/port-level.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"payments.shop","port":8080,"path":"/charge","method":"POST"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:legacy/legacy-client(1) -> service:payments.shop.svc.cluster.local:8080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:payments.shop.svc.cluster.local:8080 -> workload:shop/payments(1) [http]",
            "decidedBy": [
              "Service shop/payments spec.selector @124"
            ]
          }
        ],
        "destination": "workload:shop/payments(1)",
        "dsh": "payments.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls allowed PERMISSIVE plaintext at the sidecar of shop/payments",
              "decidedBy": [
                "PeerAuthentication shop/payments spec.portLevelMtls[\"9090\"].mode @16"
              ],
              "explanation": "The sidecar of shop/payments accepts mTLS and plaintext on port 9090 (PeerAuthentication shop/payments sets PERMISSIVE on port 9090 (spec.portLevelMtls[\"9090\"].mode)); workload legacy/legacy-client has no sidecar, so the connection is plaintext: the server knows no client identity."
            }
          ]
        }
      }
    ]);
  });

  it("portLevelMtls: orders' workload policy leaves the mode UNSET and names another port, so the namespace's STRICT refuses plaintext on 8080", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/port-level.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"orders.shop","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "plaintext-refused",
          "responseCode": 0,
          "responseFlags": "-",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "PeerAuthentication",
            "namespace": "shop",
            "name": "default"
          }
        },
        "hops": [
          {
            "step": "workload:legacy/legacy-client(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls refused STRICT plaintext at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/default spec.mtls.mode @39"
              ],
              "explanation": "The sidecar of shop/orders accepts only mTLS on port 8080 (PeerAuthentication shop/orders (workload) leaves the mode UNSET; PeerAuthentication shop/default (namespace-wide) sets STRICT (spec.mtls.mode)), but workload legacy/legacy-client has no sidecar, so the connection is plaintext: the server's inbound listener has no plaintext filter chain (its Envoy logs NR, filter_chain_not_found) and resets the connection, so the client sees the connection reset (no HTTP response). This is mTLS refusing plaintext, not a routing failure."
            }
          ]
        }
      }
    ]);
  });
  it("DISABLE: auto mTLS sends plaintext to a server that takes plaintext only, so principals cannot match there", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/orders-disable.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "ALLOW",
          "enforcedBy": "the sidecar of shop/orders",
          "considered": [
            {
              "kind": "AuthorizationPolicy",
              "namespace": "shop",
              "name": "orders-allow-frontend"
            }
          ]
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "mtls allowed DISABLE plaintext at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/orders-plaintext-only spec.mtls.mode @12"
              ],
              "explanation": "The sidecar of shop/orders accepts only plaintext on port 8080 (PeerAuthentication shop/orders-plaintext-only (workload) sets DISABLE (spec.mtls.mode)); auto mTLS sends plaintext because the server's PeerAuthentication mode is DISABLE: the server knows no client identity."
            },
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals @15"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: principals cluster.local/ns/shop/sa/frontend needs the client's mTLS identity, but auto mTLS sends plaintext because the server's PeerAuthentication mode is DISABLE: without mTLS principals and namespaces cannot match (Istio's behaviour). The server knows no client identity: auto mTLS sends plaintext because the server's PeerAuthentication mode is DISABLE. AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });
  it("DISABLE: a DestinationRule insisting on ISTIO_MUTUAL fails the TLS handshake against a plaintext-only server: 503 UF", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/orders-disable.yaml", "authz/orders-mtls.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "connection-refused",
          "responseCode": 503,
          "responseFlags": "UF"
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:orders.shop.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:orders.shop.svc.cluster.local:80 -> workload:shop/orders(2) [http]",
            "decidedBy": [
              "Service shop/orders spec.selector @86"
            ]
          }
        ],
        "destination": "workload:shop/orders(2)",
        "dsh": "orders.shop.svc.cluster.local",
        "tls": "ISTIO_MUTUAL spec.trafficPolicy.tls.mode @11",
        "security": {
          "1": [
            {
              "check": "mtls refused DISABLE mTLS at the sidecar of shop/orders",
              "decidedBy": [
                "PeerAuthentication shop/orders-plaintext-only spec.mtls.mode @12",
                "DestinationRule shop/orders-mtls spec.trafficPolicy.tls.mode @11"
              ],
              "explanation": "The sidecar of shop/orders accepts only plaintext on port 8080 (PeerAuthentication shop/orders-plaintext-only (workload) sets DISABLE (spec.mtls.mode)), but DestinationRule shop/orders-mtls sets ISTIO_MUTUAL: the TLS handshake fails and workload shop/frontend's proxy answers 503 (Envoy flag UF)."
            }
          ]
        }
      }
    ]);
  });
});

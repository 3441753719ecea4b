import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf } from './__fixtures__/load.js';
import { whole } from './__fixtures__/authz/whole.js';
import { inBlock, matchAuthzRule, matchPattern, type RequestAttributes } from './authz-rules.js';

// AuthorizationPolicy at the server side of each hop, in Istio's order: CUSTOM, DENY, ALLOW (reference §3.16).
describe('traceRequest with AuthorizationPolicies (shop fixtures)', () => {
  it("DENY: rule spec.rules[1] of orders-deny-admin matches /admin/users over mTLS: 403 naming the policy and rule", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/deny-admin.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/admin/users"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "shop",
            "name": "orders-deny-admin"
          },
          "ruleIndex": 1
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-deny-admin spec.rules[1] @19",
                "AuthorizationPolicy shop/orders-deny-admin spec.rules[1].to[0].operation.paths[1] @21"
              ],
              "explanation": "The sidecar of shop/orders denies the request: rule spec.rules[1] of DENY AuthorizationPolicy shop/orders-deny-admin (workload selector) matched (paths /admin/* matches path /admin/users), so the answer is 403 RBAC: access denied; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("DENY: a write with header x-debug matches rule spec.rules[0] (methods and when request.headers[x-debug] present)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/deny-admin.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders","method":"POST","headers":{"x-debug":"1"}});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "shop",
            "name": "orders-deny-admin"
          },
          "ruleIndex": 0
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-deny-admin spec.rules[0] @13",
                "AuthorizationPolicy shop/orders-deny-admin spec.rules[0].to[0].operation.methods[0] @15",
                "AuthorizationPolicy shop/orders-deny-admin spec.rules[0].when[0].values[0] @18"
              ],
              "explanation": "The sidecar of shop/orders denies the request: rule spec.rules[0] of DENY AuthorizationPolicy shop/orders-deny-admin (workload selector) matched (methods POST matches method POST; when request.headers[x-debug] * matches header x-debug=1), so the answer is 403 RBAC: access denied; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("DENY: no rule matches GET /orders/1 and the DENY without rules is a no-op; no ALLOW policy, so it is allowed", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/deny-admin.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders/1?expand=items"});
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
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [],
              "explanation": "The sidecar of shop/orders allows the request: no rule of DENY policies shop/orders-deny-admin, shop/orders-deny-nothing matched; no ALLOW policy applies here, so Istio allows it; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("ALLOW: principals cluster.local/ns/shop/sa/frontend match over auto mTLS; the AUDIT policy is only noted", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders/42"});
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
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0] @13",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals[0] @15",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].to[0].operation.methods[0] @18",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].to[0].operation.paths[0] @19"
              ],
              "explanation": "The sidecar of shop/orders allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy shop/orders-allow-frontend (workload selector) matched (principals cluster.local/ns/shop/sa/frontend matches principal cluster.local/ns/shop/sa/frontend; methods GET matches method GET; paths /orders* matches path /orders/42); the client is cluster.local/ns/shop/sa/frontend (mTLS). AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("ALLOW: principals cannot match a plaintext caller without a sidecar: 403, no ALLOW policy matched, and the reason", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"orders.shop","port":80,"path":"/orders/42"});
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
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals @15"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: principals cluster.local/ns/shop/sa/frontend needs the client's mTLS identity, but workload legacy/legacy-client has no sidecar, so the connection is plaintext: without mTLS principals and namespaces cannot match (Istio's behaviour). The server knows no client identity: workload legacy/legacy-client has no sidecar, so the connection is plaintext. AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("ALLOW: with DestinationRule tls DISABLE the frontend's sidecar sends plaintext, so its principal is unknown and the rule cannot match", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml", "authz/orders-plaintext.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders/42"});
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
        "tls": "DISABLE spec.trafficPolicy.tls.mode @11",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals @15"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: principals cluster.local/ns/shop/sa/frontend needs the client's mTLS identity, but DestinationRule shop/orders-plaintext sets tls mode DISABLE, so the connection is plaintext: without mTLS principals and namespaces cannot match (Istio's behaviour). The server knows no client identity: DestinationRule shop/orders-plaintext sets tls mode DISABLE, so the connection is plaintext. AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("ALLOW: the right identity with a method the rule does not allow is denied (to.operation.methods)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders/42","method":"DELETE"});
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].to[0].operation.methods @18"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: methods [GET, HEAD] does not match method DELETE. The client is cluster.local/ns/shop/sa/frontend (mTLS). AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("--principal: a caller outside the mesh presenting shop/frontend over mTLS is allowed", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"outside"},"protocol":"http","host":"orders.shop.svc.cluster.local","port":80,"path":"/orders","principal":"shop/frontend"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "client:a client outside the mesh -> service:orders.shop.svc.cluster.local:80 [http]",
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
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0] @13",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals[0] @15",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].to[0].operation.methods[0] @18",
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].to[0].operation.paths[0] @19"
              ],
              "explanation": "The sidecar of shop/orders allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy shop/orders-allow-frontend (workload selector) matched (principals cluster.local/ns/shop/sa/frontend matches principal cluster.local/ns/shop/sa/frontend; methods GET matches method GET; paths /orders* matches path /orders); the client is cluster.local/ns/shop/sa/frontend (mTLS). AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("--principal: another identity is denied, the rule naming the principal it wanted", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-frontend.yaml"), {"source":{"kind":"outside"},"protocol":"http","host":"orders.shop.svc.cluster.local","port":80,"path":"/orders","principal":"spiffe://cluster.local/ns/shop/sa/payments"});
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
            "step": "client:a client outside the mesh -> service:orders.shop.svc.cluster.local:80 [http]",
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
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-allow-frontend spec.rules[0].from[0].source.principals @15"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: principals cluster.local/ns/shop/sa/frontend does not match principal cluster.local/ns/shop/sa/payments. The client is cluster.local/ns/shop/sa/payments (mTLS). AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision."
            }
          ]
        }
      }
    ]);
  });

  it("ALLOW-nothing: spec {} in namespace shop denies every request there", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/allow-nothing.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"payments","port":8080,"path":"/charge","method":"POST"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "ALLOW",
          "enforcedBy": "the sidecar of shop/payments",
          "considered": [
            {
              "kind": "AuthorizationPolicy",
              "namespace": "shop",
              "name": "allow-nothing"
            }
          ]
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:payments.shop.svc.cluster.local:8080 [http]",
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/payments",
              "decidedBy": [
                "AuthorizationPolicy shop/allow-nothing spec @7"
              ],
              "explanation": "The sidecar of shop/payments denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/allow-nothing (namespace-wide (shop)) has no rules, which allows nothing. The client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("CUSTOM: a matching CUSTOM rule is noted (the external authorizer decides) and the trace goes on", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/custom.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/orders/7"});
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
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy shop/orders-ext-authz spec.rules[0] @15"
              ],
              "explanation": "The sidecar of shop/orders allows the request: no ALLOW policy applies here, so Istio allows it; the client is cluster.local/ns/shop/sa/frontend (mTLS). CUSTOM policy shop/orders-ext-authz (rule spec.rules[0]) asks the external authorizer ext-authz-opa first; the trace cannot know its answer and goes on as if it allowed (a denial would be 403 with Envoy's flag UAEX)."
            }
          ]
        }
      }
    ]);
  });

  it("mesh-wide: the root namespace's DENY closes /debug/* on every workload", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/mesh-wide.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"payments","port":8080,"path":"/debug/pprof"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "the sidecar of shop/payments",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "istio-system",
            "name": "deny-debug-endpoints"
          },
          "ruleIndex": 0
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:payments.shop.svc.cluster.local:8080 [http]",
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/payments",
              "decidedBy": [
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0] @11",
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0].to[0].operation.paths[0] @13"
              ],
              "explanation": "The sidecar of shop/payments denies the request: rule spec.rules[0] of DENY AuthorizationPolicy istio-system/deny-debug-endpoints (mesh-wide (root namespace istio-system)) matched (paths /debug/* matches path /debug/pprof), so the answer is 403 RBAC: access denied; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("paths with *: the suffix pattern */env matches /actuator/env", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/mesh-wide.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/actuator/env"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "istio-system",
            "name": "deny-debug-endpoints"
          },
          "ruleIndex": 0
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0] @11",
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0].to[0].operation.paths[1] @13"
              ],
              "explanation": "The sidecar of shop/orders denies the request: rule spec.rules[0] of DENY AuthorizationPolicy istio-system/deny-debug-endpoints (mesh-wide (root namespace istio-system)) matched (paths */env matches path /actuator/env), so the answer is 403 RBAC: access denied; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("paths with *: the prefix pattern /internal* matches /internal-metrics, /debug/* does not match /debug", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/mesh-wide.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/internal-metrics"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "the sidecar of shop/orders",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "istio-system",
            "name": "deny-debug-endpoints"
          },
          "ruleIndex": 0
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0] @11",
                "AuthorizationPolicy istio-system/deny-debug-endpoints spec.rules[0].to[0].operation.paths[2] @13"
              ],
              "explanation": "The sidecar of shop/orders denies the request: rule spec.rules[0] of DENY AuthorizationPolicy istio-system/deny-debug-endpoints (mesh-wide (root namespace istio-system)) matched (paths /internal* matches path /internal-metrics), so the answer is 403 RBAC: access denied; the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("mesh-wide: namespaces [shop, istio-*] allow the frontend's mTLS identity", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/mesh-wide.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"orders","port":80,"path":"/debug"});
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
              "check": "authz allowed at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy istio-system/allow-mesh-namespaces spec.rules[0] @23",
                "AuthorizationPolicy istio-system/allow-mesh-namespaces spec.rules[0].from[0].source.namespaces[0] @25"
              ],
              "explanation": "The sidecar of shop/orders allows the request: no rule of DENY policy istio-system/deny-debug-endpoints matched; rule spec.rules[0] of ALLOW AuthorizationPolicy istio-system/allow-mesh-namespaces (mesh-wide (root namespace istio-system)) matched (namespaces shop matches source namespace shop); the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("mesh-wide: namespaces cannot match a plaintext caller, so legacy-client is denied", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/mesh-wide.yaml"), {"source":{"kind":"workload","namespace":"legacy","name":"legacy-client"},"protocol":"http","host":"orders.shop","port":80,"path":"/orders"});
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
              "namespace": "istio-system",
              "name": "allow-mesh-namespaces"
            }
          ]
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
              "check": "authz denied at the sidecar of shop/orders",
              "decidedBy": [
                "AuthorizationPolicy istio-system/allow-mesh-namespaces spec.rules[0].from[0].source.namespaces @25"
              ],
              "explanation": "The sidecar of shop/orders denies the request with 403 RBAC: access denied: no rule of DENY policy istio-system/deny-debug-endpoints matched; no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: istio-system/allow-mesh-namespaces spec.rules[0]: namespaces [shop, istio-*] needs the client's mTLS identity, but workload legacy/legacy-client has no sidecar, so the connection is plaintext: without mTLS principals and namespaces cannot match (Istio's behaviour). The server knows no client identity: workload legacy/legacy-client has no sidecar, so the connection is plaintext."
            }
          ]
        }
      }
    ]);
  });

  it("targetRefs: the Gateway API gateway's proxy enforces the DENY attached to Gateway httpbin-gateway", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml", "authz/gateway-targetrefs.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/status/503"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "DENY",
          "enforcedBy": "gateway ingress/httpbin-gateway-istio",
          "policy": {
            "kind": "AuthorizationPolicy",
            "namespace": "ingress",
            "name": "gateway-deny-status-5xx"
          },
          "ruleIndex": 0
        },
        "hops": [
          {
            "step": "client:a client outside the mesh -> gateway:ingress/httpbin-gateway-istio:80 [http]",
            "decidedBy": []
          }
        ],
        "destination": "gateway:ingress/httpbin-gateway-istio:80",
        "security": {
          "0": [
            {
              "check": "authz denied at gateway ingress/httpbin-gateway-istio",
              "decidedBy": [
                "AuthorizationPolicy ingress/gateway-deny-status-5xx spec.rules[0] @15",
                "AuthorizationPolicy ingress/gateway-deny-status-5xx spec.rules[0].to[0].operation.paths[0] @17"
              ],
              "explanation": "Gateway ingress/httpbin-gateway-istio denies the request: rule spec.rules[0] of DENY AuthorizationPolicy ingress/gateway-deny-status-5xx (targetRefs Gateway ingress/httpbin-gateway) matched (paths /status/5* matches path /status/503), so the answer is 403 RBAC: access denied; the server knows no client identity: the gateway does not terminate Istio mTLS from a client outside the mesh."
            }
          ]
        }
      }
    ]);
  });

  it("targetRefs: other paths pass the gateway; the policy targeting Service httpbin is a waypoint's, so httpbin's sidecar ignores it", () => {
    const r = traceRequest(inventoryOf("gateway-api/ingress.yaml", "authz/gateway-targetrefs.yaml"), {"source":{"kind":"gateway","namespace":"ingress","name":"httpbin-gateway-istio"},"protocol":"http","host":"httpbin.example.com","port":80,"path":"/status/200"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "0": [
            {
              "check": "authz allowed at gateway ingress/httpbin-gateway-istio",
              "decidedBy": [],
              "explanation": "Gateway ingress/httpbin-gateway-istio allows the request: no rule of DENY policy ingress/gateway-deny-status-5xx matched; no ALLOW policy applies here, so Istio allows it; the server knows no client identity: the gateway does not terminate Istio mTLS from a client outside the mesh."
            }
          ]
        }
      }
    ]);
  });

  it("ingress: the gateway calls orders as its own identity over auto mTLS, which the ALLOW names", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/ingress.yaml"), {"source":{"kind":"gateway","namespace":"istio-system","name":"istio-ingressgateway"},"protocol":"http","host":"shop.example.com","port":80,"path":"/orders/3"});
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

  it("TCP: orders connects to db as cluster.local/ns/shop/sa/orders (ALLOW principals)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/tcp.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"orders"},"protocol":"tcp","host":"db","port":5432});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:shop/orders(2) -> service:db.shop.svc.cluster.local:5432 [tcp]",
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz allowed at the sidecar of shop/db",
              "decidedBy": [
                "AuthorizationPolicy shop/db-allow-orders spec.rules[0] @13",
                "AuthorizationPolicy shop/db-allow-orders spec.rules[0].from[0].source.principals[0] @15"
              ],
              "explanation": "The sidecar of shop/db allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy shop/db-allow-orders (workload selector) matched (principals cluster.local/ns/shop/sa/orders matches principal cluster.local/ns/shop/sa/orders); the client is cluster.local/ns/shop/sa/orders (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("TCP: the rule with HTTP methods is left out on TCP, so the frontend's connection to db is closed", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/tcp.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"tcp","host":"db","port":5432});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 0,
          "responseFlags": "-",
          "action": "ALLOW",
          "enforcedBy": "the sidecar of shop/db",
          "considered": [
            {
              "kind": "AuthorizationPolicy",
              "namespace": "shop",
              "name": "db-allow-orders"
            }
          ]
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:db.shop.svc.cluster.local:5432 [tcp]",
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/db",
              "decidedBy": [
                "AuthorizationPolicy shop/db-allow-orders spec.rules[0].from[0].source.principals @15",
                "AuthorizationPolicy shop/db-allow-orders spec.rules[1].to[0].operation.methods @18"
              ],
              "explanation": "The sidecar of shop/db denies the request with a closed connection: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/db-allow-orders spec.rules[0]: principals cluster.local/ns/shop/sa/orders does not match principal cluster.local/ns/shop/sa/frontend; shop/db-allow-orders spec.rules[1]: methods is HTTP-only and this is TCP traffic: Istio leaves the rule out of the TCP filter, so it cannot match. The client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("JWT: a token of https://auth.example.com validated by RequestAuthentication payments-jwt matches requestPrincipals and the iss claim", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/jwt.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"payments","port":8080,"path":"/charge","method":"POST","requestPrincipal":"https://auth.example.com/svc-frontend"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:payments.shop.svc.cluster.local:8080 [http]",
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
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz allowed at the sidecar of shop/payments",
              "decidedBy": [
                "AuthorizationPolicy shop/payments-require-jwt spec.rules[0] @26",
                "AuthorizationPolicy shop/payments-require-jwt spec.rules[0].from[0].source.requestPrincipals[0] @28",
                "AuthorizationPolicy shop/payments-require-jwt spec.rules[0].when[0].values[0] @31"
              ],
              "explanation": "The sidecar of shop/payments allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy shop/payments-require-jwt (workload selector) matched (requestPrincipals https://auth.example.com/svc-* matches request principal https://auth.example.com/svc-frontend; when request.auth.claims[iss] https://auth.example.com matches claim iss=https://auth.example.com); the client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });

  it("JWT: without a token the request principal is empty and the ALLOW rule cannot match", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/jwt.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"payments","port":8080,"path":"/charge","method":"POST"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 403,
          "responseFlags": "-",
          "action": "ALLOW",
          "enforcedBy": "the sidecar of shop/payments",
          "considered": [
            {
              "kind": "AuthorizationPolicy",
              "namespace": "shop",
              "name": "payments-require-jwt"
            }
          ]
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:payments.shop.svc.cluster.local:8080 [http]",
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
        "tls": "ISTIO_MUTUAL",
        "security": {
          "1": [
            {
              "check": "authz denied at the sidecar of shop/payments",
              "decidedBy": [
                "AuthorizationPolicy shop/payments-require-jwt spec.rules[0].from[0].source.requestPrincipals @28"
              ],
              "explanation": "The sidecar of shop/payments denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/payments-require-jwt spec.rules[0]: requestPrincipals https://auth.example.com/svc-* needs a validated JWT, but the request carries no JWT (give one with --request-principal). The client is cluster.local/ns/shop/sa/frontend (mTLS)."
            }
          ]
        }
      }
    ]);
  });
});

// ztunnel enforces the ambient workload's policies at Layer 4 (HTTP fields as on TCP traffic).
describe('traceRequest to an ambient workload (ztunnel)', () => {
  it("ambient: ztunnel knows the frontend's identity (its sidecar reaches ztunnel over mTLS) and allows it at Layer 4", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/ambient.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"frontend"},"protocol":"http","host":"ledger.ledger","port":8080,"path":"/entries/1"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "delivered"
        },
        "hops": [
          {
            "step": "workload:shop/frontend(1) -> service:ledger.ledger.svc.cluster.local:8080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:ledger.ledger.svc.cluster.local:8080 -> workload:ledger/ledger(1) [http]",
            "decidedBy": [
              "Service ledger/ledger spec.selector @25"
            ]
          }
        ],
        "destination": "workload:ledger/ledger(1)",
        "dsh": "ledger.ledger.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "authz allowed at ztunnel (for ledger/ledger)",
              "decidedBy": [
                "AuthorizationPolicy ledger/ledger-allow spec.rules[0] @64",
                "AuthorizationPolicy ledger/ledger-allow spec.rules[0].from[0].source.principals[0] @66"
              ],
              "explanation": "Ztunnel (for ledger/ledger) allows the request: rule spec.rules[0] of ALLOW AuthorizationPolicy ledger/ledger-allow (workload selector) matched (principals cluster.local/ns/shop/sa/frontend matches principal cluster.local/ns/shop/sa/frontend); the client is cluster.local/ns/shop/sa/frontend (mTLS). ztunnel enforces Layer 4 only: HTTP fields of its policies are treated as on TCP traffic."
            }
          ]
        }
      }
    ]);
  });
  it("ambient: ztunnel cannot enforce paths, so the rule for orders is left out and orders is denied (connection closed)", () => {
    const r = traceRequest(inventoryOf("authz/shop.yaml", "istio-system.yaml", "authz/ambient.yaml"), {"source":{"kind":"workload","namespace":"shop","name":"orders"},"protocol":"http","host":"ledger.ledger","port":8080,"path":"/entries/1"});
    expect(r.problems).toEqual([]);
    expect(whole(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": {
          "kind": "denied-by-policy",
          "responseCode": 0,
          "responseFlags": "-",
          "action": "ALLOW",
          "enforcedBy": "ztunnel (for ledger/ledger)",
          "considered": [
            {
              "kind": "AuthorizationPolicy",
              "namespace": "ledger",
              "name": "ledger-allow"
            }
          ]
        },
        "hops": [
          {
            "step": "workload:shop/orders(2) -> service:ledger.ledger.svc.cluster.local:8080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:ledger.ledger.svc.cluster.local:8080 -> workload:ledger/ledger(1) [http]",
            "decidedBy": [
              "Service ledger/ledger spec.selector @25"
            ]
          }
        ],
        "destination": "workload:ledger/ledger(1)",
        "dsh": "ledger.ledger.svc.cluster.local",
        "tls": "NONE",
        "security": {
          "1": [
            {
              "check": "authz denied at ztunnel (for ledger/ledger)",
              "decidedBy": [
                "AuthorizationPolicy ledger/ledger-allow spec.rules[0].from[0].source.principals @66",
                "AuthorizationPolicy ledger/ledger-allow spec.rules[1].to[0].operation.paths @72"
              ],
              "explanation": "Ztunnel (for ledger/ledger) denies the request with a closed connection: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: ledger/ledger-allow spec.rules[0]: principals cluster.local/ns/shop/sa/frontend does not match principal cluster.local/ns/shop/sa/orders; ledger/ledger-allow spec.rules[1]: paths is HTTP-only and this is TCP traffic: Istio leaves the rule out of the TCP filter, so it cannot match. The client is cluster.local/ns/shop/sa/orders (mTLS). ztunnel enforces Layer 4 only: HTTP fields of its policies are treated as on TCP traffic."
            }
          ]
        }
      }
    ]);
  });
});

describe('AuthorizationPolicy rule matching (Istio semantics)', () => {
  const base: RequestAttributes = {
    http: true, port: 8080, method: 'GET', path: '/api/v1/items', headers: { 'x-team': 'blue' }, host: 'orders.shop.svc.cluster.local',
    principal: 'cluster.local/ns/shop/sa/frontend', noPrincipalWhy: '', noRequestPrincipalWhy: 'the request carries no JWT', sourceIp: '10.1.2.3',
  };

  it('matches values exactly, by prefix*, by *suffix and * (present), and IPs by CIDR', () => {
    expect([matchPattern('/a', '/a'), matchPattern('/a*', '/abc'), matchPattern('*c', '/abc'), matchPattern('*', ''), matchPattern('*', 'x'), matchPattern('/a', '/a/')]).toEqual([true, true, true, false, true, false]);
    expect([inBlock('10.1.0.0/16', '10.1.2.3'), inBlock('10.2.0.0/16', '10.1.2.3'), inBlock('10.1.2.3', '10.1.2.3'), inBlock('0.0.0.0/0', '192.168.1.1'), inBlock('10.1.0.0/16', undefined)]).toEqual([true, false, true, true, false]);
  });

  it('notPrincipals holds without mTLS (nothing to exclude) while principals cannot match', () => {
    const plain = { ...base, principal: undefined, noPrincipalWhy: 'the connection is plaintext' } as RequestAttributes;
    expect(matchAuthzRule({ from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/frontend'] } }] }, 0, 'ALLOW', plain)).toEqual({
      matched: true, held: [{ path: 'spec.rules[0].from[0].source.notPrincipals', note: 'notPrincipals cluster.local/ns/shop/sa/frontend holds: there is nothing to exclude (the connection is plaintext)' }],
    });
    expect(matchAuthzRule({ from: [{ source: { principals: ['*'] } }] }, 0, 'ALLOW', plain).matched).toBe(false);
    expect(matchAuthzRule({ from: [{ source: { principals: ['*'] } }] }, 0, 'ALLOW', base).matched).toBe(true);
  });

  it('path templates, hosts without case, ports, ipBlocks and when destination.port', () => {
    const rule = {
      from: [{ source: { ipBlocks: ['10.1.0.0/16'] } }],
      to: [{ operation: { hosts: ['ORDERS.shop.svc.cluster.local'], ports: ['8080'], paths: ['/api/{*}/items'] } }],
      when: [{ key: 'destination.port', values: ['8080'] }, { key: 'request.headers[X-Team]', notValues: ['red'] }],
    };
    expect(matchAuthzRule(rule, 2, 'ALLOW', base)).toEqual({
      matched: true,
      held: [
        { path: 'spec.rules[2].from[0].source.ipBlocks[0]', note: 'ipBlocks 10.1.0.0/16 matches source IP 10.1.2.3' },
        { path: 'spec.rules[2].to[0].operation.hosts[0]', note: 'hosts ORDERS.shop.svc.cluster.local matches host orders.shop.svc.cluster.local' },
        { path: 'spec.rules[2].to[0].operation.ports[0]', note: 'ports 8080 matches port 8080' },
        { path: 'spec.rules[2].to[0].operation.paths[0]', note: 'paths /api/{*}/items matches path /api/v1/items' },
        { path: 'spec.rules[2].when[0].values[0]', note: 'when destination.port 8080 matches port 8080' },
        { path: 'spec.rules[2].when[1].notValues', note: 'when request.headers[X-Team] notValues red does not exclude header x-team=blue' },
      ],
    });
  });

  it('skips a rule with an unknown when key, and drops HTTP-only fields from a DENY rule on TCP (wider) but not from an ALLOW rule', () => {
    expect(matchAuthzRule({ when: [{ key: 'source.labels[app]', values: ['x'] }] }, 0, 'DENY', base)).toEqual({
      matched: false, held: [], failed: { path: 'spec.rules[0].when[0].key', note: 'when key "source.labels[app]" is not an attribute Istio knows: Istio skips the whole rule' },
    });
    const tcp = { ...base, http: false };
    const rule = { to: [{ operation: { paths: ['/admin*'] } }] };
    expect(matchAuthzRule(rule, 0, 'DENY', tcp)).toEqual({
      matched: true, held: [{ path: 'spec.rules[0].to[0].operation.paths', note: 'paths is HTTP-only: Istio drops it from a DENY rule on TCP traffic (the rule matches more)' }],
    });
    expect(matchAuthzRule(rule, 0, 'ALLOW', tcp).matched).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';

describe("traceRequest through a Gateway API egress gateway (ServiceEntry parent, Hostname backend) and seed 001", () => {
  it("sends http://edition.cnn.com from sleep to the egress gateway (HTTPRoute on the ServiceEntry), and from there to the external host (Hostname backend)", () => {
    const r = traceRequest(inventoryOf("gateway-api/egress-http.yaml"), {"source":{"kind":"workload","namespace":"default","name":"sleep"},"protocol":"http","host":"edition.cnn.com","port":80,"path":"/politics"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:default/sleep(1) -> service:cnn-egress-gateway-istio.istio-system.svc.cluster.local:80 [http]",
            "decidedBy": [
              "HTTPRoute.gateway.networking.k8s.io default/direct-cnn-to-egress-gateway spec.parentRefs[0] @129",
              "HTTPRoute.gateway.networking.k8s.io default/direct-cnn-to-egress-gateway spec.rules[0] @133",
              "HTTPRoute.gateway.networking.k8s.io default/direct-cnn-to-egress-gateway spec.rules[0].backendRefs[0] @134"
            ]
          },
          {
            "step": "service:cnn-egress-gateway-istio.istio-system.svc.cluster.local:80 -> gateway:istio-system/cnn-egress-gateway-istio:80 [http]",
            "decidedBy": [
              "Service istio-system/cnn-egress-gateway-istio spec.selector @84"
            ]
          },
          {
            "step": "gateway:istio-system/cnn-egress-gateway-istio:80 -> serviceEntry:default/cnn:edition.cnn.com:80 [http]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io istio-system/cnn-egress-gateway spec.listeners[0] @65",
              "HTTPRoute.gateway.networking.k8s.io istio-system/forward-cnn-from-egress-gateway spec.parentRefs[0] @145",
              "HTTPRoute.gateway.networking.k8s.io istio-system/forward-cnn-from-egress-gateway spec.hostnames[0] @147",
              "HTTPRoute.gateway.networking.k8s.io istio-system/forward-cnn-from-egress-gateway spec.rules[0] @149",
              "HTTPRoute.gateway.networking.k8s.io istio-system/forward-cnn-from-egress-gateway spec.rules[0].backendRefs[0] @150"
            ]
          },
          {
            "step": "serviceEntry:default/cnn:edition.cnn.com:80 -> external:edition.cnn.com:80 [http]",
            "decidedBy": [
              "ServiceEntry default/cnn spec.hosts[0] @45"
            ]
          }
        ],
        "destination": "external:edition.cnn.com:80",
        "dsh": "edition.cnn.com",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of default/sleep matched rule spec.rules[0] of HTTPRoute default/direct-cnn-to-egress-gateway (path prefix '/' (the default match)), a Gateway API route for edition.cnn.com on port 80 (HTTP) and sent the request to cnn-egress-gateway-istio.istio-system.svc.cluster.local:80.",
        "cnn-egress-gateway-istio.istio-system.svc.cluster.local:80 is served by gateway workload istio-system/cnn-egress-gateway-istio (1 of 1 pod); the request continues at that gateway proxy.",
        "Gateway istio-system/cnn-egress-gateway-istio accepted the request on listener http (port 80 HTTP, hostname edition.cnn.com) of Gateway (Gateway API) istio-system/cnn-egress-gateway, where HTTPRoute istio-system/forward-cnn-from-egress-gateway is attached for edition.cnn.com, and matched rule spec.rules[0] of HTTPRoute istio-system/forward-cnn-from-egress-gateway (path prefix '/' (the default match)) and sent the request to edition.cnn.com:80 (ServiceEntry default/cnn, MESH_EXTERNAL).",
        "ServiceEntry default/cnn defines edition.cnn.com; resolution DNS makes the proxy resolve edition.cnn.com itself, so the request leaves the mesh for edition.cnn.com:80."
      ]
    ]);
  });

  it("seed 001 with Gateway API objects: without the ServiceEntries the mesh TLSRoute has no parent and https://en.wikipedia.org leaves through PassthroughCluster", () => {
    const r = traceRequest(inventoryOf("gateway-api/seed-001.yaml"), {"source":{"kind":"workload","namespace":"default","name":"pod1"},"protocol":"https","host":"en.wikipedia.org","port":443,"path":"/wiki/Main_Page"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:default/pod1(1) -> passthrough:en.wikipedia.org:443 [https]",
            "decidedBy": []
          }
        ],
        "destination": "passthrough:en.wikipedia.org:443",
        "tls": "NONE"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "For the sidecar of default/pod1, no Service or ServiceEntry visible from namespace default defines en.wikipedia.org; outboundTrafficPolicy is ALLOW_ANY (from Istio's default), so the connection leaves through PassthroughCluster straight to the original destination, without mTLS or routing rules."
      ]
    ]);
  });

  it("seed 001 fixed with the ServiceEntries: pod1 → egress gateway (TLSRoute on ServiceEntry wikipedia) → www.wikipedia.org (TLSRoute on the Passthrough listener)", () => {
    const r = traceRequest(inventoryOf("gateway-api/seed-001.yaml", "gateway-api/seed-001-serviceentries.yaml"), {"source":{"kind":"workload","namespace":"default","name":"pod1"},"protocol":"https","host":"en.wikipedia.org","port":443,"path":"/wiki/Main_Page"});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:default/pod1(1) -> service:egressgateway-istio.istio-system.svc.cluster.local:443 [https]",
            "decidedBy": [
              "TLSRoute.gateway.networking.k8s.io istio-system/direct-wikipedia-to-egress-gateway spec.parentRefs[0] @45",
              "TLSRoute.gateway.networking.k8s.io istio-system/direct-wikipedia-to-egress-gateway spec.rules[0] @49",
              "TLSRoute.gateway.networking.k8s.io istio-system/direct-wikipedia-to-egress-gateway spec.rules[0].backendRefs[0] @50"
            ]
          },
          {
            "step": "service:egressgateway-istio.istio-system.svc.cluster.local:443 -> gateway:istio-system/egressgateway-istio:443 [https]",
            "decidedBy": [
              "Service istio-system/egressgateway-istio spec.selector @82"
            ]
          },
          {
            "step": "gateway:istio-system/egressgateway-istio:443 -> serviceEntry:istio-system/www-wikipedia:www.wikipedia.org:443 [https]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io istio-system/egressgateway spec.listeners[0] @28",
              "TLSRoute.gateway.networking.k8s.io istio-system/forward-wikipedia-from-egress-gateway spec.parentRefs[0] @60",
              "TLSRoute.gateway.networking.k8s.io istio-system/forward-wikipedia-from-egress-gateway spec.hostnames[0] @63",
              "TLSRoute.gateway.networking.k8s.io istio-system/forward-wikipedia-from-egress-gateway spec.rules[0] @65",
              "TLSRoute.gateway.networking.k8s.io istio-system/forward-wikipedia-from-egress-gateway spec.rules[0].backendRefs[0] @66"
            ]
          },
          {
            "step": "serviceEntry:istio-system/www-wikipedia:www.wikipedia.org:443 -> external:www.wikipedia.org:443 [https]",
            "decidedBy": [
              "ServiceEntry istio-system/www-wikipedia spec.hosts[0] @24"
            ]
          }
        ],
        "destination": "external:www.wikipedia.org:443",
        "dsh": "www.wikipedia.org",
        "tls": "NONE"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "The sidecar of default/pod1 applied TLSRoute istio-system/direct-wikipedia-to-egress-gateway, a Gateway API route for en.wikipedia.org on port 443 (TLS) (SNI en.wikipedia.org) and sent the request to egressgateway-istio.istio-system.svc.cluster.local:443.",
        "egressgateway-istio.istio-system.svc.cluster.local:443 is served by gateway workload istio-system/egressgateway-istio (1 of 1 pod); the request continues at that gateway proxy.",
        "Gateway istio-system/egressgateway-istio accepted the HTTPS connection on listener tls (port 443 TLS Passthrough, hostname *.wikipedia.org) of Gateway (Gateway API) istio-system/egressgateway, where TLSRoute istio-system/forward-wikipedia-from-egress-gateway is attached for *.wikipedia.org, and rule spec.rules[0] of TLSRoute istio-system/forward-wikipedia-from-egress-gateway takes it and sent the request to www.wikipedia.org:443 (ServiceEntry istio-system/www-wikipedia, MESH_EXTERNAL).",
        "ServiceEntry istio-system/www-wikipedia defines www.wikipedia.org; resolution DNS makes the proxy resolve www.wikipedia.org itself, so the request leaves the mesh for www.wikipedia.org:443."
      ]
    ]);
  });

  it("at the egress gateway, a host outside the listener's *.wikipedia.org is refused", () => {
    const r = traceRequest(inventoryOf("gateway-api/seed-001.yaml", "gateway-api/seed-001-serviceentries.yaml"), {"source":{"kind":"gateway","namespace":"istio-system","name":"egressgateway-istio"},"protocol":"https","host":"www.google.com","port":443});
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "connection-refused 503 UF",
        "hops": [
          {
            "step": "gateway:istio-system/egressgateway-istio:443 -> external:www.google.com:443 [https]",
            "decidedBy": [
              "Gateway.gateway.networking.k8s.io istio-system/egressgateway spec.listeners[0].hostname @29"
            ]
          }
        ],
        "destination": "external:www.google.com:443"
      }
    ]);
    expect(r.paths.map((p) => p.hops.map((h) => h.explanation))).toEqual([
      [
        "Gateway istio-system/egressgateway-istio has listener tls (port 443 TLS Passthrough, hostname *.wikipedia.org) of Gateway (Gateway API) istio-system/egressgateway on port 443, but no listener hostname matches www.google.com, so the connection is refused."
      ]
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';
const BOOKINFO = ['bookinfo.yaml', 'bookinfo-drs.yaml'];
const HTTPBIN = ['istio-system.yaml', 'httpbin.yaml'];

describe("traceRequest through gateways (ingress, TLS, SNI passthrough, TCP, gateway binding)", () => {
  it("routes httpbin.example.com /status through the ingress gateway (ingress task)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-httpbin.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'httpbin.example.com', port: 80, path: '/status/200' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:httpbin.demo.svc.cluster.local:8000/v1 [http]",
            "decidedBy": [
              "Gateway demo/httpbin-gateway spec.servers[0] @11",
              "VirtualService demo/httpbin spec.http[0] @29",
              "VirtualService demo/httpbin spec.http[0].match[0].uri @30",
              "VirtualService demo/httpbin spec.http[0].route[0] @35",
              "DestinationRule demo/httpbin spec.subsets[0] @49"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000/v1 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "DestinationRule demo/httpbin spec.subsets[0] @49",
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v1(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("routes /delay too, the second match entry of the same rule", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-httpbin.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'httpbin.example.com:80', port: 8080, path: '/delay/1' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:8080 -> service:httpbin.demo.svc.cluster.local:8000/v1 [http]",
            "decidedBy": [
              "Gateway demo/httpbin-gateway spec.servers[0] @11",
              "VirtualService demo/httpbin spec.http[0] @29",
              "VirtualService demo/httpbin spec.http[0].match[1].uri @32",
              "VirtualService demo/httpbin spec.http[0].route[0] @35",
              "DestinationRule demo/httpbin spec.subsets[0] @49"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000/v1 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "DestinationRule demo/httpbin spec.subsets[0] @49",
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v1(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("answers 404 NR for another path of httpbin.example.com", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-httpbin.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'httpbin.example.com', port: 80, path: '/headers' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> external:httpbin.example.com:80 [http]",
            "decidedBy": [
              "Gateway demo/httpbin-gateway spec.servers[0] @11",
              "VirtualService demo/httpbin spec.hosts[0] @25"
            ]
          }
        ],
        "destination": "external:httpbin.example.com:80",
        "dsh": "httpbin.example.com"
      }
    ]);
  });

  it("answers 404 NR for a host no Gateway server accepts", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-httpbin.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'other.example.com', port: 80, path: '/status/200' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> external:other.example.com:80 [http]",
            "decidedBy": []
          }
        ],
        "destination": "external:other.example.com:80",
        "dsh": "other.example.com"
      }
    ]);
  });

  it("terminates TLS (SIMPLE) at the gateway and routes the request as HTTP", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-tls.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'https', host: 'httpbin.example.com', port: 443, path: '/status/418' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:443 -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway demo/mygateway spec.servers[0] @11",
              "VirtualService demo/httpbin-tls spec.http[0] @32",
              "VirtualService demo/httpbin-tls spec.http[0].match[0].uri @33",
              "VirtualService demo/httpbin-tls spec.http[0].route[0] @36"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v1(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
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
            "step": "gateway:istio-system/istio-ingressgateway:443 -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway demo/mygateway spec.servers[0] @11",
              "VirtualService demo/httpbin-tls spec.http[0] @32",
              "VirtualService demo/httpbin-tls spec.http[0].match[0].uri @33",
              "VirtualService demo/httpbin-tls spec.http[0].route[0] @36"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000 -> workload:demo/httpbin-v2(1) [http]",
            "decidedBy": [
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v2(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("passes TLS through by SNI to simple-tls-service-1 (seed 004)", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', 'sni-passthrough.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'https', host: 'simple-sni-1.istioinaction.io', port: 31400 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:simple-tls-service-1.istioinaction.svc.cluster.local:80 [https]",
            "decidedBy": [
              "Gateway istioinaction/sni-passthrough-gateway spec.servers[0] @86",
              "VirtualService istioinaction/simple-sni-1-vs spec.tls[0] @114",
              "VirtualService istioinaction/simple-sni-1-vs spec.tls[0].match[0].sniHosts[0] @117",
              "VirtualService istioinaction/simple-sni-1-vs spec.tls[0].match[0].port @115",
              "VirtualService istioinaction/simple-sni-1-vs spec.tls[0].route[0] @119"
            ]
          },
          {
            "step": "service:simple-tls-service-1.istioinaction.svc.cluster.local:80 -> workload:istioinaction/simple-tls-service-1(1) [https]",
            "decidedBy": [
              "Service istioinaction/simple-tls-service-1 spec.selector @15"
            ]
          }
        ],
        "destination": "workload:istioinaction/simple-tls-service-1(1)",
        "dsh": "simple-tls-service-1.istioinaction.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("passes TLS through by SNI to simple-tls-service-2 on the same port (seed 004)", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', 'sni-passthrough.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'https', host: 'simple-sni-2.istioinaction.io', port: 31400 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:simple-tls-service-2.istioinaction.svc.cluster.local:80 [https]",
            "decidedBy": [
              "Gateway istioinaction/sni-passthrough-gateway spec.servers[1] @94",
              "VirtualService istioinaction/simple-sni-2-vs spec.tls[0] @135",
              "VirtualService istioinaction/simple-sni-2-vs spec.tls[0].match[0].sniHosts[0] @138",
              "VirtualService istioinaction/simple-sni-2-vs spec.tls[0].match[0].port @136",
              "VirtualService istioinaction/simple-sni-2-vs spec.tls[0].route[0] @140"
            ]
          },
          {
            "step": "service:simple-tls-service-2.istioinaction.svc.cluster.local:80 -> workload:istioinaction/simple-tls-service-2(2) [https]",
            "decidedBy": [
              "Service istioinaction/simple-tls-service-2 spec.selector @49"
            ]
          }
        ],
        "destination": "workload:istioinaction/simple-tls-service-2(2)",
        "dsh": "simple-tls-service-2.istioinaction.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("refuses a TLS connection whose SNI no server accepts", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', 'sni-passthrough.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'tls', sni: 'simple-sni-3.istioinaction.io', port: 31400 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "connection-refused 503 UF",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> external:simple-sni-3.istioinaction.io:31400 [tls]",
            "decidedBy": []
          }
        ],
        "destination": "external:simple-sni-3.istioinaction.io:31400"
      }
    ]);
  });

  it("splits TCP 80/20 between tcp-echo v1 and v2 through the ingress gateway on 31400", () => {
    const r = traceRequest(inventoryOf('istio-system.yaml', 'tcp-echo.yaml', 'tcp-shifting.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'tcp', port: 31400 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.8,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.tcp.svc.cluster.local:9000/v1 [tcp]",
            "decidedBy": [
              "Gateway tcp/tcp-echo-gateway spec.servers[0] @11",
              "VirtualService tcp/tcp-echo spec.tcp[0] @44",
              "VirtualService tcp/tcp-echo spec.tcp[0].match[0].port @45",
              "VirtualService tcp/tcp-echo spec.tcp[0].route[0] @47",
              "DestinationRule tcp/tcp-echo-destination spec.subsets[0] @26"
            ]
          },
          {
            "step": "service:tcp-echo.tcp.svc.cluster.local:9000/v1 -> workload:tcp/tcp-echo-v1(1) [tcp]",
            "decidedBy": [
              "DestinationRule tcp/tcp-echo-destination spec.subsets[0] @26",
              "Service tcp/tcp-echo spec.selector @19"
            ]
          }
        ],
        "destination": "workload:tcp/tcp-echo-v1(1)",
        "dsh": "tcp-echo.tcp.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.2,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:31400 -> service:tcp-echo.tcp.svc.cluster.local:9000/v2 [tcp]",
            "decidedBy": [
              "Gateway tcp/tcp-echo-gateway spec.servers[0] @11",
              "VirtualService tcp/tcp-echo spec.tcp[0] @44",
              "VirtualService tcp/tcp-echo spec.tcp[0].match[0].port @45",
              "VirtualService tcp/tcp-echo spec.tcp[0].route[1] @53",
              "DestinationRule tcp/tcp-echo-destination spec.subsets[1] @29"
            ]
          },
          {
            "step": "service:tcp-echo.tcp.svc.cluster.local:9000/v2 -> workload:tcp/tcp-echo-v2(1) [tcp]",
            "decidedBy": [
              "DestinationRule tcp/tcp-echo-destination spec.subsets[1] @29",
              "Service tcp/tcp-echo spec.selector @19"
            ]
          }
        ],
        "destination": "workload:tcp/tcp-echo-v2(1)",
        "dsh": "tcp-echo.tcp.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("binds with ns/name: details-both applies at istio-system/public-gateway", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, ...BOOKINFO, 'gateway-binding.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'details.example.com', port: 80 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> service:details.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "Gateway istio-system/public-gateway spec.servers[0] @12",
              "VirtualService bookinfo/details-both spec.http[0] @48",
              "VirtualService bookinfo/details-both spec.http[0].route[0] @49",
              "DestinationRule bookinfo/details spec.subsets[0] @41"
            ]
          },
          {
            "step": "service:details.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/details-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/details spec.subsets[0] @41",
              "Service bookinfo/details spec.selector @19"
            ]
          }
        ],
        "destination": "workload:bookinfo/details-v1(1)",
        "dsh": "details.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("binds with mesh: details-both applies at the sidecar too", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, ...BOOKINFO, 'gateway-binding.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:details.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/details-both spec.http[0] @48",
              "VirtualService bookinfo/details-both spec.http[0].route[0] @49",
              "DestinationRule bookinfo/details spec.subsets[0] @41"
            ]
          },
          {
            "step": "service:details.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/details-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/details spec.subsets[0] @41",
              "Service bookinfo/details spec.selector @19"
            ]
          }
        ],
        "destination": "workload:bookinfo/details-v1(1)",
        "dsh": "details.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("does not apply a gateway-only VirtualService at the sidecar", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, ...BOOKINFO, 'gateway-binding.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'ratings', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:ratings.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:ratings.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/ratings-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/ratings spec.selector @34"
            ]
          }
        ],
        "destination": "workload:bookinfo/ratings-v1(1)",
        "dsh": "ratings.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("reads a bare gateway name in the VirtualService namespace (bookinfo/public-gateway does not exist: 404 NR)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, ...BOOKINFO, 'gateway-binding.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'wrong.example.com', port: 80 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:80 -> external:wrong.example.com:80 [http]",
            "decidedBy": [
              "Gateway istio-system/public-gateway spec.servers[0] @12"
            ]
          }
        ],
        "destination": "external:wrong.example.com:80",
        "dsh": "wrong.example.com"
      }
    ]);
  });

  // neither Gateway has a creationTimestamp: istiod merges them by name, so demo-gateway's server comes first
  it("binds a bare name in its own namespace, and a ./ server host admits only that namespace", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, ...BOOKINFO, 'gateway-binding.yaml'), { source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, protocol: 'http', host: 'bare.example.com', port: 8080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "gateway:istio-system/istio-ingressgateway:8080 -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway demo/demo-gateway spec.servers[0] @28",
              "Gateway istio-system/public-gateway spec.servers[0] @12",
              "VirtualService demo/bare spec.http[0] @111",
              "VirtualService demo/bare spec.http[0].route[0] @112"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v1(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
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
            "step": "gateway:istio-system/istio-ingressgateway:8080 -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "Gateway demo/demo-gateway spec.servers[0] @28",
              "Gateway istio-system/public-gateway spec.servers[0] @12",
              "VirtualService demo/bare spec.http[0] @111",
              "VirtualService demo/bare spec.http[0].route[0] @112"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000 -> workload:demo/httpbin-v2(1) [http]",
            "decidedBy": [
              "Service demo/httpbin spec.selector @19"
            ]
          }
        ],
        "destination": "workload:demo/httpbin-v2(1)",
        "dsh": "httpbin.demo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';
const BOOKINFO = ['bookinfo.yaml', 'bookinfo-drs.yaml'];
const HTTPBIN = ['istio-system.yaml', 'httpbin.yaml'];

describe("traceRequest to external hosts, without sidecar, and with DestinationRule policies", () => {
  it("routes http://httpbin.org through its ServiceEntry with the 3 s timeout", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'egress-httpbin.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'httpbin.org', port: 80, path: '/headers' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> serviceEntry:demo/httpbin-ext:httpbin.org:80 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin-ext spec.http[0] @29",
              "VirtualService demo/httpbin-ext spec.http[0].route[0] @31"
            ]
          },
          {
            "step": "serviceEntry:demo/httpbin-ext:httpbin.org:80 -> external:httpbin.org:80 [http]",
            "decidedBy": [
              "ServiceEntry demo/httpbin-ext spec.hosts[0] @9"
            ]
          }
        ],
        "destination": "external:httpbin.org:80",
        "dsh": "httpbin.org",
        "timeoutMs": 3000,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      }
    ]);
  });

  it("routes https://httpbin.org by SNI through the ServiceEntry (no tls rule: default route)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'egress-httpbin.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'https', host: 'httpbin.org', port: 443 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> serviceEntry:demo/httpbin-ext:httpbin.org:443 [https]",
            "decidedBy": [
              "VirtualService demo/httpbin-ext spec.hosts[0] @27"
            ]
          },
          {
            "step": "serviceEntry:demo/httpbin-ext:httpbin.org:443 -> external:httpbin.org:443 [https]",
            "decidedBy": [
              "ServiceEntry demo/httpbin-ext spec.hosts[0] @9"
            ]
          }
        ],
        "destination": "external:httpbin.org:443",
        "dsh": "httpbin.org",
        "tls": "NONE"
      }
    ]);
  });

  it("sends an unknown host to BlackHoleCluster under the mesh REGISTRY_ONLY policy", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'egress-httpbin.yaml', 'mesh-registry-only.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'https', host: 'www.google.com', port: 443 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "blackhole 502 -",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> blackhole:www.google.com:443 [https]",
            "decidedBy": [
              "ConfigMap istio-system/istio data.mesh @8"
            ]
          }
        ],
        "destination": "blackhole:www.google.com:443"
      }
    ]);
  });

  it("still reaches a ServiceEntry host under REGISTRY_ONLY", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'egress-httpbin.yaml', 'mesh-registry-only.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'httpbin.org', port: 80 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> serviceEntry:demo/httpbin-ext:httpbin.org:80 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin-ext spec.http[0] @29",
              "VirtualService demo/httpbin-ext spec.http[0].route[0] @31"
            ]
          },
          {
            "step": "serviceEntry:demo/httpbin-ext:httpbin.org:80 -> external:httpbin.org:80 [http]",
            "decidedBy": [
              "ServiceEntry demo/httpbin-ext spec.hosts[0] @9"
            ]
          }
        ],
        "destination": "external:httpbin.org:80",
        "dsh": "httpbin.org",
        "timeoutMs": 3000,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "NONE"
      }
    ]);
  });

  it("lets a Sidecar override ALLOW_ANY with REGISTRY_ONLY (502 for HTTP)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'sidecar-registry-only.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'edition.cnn.com', port: 80 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "blackhole 502 -",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> blackhole:edition.cnn.com:80 [http]",
            "decidedBy": [
              "Sidecar demo/default spec.outboundTrafficPolicy.mode @10"
            ]
          }
        ],
        "destination": "blackhole:edition.cnn.com:80",
        "dsh": "edition.cnn.com"
      }
    ]);
  });

  it("sends an unknown host to PassthroughCluster under ALLOW_ANY", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'edition.cnn.com', port: 80, path: '/politics' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> passthrough:edition.cnn.com:80 [http]",
            "decidedBy": []
          }
        ],
        "destination": "passthrough:edition.cnn.com:80",
        "dsh": "edition.cnn.com",
        "tls": "NONE"
      }
    ]);
  });

  it("sends a request to an IP to PassthroughCluster with the IP", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', ip: '203.0.113.25', port: 80 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> passthrough:203.0.113.25:80 [http]",
            "decidedBy": []
          }
        ],
        "destination": "passthrough:203.0.113.25:80",
        "dsh": "203.0.113.25",
        "tls": "NONE"
      }
    ]);
  });

  it("reaches an IP directly from a workload without sidecar", () => {
    const r = traceRequest(inventoryOf('bookinfo.yaml', 'no-sidecar.yaml'), { source: { kind: 'workload', namespace: 'legacy', name: 'client' }, protocol: 'tcp', host: '203.0.113.26', port: 8443 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:legacy/client(1) -> external:@203.0.113.26:8443 [tcp]",
            "decidedBy": []
          }
        ],
        "destination": "external:@203.0.113.26:8443",
        "tls": "NONE"
      }
    ]);
  });

  it("routes a client without sidecar by the Service alone, ignoring VirtualServices", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-jason.yaml', 'no-sidecar.yaml'), { source: { kind: 'workload', namespace: 'legacy', name: 'client' }, protocol: 'http', host: 'reviews.bookinfo', port: 9080, headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:legacy/client(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "NONE"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:legacy/client(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "NONE"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:legacy/client(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "tls": "NONE"
      }
    ]);
  });

  it("continues at the ingress gateway when an outside client calls its Service", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'ingress-httpbin.yaml'), { source: { kind: 'outside' }, protocol: 'http', host: 'httpbin.example.com', ip: '10.10.200.31', port: 80, path: '/status/200' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "client:a client outside the mesh -> service:istio-ingressgateway.istio-system.svc.cluster.local:80 [http]",
            "decidedBy": []
          },
          {
            "step": "service:istio-ingressgateway.istio-system.svc.cluster.local:80 -> gateway:istio-system/istio-ingressgateway:8080 [http]",
            "decidedBy": [
              "Service istio-system/istio-ingressgateway spec.selector @19"
            ]
          },
          {
            "step": "gateway:istio-system/istio-ingressgateway:8080 -> service:httpbin.demo.svc.cluster.local:8000/v1 [http]",
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

  it("carries the DestinationRule connection pool and outlier detection (circuit breaking task)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'httpbin-cb.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'fortio-deploy' }, protocol: 'http', host: 'httpbin', port: 8000, path: '/get' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/fortio-deploy(1) -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin spec.http[1] @51",
              "VirtualService demo/httpbin spec.http[1].route[0] @52"
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
        "connectionPool": {
          "maxConnections": 1,
          "http1MaxPendingRequests": 1,
          "maxRequestsPerConnection": 1,
          "outlierDetection": {
            "consecutive5xxErrors": 1,
            "interval": "1s",
            "baseEjectionTime": "3m",
            "maxEjectionPercent": 100
          },
          "rule": "spec.trafficPolicy.connectionPool @11"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/fortio-deploy(1) -> service:httpbin.demo.svc.cluster.local:8000 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin spec.http[1] @51",
              "VirtualService demo/httpbin spec.http[1].route[0] @52"
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
        "connectionPool": {
          "maxConnections": 1,
          "http1MaxPendingRequests": 1,
          "maxRequestsPerConnection": 1,
          "outlierDetection": {
            "consecutive5xxErrors": 1,
            "interval": "1s",
            "baseEjectionTime": "3m",
            "maxEjectionPercent": 100
          },
          "rule": "spec.trafficPolicy.connectionPool @11"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("uses the subset connection pool over the DestinationRule one, inheriting outlier detection", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'httpbin-cb.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'fortio-deploy' }, protocol: 'http', host: 'httpbin', port: 8000, path: '/get', headers: { 'X-Canary': 'yes' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/fortio-deploy(1) -> service:httpbin.demo.svc.cluster.local:8000/v2 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin spec.http[0] @43",
              "VirtualService demo/httpbin spec.http[0].match[0].headers.x-canary @45",
              "VirtualService demo/httpbin spec.http[0].route[0] @48",
              "DestinationRule demo/httpbin spec.subsets[1] @26"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000/v2 -> workload:demo/httpbin-v2(1) [http]",
            "decidedBy": [
              "DestinationRule demo/httpbin spec.subsets[1] @26",
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
        "connectionPool": {
          "maxConnections": 10,
          "outlierDetection": {
            "consecutive5xxErrors": 1,
            "interval": "1s",
            "baseEjectionTime": "3m",
            "maxEjectionPercent": 100
          },
          "rule": "spec.subsets[1].trafficPolicy.connectionPool @30"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("mirrors 100% of v1 traffic to v2 when mirrorPercentage is absent (mirroring task)", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'httpbin-mirror.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'httpbin', port: 8000, path: '/headers' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> service:httpbin.demo.svc.cluster.local:8000/v1 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin spec.http[0] @11",
              "VirtualService demo/httpbin spec.http[0].route[0] @12",
              "DestinationRule demo/httpbin spec.subsets[0] @28"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000/v1 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "DestinationRule demo/httpbin spec.subsets[0] @28",
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
        "mirrors": [
          "service:httpbin.demo.svc.cluster.local:8000/v2 x1 @spec.http[0].mirror:16"
        ],
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("mirrors the mirrorPercentage share only", () => {
    const r = traceRequest(inventoryOf(...HTTPBIN, 'httpbin-mirror-25.yaml'), { source: { kind: 'workload', namespace: 'demo', name: 'sleep' }, protocol: 'http', host: 'httpbin', port: 8000, path: '/headers' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:demo/sleep(1) -> service:httpbin.demo.svc.cluster.local:8000/v1 [http]",
            "decidedBy": [
              "VirtualService demo/httpbin spec.http[0] @11",
              "VirtualService demo/httpbin spec.http[0].route[0] @12",
              "DestinationRule demo/httpbin spec.subsets[0] @30"
            ]
          },
          {
            "step": "service:httpbin.demo.svc.cluster.local:8000/v1 -> workload:demo/httpbin-v1(1) [http]",
            "decidedBy": [
              "DestinationRule demo/httpbin spec.subsets[0] @30",
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
        "mirrors": [
          "service:httpbin.demo.svc.cluster.local:8000/v2 x0.25 @spec.http[0].mirror:18"
        ],
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { graph, outline, telemetry } from './__fixtures__/load.js';

describe('buildGraph — Bookinfo, versionedApp', () => {
  it('counts every request once when both proxies report it, preferring the destination report', () => {
    // productpage → reviews v3: 2.5 rps seen by both proxies, plus 0.5 rps of 503 UO that only the client saw
    // (circuit breaking): counted 3 rps, "mixed". Response times of details come from the destination's buckets
    // (p50 = 5 + 5·(5−2)/4 = 8.75, p95 = 25 + 25·0.5/0.8 = 40.625, p99 = 50 + 50·0.1/0.2 = 75; avg estimated from
    // bucket midpoints = 133.5/10), those of reviews v1 from _sum/_count (120/4 = 30 ms).
    const g = graph('bookinfo.yaml', telemetry('bookinfo-telemetry.json'), { graphType: 'versionedApp', namespaces: ['bookinfo'] });
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'versionedApp',
      namespaces: ['bookinfo'],
      elements: {
        nodes: [
          { data: { id: 'box-ns-bookinfo', nodeType: 'box', namespace: 'bookinfo', isBox: 'namespace', label: 'bookinfo' } },
          { data: { id: 'box-ns-istio-system', nodeType: 'box', namespace: 'istio-system', isBox: 'namespace', label: 'istio-system', isOutside: true } },
          {
            data: {
              id: 'box-app-bookinfo-reviews',
              nodeType: 'box',
              namespace: 'bookinfo',
              app: 'reviews',
              isBox: 'app',
              label: 'reviews',
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:details:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'details-v1',
              app: 'details',
              version: 'v1',
              label: 'details v1',
              destServices: [{ namespace: 'bookinfo', name: 'details' }],
              labels: { app: 'details', version: 'v1' },
              pods: [{ name: 'details-v1-6c7f8b9d5c-xv1q7', hasSidecar: true, ip: '10.244.1.12', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5 } }],
              health: 'Degraded',
              healthErrorRatio: 0.05,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'productpage-v1',
              app: 'productpage',
              version: 'v1',
              label: 'productpage v1',
              destServices: [{ namespace: 'bookinfo', name: 'productpage' }],
              hasRequestRouting: true,
              hasVS: { hostnames: ['*'], objects: [{ namespace: 'bookinfo', name: 'bookinfo' }] },
              labels: { app: 'productpage', version: 'v1' },
              pods: [{ name: 'productpage-v1-5b9d7c8f6d-xv1q7', hasSidecar: true, ip: '10.244.1.11', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 10, httpOut: 20 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:ratings:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'ratings-v1',
              app: 'ratings',
              version: 'v1',
              label: 'ratings v1',
              destServices: [{ namespace: 'bookinfo', name: 'ratings' }],
              labels: { app: 'ratings', version: 'v1' },
              pods: [{ name: 'ratings-v1-85c9f6d4b7-xv1q7', hasSidecar: true, ip: '10.244.3.31', hostIP: '192.168.10.13', nodeName: 'node-3' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 5.5 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:reviews:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'reviews-v1',
              app: 'reviews',
              version: 'v1',
              label: 'reviews v1',
              destServices: [{ namespace: 'bookinfo', name: 'reviews' }],
              hasRequestRouting: true,
              hasFaultInjection: true,
              hasTrafficShifting: true,
              hasRequestTimeout: true,
              hasMirroring: true,
              hasVS: { hostnames: ['reviews'], objects: [{ namespace: 'bookinfo', name: 'reviews' }] },
              labels: { app: 'reviews', version: 'v1' },
              pods: [{ name: 'reviews-v1-7d4f9c6b8-xv1q7', hasSidecar: true, ip: '10.244.2.21', hostIP: '192.168.10.12', nodeName: 'node-2' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 4 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-app-bookinfo-reviews',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:reviews:v2',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'reviews-v2',
              app: 'reviews',
              version: 'v2',
              label: 'reviews v2',
              destServices: [{ namespace: 'bookinfo', name: 'reviews' }],
              hasRequestRouting: true,
              hasFaultInjection: true,
              hasTrafficShifting: true,
              hasRequestTimeout: true,
              hasMirroring: true,
              hasVS: { hostnames: ['reviews'], objects: [{ namespace: 'bookinfo', name: 'reviews' }] },
              labels: { app: 'reviews', version: 'v2' },
              pods: [{ name: 'reviews-v2-8e5a1d7c9-xv2q7', hasSidecar: true, ip: '10.244.2.22', hostIP: '192.168.10.12', nodeName: 'node-2' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 3, httpOut: 3 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-app-bookinfo-reviews',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:reviews:v3',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'reviews-v3',
              app: 'reviews',
              version: 'v3',
              label: 'reviews v3',
              destServices: [{ namespace: 'bookinfo', name: 'reviews' }],
              hasRequestRouting: true,
              hasFaultInjection: true,
              hasTrafficShifting: true,
              hasRequestTimeout: true,
              hasMirroring: true,
              hasVS: { hostnames: ['reviews'], objects: [{ namespace: 'bookinfo', name: 'reviews' }] },
              hasCB: true,
              labels: { app: 'reviews', version: 'v3' },
              pods: [{ name: 'reviews-v3-9f6b2e8da-xv3q7', hasSidecar: true, ip: '10.244.3.23', hostIP: '192.168.10.13', nodeName: 'node-3' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 3, httpIn5xx: 0.5, httpOut: 2.5 } }],
              health: 'Failure',
              healthErrorRatio: 0.1667,
              parent: 'box-app-bookinfo-reviews',
            },
          },
          {
            data: {
              id: 'app:istio-system:istio-ingressgateway',
              nodeType: 'app',
              namespace: 'istio-system',
              workload: 'istio-ingressgateway',
              app: 'istio-ingressgateway',
              label: 'istio-ingressgateway',
              isGateway: { ingressInfo: { hostnames: ['bookinfo.example.com', 'shop.example.com'] } },
              labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
              pods: [{ name: 'istio-ingressgateway-6f8d5c7b9-gw1', hasSidecar: true, ip: '10.244.1.5', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpOut: 10 } }],
              health: 'NA',
              isRoot: true,
              isOutside: true,
              parent: 'box-ns-istio-system',
            },
          },
        ],
        edges: [
          {
            data: {
              id: 'app:istio-system:istio-ingressgateway->vapp:bookinfo:productpage:v1:http',
              source: 'app:istio-system:istio-ingressgateway',
              target: 'vapp:bookinfo:productpage:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 10, httpPercentReq: 100 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'productpage.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1->vapp:bookinfo:details:v1:http',
              source: 'vapp:bookinfo:productpage:v1',
              target: 'vapp:bookinfo:details:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 },
                responses: {
                  '200': { flags: { '-': 95 }, hosts: { 'details.bookinfo.svc.cluster.local': 95 } },
                  '500': { flags: { '-': 5 }, hosts: { 'details.bookinfo.svc.cluster.local': 5 } },
                },
              },
              reporter: 'destination',
              responseTimes: { avg: 13.35, p50: 8.75, p95: 40.62, p99: 75 },
              responseTime: 40.62,
              throughput: 6000,
              isMTLS: 95,
              healthStatus: 'Degraded',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1->vapp:bookinfo:reviews:v1:http',
              source: 'vapp:bookinfo:productpage:v1',
              target: 'vapp:bookinfo:reviews:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 4, httpPercentReq: 20 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              responseTimes: { avg: 30, p50: 37.5, p95: 48.75, p99: 49.75 },
              responseTime: 48.75,
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1->vapp:bookinfo:reviews:v2:http',
              source: 'vapp:bookinfo:productpage:v1',
              target: 'vapp:bookinfo:reviews:v2',
              traffic: {
                protocol: 'http',
                rates: { http: 3, httpPercentReq: 15 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1->vapp:bookinfo:reviews:v3:http',
              source: 'vapp:bookinfo:productpage:v1',
              target: 'vapp:bookinfo:reviews:v3',
              traffic: {
                protocol: 'http',
                rates: { http: 3, http5xx: 0.5, httpPercentErr: 16.7, httpPercentReq: 15 },
                responses: {
                  '200': { flags: { '-': 83.3 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 83.3 } },
                  '503': { flags: { UO: 16.7 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 16.7 } },
                },
              },
              reporter: 'mixed',
              isMTLS: 100,
              healthStatus: 'Failure',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:reviews:v2->vapp:bookinfo:ratings:v1:http',
              source: 'vapp:bookinfo:reviews:v2',
              target: 'vapp:bookinfo:ratings:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 3, httpPercentReq: 100 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'ratings.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:reviews:v3->vapp:bookinfo:ratings:v1:http',
              source: 'vapp:bookinfo:reviews:v3',
              target: 'vapp:bookinfo:ratings:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 2.5, httpPercentReq: 100 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'ratings.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
        ],
      },
    });
  });

  it('uses the source report when it is the only one', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-source-only.json'), { graphType: 'versionedApp', namespaces: ['bookinfo'] });
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'versionedApp',
      namespaces: ['bookinfo'],
      elements: {
        nodes: [
          { data: { id: 'box-ns-bookinfo', nodeType: 'box', namespace: 'bookinfo', isBox: 'namespace', label: 'bookinfo' } },
          {
            data: {
              id: 'vapp:bookinfo:details:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'details-v1',
              app: 'details',
              version: 'v1',
              label: 'details v1',
              destServices: [{ namespace: 'bookinfo', name: 'details' }],
              labels: { app: 'details', version: 'v1' },
              pods: [{ name: 'details-v1-6c7f8b9d5c-xv1q7', hasSidecar: true, ip: '10.244.1.12', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5 } }],
              health: 'Degraded',
              healthErrorRatio: 0.05,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'productpage-v1',
              app: 'productpage',
              version: 'v1',
              label: 'productpage v1',
              hasRequestRouting: true,
              hasVS: { hostnames: ['*'], objects: [{ namespace: 'bookinfo', name: 'bookinfo' }] },
              labels: { app: 'productpage', version: 'v1' },
              pods: [{ name: 'productpage-v1-5b9d7c8f6d-xv1q7', hasSidecar: true, ip: '10.244.1.11', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpOut: 10 } }],
              health: 'NA',
              isRoot: true,
              parent: 'box-ns-bookinfo',
            },
          },
        ],
        edges: [
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1->vapp:bookinfo:details:v1:http',
              source: 'vapp:bookinfo:productpage:v1',
              target: 'vapp:bookinfo:details:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 100 },
                responses: {
                  '200': { flags: { '-': 95 }, hosts: { 'details.bookinfo.svc.cluster.local': 95 } },
                  '500': { flags: { URX: 5 }, hosts: { 'details.bookinfo.svc.cluster.local': 5 } },
                },
              },
              reporter: 'source',
              healthStatus: 'Degraded',
            },
          },
        ],
      },
    });
  });

  it('draws callers that only the destination saw: the unknown source and a client from an unrequested namespace', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-destination-only.json'), { graphType: 'versionedApp', namespaces: ['bookinfo'] });
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'versionedApp',
      namespaces: ['bookinfo'],
      elements: {
        nodes: [
          { data: { id: 'box-ns-bookinfo', nodeType: 'box', namespace: 'bookinfo', isBox: 'namespace', label: 'bookinfo' } },
          { data: { id: 'box-ns-legacy', nodeType: 'box', namespace: 'legacy', isBox: 'namespace', label: 'legacy', isOutside: true } },
          {
            data: {
              id: 'vapp:bookinfo:productpage:v1',
              nodeType: 'app',
              namespace: 'bookinfo',
              workload: 'productpage-v1',
              app: 'productpage',
              version: 'v1',
              label: 'productpage v1',
              destServices: [{ namespace: 'bookinfo', name: 'productpage' }],
              hasRequestRouting: true,
              hasVS: { hostnames: ['*'], objects: [{ namespace: 'bookinfo', name: 'bookinfo' }] },
              labels: { app: 'productpage', version: 'v1' },
              pods: [{ name: 'productpage-v1-5b9d7c8f6d-xv1q7', hasSidecar: true, ip: '10.244.1.11', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 3.25, httpIn4xx: 0.25 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'app:legacy:legacy-client',
              nodeType: 'app',
              namespace: 'legacy',
              workload: 'legacy-client',
              app: 'legacy-client',
              label: 'legacy-client',
              traffic: [{ protocol: 'http', rates: { httpOut: 1 } }],
              health: 'NA',
              isRoot: true,
              isOutside: true,
              parent: 'box-ns-legacy',
            },
          },
          {
            data: {
              id: 'unknown',
              nodeType: 'unknown',
              namespace: 'unknown',
              label: 'unknown',
              traffic: [{ protocol: 'http', rates: { httpOut: 2.25 } }],
              health: 'NA',
              isRoot: true,
              isInaccessible: true,
            },
          },
        ],
        edges: [
          {
            data: {
              id: 'app:legacy:legacy-client->vapp:bookinfo:productpage:v1:http',
              source: 'app:legacy:legacy-client',
              target: 'vapp:bookinfo:productpage:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 1, httpPercentReq: 100 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'productpage.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 0,
              healthStatus: 'Healthy',
            },
          },
          {
            data: {
              id: 'unknown->vapp:bookinfo:productpage:v1:http',
              source: 'unknown',
              target: 'vapp:bookinfo:productpage:v1',
              traffic: {
                protocol: 'http',
                rates: { http: 2.25, http4xx: 0.25, httpPercentErr: 11.1, httpPercentReq: 100 },
                responses: {
                  '200': { flags: { '-': 88.9 }, hosts: { 'productpage.bookinfo.svc.cluster.local': 88.9 } },
                  '404': { flags: { '-': 11.1 }, hosts: { 'productpage.bookinfo.svc.cluster.local': 11.1 } },
                },
              },
              reporter: 'destination',
              isMTLS: 0,
              healthStatus: 'Degraded',
            },
          },
        ],
      },
    });
  });
});

describe('buildGraph — requests that never reached a workload', () => {
  it('ends them on the service node (workload graph), with the no-response code written -', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-unreached.json'), { graphType: 'workload', namespaces: ['bookinfo'] });
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'workload',
      namespaces: ['bookinfo'],
      elements: {
        nodes: [
          { data: { id: 'box-ns-bookinfo', nodeType: 'box', namespace: 'bookinfo', isBox: 'namespace', label: 'bookinfo' } },
          {
            data: {
              id: 'svc:bookinfo:reviews',
              nodeType: 'service',
              namespace: 'bookinfo',
              service: 'reviews',
              label: 'reviews',
              hasRequestRouting: true,
              hasFaultInjection: true,
              hasTrafficShifting: true,
              hasRequestTimeout: true,
              hasMirroring: true,
              hasVS: { hostnames: ['reviews'], objects: [{ namespace: 'bookinfo', name: 'reviews' }] },
              hasCB: true,
              labels: { app: 'reviews', service: 'reviews' },
              traffic: [{ protocol: 'http', rates: { httpIn: 1.5, httpIn5xx: 1, httpInNoResponse: 0.5 } }],
              health: 'Failure',
              healthErrorRatio: 0.6667,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'wl:bookinfo:details-v1',
              nodeType: 'workload',
              namespace: 'bookinfo',
              workload: 'details-v1',
              app: 'details',
              version: 'v1',
              label: 'details-v1',
              destServices: [{ namespace: 'bookinfo', name: 'details' }],
              labels: { app: 'details', version: 'v1' },
              pods: [{ name: 'details-v1-6c7f8b9d5c-xv1q7', hasSidecar: true, ip: '10.244.1.12', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpIn: 1 } }],
              health: 'Healthy',
              healthErrorRatio: 0,
              parent: 'box-ns-bookinfo',
            },
          },
          {
            data: {
              id: 'wl:bookinfo:productpage-v1',
              nodeType: 'workload',
              namespace: 'bookinfo',
              workload: 'productpage-v1',
              app: 'productpage',
              version: 'v1',
              label: 'productpage-v1',
              hasRequestRouting: true,
              hasVS: { hostnames: ['*'], objects: [{ namespace: 'bookinfo', name: 'bookinfo' }] },
              labels: { app: 'productpage', version: 'v1' },
              pods: [{ name: 'productpage-v1-5b9d7c8f6d-xv1q7', hasSidecar: true, ip: '10.244.1.11', hostIP: '192.168.10.11', nodeName: 'node-1' }],
              traffic: [{ protocol: 'http', rates: { httpOut: 2.5 } }],
              health: 'NA',
              isRoot: true,
              parent: 'box-ns-bookinfo',
            },
          },
        ],
        edges: [
          {
            data: {
              id: 'wl:bookinfo:productpage-v1->svc:bookinfo:reviews:http',
              source: 'wl:bookinfo:productpage-v1',
              target: 'svc:bookinfo:reviews',
              traffic: {
                protocol: 'http',
                rates: { http: 1.5, http5xx: 1, httpNoResponse: 0.5, httpPercentErr: 100, httpPercentReq: 60 },
                responses: {
                  '503': { flags: { UH: 66.7 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 66.7 } },
                  '-': { flags: { NR: 33.3 }, hosts: { 'reviews.bookinfo.svc.cluster.local': 33.3 } },
                },
              },
              reporter: 'source',
              healthStatus: 'Failure',
            },
          },
          {
            data: {
              id: 'wl:bookinfo:productpage-v1->wl:bookinfo:details-v1:http',
              source: 'wl:bookinfo:productpage-v1',
              target: 'wl:bookinfo:details-v1',
              traffic: {
                protocol: 'http',
                rates: { http: 1, httpPercentReq: 40 },
                responses: { '200': { flags: { '-': 100 }, hosts: { 'details.bookinfo.svc.cluster.local': 100 } } },
              },
              reporter: 'destination',
              isMTLS: 100,
              healthStatus: 'Healthy',
            },
          },
        ],
      },
    });
  });
});

describe('buildGraph — graph types', () => {
  it('app graph', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-telemetry.json'), { graphType: 'app', namespaces: ['bookinfo'] });
    expect(outline(g)).toEqual({
      nodes: [
        ['box-ns-bookinfo', 'box', null, null],
        ['box-ns-istio-system', 'box', null, null],
        ['app:bookinfo:details', 'app', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5 } }]],
        ['app:bookinfo:productpage', 'app', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpOut: 20 } }]],
        ['app:bookinfo:ratings', 'app', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 5.5 } }]],
        ['app:bookinfo:reviews', 'app', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5, httpOut: 5.5 } }]],
        ['app:istio-system:istio-ingressgateway', 'app', 'box-ns-istio-system', [{ protocol: 'http', rates: { httpOut: 10 } }]],
      ],
      edges: [
        [
          'app:bookinfo:productpage',
          'app:bookinfo:details',
          'http',
          { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 },
          'destination',
        ],
        ['app:bookinfo:productpage', 'app:bookinfo:reviews', 'http', { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 }, 'mixed'],
        ['app:bookinfo:reviews', 'app:bookinfo:ratings', 'http', { http: 5.5, httpPercentReq: 100 }, 'destination'],
        ['app:istio-system:istio-ingressgateway', 'app:bookinfo:productpage', 'http', { http: 10, httpPercentReq: 100 }, 'destination'],
      ],
    });
  });

  it('workload graph', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-telemetry.json'), { graphType: 'workload', namespaces: ['bookinfo'] });
    expect(outline(g)).toEqual({
      nodes: [
        ['box-ns-bookinfo', 'box', null, null],
        ['box-ns-istio-system', 'box', null, null],
        ['wl:bookinfo:details-v1', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5 } }]],
        ['wl:bookinfo:productpage-v1', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpOut: 20 } }]],
        ['wl:bookinfo:ratings-v1', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 5.5 } }]],
        ['wl:bookinfo:reviews-v1', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 4 } }]],
        ['wl:bookinfo:reviews-v2', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 3, httpOut: 3 } }]],
        ['wl:bookinfo:reviews-v3', 'workload', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 3, httpIn5xx: 0.5, httpOut: 2.5 } }]],
        ['wl:istio-system:istio-ingressgateway', 'workload', 'box-ns-istio-system', [{ protocol: 'http', rates: { httpOut: 10 } }]],
      ],
      edges: [
        [
          'wl:bookinfo:productpage-v1',
          'wl:bookinfo:details-v1',
          'http',
          { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 },
          'destination',
        ],
        ['wl:bookinfo:productpage-v1', 'wl:bookinfo:reviews-v1', 'http', { http: 4, httpPercentReq: 20 }, 'destination'],
        ['wl:bookinfo:productpage-v1', 'wl:bookinfo:reviews-v2', 'http', { http: 3, httpPercentReq: 15 }, 'destination'],
        [
          'wl:bookinfo:productpage-v1',
          'wl:bookinfo:reviews-v3',
          'http',
          { http: 3, http5xx: 0.5, httpPercentErr: 16.7, httpPercentReq: 15 },
          'mixed',
        ],
        ['wl:bookinfo:reviews-v2', 'wl:bookinfo:ratings-v1', 'http', { http: 3, httpPercentReq: 100 }, 'destination'],
        ['wl:bookinfo:reviews-v3', 'wl:bookinfo:ratings-v1', 'http', { http: 2.5, httpPercentReq: 100 }, 'destination'],
        ['wl:istio-system:istio-ingressgateway', 'wl:bookinfo:productpage-v1', 'http', { http: 10, httpPercentReq: 100 }, 'destination'],
      ],
    });
  });

  it('service graph', () => {
    const g = graph('bookinfo.yaml', telemetry('bookinfo-telemetry.json'), { graphType: 'service', namespaces: ['bookinfo'] });
    expect(outline(g)).toEqual({
      nodes: [
        ['box-ns-bookinfo', 'box', null, null],
        ['box-ns-istio-system', 'box', null, null],
        ['svc:bookinfo:details', 'service', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5 } }]],
        ['svc:bookinfo:productpage', 'service', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpOut: 20 } }]],
        ['svc:bookinfo:ratings', 'service', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 5.5 } }]],
        ['svc:bookinfo:reviews', 'service', 'box-ns-bookinfo', [{ protocol: 'http', rates: { httpIn: 10, httpIn5xx: 0.5, httpOut: 5.5 } }]],
        ['wl:istio-system:istio-ingressgateway', 'workload', 'box-ns-istio-system', [{ protocol: 'http', rates: { httpOut: 10 } }]],
      ],
      edges: [
        [
          'svc:bookinfo:productpage',
          'svc:bookinfo:details',
          'http',
          { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 },
          'destination',
        ],
        ['svc:bookinfo:productpage', 'svc:bookinfo:reviews', 'http', { http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 50 }, 'mixed'],
        ['svc:bookinfo:reviews', 'svc:bookinfo:ratings', 'http', { http: 5.5, httpPercentReq: 100 }, 'destination'],
        ['wl:istio-system:istio-ingressgateway', 'svc:bookinfo:productpage', 'http', { http: 10, httpPercentReq: 100 }, 'destination'],
      ],
    });
  });
});

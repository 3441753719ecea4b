import { describe, expect, it } from 'vitest';
import type { GraphResponse } from '@meshlens/model';
import { graph, telemetry } from './__fixtures__/load.js';

// Bookinfo in an ambient namespace (istio.io/dataplane-mode=ambient, no sidecars), reviews behind a waypoint
// (istio.io/use-waypoint on its Service), a Gateway API ingress gateway, ztunnel in istio-system, and a sidecar
// namespace (legacy: sleep calls productpage, productpage calls httpbin). The telemetry has the shapes real ambient
// Istio writes: ztunnel's istio_tcp_* on both ends of each connection (app="ztunnel"), the waypoint's
// istio_requests_total{reporter="waypoint"} from the client to the workload that answered, sidecar reports.
const YAML = 'ambient/bookinfo-ambient.yaml';
const FULL = 'ambient/bookinfo-ambient-telemetry.json';
const ZTUNNEL_ONLY = 'ambient/ztunnel-only-telemetry.json';
const NS = { graphType: 'workload' as const, namespaces: ['bookinfo-ambient'] };

const FLAGS = ['isWaypoint', 'isAmbient', 'isGateway', 'isK8sGatewayAPI', 'hasK8sRoutes', 'isRoot', 'isOutside'] as const;

/** Nodes (id, ambient/gateway flags, traffic) and edges (rates, the proxies the numbers came from, reporter, mTLS, waypoint hop). */
const summary = (g: GraphResponse) => ({
  nodes: g.elements.nodes.filter(({ data: d }) => d.nodeType !== 'box').map(({ data: d }) => [
    d.id, Object.fromEntries(FLAGS.filter((f) => d[f] !== undefined).map((f) => [f, d[f]])), d.traffic ?? null,
  ]),
  edges: g.elements.edges.map(({ data: d }) => [d.source, d.target, d.traffic.protocol, d.traffic.rates, d.telemetry, d.reporter, d.isMTLS ?? null, d.waypoint ?? null]),
});

describe('buildGraph — ambient Bookinfo', () => {
  it('counts every request once across sidecar, waypoint and ztunnel reports, waypoints hidden (the default)', () => {
    // gateway → productpage: the gateway's L7 report; ztunnel's L4 report of the same connection only says it was mTLS.
    // productpage → details, reviews-v2 → ratings: no waypoint, ztunnel on both ends, its destination report counted.
    // productpage → reviews: the waypoint's L7 report, client to the workload that answered (6 + 3.5 + 0.5 rps);
    // ztunnel's hops into and out of the waypoint carry the same requests and are not counted again.
    // sleep (sidecar) → productpage (ambient): sleep's report; productpage → httpbin (sidecar): httpbin's report.
    const g = graph(YAML, telemetry(FULL), NS);
    expect(g).toEqual({
      timestamp: 1767225600,
      duration: 600,
      graphType: 'workload',
      namespaces: ['bookinfo-ambient'],
      elements: {
      nodes: [
        { data: {id: 'box-ns-bookinfo-ambient', nodeType: 'box', namespace: 'bookinfo-ambient', isBox: 'namespace', label: 'bookinfo-ambient'} },
        { data: {id: 'box-ns-legacy', nodeType: 'box', namespace: 'legacy', isBox: 'namespace', label: 'legacy', isOutside: true} },
        { data: {id: 'wl:bookinfo-ambient:bookinfo-gateway-istio', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'bookinfo-gateway-istio', app: 'bookinfo-gateway-istio', label: 'bookinfo-gateway-istio', isGateway: {gatewayAPIInfo: {hostnames: ['bookinfo.example.com']}}, isK8sGatewayAPI: {namespace: 'bookinfo-ambient', name: 'bookinfo-gateway', gatewayClassName: 'istio'}, labels: {'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway', 'gateway.istio.io/managed': 'istio.io-gateway-controller', 'istio.io/dataplane-mode': 'none'}, pods: [{name: 'bookinfo-gateway-istio-6b9f4d8c7-m3n8r', hasSidecar: true, ip: '10.244.1.27', hostIP: '192.168.10.11', nodeName: 'node-1'}], traffic: [{protocol: 'http', rates: {httpOut: 10}}], health: 'NA', isRoot: true, parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:bookinfo-ambient:details-v1', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'details-v1', app: 'details', version: 'v1', label: 'details-v1', destServices: [{namespace: 'bookinfo-ambient', name: 'details'}], isAmbient: true, labels: {app: 'details', version: 'v1'}, pods: [{name: 'details-v1-69d32bbe4-b944f', hasSidecar: false, ip: '10.244.2.22', hostIP: '192.168.10.12', nodeName: 'node-2'}], traffic: [{protocol: 'tcp', rates: {tcpIn: 3580}}], health: 'NA', parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:bookinfo-ambient:productpage-v1', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'productpage-v1', app: 'productpage', version: 'v1', label: 'productpage-v1', destServices: [{namespace: 'bookinfo-ambient', name: 'productpage'}], isAmbient: true, hasK8sRoutes: [{kind: 'HTTPRoute', namespace: 'bookinfo-ambient', name: 'bookinfo'}], labels: {app: 'productpage', version: 'v1'}, pods: [{name: 'productpage-v1-1c8062266-cfbc2', hasSidecar: false, ip: '10.244.1.21', hostIP: '192.168.10.11', nodeName: 'node-1'}], traffic: [{protocol: 'http', rates: {httpIn: 11, httpOut: 12}}, {protocol: 'tcp', rates: {tcpOut: 3580}}], health: 'Healthy', healthErrorRatio: 0, parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:bookinfo-ambient:ratings-v1', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'ratings-v1', app: 'ratings', version: 'v1', label: 'ratings-v1', destServices: [{namespace: 'bookinfo-ambient', name: 'ratings'}], isAmbient: true, labels: {app: 'ratings', version: 'v1'}, pods: [{name: 'ratings-v1-99bcc3cf6-13c78', hasSidecar: false, ip: '10.244.2.25', hostIP: '192.168.10.12', nodeName: 'node-2'}], traffic: [{protocol: 'tcp', rates: {tcpIn: 1120}}], health: 'NA', parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:bookinfo-ambient:reviews-v1', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'reviews-v1', app: 'reviews', version: 'v1', label: 'reviews-v1', destServices: [{namespace: 'bookinfo-ambient', name: 'reviews'}], isAmbient: true, labels: {app: 'reviews', version: 'v1'}, pods: [{name: 'reviews-v1-bddc10da9-e3fc4', hasSidecar: false, ip: '10.244.3.23', hostIP: '192.168.10.13', nodeName: 'node-3'}], traffic: [{protocol: 'http', rates: {httpIn: 6}}], health: 'Healthy', healthErrorRatio: 0, parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:bookinfo-ambient:reviews-v2', nodeType: 'workload', namespace: 'bookinfo-ambient', workload: 'reviews-v2', app: 'reviews', version: 'v2', label: 'reviews-v2', destServices: [{namespace: 'bookinfo-ambient', name: 'reviews'}], isAmbient: true, labels: {app: 'reviews', version: 'v2'}, pods: [{name: 'reviews-v2-fea8e9e1d-e7daf', hasSidecar: false, ip: '10.244.1.24', hostIP: '192.168.10.11', nodeName: 'node-1'}], traffic: [{protocol: 'http', rates: {httpIn: 4, httpIn5xx: 0.5}}, {protocol: 'tcp', rates: {tcpOut: 1120}}], health: 'Failure', healthErrorRatio: 0.125, parent: 'box-ns-bookinfo-ambient'} },
        { data: {id: 'wl:legacy:httpbin', nodeType: 'workload', namespace: 'legacy', workload: 'httpbin', app: 'httpbin', version: 'v1', label: 'httpbin', destServices: [{namespace: 'legacy', name: 'httpbin'}], labels: {app: 'httpbin', version: 'v1'}, pods: [{name: 'httpbin-7b5c9d6f8-h4j6k', hasSidecar: true, ip: '10.244.3.29', hostIP: '192.168.10.13', nodeName: 'node-3'}], traffic: [{protocol: 'http', rates: {httpIn: 2}}], health: 'Healthy', healthErrorRatio: 0, isOutside: true, parent: 'box-ns-legacy'} },
        { data: {id: 'wl:legacy:sleep', nodeType: 'workload', namespace: 'legacy', workload: 'sleep', app: 'sleep', label: 'sleep', labels: {app: 'sleep'}, pods: [{name: 'sleep-84c7b6d9f-t5v1c', hasSidecar: true, ip: '10.244.2.28', hostIP: '192.168.10.12', nodeName: 'node-2'}], traffic: [{protocol: 'http', rates: {httpOut: 1}}], health: 'NA', isRoot: true, isOutside: true, parent: 'box-ns-legacy'} },
      ],
      edges: [
        { data: {id: 'wl:bookinfo-ambient:bookinfo-gateway-istio->wl:bookinfo-ambient:productpage-v1:http', source: 'wl:bookinfo-ambient:bookinfo-gateway-istio', target: 'wl:bookinfo-ambient:productpage-v1', traffic: {protocol: 'http', rates: {http: 10, httpPercentReq: 100}, responses: {'200': {flags: {'-': 100}, hosts: {'productpage.bookinfo-ambient.svc.cluster.local': 100}}}}, reporter: 'source', telemetry: ['sidecar-source'], isMTLS: 100, healthStatus: 'Healthy'} },
        { data: {id: 'wl:bookinfo-ambient:productpage-v1->wl:bookinfo-ambient:details-v1:tcp', source: 'wl:bookinfo-ambient:productpage-v1', target: 'wl:bookinfo-ambient:details-v1', traffic: {protocol: 'tcp', rates: {tcp: 3580, tcpSent: 1800, tcpReceived: 1780, tcpPercentReq: 100}, responses: {'-': {flags: {'-': 100}, hosts: {'details.bookinfo-ambient.svc.cluster.local': 100}}}}, reporter: 'destination', telemetry: ['ztunnel-destination'], throughput: 3580, isMTLS: 100} },
        { data: {id: 'wl:bookinfo-ambient:productpage-v1->wl:bookinfo-ambient:reviews-v1:http', source: 'wl:bookinfo-ambient:productpage-v1', target: 'wl:bookinfo-ambient:reviews-v1', traffic: {protocol: 'http', rates: {http: 6, httpPercentReq: 50}, responses: {'200': {flags: {'-': 100}, hosts: {'reviews.bookinfo-ambient.svc.cluster.local': 100}}}}, reporter: 'destination', telemetry: ['waypoint'], responseTimes: {avg: 13.5, p50: 10, p95: 37.5, p99: 47.5}, responseTime: 37.5, isMTLS: 100, healthStatus: 'Healthy'} },
        { data: {id: 'wl:bookinfo-ambient:productpage-v1->wl:bookinfo-ambient:reviews-v2:http', source: 'wl:bookinfo-ambient:productpage-v1', target: 'wl:bookinfo-ambient:reviews-v2', traffic: {protocol: 'http', rates: {http: 4, http5xx: 0.5, httpPercentErr: 12.5, httpPercentReq: 33.3}, responses: {'200': {flags: {'-': 87.5}, hosts: {'reviews.bookinfo-ambient.svc.cluster.local': 87.5}}, '500': {flags: {'-': 12.5}, hosts: {'reviews.bookinfo-ambient.svc.cluster.local': 12.5}}}}, reporter: 'destination', telemetry: ['waypoint'], isMTLS: 100, healthStatus: 'Failure'} },
        { data: {id: 'wl:bookinfo-ambient:productpage-v1->wl:legacy:httpbin:http', source: 'wl:bookinfo-ambient:productpage-v1', target: 'wl:legacy:httpbin', traffic: {protocol: 'http', rates: {http: 2, httpPercentReq: 16.7}, responses: {'200': {flags: {'-': 100}, hosts: {'httpbin.legacy.svc.cluster.local': 100}}}}, reporter: 'destination', telemetry: ['sidecar-destination'], isMTLS: 100, healthStatus: 'Healthy'} },
        { data: {id: 'wl:bookinfo-ambient:reviews-v2->wl:bookinfo-ambient:ratings-v1:tcp', source: 'wl:bookinfo-ambient:reviews-v2', target: 'wl:bookinfo-ambient:ratings-v1', traffic: {protocol: 'tcp', rates: {tcp: 1120, tcpSent: 640, tcpReceived: 480, tcpPercentReq: 100}, responses: {'-': {flags: {'-': 100}, hosts: {'ratings.bookinfo-ambient.svc.cluster.local': 100}}}}, reporter: 'destination', telemetry: ['ztunnel-destination'], throughput: 1120, isMTLS: 100} },
        { data: {id: 'wl:legacy:sleep->wl:bookinfo-ambient:productpage-v1:http', source: 'wl:legacy:sleep', target: 'wl:bookinfo-ambient:productpage-v1', traffic: {protocol: 'http', rates: {http: 1, httpPercentReq: 100}, responses: {'200': {flags: {'-': 100}, hosts: {'productpage.bookinfo-ambient.svc.cluster.local': 100}}}}, reporter: 'source', telemetry: ['sidecar-source'], isMTLS: 100, healthStatus: 'Healthy'} },
      ],
      },
    });
  });

  it('draws client → waypoint → workload when waypoints are shown, with the same numbers', () => {
    const g = graph(YAML, telemetry(FULL), { ...NS, showWaypoints: true });
    expect(summary(g)).toEqual({
    nodes: [
      ['wl:bookinfo-ambient:waypoint', {isWaypoint: true}, [{protocol: 'http', rates: {httpIn: 10, httpIn5xx: 0.5, httpOut: 10}}]],
      ['wl:bookinfo-ambient:bookinfo-gateway-istio', {isGateway: {gatewayAPIInfo: {hostnames: ['bookinfo.example.com']}}, isK8sGatewayAPI: {namespace: 'bookinfo-ambient', name: 'bookinfo-gateway', gatewayClassName: 'istio'}, isRoot: true}, [{protocol: 'http', rates: {httpOut: 10}}]],
      ['wl:bookinfo-ambient:details-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 3580}}]],
      ['wl:bookinfo-ambient:productpage-v1', {isAmbient: true, hasK8sRoutes: [{kind: 'HTTPRoute', namespace: 'bookinfo-ambient', name: 'bookinfo'}]}, [{protocol: 'http', rates: {httpIn: 11, httpOut: 12}}, {protocol: 'tcp', rates: {tcpOut: 3580}}]],
      ['wl:bookinfo-ambient:ratings-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 1120}}]],
      ['wl:bookinfo-ambient:reviews-v1', {isAmbient: true}, [{protocol: 'http', rates: {httpIn: 6}}]],
      ['wl:bookinfo-ambient:reviews-v2', {isAmbient: true}, [{protocol: 'http', rates: {httpIn: 4, httpIn5xx: 0.5}}, {protocol: 'tcp', rates: {tcpOut: 1120}}]],
      ['wl:legacy:httpbin', {isOutside: true}, [{protocol: 'http', rates: {httpIn: 2}}]],
      ['wl:legacy:sleep', {isRoot: true, isOutside: true}, [{protocol: 'http', rates: {httpOut: 1}}]],
    ],
    edges: [
      ['wl:bookinfo-ambient:bookinfo-gateway-istio', 'wl:bookinfo-ambient:productpage-v1', 'http', {http: 10, httpPercentReq: 100}, ['sidecar-source'], 'source', 100, null],
      ['wl:bookinfo-ambient:productpage-v1', 'wl:bookinfo-ambient:details-v1', 'tcp', {tcp: 3580, tcpSent: 1800, tcpReceived: 1780, tcpPercentReq: 100}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:productpage-v1', 'wl:bookinfo-ambient:waypoint', 'http', {http: 10, http5xx: 0.5, httpPercentErr: 5, httpPercentReq: 83.3}, ['waypoint'], 'destination', 100, {direction: 'to', namespace: 'bookinfo-ambient', name: 'waypoint'}],
      ['wl:bookinfo-ambient:productpage-v1', 'wl:legacy:httpbin', 'http', {http: 2, httpPercentReq: 16.7}, ['sidecar-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:reviews-v2', 'wl:bookinfo-ambient:ratings-v1', 'tcp', {tcp: 1120, tcpSent: 640, tcpReceived: 480, tcpPercentReq: 100}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:waypoint', 'wl:bookinfo-ambient:reviews-v1', 'http', {http: 6, httpPercentReq: 60}, ['waypoint'], 'destination', 100, {direction: 'from', namespace: 'bookinfo-ambient', name: 'waypoint'}],
      ['wl:bookinfo-ambient:waypoint', 'wl:bookinfo-ambient:reviews-v2', 'http', {http: 4, http5xx: 0.5, httpPercentErr: 12.5, httpPercentReq: 40}, ['waypoint'], 'destination', 100, {direction: 'from', namespace: 'bookinfo-ambient', name: 'waypoint'}],
      ['wl:legacy:sleep', 'wl:bookinfo-ambient:productpage-v1', 'http', {http: 1, httpPercentReq: 100}, ['sidecar-source'], 'source', 100, null],
    ],
    });
  });

  it('ztunnel only (L4): connections through a waypoint that reported nothing pass through the Service when hidden', () => {
    // The last series have no app="ztunnel" (a query summed it away): still ztunnel's, ratings-v1 has no sidecar and is ambient.
    const g = graph(YAML, telemetry(ZTUNNEL_ONLY), NS);
    expect(summary(g)).toEqual({
    nodes: [
      ['svc:bookinfo-ambient:reviews', {}, [{protocol: 'tcp', rates: {tcpIn: 10900, tcpOut: 10900}}]],
      ['wl:bookinfo-ambient:details-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 3580}}]],
      ['wl:bookinfo-ambient:productpage-v1', {isAmbient: true, hasK8sRoutes: [{kind: 'HTTPRoute', namespace: 'bookinfo-ambient', name: 'bookinfo'}], isRoot: true}, [{protocol: 'tcp', rates: {tcpOut: 14480}}]],
      ['wl:bookinfo-ambient:ratings-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 1120}}]],
      ['wl:bookinfo-ambient:reviews-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 6540}}]],
      ['wl:bookinfo-ambient:reviews-v2', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 4360, tcpOut: 1120}}]],
    ],
    edges: [
      ['svc:bookinfo-ambient:reviews', 'wl:bookinfo-ambient:reviews-v1', 'tcp', {tcp: 6540, tcpSent: 1260, tcpReceived: 5280, tcpPercentReq: 60}, ['ztunnel-destination'], 'destination', 100, null],
      ['svc:bookinfo-ambient:reviews', 'wl:bookinfo-ambient:reviews-v2', 'tcp', {tcp: 4360, tcpSent: 840, tcpReceived: 3520, tcpPercentReq: 40}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:productpage-v1', 'svc:bookinfo-ambient:reviews', 'tcp', {tcp: 10900, tcpSent: 2100, tcpReceived: 8800, tcpPercentReq: 75.3}, ['ztunnel-source'], 'source', null, null],
      ['wl:bookinfo-ambient:productpage-v1', 'wl:bookinfo-ambient:details-v1', 'tcp', {tcp: 3580, tcpSent: 1800, tcpReceived: 1780, tcpPercentReq: 24.7}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:reviews-v2', 'wl:bookinfo-ambient:ratings-v1', 'tcp', {tcp: 1120, tcpSent: 640, tcpReceived: 480, tcpPercentReq: 100}, ['ztunnel-destination'], 'destination', 100, null],
    ],
    });
  });

  it('ztunnel only (L4), waypoints shown: the hops into and out of the waypoint as ztunnel reported them', () => {
    const g = graph(YAML, telemetry(ZTUNNEL_ONLY), { ...NS, showWaypoints: true });
    expect(summary(g)).toEqual({
    nodes: [
      ['wl:bookinfo-ambient:waypoint', {isWaypoint: true}, [{protocol: 'tcp', rates: {tcpIn: 10900, tcpOut: 10900}}]],
      ['wl:bookinfo-ambient:details-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 3580}}]],
      ['wl:bookinfo-ambient:productpage-v1', {isAmbient: true, hasK8sRoutes: [{kind: 'HTTPRoute', namespace: 'bookinfo-ambient', name: 'bookinfo'}], isRoot: true}, [{protocol: 'tcp', rates: {tcpOut: 14480}}]],
      ['wl:bookinfo-ambient:ratings-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 1120}}]],
      ['wl:bookinfo-ambient:reviews-v1', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 6540}}]],
      ['wl:bookinfo-ambient:reviews-v2', {isAmbient: true}, [{protocol: 'tcp', rates: {tcpIn: 4360, tcpOut: 1120}}]],
    ],
    edges: [
      ['wl:bookinfo-ambient:productpage-v1', 'wl:bookinfo-ambient:details-v1', 'tcp', {tcp: 3580, tcpSent: 1800, tcpReceived: 1780, tcpPercentReq: 24.7}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:productpage-v1', 'wl:bookinfo-ambient:waypoint', 'tcp', {tcp: 10900, tcpSent: 2100, tcpReceived: 8800, tcpPercentReq: 75.3}, ['ztunnel-source'], 'source', null, {direction: 'to', namespace: 'bookinfo-ambient', name: 'waypoint'}],
      ['wl:bookinfo-ambient:reviews-v2', 'wl:bookinfo-ambient:ratings-v1', 'tcp', {tcp: 1120, tcpSent: 640, tcpReceived: 480, tcpPercentReq: 100}, ['ztunnel-destination'], 'destination', 100, null],
      ['wl:bookinfo-ambient:waypoint', 'wl:bookinfo-ambient:reviews-v1', 'tcp', {tcp: 6540, tcpSent: 1260, tcpReceived: 5280, tcpPercentReq: 60}, ['ztunnel-destination'], 'destination', 100, {direction: 'from', namespace: 'bookinfo-ambient', name: 'waypoint'}],
      ['wl:bookinfo-ambient:waypoint', 'wl:bookinfo-ambient:reviews-v2', 'tcp', {tcp: 4360, tcpSent: 840, tcpReceived: 3520, tcpPercentReq: 40}, ['ztunnel-destination'], 'destination', 100, {direction: 'from', namespace: 'bookinfo-ambient', name: 'waypoint'}],
    ],
    });
  });

  it('keeps waypoints out of idle nodes unless shown', () => {
    const ids = (showWaypoints: boolean) => graph(YAML, {}, { ...NS, includeIdle: true, showWaypoints }).elements.nodes.map((n) => n.data.id).filter((id) => !id.startsWith('box'));
    expect(ids(false)).not.toContain('wl:bookinfo-ambient:waypoint');
    expect(ids(true)).toContain('wl:bookinfo-ambient:waypoint');
    expect(ids(false)).not.toContain('svc:bookinfo-ambient:waypoint');
  });
});

describe('buildGraph — Gateway API gateways', () => {
  it('marks the deployed gateway workload as a gateway node tied to its Gateway, and badges the routes’ backends', () => {
    const g = graph(YAML, telemetry(FULL), { graphType: 'versionedApp', namespaces: ['bookinfo-ambient'] });
    const node = (id: string) => g.elements.nodes.find((n) => n.data.id === id)?.data;
    // An app node in a versionedApp graph (its canonical revision is `latest`), as Kiali draws gateways.
    const gw = node('app:bookinfo-ambient:bookinfo-gateway-istio');
    expect(gw).toMatchObject({
      nodeType: 'app',
      workload: 'bookinfo-gateway-istio',
      isGateway: { gatewayAPIInfo: { hostnames: ['bookinfo.example.com'] } },
      isK8sGatewayAPI: { namespace: 'bookinfo-ambient', name: 'bookinfo-gateway', gatewayClassName: 'istio' },
      isRoot: true,
    });
    expect(gw?.hasMissingSidecar).toBeUndefined();
    expect(node('vapp:bookinfo-ambient:productpage:v1')?.hasK8sRoutes).toEqual([{ kind: 'HTTPRoute', namespace: 'bookinfo-ambient', name: 'bookinfo' }]);
    // Ambient pods have no sidecar and are still in the mesh.
    expect(g.elements.nodes.some((n) => n.data.hasMissingSidecar)).toBe(false);
  });
});

/** The entity pages' API and pod logs over the demo mesh (and a snapshot of it), through the real Fastify app. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type {
  ApplicationListResponse, NodeGraphResponse, OverviewResponse, PodLogLine, PodLogsResponse, ServiceDetail, ServiceListResponse, WorkloadDetail, WorkloadListResponse,
} from '@meshlens/model';
import { captureSnapshot, createDemoSource, createSnapshotSource } from '@meshlens/sources';
import { buildApp } from './app.js';

const T = 1790000000;
const WINDOW = `duration=600&queryTime=${T}`;
let app: FastifyInstance;
const demo = createDemoSource({ seed: 7, now: () => T });
const get = async <R>(url: string): Promise<R> => {
  const res = await app.inject(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as R;
};
const podOf = (ns: string, workload: string) => demo.inventory().workloadsByKey.get(`${ns}/${workload}`)!.pods[0]!.name;

beforeAll(async () => {
  app = await buildApp({ source: demo, webRoot: false });
});
afterAll(async () => app.close());

describe('lists', () => {
  it('GET /api/workloads lists the circuit-breaking workloads with health, configuration and traffic', async () => {
    const body = await get<WorkloadListResponse>(`/api/workloads?namespaces=circuit-breaking&${WINDOW}`);
    expect(body).toEqual({
      timestamp: T, duration: 600, namespaces: ['circuit-breaking'],
      workloads: [
        {
          namespace: 'circuit-breaking', name: 'fortio-deploy', kind: 'Deployment', labels: { app: 'fortio', version: 'v1' },
          // fortio -c 3 against a pool of 1 + 1: a third of its calls overflow on its own sidecar.
          health: { status: 'Failure', reason: '5xx on 33% of outbound requests (failure from 10%)', outbound: { rate: 23.492, errorRatio: 0.3299 }, replicas: { desired: 1, current: 1, available: 1 } },
          missingSidecar: false, ambient: false, istioConfig: { objects: [], badges: [] }, traffic: { requestRate: 0 }, findings: { error: 0, warning: 0, info: 0 },
          serviceAccount: 'fortio', podCount: 1, services: ['fortio'], app: 'fortio', version: 'v1',
        },
        {
          namespace: 'circuit-breaking', name: 'httpbin', kind: 'Deployment', labels: { app: 'httpbin', version: 'v1' },
          health: { status: 'Healthy', requests: { rate: 15.743, errorRatio: 0 }, replicas: { desired: 1, current: 1, available: 1 } },
          missingSidecar: false, ambient: false,
          istioConfig: { objects: [{ ref: { kind: 'DestinationRule', namespace: 'circuit-breaking', name: 'httpbin' }, via: 'host', badges: ['DR', 'CB'], findings: { error: 0, warning: 0, info: 0 } }], badges: ['DR', 'CB'] },
          traffic: { requestRate: 15.743, errorPercent: 0 }, findings: { error: 0, warning: 0, info: 0 },
          serviceAccount: 'httpbin', podCount: 1, services: ['httpbin'], app: 'httpbin', version: 'v1',
        },
      ],
    });
  });

  it('GET /api/services and /api/applications answer any number of namespaces in one call', async () => {
    const services = await get<ServiceListResponse>(`/api/services?namespaces=circuit-breaking,bookinfo-routing&${WINDOW}`);
    expect(services.services.map((s) => `${s.namespace}/${s.name} ${s.health.status} ${s.istioConfig.badges.join(',')}`)).toEqual([
      'bookinfo-routing/details Healthy VS,RR,DR',
      'bookinfo-routing/productpage Healthy VS,RR,DR,GW',
      'bookinfo-routing/ratings Healthy VS,RR,DR',
      'bookinfo-routing/reviews Healthy VS,RR,DR',
      // The overflows fortio's sidecar answers itself count against the service it called.
      'circuit-breaking/fortio NA ',
      'circuit-breaking/httpbin Failure DR,CB',
    ]);
    const apps = await get<ApplicationListResponse>(`/api/applications?namespaces=bookinfo-routing&${WINDOW}`);
    expect(apps.applications.map((a) => [a.name, a.workloads, a.versions, a.services])).toEqual([
      ['details', ['details-v1'], ['v1'], ['details']],
      ['productpage', ['productpage-v1'], ['v1'], ['productpage']],
      ['ratings', ['ratings-v1'], ['v1'], ['ratings']],
      ['reviews', ['reviews-v1', 'reviews-v2', 'reviews-v3'], ['v1', 'v2', 'v3'], ['reviews']],
    ]);
    // Without namespaces: every namespace the caller sees.
    const all = await get<WorkloadListResponse>(`/api/workloads?${WINDOW}`);
    expect(all.namespaces).toEqual([...demo.inventory().namespaces.keys()].sort());
    expect(all.workloads).toHaveLength(demo.inventory().workloads.length);
  });
});

describe('details', () => {
  it('the httpbin workload shows its pod, with pod IP and the injected istio-proxy', async () => {
    const d = await get<WorkloadDetail>(`/api/namespaces/circuit-breaking/workloads/httpbin?${WINDOW}`);
    expect(d.pods).toEqual([{
      name: podOf('circuit-breaking', 'httpbin'), namespace: 'circuit-breaking', workload: 'httpbin', phase: 'Running', ready: '2/2', isReady: true, restarts: 4,
      podIP: '10.244.15.70', nodeName: 'node-1', hostIP: '10.0.0.197', hostAliases: [],
      containers: [
        { name: 'httpbin', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', isProxy: false, ready: true, restarts: 4, state: 'running' },
        { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.23.2', isProxy: true, injected: true, ready: true, restarts: 0, state: 'running' },
      ],
      istioProxyVersion: '1.23.2', labels: { app: 'httpbin', version: 'v1' }, serviceAccount: 'httpbin', createdAt: '2026-09-14T18:38:43Z',
    }]);
    expect(d.services).toEqual([{ namespace: 'circuit-breaking', name: 'httpbin', ports: ['http 8000/TCP'] }]);
    expect(d.istioConfig).toEqual([{ ref: { kind: 'DestinationRule', namespace: 'circuit-breaking', name: 'httpbin' }, via: 'host', badges: ['DR', 'CB'], findings: { error: 0, warning: 0, info: 0 }, findingList: [] }]);
    expect(d.traffic).toEqual([{
      direction: 'inbound', node: 'wl:circuit-breaking:httpbin', protocol: 'http', rate: 15.743, errorPercent: 0, p95Ms: 21.96, mtlsPercent: 100, reporter: 'destination', health: 'Healthy',
      peer: { id: 'wl:circuit-breaking:fortio-deploy', nodeType: 'workload', namespace: 'circuit-breaking', label: 'fortio-deploy', workload: 'fortio-deploy', app: 'fortio', version: 'v1' },
      responseCodes: { 200: 100 }, responseFlags: { '-': 100 },
    }]);
  });

  it('the egress router\'s legacy-client shows its host aliases', async () => {
    const d = await get<WorkloadDetail>(`/api/namespaces/egress-router/workloads/legacy-client?${WINDOW}`);
    expect(d.pods.map((p) => [p.name, p.podIP, p.hostIP, p.nodeName, p.hostAliases, p.ready])).toEqual([[
      'legacy-client-85f6d9c7b4-m2xlt', '10.129.4.37', '192.168.12.32', 'herasoo-dmz-app-wokernode2',
      [{ ip: '203.0.113.25', hostnames: ['billing.partner.example'] }, { ip: '203.0.113.26', hostnames: ['reports.partner.example'] }], '2/2',
    ]]);
    // The direct call by host alias bypasses the router: PassthroughCluster.
    expect(d.traffic.map((t) => `${t.direction} ${t.peer.label} ${t.protocol}`)).toEqual(['outbound PassthroughCluster http', 'outbound egress-router http', 'outbound egress-router tcp']);
  });

  it("seed 001's client pod default/pod1 has no findings of its own, but shows the findings elsewhere that involve it", async () => {
    const d = await get<WorkloadDetail>(`/api/namespaces/default/workloads/pod1?${WINDOW}`);
    expect(d.findings).toEqual([]);
    // the egress VirtualService traced from it, and the DestinationRule whose subset labels it carries (MLS1004 told in KIA0203)
    expect((d.involving ?? []).map((f) => `${f.code}${f.aliases ? `+${f.aliases.join('+')}` : ''} ${f.object.kind} ${f.object.namespace}/${f.object.name}`)).toEqual([
      'MLS1001 VirtualService istio-system/eg1',
      'KIA0203+MLS1004 DestinationRule istio-system/egressgateway',
    ]);
  });

  it('the reviews service in bookinfo-routing shows v1, v2 and v3 and the VirtualService that routes it', async () => {
    const d = await get<ServiceDetail>(`/api/namespaces/bookinfo-routing/services/reviews?${WINDOW}`);
    expect(d.backends.map((b) => [b.name, b.version, b.subsets, b.weight])).toEqual([['reviews-v1', 'v1', ['v1'], 100], ['reviews-v2', 'v2', ['v2'], 0], ['reviews-v3', 'v3', ['v3'], 0]]);
    expect(d.routes).toEqual([
      { virtualService: { kind: 'VirtualService', namespace: 'bookinfo-routing', name: 'reviews' }, path: 'spec.http[0]', protocol: 'http', matched: true, match: 'header end-user exact jason', destinations: [{ host: 'reviews.bookinfo-routing.svc.cluster.local', subset: 'v2', weight: 100, workloads: ['reviews-v2'] }] },
      { virtualService: { kind: 'VirtualService', namespace: 'bookinfo-routing', name: 'reviews' }, path: 'spec.http[1]', protocol: 'http', matched: false, destinations: [{ host: 'reviews.bookinfo-routing.svc.cluster.local', subset: 'v1', weight: 100, workloads: ['reviews-v1'] }] },
    ]);
    expect(d.istioConfig.map((c) => `${c.ref.kind} ${c.ref.name} ${c.badges.join(',')}`)).toEqual(['DestinationRule reviews DR', 'VirtualService reviews VS,RR']);
    expect(d.ports).toEqual([{ name: 'http', port: 9080, protocol: 'TCP', istioProtocol: 'http' }]);
    expect(d.pods.map((p) => p.workload)).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
  });

  it('the node graph keeps the entity\'s nodes and their one-hop neighbours', async () => {
    const g = await get<NodeGraphResponse>(`/api/namespaces/bookinfo-routing/services/reviews/graph?${WINDOW}`);
    expect(g.focus).toEqual(['vapp:bookinfo-routing:reviews:v1', 'vapp:bookinfo-routing:reviews:v2']);
    expect(g.elements.edges.map((e) => `${e.data.source} -> ${e.data.target}`)).toEqual([
      'vapp:bookinfo-routing:productpage:v1 -> vapp:bookinfo-routing:reviews:v1',
      'vapp:bookinfo-routing:productpage:v1 -> vapp:bookinfo-routing:reviews:v2',
      'vapp:bookinfo-routing:reviews:v2 -> vapp:bookinfo-routing:ratings:v1',
    ]);
    const wl = await get<NodeGraphResponse>(`/api/namespaces/bookinfo-routing/workloads/reviews-v2/graph?graphType=workload&${WINDOW}`);
    expect(wl.focus).toEqual(['wl:bookinfo-routing:reviews-v2']);
  });
});

describe('the Overview', () => {
  it('lists every demo namespace with health counts, traffic, sparkline, mTLS and findings, and the control plane', async () => {
    const o = await get<OverviewResponse>(`/api/overview?${WINDOW}`);
    expect(o.namespaces.map((n) => n.name)).toEqual([...demo.inventory().namespaces.keys()].sort());
    const cb = o.namespaces.find((n) => n.name === 'circuit-breaking')!;
    const { sparkline, ...card } = cb;
    expect(card).toEqual({
      name: 'circuit-breaking', labels: { 'istio-injection': 'enabled', 'meshlens.io/scenario': 'circuit-breaking' },
      injection: { mode: 'enabled', label: 'istio-injection=enabled', revision: 'default' },
      mtls: { mode: 'PERMISSIVE', source: 'default', workloadPolicies: [] },
      isControlPlane: false,
      counts: { applications: 2, workloads: 2, services: 2, istioObjects: 1 },
      health: {
        applications: { healthy: 1, degraded: 0, failure: 1, notReady: 0, noTraffic: 0 },
        workloads: { healthy: 1, degraded: 0, failure: 1, notReady: 0, noTraffic: 0 },
        services: { healthy: 0, degraded: 0, failure: 1, notReady: 0, noTraffic: 1 },
      },
      traffic: { requestRate: 23.492, errorPercent: 33 },
      findings: { error: 0, warning: 0, info: 0 },
      worstStatus: 'Failure',
    });
    expect(sparkline!.timestamps).toHaveLength(25);
    expect(sparkline!.timestamps.at(-1)).toBe(T);
    expect(sparkline!.requestRate.every((v) => v !== null && v > 15 && v < 35)).toBe(true);
    // A third overflow (UO); the first point catches the end of an httpbin error burst.
    expect(sparkline!.errorPercent.every((v) => v !== null && v >= 33 && v < 50)).toBe(true);
    // Namespaces with configuration problems say so.
    expect(o.namespaces.find((n) => n.name === 'bookinfo-routing')!.findings).toEqual({ error: 4, warning: 2, info: 0 });
    expect(o.controlPlane.istiod.map((p) => [p.namespace, p.phase, p.ready, p.version, p.revision])).toEqual([['istio-system', 'Running', '1/1', '1.23.2', 'default']]);
    expect(o.controlPlane.gateways.map((g) => `${g.namespace}/${g.name} ${g.kind} ${g.ready}`)).toEqual([
      // Gateway API gateways, as istiod deploys them (`<gateway>-istio`); the egress one by its name.
      'gwapi-bookinfo/bookinfo-gateway-istio ingress 1/1',
      'gwapi-egress/cnn-egress-gateway-istio egress 1/1',
      'gwapi-ingress/httpbin-gateway-istio ingress 1/1',
      'istio-system/istio-egressgateway egress 1/1',
      'istio-system/istio-ingressgateway ingress 1/1',
    ]);
    expect(o.controlPlane.meshMtls).toEqual({ mode: 'PERMISSIVE', source: 'default', workloadPolicies: [] });
  });
});

describe('pod logs', () => {
  it('fortio\'s istio-proxy logs the circuit breaker\'s 503 UO lines, parsed and explained; httpbin\'s sidecar never sees them', async () => {
    const fortio = await get<PodLogsResponse>(`/api/namespaces/circuit-breaking/pods/${podOf('circuit-breaking', 'fortio-deploy')}/logs?container=istio-proxy&tailLines=200`);
    expect([fortio.namespace, fortio.container, fortio.source, fortio.lines.length]).toEqual(['circuit-breaking', 'istio-proxy', 'demo', 200]);
    const uo = fortio.lines.filter((l) => l.accessLog?.responseFlags.some((f) => f.flag === 'UO'));
    expect(uo.length).toBeGreaterThan(40);
    expect(uo[0]!.accessLog).toMatchObject({
      method: 'GET', path: '/get', responseCode: 503, authority: 'httpbin:8000', direction: 'outbound',
      responseFlags: [{ flag: 'UO', name: 'UpstreamOverflow', meaning: 'Circuit breaking: the connection pool of the DestinationRule was full, so Envoy rejected the request with 503 without sending it.' }],
    });
    expect(uo[0]!.timestamp).toMatch(/^2026-09-21T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    expect(uo[0]!.message).toMatch(/^\[2026-09-21T[\d:.]+Z\] "GET \/get HTTP\/1\.1" 503 UO upstream_reset_before_response_started\{overflow\} /);
    const httpbin = await get<PodLogsResponse>(`/api/namespaces/circuit-breaking/pods/${podOf('circuit-breaking', 'httpbin')}/logs?container=istio-proxy&sinceSeconds=120`);
    expect(httpbin.lines.length).toBeGreaterThan(1000);
    expect(httpbin.lines.filter((l) => l.accessLog?.responseFlags.length)).toEqual([]);
    expect(new Set(httpbin.lines.map((l) => l.accessLog?.direction))).toEqual(new Set(['inbound']));
    // Application lines are not access-log lines.
    const app = await get<PodLogsResponse>(`/api/namespaces/circuit-breaking/pods/${podOf('circuit-breaking', 'httpbin')}/logs?container=httpbin&tailLines=3`);
    expect(app.lines.every((l) => l.accessLog === undefined && /^127\.0\.0\.6 - - /.test(l.message))).toBe(true);
  });

  it('answers 404 for an unknown pod or container, 400 when the pod has several and none is named', async () => {
    const pod = podOf('circuit-breaking', 'httpbin');
    const cases: Array<[string, number, string]> = [
      [`/api/namespaces/circuit-breaking/pods/httpbin-0000000000-zzzzz/logs?container=istio-proxy`, 404, 'pods "httpbin-0000000000-zzzzz" not found in namespace "circuit-breaking"'],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs?container=nginx`, 404, `container nginx is not valid for pod ${pod}, choose one of: [httpbin istio-proxy]`],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs`, 400, `a container name must be specified for pod ${pod}, choose one of: [httpbin istio-proxy]`],
    ];
    for (const [url, status, message] of cases) {
      const res = await app.inject(url);
      expect([res.statusCode, res.json()], url).toEqual([status, { statusCode: status, error: status === 404 ? 'Not Found' : 'Bad Request', message }]);
    }
  });

  it('follows as NDJSON until the client goes away', async () => {
    // A live clock: the demo writes new lines as time passes.
    const live = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
    await live.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = live.server.address() as AddressInfo;
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/namespaces/circuit-breaking/pods/${podOf('circuit-breaking', 'fortio-deploy')}/logs?container=istio-proxy&tailLines=2&follow=true`, { signal: abort.signal });
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 10_000;
      // Two lines of the tail, then lines written after the request (fortio sends ~20 requests a second).
      while (text.split('\n').length < 6 && Date.now() < deadline) text += decoder.decode((await reader.read()).value, { stream: true });
      abort.abort();
      const lines = text.split('\n').slice(0, 5).map((l) => JSON.parse(l) as PodLogLine);
      // fortio's two classes: the load (`httpbin:8000`) and an occasional curl by FQDN.
      expect(lines.every((l) => l.accessLog?.path === '/get' && /^httpbin(\.circuit-breaking\.svc\.cluster\.local)?:8000$/.test(l.accessLog.authority ?? ''))).toBe(true);
      const times = lines.map((l) => l.timestamp!);
      expect([...times].sort()).toEqual(times);
    } finally {
      await live.close();
    }
  });
});

describe('bad parameters and unknown entities', () => {
  it('get a 400 naming the parameter, or a 404 naming what is missing', async () => {
    const pod = podOf('circuit-breaking', 'httpbin');
    const cases: Array<[string, number, RegExp]> = [
      ['/api/workloads?namespaces=nope', 400, /querystring\/namespaces: unknown namespace "nope"/],
      ['/api/services?namespaces=Bad_Name', 400, /namespaces/],
      ['/api/applications?duration=5', 400, /querystring\/duration must be >= 60/],
      ['/api/overview?queryTime=yesterday', 400, /querystring\/queryTime must be integer/],
      ['/api/overview?colour=red', 400, /must NOT have additional properties/],
      ['/api/namespaces/circuit-breaking/workloads/httpbin?duration=0', 400, /duration/],
      ['/api/namespaces/circuit-breaking/services/httpbin/graph?graphType=bogus', 400, /graphType/],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs?container=istio-proxy&tailLines=abc`, 400, /querystring\/tailLines must be integer/],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs?container=istio-proxy&tailLines=100000`, 400, /querystring\/tailLines must be <= 10000/],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs?container=Istio_Proxy`, 400, /querystring\/container/],
      [`/api/namespaces/circuit-breaking/pods/${pod}/logs?container=istio-proxy&sinceSeconds=0`, 400, /querystring\/sinceSeconds must be >= 1/],
      ['/api/namespaces/nope/workloads/httpbin', 404, /No namespace "nope"/],
      ['/api/namespaces/circuit-breaking/workloads/nope', 404, /No workload "nope" in namespace "circuit-breaking"/],
      ['/api/namespaces/circuit-breaking/services/nope', 404, /No service "nope"/],
      ['/api/namespaces/circuit-breaking/applications/nope/graph', 404, /No application "nope"/],
    ];
    for (const [url, status, message] of cases) {
      const res = await app.inject(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
      expect(res.json().message, url).toMatch(message);
    }
  });
});

describe('on a snapshot', () => {
  it('the entity pages work from the recorded window; logs say snapshots carry none', async () => {
    const bundle = await captureSnapshot(demo, [{ queryTime: T, duration: 600, namespaces: ['circuit-breaking'] }], { meshlensVersion: 'test', now: () => T * 1000 });
    const snap = await buildApp({ source: createSnapshotSource(bundle), webRoot: false });
    try {
      const live = await get<WorkloadListResponse>(`/api/workloads?namespaces=circuit-breaking&${WINDOW}`);
      const res = await snap.inject('/api/workloads?namespaces=circuit-breaking');
      const fromSnapshot = res.json() as WorkloadListResponse;
      // Same numbers; only the pods' simulated status (the demo's, not in the files) is assumed.
      expect(fromSnapshot.workloads.map((w) => [w.name, w.health.status, w.traffic])).toEqual(live.workloads.map((w) => [w.name, w.health.status, w.traffic]));
      const overview = (await snap.inject('/api/overview?namespaces=circuit-breaking')).json() as OverviewResponse;
      expect(overview.namespaces[0]!.sparkline?.timestamps.length).toBeGreaterThan(20);
      const detail = await snap.inject('/api/namespaces/circuit-breaking/workloads/httpbin');
      expect(detail.statusCode).toBe(200);
      const logs = await snap.inject(`/api/namespaces/circuit-breaking/pods/${podOf('circuit-breaking', 'httpbin')}/logs?container=istio-proxy`);
      expect([logs.statusCode, logs.json()]).toEqual([501, { statusCode: 501, error: 'Not Implemented', message: 'Snapshots do not carry logs: a snapshot records the configuration and the telemetry of its window, never pod logs.' }]);
    } finally {
      await snap.close();
    }
  });
});

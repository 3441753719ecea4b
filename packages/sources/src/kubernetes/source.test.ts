/** The live source against the test API server, through a real kubeconfig file, TLS and bearer tokens. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@meshlens/model';
import { createKubernetesSource, type KubernetesSource } from './source.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type TestApiServer, type TestTls } from './testing/index.js';
import { eventually, fastTiming, fixtureObjects } from './__fixtures__/helpers.js';

let tls: TestTls;
let server: TestApiServer;
let source: KubernetesSource | undefined;

beforeAll(() => {
  tls = generateTestTls();
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  await server?.close();
});

async function start(options: Parameters<typeof startTestApiServer>[0] = {}, sourceOptions: Partial<Parameters<typeof createKubernetesSource>[0]> = {}, token = DEFAULT_TOKEN, namespace?: string) {
  server = await startTestApiServer({ tls, objects: fixtureObjects(), bookmarkIntervalMs: 100, ...options });
  const kubeconfigPath = writeKubeconfig([{ name: 'kind-test', server, token, namespace }]);
  source = createKubernetesSource({ kubeconfigPath, timing: fastTiming, ...sourceOptions });
  expect(await source.synced(10_000)).toBe(true);
  const s = source;
  // Watches open right after the lists; tests that cut them want them all open first.
  await eventually(() => server.openWatches() === s.kinds().reduce((n, k) => n + k.reflectors.size - [...k.reflectors.values()].filter((r) => r.state === 'forbidden').length, 0), 5000, 'every watch to open');
  return source;
}

const names = (objs: Array<{ ref: { namespace?: string; name: string } }>) => objs.map((o) => `${o.ref.namespace ?? ''}/${o.ref.name}`).sort();
const vs = (weights: [number, number]): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'bookinfo' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: weights[0] }, { destination: { host: 'reviews', subset: 'v2' }, weight: weights[1] }] }] },
});

describe('initial sync', () => {
  it('lists every kind the inventory holds, Istio kinds at their newest served version', async () => {
    const s = await start();
    const inv = s.inventory();
    expect(s.status().objectsByKind).toEqual({
      Namespace: 3, Service: 4, Pod: 1, ServiceAccount: 2, Secret: 2, ConfigMap: 1, Deployment: 3, StatefulSet: 1, DaemonSet: 1, ReplicaSet: 1, Job: 1,
      VirtualService: 2, DestinationRule: 1, Gateway: 1, EnvoyFilter: 1, PeerAuthentication: 1, Telemetry: 1,
    });
    // Only the `istio` ConfigMap of Istio's namespace is read, and it is the mesh config.
    expect(names(inv.configMaps)).toEqual(['istio-system/istio']);
    expect(inv.meshConfig.outboundTrafficPolicy).toBe('REGISTRY_ONLY');
    expect(inv.istio.VirtualService.map((o) => o.object.apiVersion)).toEqual(['networking.istio.io/v1', 'networking.istio.io/v1']);
    expect(inv.istio.EnvoyFilter[0]!.object.apiVersion).toBe('networking.istio.io/v1alpha3');
    // Built-in list items come without apiVersion/kind; the source fills them in.
    const pod = inv.byKey.get('Pod/bookinfo/reviews-v1-5b8c7d9f4-x2x7q')!;
    expect(pod.object.apiVersion).toBe('v1');
    expect(pod.origin).toEqual({ source: 'cluster', cluster: 'kind-test' });
    expect(inv.pods.find((p) => p.name === 'reviews-v1-5b8c7d9f4-x2x7q')).toMatchObject({ workload: 'reviews-v1', ip: '10.244.1.17', hasSidecar: true, synthetic: false });
    expect(inv.services.map((v) => `${v.namespace}/${v.name}`).sort()).toEqual(['bookinfo/ratings', 'bookinfo/reviews', 'istio-system/istiod', 'payments/ledger']);
    const status = s.status();
    expect(status).toMatchObject({ kind: 'kubernetes', state: 'ready', connected: true, cluster: 'kind-test', server: server.url, objects: 27, errors: [] });
    expect(s.visibility()).toEqual({ complete: true, hiddenKinds: [], hiddenNamespaces: [], forbidden: [] });
  });

  it('reads Secrets as metadata only: no data, no last-applied annotation, metadata Accept header', async () => {
    const s = await start();
    const secrets = s.inventory().secrets;
    expect(secrets.map((o) => o.object)).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: expect.objectContaining({ name: 'reviews-db', namespace: 'bookinfo', annotations: {} }) },
      { apiVersion: 'v1', kind: 'Secret', metadata: expect.objectContaining({ name: 'ledger-tls', namespace: 'payments' }) },
    ]);
    expect(JSON.stringify(s.inventory())).not.toContain('czNjcjN0');
    const secretRequests = server.requests.filter((r) => r.resource === 'secrets');
    expect(secretRequests.length).toBeGreaterThanOrEqual(2);
    for (const r of secretRequests) expect(r.accept).toMatch(r.verb === 'list' ? /^application\/json;as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1$/ : /^application\/json;as=PartialObjectMetadata;g=meta\.k8s\.io;v=v1$/);
  });

  it('a cluster without Istio CRDs syncs with no Istio kinds and no error', async () => {
    const s = await start({ istio: false, objects: fixtureObjects().filter((o) => !o.apiVersion.includes('istio.io')) });
    const inv = s.inventory();
    expect(Object.values(inv.istio).flat()).toEqual([]);
    expect(s.status()).toMatchObject({ state: 'ready', connected: true, errors: [] });
    expect(s.kinds().map((k) => k.resource.kind)).toEqual(['Namespace', 'Service', 'Pod', 'ServiceAccount', 'Secret', 'ConfigMap', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
  });

  it('uses v1beta1 when the CRDs do not serve v1 yet', async () => {
    const s = await start({ istio: { networkingVersions: ['v1beta1', 'v1alpha3'], securityVersions: ['v1beta1'], telemetryVersions: ['v1alpha1'] } });
    const versions = Object.fromEntries(s.kinds().filter((k) => k.resource.group.includes('istio')).map((k) => [k.resource.kind, k.resource.version]));
    expect(versions).toEqual({
      VirtualService: 'v1beta1', DestinationRule: 'v1beta1', Gateway: 'v1beta1', ServiceEntry: 'v1beta1', Sidecar: 'v1beta1', WorkloadEntry: 'v1beta1', WorkloadGroup: 'v1beta1',
      PeerAuthentication: 'v1beta1', RequestAuthentication: 'v1beta1', AuthorizationPolicy: 'v1beta1', EnvoyFilter: 'v1alpha3', Telemetry: 'v1alpha1',
    });
    expect(s.inventory().istio.VirtualService[0]!.object.apiVersion).toBe('networking.istio.io/v1beta1');
  });
});

describe('live updates', () => {
  it('an edited VirtualService reaches the inventory, with the change reported to subscribers', async () => {
    const s = await start();
    const changes: string[][] = [];
    s.subscribe((c) => changes.push(c.changed.map((r) => `${r.kind} ${r.namespace}/${r.name}`)));
    const t0 = Date.now();
    server.apply(vs([50, 50]));
    const updated = await eventually(() => {
      const o = s.inventory().byKey.get('VirtualService/bookinfo/reviews');
      return o?.object.spec.http[0].route[1].weight === 50 ? o : undefined;
    }, 2000, 'the VirtualService edit');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(updated.object.spec.http[0].route.map((r: { weight: number }) => r.weight)).toEqual([50, 50]);
    expect(changes).toContainEqual(['VirtualService bookinfo/reviews']);

    const removed: string[] = [];
    s.subscribe((c) => removed.push(...c.removed.map((r) => `${r.kind} ${r.namespace}/${r.name}`)));
    server.delete({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', namespace: 'bookinfo', name: 'reviews' });
    await eventually(() => s.inventory().istio.DestinationRule.length === 0, 2000, 'the DestinationRule deletion');
    expect(removed).toEqual(['DestinationRule bookinfo/reviews']);
  });

  it('resumes a broken watch from its resourceVersion without listing again', async () => {
    const s = await start();
    const listsBefore = server.requests.filter((r) => r.verb === 'list').length;
    const watchesBefore = server.requests.filter((r) => r.verb === 'watch').length;
    expect(server.breakWatches()).toBe(s.kinds().length);
    // Changes made while no watch is open arrive through the resumed watches.
    server.apply(vs([0, 100]));
    server.delete({ apiVersion: 'v1', kind: 'Service', namespace: 'bookinfo', name: 'ratings' });
    await eventually(() => s.inventory().byKey.get('VirtualService/bookinfo/reviews')?.object.spec.http[0].route[1].weight === 100 && !s.inventory().byKey.has('Service/bookinfo/ratings'), 5000, 'changes made during the cut');
    await eventually(() => server.openWatches() === s.kinds().length, 5000, 'every watch to reopen');
    expect(server.requests.filter((r) => r.verb === 'list').length).toBe(listsBefore);
    const resumed = server.requests.filter((r) => r.verb === 'watch').slice(watchesBefore);
    expect(resumed.length).toBe(s.kinds().length);
    for (const r of resumed) expect(Number(r.resourceVersion)).toBeGreaterThan(1000);
    // connected again once every resumed watch has its answer's headers
    await eventually(() => s.status().connected, 2000, 'the resumed watches to be answered');
    expect(s.status()).toMatchObject({ state: 'ready', connected: true });
    expect(s.status().disconnectedSince).toBeUndefined();
  });

  it('lists again after 410 Gone, and drops objects deleted while it could not watch', async () => {
    for (const goneAs of ['event', 'status'] as const) {
      const s = await start({ goneAs });
      const listsBefore = server.requests.filter((r) => r.verb === 'list').length;
      server.breakWatches();
      server.delete({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' });
      server.apply(vs([70, 30]));
      server.compact();
      await eventually(() => s.inventory().istio.Gateway.length === 0 && s.inventory().byKey.get('VirtualService/bookinfo/reviews')?.object.spec.http[0].route[0].weight === 70, 5000, `relist after 410 (${goneAs})`);
      // Every watch resumed from a compacted resourceVersion, so every kind lists again.
      await eventually(() => server.requests.filter((r) => r.verb === 'list').length - listsBefore >= s.kinds().length, 5000, 'every kind to relist');
      expect(s.status()).toMatchObject({ state: 'ready', objects: 26 });
      expect(s.status().objectsByKind).not.toHaveProperty('Gateway');
      await s.close();
      await server.close();
    }
  });

  it('keeps the last inventory while the API server is away, says since when, and lists again when it returns with its history compacted', async () => {
    const s = await start();
    const objectsBefore = s.status().objects;
    const t0 = Date.now();
    await server.goAway();
    // Changes made while the API server is away (etcd still takes them): the history of them is lost on return.
    server.delete({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'bookinfo', name: 'bookinfo-gateway' });
    server.apply(vs([70, 30]));
    const cut = await eventually(() => (s.status().disconnectedKinds === s.kinds().length ? s.status() : undefined), 5000, 'every kind to see the outage');
    expect(cut).toMatchObject({ state: 'ready', connected: false, objects: objectsBefore });
    expect(Date.parse(cut.disconnectedSince!)).toBeGreaterThanOrEqual(t0 - 1000);
    const reconnecting = cut.errors.filter((e) => / reconnecting$/.test(e.message));
    expect(reconnecting).toHaveLength(s.kinds().length);
    for (const e of reconnecting) expect(e.message).toMatch(/^(list|watch) \/\S+: .+; reconnecting$/);
    // the cut watch's error first, then the refused connections of the retries
    await eventually(() => s.status().errors.some((e) => /ECONNREFUSED.*; reconnecting$/.test(e.message)), 5000, 'a refused reconnection');
    // the pages keep answering from the inventory of the moment of the cut
    expect(s.inventory().istio.Gateway.map((o) => o.ref.name)).toEqual(['bookinfo-gateway']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.status().disconnectedSince).toBe(cut.disconnectedSince);

    const listsBefore = server.requests.filter((r) => r.verb === 'list').length;
    await server.comeBack({ compacted: true });
    await eventually(() => s.inventory().istio.Gateway.length === 0 && s.inventory().byKey.get('VirtualService/bookinfo/reviews')?.object.spec.http[0].route[0].weight === 70, 10_000, 'the changes of the outage');
    const back = await eventually(() => (s.status().connected ? s.status() : undefined), 10_000, 'every watch to reopen');
    expect(back.disconnectedSince).toBeUndefined();
    expect(back.errors.filter((e) => / reconnecting$/.test(e.message))).toEqual([]);
    expect(back.objects).toBe(objectsBefore - 1);
    // a compacted history means a fresh list of every kind, once
    const relists = await eventually(() => {
      const n = server.requests.filter((r) => r.verb === 'list').length - listsBefore;
      return n >= s.kinds().length ? n : undefined;
    }, 5000, 'every kind to list again');
    expect(relists).toBeLessThan(2 * s.kinds().length);
  });

  it('re-watches from the last resourceVersion when the server ends a watch, and bookmarks move it forward', async () => {
    const s = await start({}, { timing: { ...fastTiming, watchTimeoutSeconds: 1 } });
    const jobs = s.kinds().find((k) => k.resource.kind === 'Job')!.reflectors.get('')!;
    const rvAtSync = Number(jobs.resourceVersion);
    server.apply(vs([10, 90]));
    // No Job changed, yet the Job watch's resourceVersion follows the server's, through bookmarks.
    await eventually(() => Number(jobs.resourceVersion) === server.store.resourceVersion, 3000, 'a bookmark');
    expect(Number(jobs.resourceVersion)).toBeGreaterThan(rvAtSync);
    await eventually(() => jobs.watches >= 2, 4000, 'the server to end the watch and the source to re-watch');
    expect(jobs.lists).toBe(1);
  });
});

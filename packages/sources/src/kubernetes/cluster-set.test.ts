/** Several contexts of one kubeconfig: one source each, created on first use, selected per call. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSet, type ClusterSet } from './cluster-set.js';
import { generateTestTls, startTestApiServer, writeKubeconfig, DEFAULT_TOKEN, type TestApiServer, type TestTls } from './testing/index.js';
import { fastTiming, fixtureObjects } from './__fixtures__/helpers.js';

let tls: TestTls;
let servers: TestApiServer[] = [];
let set: ClusterSet | undefined;
beforeAll(() => {
  tls = generateTestTls();
});
afterEach(async () => {
  await set?.close();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('createClusterSet', () => {
  it('lists the contexts, starts only the default, and serves each context its own inventory', async () => {
    const prod = await startTestApiServer({ tls, objects: fixtureObjects() });
    const staging = await startTestApiServer({ tls, istio: false, objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'staging' } }] });
    servers = [prod, staging];
    const path = writeKubeconfig([{ name: 'prod', server: prod, token: DEFAULT_TOKEN }, { name: 'staging', server: staging, token: DEFAULT_TOKEN, namespace: 'staging' }]);
    set = createClusterSet({ kubeconfigPath: path, timing: fastTiming });
    expect(set.contexts()).toEqual([
      { context: 'prod', cluster: 'prod-cluster', server: prod.url, user: 'prod-user', namespace: undefined, current: true, default: true, started: true, state: 'loading' },
      { context: 'staging', cluster: 'staging-cluster', server: staging.url, user: 'staging-user', namespace: 'staging', current: false, default: false, started: false },
    ]);
    expect(staging.requests).toEqual([]);
    expect(await set.source.synced!(10_000)).toBe(true);
    expect(set.source.inventory().objects.length).toBe(27);

    const stagingSource = set.get('staging');
    expect(await stagingSource.synced(10_000)).toBe(true);
    const seen = await set.runWith('staging', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return { names: [...set!.source.inventory().namespaces.keys()], status: set!.source.status().cluster };
    });
    expect(seen).toEqual({ names: ['staging'], status: 'staging' });
    expect(set.source.status().cluster).toBe('prod');
    expect(set.contexts().map((c) => [c.context, c.started, c.state])).toEqual([['prod', true, 'ready'], ['staging', true, 'ready']]);
    expect(() => set!.get('dev')).toThrow('unknown cluster "dev"; the kubeconfig\'s contexts are: prod, staging');
  });

  it('honours --context over the current-context', async () => {
    const prod = await startTestApiServer({ tls, objects: [] });
    servers = [prod];
    const path = writeKubeconfig([{ name: 'prod', server: prod, token: DEFAULT_TOKEN }, { name: 'other', server: prod, token: DEFAULT_TOKEN }]);
    set = createClusterSet({ kubeconfigPath: path, context: 'other', timing: fastTiming });
    expect(set.defaultContext).toBe('other');
    expect(set.contexts().map((c) => [c.context, c.current, c.default])).toEqual([['prod', true, false], ['other', false, true]]);
    expect(() => createClusterSet({ kubeconfigPath: path, context: 'nope' })).toThrow(`${path} has no context "nope"; known contexts: prod, other`);
  });
});

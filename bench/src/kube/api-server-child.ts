/** Child process: the test API server over the benchmark cluster, in its own process so its memory is not counted. */
import { startTestApiServer, DEFAULT_TOKEN } from '@meshlens/sources/testing';
import type { KubeObject } from '@meshlens/model';
import { clusterObjects } from './cluster-objects.js';

const server = await startTestApiServer({ objects: clusterObjects(), bookmarkIntervalMs: 60_000 });
process.send!({ url: server.url, caFile: server.tls.caFile, token: DEFAULT_TOKEN, objects: server.store.resourceVersion - 1000 });
process.on('message', (m: { apply?: KubeObject; id?: number }) => {
  if (m.apply) server.apply(m.apply);
  process.send!({ id: m.id });
});
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});

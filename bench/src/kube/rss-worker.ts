/** Child process: one initial sync in a fresh process, then its resident memory, as the server would hold it. */
import { performance } from 'node:perf_hooks';
import { createCheckEngine } from '@meshlens/mesh';
import { createKubernetesSource } from '@meshlens/sources';

const kubeconfigPath = process.argv[2]!;
const t0 = performance.now();
const source = createKubernetesSource({ kubeconfigPath });
if (!(await source.synced(120_000))) throw new Error('no initial sync in 120 s');
const syncMs = performance.now() - t0;
// The server also keeps the findings of the whole inventory.
const engine = createCheckEngine(source.inventory());
const findings = engine.findings().length;
(globalThis as { gc?: () => void }).gc?.();
const mem = process.memoryUsage();
process.send!({ syncMs, rssMB: mem.rss / 1048576, heapMB: mem.heapUsed / 1048576, objects: source.inventory().objects.length, findings });
await source.close();
process.exit(0);

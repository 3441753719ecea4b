/** Graph assembly (versionedApp) over a 1,000-workload / 5,000-edge synthetic mesh. */
import type { GraphResponse } from '@meshlens/model';
import { buildGraph } from '@meshlens/mesh';
import type { Benchmark } from '../benchmark.js';
import { syntheticMesh, type SyntheticMesh } from '../synthetic-mesh.js';

const benchmark: Benchmark<SyntheticMesh> = {
  name: 'graph assembly, versionedApp, 1k workloads / 5k edges',
  target: { ms: 100 },
  iterations: 30,
  setup: () => syntheticMesh({ namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5, sourceOnlyShare: 0.1, tcpShare: 0.1 }),
  run: (mesh): GraphResponse => buildGraph(mesh.inventory, mesh.samples, { graphType: 'versionedApp', namespaces: mesh.namespaces, duration: 600, queryTime: 1767225600 }),
  describe: (mesh) => `${mesh.workloads} workloads, ${mesh.edges} edges, ${mesh.sampleCount} samples`,
};

export default benchmark;

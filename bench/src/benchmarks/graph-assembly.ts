/** Graph assembly (versionedApp) over a 1,000-workload / 5,000-edge synthetic mesh. */
import type { GraphResponse } from '@meshlens/model';
import { buildGraph } from '@meshlens/mesh';
import type { Benchmark } from '../benchmark.js';
import { syntheticMesh, type SyntheticMesh } from '../synthetic-mesh.js';

const MESH = { namespaces: 10, workloadsPerNamespace: 100, versions: 4, edgesPerWorkload: 5, sourceOnlyShare: 0.1, tcpShare: 0.1 };
const DURATION_FAMILIES = ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count'];

/**
 * The console's graph request: edge response times are opt-in (`responseTime=true`, asked for only by the
 * response-time edge labels), so its telemetry carries no duration histogram.
 */
const consoleDefault: Benchmark<SyntheticMesh> = {
  name: 'graph assembly, versionedApp, 1k workloads / 5k edges',
  target: { ms: 100 },
  iterations: 30,
  setup: () => {
    const mesh = syntheticMesh(MESH);
    const samples = Object.fromEntries(Object.entries(mesh.samples).filter(([family]) => !DURATION_FAMILIES.includes(family)));
    return { ...mesh, samples, sampleCount: Object.values(samples).reduce((n, l) => n + (l?.length ?? 0), 0) };
  },
  run: (mesh): GraphResponse => buildGraph(mesh.inventory, mesh.samples, { graphType: 'versionedApp', namespaces: mesh.namespaces, duration: 600, queryTime: 1767225600 }),
  describe: (mesh) => `${mesh.workloads} workloads, ${mesh.edges} edges, ${mesh.sampleCount} samples (no duration histogram: the console's default request)`,
};

/** With edge response times: ~171k duration-bucket samples more, one per edge, reporter and bucket. */
const withResponseTimes: Benchmark<SyntheticMesh> = {
  name: 'graph assembly, versionedApp, 1k workloads / 5k edges, with response times',
  iterations: 30,
  setup: () => syntheticMesh(MESH),
  run: (mesh): GraphResponse => buildGraph(mesh.inventory, mesh.samples, { graphType: 'versionedApp', namespaces: mesh.namespaces, duration: 600, queryTime: 1767225600 }),
  describe: (mesh) => `${mesh.workloads} workloads, ${mesh.edges} edges, ${mesh.sampleCount} samples`,
};

export default [consoleDefault, withResponseTimes];

/**
 * A synthetic mesh for the graph worker tests, after bench/src/synthetic-mesh.ts (which the server cannot import):
 * `namespaces` × `workloadsPerNamespace` Deployments in apps of `versions` versions, a Service per app, a
 * VirtualService and DestinationRule on every fifth app, and Istio telemetry for `edgesPerWorkload` calls per
 * workload (HTTP with some 5xx and response-time buckets, a tenth TCP, some reported by the source only).
 * Deterministic.
 */
import { buildInventory, type Inventory } from '@meshlens/mesh';
import type { InventoryObject, KubeObject, PromSample, TelemetrySamples } from '@meshlens/model';

export interface SyntheticMesh {
  inventory: Inventory;
  samples: TelemetrySamples;
  namespaces: string[];
}

export const MESH_TIME = 1767225600;

export function syntheticMesh(o: { namespaces: number; workloadsPerNamespace: number; versions: number; edgesPerWorkload: number }): SyntheticMesh {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const objects: InventoryObject[] = [];
  let line = 1;
  const add = (object: KubeObject) => {
    objects.push({ ref: { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name }, object, origin: { source: 'file', file: 'mesh.yaml', line } });
    line += 20;
  };
  const workloads: Array<{ ns: string; name: string; app: string; version: string }> = [];
  const namespaces: string[] = [];
  for (let n = 0; n < o.namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    namespaces.push(ns);
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } });
    for (let a = 0; a * o.versions < o.workloadsPerNamespace; a++) {
      const app = `svc-${String(a).padStart(3, '0')}`;
      add({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, labels: { app } }, spec: { selector: { app }, ports: [{ name: 'http', port: 8080 }] } });
      const versions: string[] = [];
      for (let v = 0; v < o.versions && a * o.versions + v < o.workloadsPerNamespace; v++) {
        const version = `v${v + 1}`;
        versions.push(version);
        workloads.push({ ns, name: `${app}-${version}`, app, version });
        add({
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-${version}`, namespace: ns },
          spec: { replicas: 2, selector: { matchLabels: { app, version } }, template: { metadata: { labels: { app, version } }, spec: { containers: [{ name: app, image: `registry.example.com/${app}:${version}` }] } } },
        });
      }
      if (a % 5 === 0) {
        add({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: app, namespace: ns }, spec: { hosts: [app], http: [{ route: versions.map((v, i) => ({ destination: { host: app, subset: v }, weight: i === 0 ? 100 - 10 * (versions.length - 1) : 10 })), timeout: '2s' }] } });
        add({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: app, namespace: ns }, spec: { host: app, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) } });
      }
    }
  }
  const samples = { istio_requests_total: [] as PromSample[], istio_request_duration_milliseconds_bucket: [] as PromSample[], istio_tcp_sent_bytes_total: [] as PromSample[] };
  const labels = (reporter: string, src: (typeof workloads)[number], dst: (typeof workloads)[number], protocol: string): Record<string, string> => ({
    reporter, source_workload: src.name, source_workload_namespace: src.ns, source_canonical_service: src.app, source_canonical_revision: src.version,
    source_principal: `spiffe://cluster.local/ns/${src.ns}/sa/${src.app}`,
    destination_workload: dst.name, destination_workload_namespace: dst.ns, destination_canonical_service: dst.app, destination_canonical_revision: dst.version,
    destination_service: `${dst.app}.${dst.ns}.svc.cluster.local`, destination_service_name: dst.app, destination_service_namespace: dst.ns,
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown', request_protocol: protocol,
  });
  const sample = (metric: Record<string, string>, v: number): PromSample => ({ metric, value: [MESH_TIME, v.toFixed(3)] });
  for (const [i, src] of workloads.entries()) {
    for (let k = 0; k < o.edgesPerWorkload; k++) {
      const pool = rnd() < 0.2 ? workloads : workloads.filter((w) => w.ns === src.ns);
      const dst = pool[Math.floor(rnd() * pool.length)]!;
      if (dst.app === src.app && dst.ns === src.ns) continue;
      const rps = 0.1 + rnd() * 20;
      for (const reporter of rnd() < 0.1 ? ['source'] : ['source', 'destination']) {
        if ((i + k) % 10 === 0) {
          samples.istio_tcp_sent_bytes_total.push(sample({ ...labels(reporter, src, dst, 'tcp'), response_flags: '-' }, rps * 4000));
          continue;
        }
        samples.istio_requests_total.push(sample({ ...labels(reporter, src, dst, 'http'), response_code: '200', response_flags: '-' }, rps));
        if (k % 4 === 0) samples.istio_requests_total.push(sample({ ...labels(reporter, src, dst, 'http'), response_code: '503', response_flags: reporter === 'source' ? 'UF' : '-' }, rps * 0.02));
        for (const le of ['10', '50', '250', '+Inf']) samples.istio_request_duration_milliseconds_bucket.push(sample({ ...labels(reporter, src, dst, 'http'), le }, le === '+Inf' ? rps : rps * Math.min(1, Number(le) / 300)));
      }
    }
  }
  return { inventory: buildInventory(objects), samples, namespaces };
}

/**
 * A synthetic mesh for benchmarks: Kubernetes-like objects (Namespaces, Services, Deployments, VirtualServices,
 * DestinationRules) indexed through the real `buildInventory`, and Prometheus-shaped Istio telemetry for it.
 * Deterministic: the same parameters give the same mesh.
 */
import type { InventoryObject, KubeObject, PromSample, TelemetrySamples } from '@meshlens/model';
import { ISTIO_DURATION_BUCKETS_MS } from '@meshlens/model';
import { buildInventory, type Inventory } from '@meshlens/mesh';

export interface SyntheticMeshOptions {
  namespaces: number;
  /** Workloads per namespace; each app has `versions` workloads. */
  workloadsPerNamespace: number;
  versions: number;
  /** Outbound edges per workload. */
  edgesPerWorkload: number;
  /** Share of edges reported by the source proxy only (clients without a server sidecar). */
  sourceOnlyShare: number;
  /** Share of edges that are TCP. */
  tcpShare: number;
}

export interface SyntheticMesh {
  inventory: Inventory;
  samples: TelemetrySamples;
  namespaces: string[];
  workloads: number;
  edges: number;
  sampleCount: number;
}

/** Small deterministic PRNG (mulberry32), so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function obj(object: KubeObject): InventoryObject {
  return { ref: { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name }, object, origin: { source: 'demo' } };
}

interface Workload {
  ns: string;
  name: string;
  app: string;
  version: string;
}

interface Pair {
  reporter: string;
  src: Workload;
  dst: Workload;
}

// Each metric family's labels are written as one literal in a fixed order, as a Prometheus JSON answer or a
// careful simulator gives them: objects of one family then share a shape, which is what production code sees.
function httpLabels({ reporter, src, dst }: Pair, code: string, flags: string): Record<string, string> {
  return {
    reporter, source_cluster: 'Kubernetes', source_workload: src.name, source_workload_namespace: src.ns, source_canonical_service: src.app, source_canonical_revision: src.version,
    source_principal: `spiffe://cluster.local/ns/${src.ns}/sa/${src.app}`,
    destination_cluster: 'Kubernetes', destination_workload: dst.name, destination_workload_namespace: dst.ns, destination_canonical_service: dst.app, destination_canonical_revision: dst.version,
    destination_service: `${dst.app}.${dst.ns}.svc.cluster.local`, destination_service_name: dst.app, destination_service_namespace: dst.ns,
    destination_principal: `spiffe://cluster.local/ns/${dst.ns}/sa/${dst.app}`,
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
    request_protocol: 'http', response_code: code, grpc_response_status: '', response_flags: flags,
  };
}

function bucketLabels({ reporter, src, dst }: Pair, le: string): Record<string, string> {
  return {
    reporter, source_cluster: 'Kubernetes', source_workload: src.name, source_workload_namespace: src.ns, source_canonical_service: src.app, source_canonical_revision: src.version,
    source_principal: `spiffe://cluster.local/ns/${src.ns}/sa/${src.app}`,
    destination_cluster: 'Kubernetes', destination_workload: dst.name, destination_workload_namespace: dst.ns, destination_canonical_service: dst.app, destination_canonical_revision: dst.version,
    destination_service: `${dst.app}.${dst.ns}.svc.cluster.local`, destination_service_name: dst.app, destination_service_namespace: dst.ns,
    destination_principal: `spiffe://cluster.local/ns/${dst.ns}/sa/${dst.app}`,
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
    request_protocol: 'http', le,
  };
}

/** The duration histogram's `_sum` and `_count`: the buckets' labels without `le`. */
function durationLabels(pair: Pair): Record<string, string> {
  const { le: _le, ...labels } = bucketLabels(pair, '');
  return labels;
}

function tcpLabels({ reporter, src, dst }: Pair): Record<string, string> {
  return {
    reporter, source_cluster: 'Kubernetes', source_workload: src.name, source_workload_namespace: src.ns, source_canonical_service: src.app, source_canonical_revision: src.version,
    source_principal: `spiffe://cluster.local/ns/${src.ns}/sa/${src.app}`,
    destination_cluster: 'Kubernetes', destination_workload: dst.name, destination_workload_namespace: dst.ns, destination_canonical_service: dst.app, destination_canonical_revision: dst.version,
    destination_service: `${dst.app}.${dst.ns}.svc.cluster.local`, destination_service_name: dst.app, destination_service_namespace: dst.ns,
    destination_principal: `spiffe://cluster.local/ns/${dst.ns}/sa/${dst.app}`,
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
    request_protocol: 'tcp', response_flags: '-',
  };
}

/** Builds the inventory and telemetry of a synthetic mesh. */
export function syntheticMesh(o: SyntheticMeshOptions): SyntheticMesh {
  const rnd = prng(42);
  const objects: InventoryObject[] = [];
  const workloads: Workload[] = [];
  const namespaces: string[] = [];
  const appsPerNs = Math.ceil(o.workloadsPerNamespace / o.versions);
  for (let n = 0; n < o.namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    namespaces.push(ns);
    objects.push(obj({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } }));
    for (let a = 0; a < appsPerNs; a++) {
      const app = `svc-${String(a).padStart(3, '0')}`;
      objects.push(obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, labels: { app } }, spec: { selector: { app }, ports: [{ name: 'http', port: 8080 }] } }));
      const versions: string[] = [];
      for (let v = 0; v < o.versions && workloads.filter((w) => w.ns === ns).length < o.workloadsPerNamespace; v++) {
        const version = `v${v + 1}`;
        versions.push(version);
        const name = `${app}-${version}`;
        workloads.push({ ns, name, app, version });
        objects.push(obj({
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
          spec: {
            replicas: 2, selector: { matchLabels: { app, version } },
            template: { metadata: { labels: { app, version } }, spec: { serviceAccountName: app, containers: [{ name: app, image: `registry.example.com/${app}:${version}`, ports: [{ containerPort: 8080 }] }] } },
          },
        }));
      }
      if (a % 5 === 0) {
        objects.push(obj({
          apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: app, namespace: ns },
          spec: { hosts: [app], http: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: app, subset: 'v2' } }] }, { route: versions.map((v, i) => ({ destination: { host: app, subset: v }, weight: i === 0 ? 100 - 10 * (versions.length - 1) : 10 })), timeout: '2s' }] },
        }));
        objects.push(obj({
          apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: app, namespace: ns },
          spec: { host: app, trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 10 } } }, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
        }));
      }
    }
  }
  const inventory = buildInventory(objects);

  // Every family a sidecar exports for the graph: the duration histogram's `_sum` and `_count` beside its buckets.
  const samples: Required<Pick<TelemetrySamples, 'istio_requests_total' | 'istio_request_duration_milliseconds_bucket' | 'istio_request_bytes_sum' | 'istio_response_bytes_sum' | 'istio_tcp_sent_bytes_total' | 'istio_tcp_received_bytes_total'>> & Record<'istio_request_duration_milliseconds_sum' | 'istio_request_duration_milliseconds_count', PromSample[]> = {
    istio_requests_total: [], istio_request_duration_milliseconds_bucket: [], istio_request_duration_milliseconds_sum: [], istio_request_duration_milliseconds_count: [],
    istio_request_bytes_sum: [], istio_response_bytes_sum: [], istio_tcp_sent_bytes_total: [], istio_tcp_received_bytes_total: [],
  };
  const ts = 1767225600;
  const sample = (metric: Record<string, string>, v: number): PromSample => ({ metric, value: [ts, v.toFixed(3)] });
  let edges = 0;
  const seen = new Set<string>();
  for (const [i, src] of workloads.entries()) {
    for (let k = 0; k < o.edgesPerWorkload; k++) {
      // Mostly calls within the namespace, a fifth across namespaces; never to itself, never the same pair twice.
      let dst: Workload;
      do {
        const pool = rnd() < 0.2 ? workloads : workloads.filter((w) => w.ns === src.ns);
        dst = pool[Math.floor(rnd() * pool.length)]!;
      } while (dst === src || dst.app === src.app || seen.has(`${src.name}/${src.ns}>${dst.name}/${dst.ns}`));
      seen.add(`${src.name}/${src.ns}>${dst.name}/${dst.ns}`);
      edges++;
      const tcp = (i + k) % Math.round(1 / o.tcpShare) === 0;
      const reporters = rnd() < o.sourceOnlyShare ? ['source'] : ['source', 'destination'];
      const rps = 0.1 + rnd() * 20;
      for (const reporter of reporters) {
        const pair: Pair = { reporter, src, dst };
        if (tcp) {
          samples.istio_tcp_received_bytes_total.push(sample(tcpLabels(pair), rps * 300));
          samples.istio_tcp_sent_bytes_total.push(sample(tcpLabels(pair), rps * 4000));
          continue;
        }
        const errors = k % 4 === 0 ? rps * 0.02 : 0;
        samples.istio_requests_total.push(sample(httpLabels(pair, '200', '-'), rps - errors));
        if (errors > 0) samples.istio_requests_total.push(sample(httpLabels(pair, '503', reporter === 'source' ? 'UF' : '-'), errors));
        // One histogram per pair and reporter (Kiali groups durations without response code): exponential durations
        // of mean `mean` ms, its `_sum` and `_count` with the pair's labels (the buckets' without `le`).
        let cumulative = 0;
        const mean = 5 + rnd() * 200;
        for (const le of [...ISTIO_DURATION_BUCKETS_MS, Infinity]) {
          cumulative = le === Infinity ? rps : Math.min(rps, Math.max(cumulative, rps * (1 - Math.exp(-le / mean))));
          samples.istio_request_duration_milliseconds_bucket.push(sample(bucketLabels(pair, le === Infinity ? '+Inf' : String(le)), cumulative));
        }
        samples.istio_request_duration_milliseconds_sum.push(sample(durationLabels(pair), rps * mean));
        samples.istio_request_duration_milliseconds_count.push(sample(durationLabels(pair), rps));
        samples.istio_request_bytes_sum.push(sample(httpLabels(pair, '200', '-'), rps * 350));
        samples.istio_response_bytes_sum.push(sample(httpLabels(pair, '200', '-'), rps * 2200));
      }
    }
  }
  const sampleCount = Object.values(samples).reduce((n, list) => n + list.length, 0);
  return { inventory, samples, namespaces, workloads: workloads.length, edges, sampleCount };
}

/**
 * A big cluster for the live-source benchmark: 5,000 Services with a Deployment each, 10,000 Pods (2 per
 * Deployment, with sidecars), 10,000 Istio objects (a VirtualService and a DestinationRule per Service), in 50
 * namespaces. Deterministic.
 */
import type { KubeObject } from '@meshlens/model';

export const SIZES = { namespaces: 50, services: 5000, podsPerService: 2 };

export function clusterObjects(): KubeObject[] {
  const out: KubeObject[] = [];
  const perNs = SIZES.services / SIZES.namespaces;
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'rootNamespace: istio-system\nenableAutoMtls: true\n' } });
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
  for (let n = 0; n < SIZES.namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': ns } } });
    for (let s = 0; s < perNs; s++) {
      const app = `svc-${String(s).padStart(3, '0')}`;
      const labels = { app, version: 'v1' };
      out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, labels: { app } }, spec: { type: 'ClusterIP', clusterIP: `10.96.${n}.${s}`, selector: { app }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] } });
      const template = { metadata: { labels, annotations: { 'sidecar.istio.io/inject': 'true' } }, spec: { serviceAccountName: app, containers: [{ name: app, image: `registry.example.com/${ns}/${app}:1.4.2`, ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } };
      out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-v1`, namespace: ns, labels }, spec: { replicas: SIZES.podsPerService, selector: { matchLabels: labels }, template } });
      for (let p = 0; p < SIZES.podsPerService; p++) {
        out.push({
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            name: `${app}-v1-7d4b9c8f6d-${p}x${s}`, namespace: ns,
            labels: { ...labels, 'pod-template-hash': '7d4b9c8f6d', 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': app, 'service.istio.io/canonical-revision': 'v1' },
            annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"revision":"default"}', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020' },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-v1-7d4b9c8f6d`, uid: `rs-${n}-${s}`, controller: true }],
          },
          spec: {
            serviceAccountName: app, nodeName: `worker-${(n * perNs + s) % 40}`,
            containers: [
              { ...template.spec.containers[0] },
              { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', args: ['proxy', 'sidecar', '--domain', `${ns}.svc.cluster.local`], ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }], env: [{ name: 'ISTIO_META_WORKLOAD_NAME', value: `${app}-v1` }, { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' }] },
            ],
          },
          status: { phase: 'Running', podIP: `10.244.${n}.${(s * 2 + p) % 250}`, hostIP: `172.18.0.${n % 40}`, conditions: [{ type: 'Ready', status: 'True' }] },
        });
      }
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: app, namespace: ns }, spec: { hosts: [app], http: [{ match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: app, subset: 'v1' } }] }, { route: [{ destination: { host: app, subset: 'v1' }, weight: 100 }], timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s' } }] } });
      out.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: app, namespace: ns }, spec: { host: app, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 1000 } } }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] } });
    }
  }
  return out;
}

/**
 * A cluster dump as `kubectl get … -o yaml` writes it, for the benchmarks that go through the files a user passes:
 * the synthetic mesh's Namespaces, Services, Deployments, VirtualServices and DestinationRules, fleshed out into
 * what a real cluster holds (ServiceAccounts, ReplicaSets, Pods with injected sidecars and status, uids,
 * resourceVersions, `last-applied-configuration` annotations), plus kube-system and istio-system. Written either
 * as one `kind: List` or as multi-document YAML. Deterministic: the same size gives the same bytes.
 */
import type { KubeObject } from '@meshlens/model';
import { syntheticMesh } from './synthetic-mesh.js';

/** Apps per namespace (2 versions each): about 210 objects per namespace. */
const APPS_PER_NAMESPACE = 20;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

let serial = 0;
function uid(): string {
  const n = (++serial * 2654435761) >>> 0;
  const h = n.toString(16).padStart(8, '0');
  return `${h}-${h.slice(0, 4)}-4${h.slice(1, 4)}-8${h.slice(4, 7)}-${h}${h.slice(0, 4)}`;
}

function meta(name: string, namespace: string | undefined, extra: Record<string, Json> = {}): KubeObject['metadata'] {
  const m: Record<string, Json> = {
    ...extra,
    creationTimestamp: '2026-01-12T09:14:27Z',
    name,
    ...(namespace ? { namespace } : {}),
    resourceVersion: String(100000 + serial),
    uid: uid(),
  };
  return m as unknown as KubeObject['metadata'];
}

/** `kubectl apply` leaves the applied object as JSON in an annotation: a long string on one line. */
function applied(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown }): string {
  return `${JSON.stringify({ apiVersion: o.apiVersion, kind: o.kind, metadata: { annotations: {}, labels: o.metadata.labels, name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec })}\n`;
}

function sidecarPod(ns: string, name: string, owner: { kind: string; name: string }, labels: Record<string, string>, app: string, image: string, port: number, node: number, ip: string): KubeObject {
  const status = { name: app, ready: true, restartCount: 0, started: true, image, imageID: `${image.split(':')[0]}@sha256:${'ab12'.repeat(16)}`, containerID: `containerd://${'9f'.repeat(32)}`, state: { running: { startedAt: '2026-01-12T09:14:31Z' } } };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(name, ns, {
      annotations: {
        'istio.io/rev': 'default',
        'kubectl.kubernetes.io/default-container': app,
        'prometheus.io/path': '/stats/prometheus',
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
        'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}',
      },
      generateName: `${owner.name}-`,
      labels: { ...labels, 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': labels.app ?? app, 'service.istio.io/canonical-revision': labels.version ?? 'latest' },
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: owner.kind, name: owner.name, uid: uid() }],
    }),
    spec: {
      containers: [
        { image, imagePullPolicy: 'IfNotPresent', name: app, ports: [{ containerPort: port, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: 'kube-api-access', readOnly: true }] },
        {
          args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
          env: [
            { name: 'PILOT_CERT_PROVIDER', value: 'istiod' }, { name: 'CA_ADDR', value: 'istiod.istio-system.svc:15012' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'ISTIO_META_WORKLOAD_NAME', value: owner.name.replace(/-[a-z0-9]{9,10}$/, '') }, { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
            { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' }, { name: 'TRUST_DOMAIN', value: 'cluster.local' },
          ],
          image: 'docker.io/istio/proxyv2:1.24.2', imagePullPolicy: 'IfNotPresent', name: 'istio-proxy',
          ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
          readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 3 },
          resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
          volumeMounts: [{ mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' }, { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' }, { mountPath: '/etc/istio/proxy', name: 'istio-envoy' }],
        },
      ],
      dnsPolicy: 'ClusterFirst', enableServiceLinks: true,
      initContainers: [{ args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020'], image: 'docker.io/istio/proxyv2:1.24.2', name: 'istio-init' }],
      nodeName: `worker-${node}`, preemptionPolicy: 'PreemptLowerPriority', priority: 0, restartPolicy: 'Always', schedulerName: 'default-scheduler',
      serviceAccount: app, serviceAccountName: app, terminationGracePeriodSeconds: 30,
      tolerations: [{ effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 }, { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 }],
      volumes: [{ emptyDir: {}, name: 'workload-socket' }, { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' }, { configMap: { defaultMode: 420, name: 'istio-ca-root-cert' }, name: 'istiod-ca-cert' }],
    },
    status: {
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ lastProbeTime: null, lastTransitionTime: '2026-01-12T09:14:33Z', status: 'True', type })),
      containerStatuses: [status, { ...status, name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' }],
      hostIP: `172.18.0.${node + 2}`, hostIPs: [{ ip: `172.18.0.${node + 2}` }], phase: 'Running', podIP: ip, podIPs: [{ ip }], qosClass: 'Burstable', startTime: '2026-01-12T09:14:27Z',
    },
  } as KubeObject;
}

function workload(ns: string, name: string, labels: Record<string, string>, app: string, image: string, port: number, replicas: number, nodeBase: number, ipBase: string): KubeObject[] {
  const template = { metadata: { labels }, spec: { containers: [{ image, name: app, ports: [{ containerPort: port, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }], serviceAccountName: app } };
  const spec = { progressDeadlineSeconds: 600, replicas, revisionHistoryLimit: 10, selector: { matchLabels: labels }, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' }, template };
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta(name, ns, { annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': applied({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec }) }, generation: 1, labels }),
    spec,
    status: { availableReplicas: replicas, conditions: [{ lastTransitionTime: '2026-01-12T09:14:40Z', lastUpdateTime: '2026-01-12T09:14:40Z', message: 'Deployment has minimum availability.', reason: 'MinimumReplicasAvailable', status: 'True', type: 'Available' }], observedGeneration: 1, readyReplicas: replicas, replicas, updatedReplicas: replicas },
  } as KubeObject;
  const hash = (serial * 7919).toString(36).padStart(10, 'x').slice(-10);
  const rsName = `${name}-${hash}`;
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const replicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: meta(rsName, ns, { annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1), 'deployment.kubernetes.io/revision': '1' }, generation: 1, labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'Deployment', name, uid: uid() }] }),
    spec: { replicas, selector: { matchLabels: rsLabels }, template: { ...template, metadata: { labels: rsLabels } } },
    status: { availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1, readyReplicas: replicas, replicas },
  } as KubeObject;
  const pods: KubeObject[] = [];
  for (let p = 0; p < replicas; p++) pods.push(sidecarPod(ns, `${rsName}-${(serial * 31 + p).toString(36).padStart(5, 'q').slice(-5)}`, { kind: 'ReplicaSet', name: rsName }, rsLabels, app, image, port, (nodeBase + p) % 40, `${ipBase}.${(p * 37 + serial) % 250 + 2}`));
  return [deployment, replicaSet, ...pods];
}

function service(ns: string, name: string, labels: Record<string, string>, selector: Record<string, string>, ports: Array<Record<string, Json>>, clusterIP: string): KubeObject {
  const spec = { clusterIP, clusterIPs: [clusterIP], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports, selector, sessionAffinity: 'None', type: 'ClusterIP' };
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: meta(name, ns, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { ports, selector } }) }, labels }),
    spec,
    status: { loadBalancer: {} },
  } as KubeObject;
}

/** kube-system and istio-system as a kind cluster with Istio has them: kube-dns (ports named dns…), istiod, the ingress gateway. */
function platform(): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ns of ['kube-system', 'kube-public', 'kube-node-lease', 'istio-system']) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { labels: { 'kubernetes.io/metadata.name': ns } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject);
  }
  out.push(service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' }, { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
  ], '10.96.0.10'));
  out.push(...workload('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', 53, 2, 0, '10.244.0'));
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('istio', 'istio-system', { labels: { 'istio.io/rev': 'default', release: 'istio' } }), data: { mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\nenablePrometheusMerge: true\nrootNamespace: istio-system\ntrustDomain: cluster.local\n', meshNetworks: 'networks: {}' } } as KubeObject);
  out.push(service('istio-system', 'istiod', { app: 'istiod', istio: 'pilot', release: 'istio' }, { app: 'istiod', istio: 'pilot' }, [
    { name: 'grpc-xds', port: 15010, protocol: 'TCP', targetPort: 15010 }, { name: 'https-dns', port: 15012, protocol: 'TCP', targetPort: 15012 }, { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 }, { name: 'http-monitoring', port: 15014, protocol: 'TCP', targetPort: 15014 },
  ], '10.96.12.40'));
  out.push(...workload('istio-system', 'istiod', { app: 'istiod', istio: 'pilot' }, 'discovery', 'docker.io/istio/pilot:1.24.2', 15010, 1, 1, '10.244.1'));
  const installed = { 'install.operator.istio.io/owning-resource': 'unknown', 'istio.io/rev': 'default', 'operator.istio.io/component': 'IngressGateways' };
  out.push(service('istio-system', 'istio-ingressgateway', { app: 'istio-ingressgateway', istio: 'ingressgateway', ...installed }, { app: 'istio-ingressgateway', istio: 'ingressgateway' }, [
    { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 }, { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
  ], '10.96.80.80'));
  out.push(...workload('istio-system', 'istio-ingressgateway', { app: 'istio-ingressgateway', istio: 'ingressgateway', ...installed }, 'istio-proxy', 'docker.io/istio/proxyv2:1.24.2', 8080, 2, 2, '10.244.2'));
  return out;
}

/** `count` objects of a cluster (the platform, then whole namespaces of the synthetic mesh; the last one cut short). */
export function clusterDumpObjects(count: number): KubeObject[] {
  serial = 0;
  const out = platform();
  const namespaces = Math.max(1, Math.ceil((count - out.length) / (APPS_PER_NAMESPACE * 10.4)) + 1);
  const mesh = syntheticMesh({ namespaces, workloadsPerNamespace: APPS_PER_NAMESPACE * 2, versions: 2, edgesPerWorkload: 0, sourceOnlyShare: 0, tcpShare: 0.1 });
  let n = 0;
  for (const o of mesh.inventory.objects) {
    if (out.length >= count) break;
    const k = o.object;
    const ns = k.metadata.namespace;
    n++;
    if (k.kind === 'Namespace') {
      out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(k.metadata.name, undefined, { labels: { ...k.metadata.labels, 'kubernetes.io/metadata.name': k.metadata.name } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject);
    } else if (k.kind === 'Service') {
      const app = k.metadata.name;
      out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(app, ns, { labels: { app } }) } as KubeObject);
      out.push(service(ns!, app, { app, service: app }, { app }, [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], `10.96.${(n >> 8) & 255}.${n & 255}`));
    } else if (k.kind === 'Deployment') {
      const labels = k.spec.selector.matchLabels as Record<string, string>;
      out.push(...workload(ns!, k.metadata.name, labels, labels.app!, k.spec.template.spec.containers[0].image, 8080, 2, n % 40, `10.${100 + (n >> 16)}.${(n >> 8) & 255}`));
    } else {
      const labels = { app: k.metadata.name };
      out.push({ ...k, metadata: meta(k.metadata.name, ns, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied({ ...k, metadata: { ...k.metadata, labels } }) }, generation: 1, labels }) });
    }
  }
  return out.slice(0, count);
}

const PLAIN = /^[A-Za-z_/][\w./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(v: Json): string {
  if (typeof v === 'string') return v !== '' && PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  return v === null ? 'null' : String(v);
}

/** Block-style YAML, the way kubectl prints objects (keys in the order given, sequences not indented under their key). */
function emit(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !(Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0)) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        lines[0] = `${indent}- ${lines[0]!.slice(indent.length + 2)}`;
        out.push(...lines);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, Json>)) {
    if (v === undefined) continue;
    const k = scalar(key);
    if (v !== null && typeof v === 'object' && !(Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) {
      out.push(`${indent}${k}:`);
      emit(v, Array.isArray(v) ? indent : `${indent}  `, out);
    } else {
      out.push(`${indent}${k}: ${inline(v)}`);
    }
  }
}

function inline(v: Json): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return scalar(v);
}

/** The objects as one `kind: List` document (`kubectl get … -o yaml`). */
export function asList(objects: KubeObject[]): string {
  const out = ['apiVersion: v1', 'items:'];
  emit(objects as unknown as Json, '', out);
  out.push('kind: List', 'metadata:', '  resourceVersion: ""');
  return `${out.join('\n')}\n`;
}

/** The objects as multi-document YAML, one object per document. */
export function asDocuments(objects: KubeObject[]): string {
  return objects.map((o) => {
    const out: string[] = [];
    emit(o as unknown as Json, '', out);
    return `${out.join('\n')}\n`;
  }).join('---\n');
}

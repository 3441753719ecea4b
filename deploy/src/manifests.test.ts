/**
 * deploy/kubernetes: every document is a well-formed Kubernetes object, the RBAC is read-only and grants exactly
 * what the live source reads, and the Deployment and Service are what the brief of the deployment asks.
 */
import { describe, expect, it } from 'vitest';
import { GATEWAY_API_KINDS, ISTIO_KINDS } from '@meshlens/mesh';
import { builtinResources } from '@meshlens/sources';
import { gatewayApiResources, istioResources } from '@meshlens/sources/testing';
import { keyOf, loadManifests, type KubeManifest } from './manifests.js';

const manifests = loadManifests();
const objects = manifests.map((m) => m.object);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const one = <T = KubeManifest>(kind: string): T => {
  const found = byKind(kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as unknown as T;
};

/** apiVersion each kind must use, and whether it lives in a namespace. */
const KINDS: Record<string, { apiVersion: string; namespaced: boolean }> = {
  Namespace: { apiVersion: 'v1', namespaced: false },
  ServiceAccount: { apiVersion: 'v1', namespaced: true },
  Service: { apiVersion: 'v1', namespaced: true },
  ClusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false },
  ClusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true },
  RoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', namespaced: true },
  PodDisruptionBudget: { apiVersion: 'policy/v1', namespaced: true },
};
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
interface Container {
  name: string; image: string; args: string[]; env: Array<{ name: string; value: string }>;
  ports: Array<{ name: string; containerPort: number }>;
  readinessProbe: { httpGet: { path: string; port: string } }; livenessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>; volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface Deployment extends KubeManifest {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; securityContext: Record<string, unknown>; affinity?: unknown; containers: Container[]; volumes: Array<{ name: string; emptyDir?: object; secret?: object }> } } };
}

describe('deploy/kubernetes', () => {
  it('every document is a Kubernetes object of a known kind, with the right apiVersion, a valid name and scope', () => {
    expect(manifests.map((m) => `${m.file}: ${keyOf(m.object)}`)).toEqual([
      '00-namespace.yaml: Namespace meshlens',
      '01-serviceaccount.yaml: ServiceAccount meshlens/meshlens',
      '02-clusterrole.yaml: ClusterRole meshlens',
      '03-clusterrolebinding.yaml: ClusterRoleBinding meshlens',
      '04-role-istio-config.yaml: Role istio-system/meshlens-istio-config',
      '05-rolebinding-istio-config.yaml: RoleBinding istio-system/meshlens-istio-config',
      '06-deployment.yaml: Deployment meshlens/meshlens',
      '07-service.yaml: Service meshlens/meshlens',
      '08-poddisruptionbudget.yaml: PodDisruptionBudget meshlens/meshlens',
    ]);
    for (const o of objects) {
      const kind = KINDS[o.kind];
      expect(kind, `${o.kind} is not a kind these manifests should hold`).toBeDefined();
      expect(o.apiVersion, keyOf(o)).toBe(kind!.apiVersion);
      expect(o.metadata.name, keyOf(o)).toMatch(DNS_1123);
      if (kind!.namespaced) expect(o.metadata.namespace, keyOf(o)).toMatch(DNS_1123);
      else expect(o.metadata.namespace, keyOf(o)).toBeUndefined();
      for (const [k, v] of Object.entries(o.metadata.labels ?? {})) expect(typeof v, `${keyOf(o)} label ${k}`).toBe('string');
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'meshlens', 'app.kubernetes.io/instance': 'meshlens' });
    }
  });

  it('the ClusterRole is read-only: get/list/watch, plus create on tokenreviews (a question, not a write)', () => {
    const role = one<KubeManifest & { rules: Rule[] }>('ClusterRole');
    for (const rule of role.rules) {
      const writes = rule.verbs.filter((v) => !['get', 'list', 'watch'].includes(v));
      if (writes.length === 0) continue;
      expect({ groups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs }).toEqual({ groups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] });
    }
    expect(role.rules.flatMap((r) => r.verbs).some((v) => v === '*' || v === 'impersonate')).toBe(false);
    // The one subresource: pod logs, read with `get` only (the Logs tab); no exec, attach, portforward or proxy.
    expect(role.rules.filter((r) => r.resources.some((res) => res === '*' || res.includes('/')))).toEqual([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]);
    const configRole = one<KubeManifest & { rules: Rule[] }>('Role');
    expect(configRole.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
  });

  it('grants exactly the kinds the live source reads (no more, no fewer)', () => {
    const read = new Set<string>();
    for (const r of builtinResources('istio-system')) if (!r.namespace) read.add(`${r.group}/${r.resource}`);
    const served = istioResources();
    for (const kind of ISTIO_KINDS) {
      const r = served.find((s) => s.kind === kind)!;
      read.add(`${r.group}/${r.resource}`);
    }
    // the Gateway API's kinds, standard and experimental channels
    const gatewayApi = gatewayApiResources({ experimental: true });
    for (const kind of GATEWAY_API_KINDS) {
      const r = gatewayApi.find((s) => s.kind === kind)!;
      read.add(`${r.group}/${r.resource}`);
    }
    const role = one<KubeManifest & { rules: Rule[] }>('ClusterRole');
    const granted = new Set(role.rules.filter((r) => r.verbs.join() === 'get,list,watch').flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))));
    expect([...granted].sort()).toEqual([...read].sort());
    // The one namespace-bound kind, the `istio` ConfigMap, is granted in Istio's namespace only.
    expect(builtinResources('istio-system').filter((r) => r.namespace).map((r) => `${r.resource} in ${r.namespace}`)).toEqual(['configmaps in istio-system']);
    expect(one('Role').metadata.namespace).toBe('istio-system');
  });

  it('the bindings tie the roles to the ServiceAccount the Deployment runs as', () => {
    const sa = one('ServiceAccount');
    const subject = { kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace };
    expect(one<{ roleRef: object; subjects: object[] }>('ClusterRoleBinding')).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: one('ClusterRole').metadata.name }, subjects: [subject] });
    expect(one<{ roleRef: object; subjects: object[] }>('RoleBinding')).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: one('Role').metadata.name }, subjects: [subject] });
    expect(one<Deployment>('Deployment').spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(sa.metadata.namespace).toBe(one('Namespace').metadata.name);
  });

  it('the Deployment runs non-root, read-only, without privileges, probed on /api/health, with requests and limits', () => {
    const d = one<Deployment>('Deployment');
    const pod = d.spec.template.spec;
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'meshlens', 'app.kubernetes.io/instance': 'meshlens' });
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0]!;
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.args).toEqual(['serve', '--in-cluster', '--session-key-file', '/etc/meshlens/session-keys/keys']);
    expect(c.env.find((e) => e.name === 'MESHLENS_HOST')?.value).toBe('0.0.0.0');
    expect(c.env.every((e) => typeof e.value === 'string')).toBe(true);
    const port = c.ports.find((p) => p.name === 'http')!;
    expect(String(port.containerPort)).toBe(c.env.find((e) => e.name === 'MESHLENS_PORT')?.value);
    for (const probe of [c.readinessProbe, c.livenessProbe]) expect(probe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    // Read-only root: the one writable directory is an emptyDir; the session keys are a read-only Secret.
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'session-keys', mountPath: '/etc/meshlens/session-keys', readOnly: true }]);
    expect(pod.volumes.find((v) => v.name === 'tmp')?.emptyDir).toBeDefined();
  });

  it('two replicas share sessions through the session-keys Secret (required: the pods wait for it), spread over nodes, with a PodDisruptionBudget', () => {
    const d = one<Deployment>('Deployment');
    expect(d.spec.replicas).toBe(2);
    const pod = d.spec.template.spec;
    // Not optional: without the Secret each replica would seal with its own key and a login would hold on one only.
    expect(pod.volumes.find((v) => v.name === 'session-keys')).toEqual({ name: 'session-keys', secret: { secretName: 'meshlens-session-keys' } });
    const c = pod.containers[0]!;
    const keyFile = c.args[c.args.indexOf('--session-key-file') + 1]!;
    const mount = c.volumeMounts.find((m) => m.name === 'session-keys')!;
    expect(keyFile).toBe(`${mount.mountPath}/keys`);
    expect(pod.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: d.spec.selector.matchLabels } } }] } });
    const pdb = one<KubeManifest & { spec: unknown }>('PodDisruptionBudget');
    expect(pdb.metadata.namespace).toBe(d.metadata.namespace);
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    // The Secret itself is made by hand (deploy/README.md), never shipped with a key in it.
    expect(byKind('Secret')).toEqual([]);
  });

  it('the Service is a NodePort on 20080 → 30080, selecting the Deployment\'s pods, each client kept to one replica', () => {
    const s = one<KubeManifest & { spec: { type: string; sessionAffinity: string; selector: Record<string, string>; ports: Array<Record<string, unknown>> } }>('Service');
    expect(s.spec.type).toBe('NodePort');
    // Opened snapshot files live in one replica's memory (sessions do not need it).
    expect(s.spec.sessionAffinity).toBe('ClientIP');
    expect(s.spec.ports).toEqual([{ name: 'http', port: 20080, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }]);
    expect(s.spec.selector).toEqual(one<Deployment>('Deployment').spec.selector.matchLabels);
  });
});

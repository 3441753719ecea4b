/** Groups controllers and pods into workloads the way Istio names them (`destination_workload`). */
import type { InventoryObject, KubeObject } from '@meshlens/model';
import type { ContainerView, NamespaceView, PodView, WorkloadKind, WorkloadView } from './types.js';

const CONTROLLER_KINDS: WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'];

/** At most this many pods are made from a workload's template when the input has none of its Pod objects. */
export const MAX_SYNTHETIC_PODS = 3;

/** Kubernetes' `spec.replicas` is an int32. */
const MAX_REPLICAS = 2147483647;

/** True for kinds that own pods through a template. */
export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (CONTROLLER_KINDS as string[]).includes(kind) || kind === 'Pod';
}

/** Builds workloads and pods from controllers and Pod objects; pods missing from the input are made from templates. */
export function buildWorkloads(objects: InventoryObject[], namespaces: Map<string, NamespaceView>): { workloads: WorkloadView[]; pods: PodView[] } {
  const controllers = objects.filter((o) => (CONTROLLER_KINDS as string[]).includes(o.ref.kind));
  const podObjs = objects.filter((o) => o.ref.kind === 'Pod');
  const byKindName = new Map(controllers.map((c) => [`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`, c]));

  /** Follows owner references up to the top controller (Pod → ReplicaSet → Deployment, Pod → Job → CronJob). */
  const topOwner = (o: InventoryObject): InventoryObject => {
    let current = o;
    for (let depth = 0; depth < 4; depth++) {
      const owner = current.object.metadata.ownerReferences?.find((r) => r.controller !== false);
      if (!owner) break;
      const next = byKindName.get(`${owner.kind}/${current.ref.namespace}/${owner.name}`);
      if (!next) {
        // The owner is not in the input (e.g. a ReplicaSet list without its Deployment): name by Istio's rule.
        if (owner.kind === 'ReplicaSet') return syntheticOwner(current, 'Deployment', owner.name.replace(/-[a-z0-9]{5,10}$/, ''));
        if (owner.kind === 'Job') return syntheticOwner(current, 'CronJob', owner.name.replace(/-\d+$/, ''));
        return syntheticOwner(current, owner.kind as WorkloadKind, owner.name);
      }
      current = next;
    }
    return current;
  };

  const workloads = new Map<string, WorkloadView>();
  const owned = new Set<string>();
  for (const c of controllers) {
    const top = topOwner(c);
    if (top !== c) owned.add(`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`);
  }
  for (const c of controllers) {
    if (owned.has(`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`)) continue;
    const w = fromTemplate(c, podTemplate(c.object));
    workloads.set(`${w.namespace}/${w.name}`, w);
  }
  const pods: PodView[] = [];
  for (const p of podObjs) {
    const top = topOwner(p);
    const ns = p.ref.namespace ?? 'default';
    let w = workloads.get(`${ns}/${top.ref.name}`);
    if (!w) {
      w = top === p ? fromTemplate(p, { metadata: p.object.metadata, spec: p.object.spec }) : fromTemplate(top, { metadata: p.object.metadata, spec: p.object.spec });
      if (top === p) w.kind = 'Pod';
      w.replicas = 0;
      workloads.set(`${ns}/${w.name}`, w);
    }
    const pod = podView(p.object, w.name, namespaces.get(ns), false, p);
    w.pods.push(pod);
    if (w.kind === 'Pod') w.replicas = 1;
    pods.push(pod);
  }
  // Workloads with no Pod objects in the input get pods made from their template, so labels and IPs can be reasoned about.
  // They are a sample that stands for the replicas, never one per replica: `spec.replicas` comes from the input and
  // may say 2147483647; `replicas` keeps the real count, and `podCount` is what counts pods.
  for (const w of workloads.values()) {
    if (w.pods.length === 0 && w.obj) {
      const template = podTemplate(w.obj.object);
      const sample = Math.min(w.replicas, MAX_SYNTHETIC_PODS);
      for (let i = 0; i < sample; i++) {
        const name = `${w.name}-${shortHash(`${w.namespace}/${w.name}`)}-${suffix(i)}`;
        const pod = podView({ apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, name, namespace: w.namespace }, spec: template.spec }, w.name, namespaces.get(w.namespace), true);
        pod.ip = syntheticIP('10.244', `${w.namespace}/${name}`);
        pod.nodeName = `node-${(hash(`${w.namespace}/${name}`) % 3) + 1}`;
        pod.hostIP = `10.0.0.${(hash(pod.nodeName) % 200) + 10}`;
        w.pods.push(pod);
        pods.push(pod);
      }
    }
    w.hasSidecar = w.pods.length > 0 ? w.pods.every((p) => p.hasSidecar) : w.hasSidecar;
  }
  return { workloads: [...workloads.values()], pods };
}

/** Owners named by a pod's ownerReferences but absent from the input. */
const SYNTHETIC_OWNERS = new WeakSet<InventoryObject>();

function syntheticOwner(child: InventoryObject, kind: WorkloadKind, name: string): InventoryObject {
  const owner: InventoryObject = { ref: { kind, namespace: child.ref.namespace, name }, object: { apiVersion: 'apps/v1', kind, metadata: { name, namespace: child.ref.namespace } }, origin: child.origin };
  SYNTHETIC_OWNERS.add(owner);
  return owner;
}

interface PodTemplate {
  metadata?: KubeObject['metadata'] | { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
}

function podTemplate(o: KubeObject): PodTemplate {
  if (o.kind === 'Pod') return { metadata: o.metadata, spec: o.spec };
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template ?? {};
  return o.spec?.template ?? {};
}

function fromTemplate(o: InventoryObject, template: PodTemplate): WorkloadView {
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  const spec = template.spec ?? {};
  const kind = o.ref.kind as WorkloadKind;
  const replicas = kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet' || kind === 'ReplicationController'
    ? replicaCount(o.object.spec?.replicas)
    : 1;
  const containers = containerViews(spec);
  return {
    namespace: o.ref.namespace ?? 'default',
    name: o.ref.name,
    kind,
    obj: SYNTHETIC_OWNERS.has(o) ? undefined : o,
    labels,
    annotations,
    app: labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app,
    version: labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version,
    serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
    replicas,
    pods: [],
    containers,
    hasSidecar: false,
    isGatewayProxy: isGatewayProxy(labels, containers),
    hostAliases: normaliseHostAliases(spec.hostAliases),
  };
}

/**
 * `spec.replicas` as a count of pods. The API server admits only a non-negative int32, but files and snapshots can
 * say anything: a fraction is rounded down, a negative is 0, a huge or infinite number is the int32 maximum, and
 * a value that is not a number (NaN, a string) is Kubernetes' default of 1, as if it were not written.
 */
function replicaCount(v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) return 1;
  return Math.min(Math.max(Math.floor(v), 0), MAX_REPLICAS);
}

function isGatewayProxy(labels: Record<string, string>, containers: ContainerView[]): boolean {
  if (labels['istio'] === 'ingressgateway' || labels['istio'] === 'egressgateway') return true;
  const component = labels['operator.istio.io/component'];
  if (component === 'IngressGateways' || component === 'EgressGateways') return true;
  if (labels['gateway.istio.io/managed'] !== undefined) return true;
  if (isZtunnel(labels, containers)) return false;
  // A gateway pod runs the proxy alone; an injected application pod runs it beside the application.
  return containers.length === 1 && containers[0]!.name === 'istio-proxy';
}

/**
 * ztunnel's DaemonSet names its one container istio-proxy too, but it is ambient's node proxy (L4): neither an Envoy
 * gateway (nothing routes through it by Gateway or VirtualService) nor a sidecar (it sends no application traffic).
 */
function isZtunnel(labels: Record<string, string>, containers: ContainerView[]): boolean {
  return labels.app === 'ztunnel' || containers.some((c) => /(^|\/)ztunnel(:|@|$)/.test(c.image ?? ''));
}

function containerViews(spec: any): ContainerView[] {
  const list = Array.isArray(spec?.containers) ? spec.containers : [];
  return list.filter((c: any) => c && typeof c === 'object').map((c: any) => ({
    name: String(c.name ?? ''),
    image: typeof c.image === 'string' ? c.image : undefined,
    ports: (Array.isArray(c.ports) ? c.ports : []).filter((p: any) => typeof p?.containerPort === 'number')
      .map((p: any) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
    env: Array.isArray(c.env) ? c.env.filter((e: any) => typeof e?.name === 'string').map((e: any) => ({ name: e.name, value: e.value === undefined ? undefined : String(e.value) })) : undefined,
  }));
}

function normaliseHostAliases(v: unknown): Array<{ ip: string; hostnames: string[] }> | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((a) => typeof a?.ip === 'string').map((a) => ({ ip: a.ip, hostnames: Array.isArray(a.hostnames) ? a.hostnames.map(String) : [] }));
}

/** Decides whether a pod runs a sidecar: a real pod says so by its containers; a template by the injection rules. */
function podHasSidecar(obj: KubeObject, ns: NamespaceView | undefined, synthetic: boolean): boolean {
  const spec = obj.spec ?? {};
  const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  const names = [...list(spec.containers), ...list(spec.initContainers)].map((c: any) => c?.name);
  if (names.includes('istio-proxy')) return !isZtunnel(obj.metadata.labels ?? {}, containerViews(spec));
  if (!synthetic) return false;
  const labels = obj.metadata.labels ?? {};
  const annotations = obj.metadata.annotations ?? {};
  const podSetting = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  if (podSetting === 'false') return false;
  if (podSetting === 'true') return ns?.labels['istio-injection'] !== 'disabled';
  return ns?.injection ?? false;
}

function podView(obj: KubeObject, workload: string, ns: NamespaceView | undefined, synthetic: boolean, inv?: InventoryObject): PodView {
  const spec = obj.spec ?? {};
  const status = (obj.status ?? {}) as { podIP?: string; hostIP?: string };
  return {
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name,
    workload,
    labels: { ...(obj.metadata.labels ?? {}) },
    annotations: { ...(obj.metadata.annotations ?? {}) },
    ip: status.podIP,
    hostIP: status.hostIP,
    nodeName: spec.nodeName,
    hostAliases: normaliseHostAliases(spec.hostAliases),
    serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
    containers: containerViews(spec),
    hasSidecar: podHasSidecar(obj, ns, synthetic) || isGatewayProxy(obj.metadata.labels ?? {}, containerViews(spec)),
    synthetic,
    obj: inv,
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

function shortHash(s: string): string {
  return hash(s).toString(36).slice(0, 9).padEnd(9, '0').replace(/[^a-z0-9]/g, 'x');
}

function suffix(i: number): string {
  return hash(String(i)).toString(36).slice(0, 5);
}

function syntheticIP(prefix: string, key: string): string {
  const h = hash(key);
  return `${prefix}.${(h >>> 8) % 254 + 1}.${h % 253 + 2}`;
}

/** Builds the indexed Inventory from loaded objects. */
import { parse as parseYaml } from 'yaml';
import { GATEWAY_API_GROUP, groupOf, refKey, splitRefKind, type InventoryObject, type LoadError } from '@meshlens/model';
import { GATEWAY_API_KINDS, ISTIO_KINDS, type GatewayApiKind, type Inventory, type IstioKind, type MeshConfig, type NamespaceView, type ServicePort, type ServiceView } from './types.js';
import { buildWorkloads } from './workloads.js';

const ISTIO_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io']);

/**
 * Indexes objects into an Inventory.
 *
 * An object declared more than once (same kind, namespace and name) is one object in a cluster, so one copy is
 * used, and the choice does not depend on the order the files were given in: the copy in the file whose path
 * sorts last (byte order of the path as given), and within one file the later document, as `kubectl apply -f DIR`
 * would leave the cluster (it applies a directory's files in that order). Name files `00-…`, `10-…` to order them.
 * Each such object is reported once, at the copy that is used, naming every other copy. The objects are indexed in
 * that same path order.
 */
export function buildInventory(input: InventoryObject[], loadErrors: LoadError[] = [], options: { clusterDomain?: string } = {}): Inventory {
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const errors = [...loadErrors];
  const byKey = new Map<string, InventoryObject>();
  let copies: Map<string, InventoryObject[]> | undefined;
  // Path order, so that nothing downstream (winners, lists, messages) depends on the order files were given in.
  // Objects without a file (a cluster's) keep their order: the sort is stable.
  const ordered = inOriginOrder(input);
  for (const o of ordered) {
    const key = refKey(o.ref);
    const prev = byKey.get(key);
    if (prev && !sameOrigin(prev, o)) {
      copies ??= new Map();
      const list = copies.get(key) ?? [prev];
      if (!list.some((c) => sameOrigin(c, o))) list.push(o);
      copies.set(key, list);
      if (compareOrigin(o, prev) < 0) continue;
      byKey.delete(key); // the copy used takes its own place in path order
    }
    byKey.set(key, o.ref.kind === 'Secret' ? secretMetadataOnly(o) : o);
  }
  for (const [key, list] of copies ?? []) {
    const used = byKey.get(key)!;
    const others = list.filter((c) => !sameOrigin(c, used)).sort(compareOrigin);
    const identical = others.every((c) => sameContent(c, used));
    errors.push({
      file: used.origin.file,
      line: used.origin.line,
      column: used.origin.column,
      object: `${used.ref.kind} ${used.ref.namespace ? `${used.ref.namespace}/` : ''}${used.ref.name}`,
      message: `duplicate object: declared ${list.length} times; this copy is used, not the ${others.length === 1 ? 'copy' : 'copies'} at ${others.map(where).join(' and ')}${identical ? ' (identical content)' : ''}. The copy in the file that sorts last by path, and the later document within a file, is used whatever order the files are given in, as \`kubectl apply -f <dir>\` would leave the cluster`,
    });
  }
  const objects = [...byKey.values()];

  const namespaces = new Map<string, NamespaceView>();
  for (const o of objects) {
    if (o.ref.kind === 'Namespace') namespaces.set(o.ref.name, namespaceView(o.ref.name, o));
  }
  // Namespaces that objects live in exist even when no Namespace object was given.
  for (const o of objects) {
    const ns = o.ref.namespace;
    if (ns && !namespaces.has(ns)) namespaces.set(ns, namespaceView(ns));
  }

  const istio = Object.fromEntries(ISTIO_KINDS.map((k) => [k, [] as InventoryObject[]])) as Record<IstioKind, InventoryObject[]>;
  for (const o of objects) {
    const group = o.object.apiVersion.split('/')[0] ?? '';
    if (ISTIO_GROUPS.has(group) && (ISTIO_KINDS as readonly string[]).includes(o.ref.kind)) istio[o.ref.kind as IstioKind].push(o);
  }
  const gatewayApi = Object.fromEntries(GATEWAY_API_KINDS.map((k) => [k, [] as InventoryObject[]])) as Record<GatewayApiKind, InventoryObject[]>;
  for (const o of objects) {
    if (groupOf(o.object.apiVersion) !== GATEWAY_API_GROUP) continue;
    const { kind } = splitRefKind(o.ref.kind);
    if ((GATEWAY_API_KINDS as readonly string[]).includes(kind)) gatewayApi[kind as GatewayApiKind].push(o);
  }

  const services = objects.filter((o) => o.ref.kind === 'Service').map((o) => serviceView(o, clusterDomain));
  const servicesByHost = new Map(services.map((s) => [s.hostname, s]));
  const { workloads, pods } = buildWorkloads(objects, namespaces);
  const workloadsByKey = new Map(workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const configMaps = objects.filter((o) => o.ref.kind === 'ConfigMap');

  return {
    objects,
    errors,
    byKey,
    namespaces,
    services,
    servicesByHost,
    workloads,
    workloadsByKey,
    pods,
    serviceAccounts: objects.filter((o) => o.ref.kind === 'ServiceAccount'),
    secrets: objects.filter((o) => o.ref.kind === 'Secret'),
    configMaps,
    istio,
    gatewayApi,
    meshConfig: meshConfigFrom(configMaps, errors),
    clusterDomain,
  };
}

/** Keeps a Secret's metadata and type only; its data never enters the inventory. */
function secretMetadataOnly(o: InventoryObject): InventoryObject {
  const { metadata, type } = o.object as { metadata: InventoryObject['object']['metadata']; type?: unknown };
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    ...o,
    object: { apiVersion: o.object.apiVersion, kind: 'Secret', metadata: { ...metadata, annotations }, ...(typeof type === 'string' ? { type } : {}) },
    positions: Object.fromEntries(Object.entries(o.positions ?? {}).filter(([p]) => p.startsWith('metadata') || p === 'type' || p === 'kind' || p === 'apiVersion')),
  };
}

function namespaceView(name: string, o?: InventoryObject): NamespaceView {
  const labels = { ...(o?.object.metadata.labels ?? {}) };
  const injection = labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled');
  const useWaypoint = labels['istio.io/use-waypoint'];
  const useWaypointNamespace = labels['istio.io/use-waypoint-namespace'];
  return {
    name, labels, obj: o, injection,
    ambient: labels['istio.io/dataplane-mode'] === 'ambient',
    ...(useWaypoint ? { useWaypoint } : {}),
    ...(useWaypointNamespace ? { useWaypointNamespace } : {}),
    ingressUseWaypoint: labels['istio.io/ingress-use-waypoint'] === 'true',
  };
}

function serviceView(o: InventoryObject, clusterDomain: string): ServiceView {
  const spec = o.object.spec ?? {};
  const ns = o.ref.namespace ?? 'default';
  const ports: ServicePort[] = (Array.isArray(spec.ports) ? spec.ports : [])
    .filter((p: any) => typeof p?.port === 'number')
    // Each field as its type says or absent: what the API server would have refused never reaches the checks.
    .map((p: any) => ({
      name: typeof p.name === 'string' ? p.name : undefined,
      port: p.port,
      targetPort: typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : undefined,
      protocol: typeof p.protocol === 'string' ? p.protocol : undefined,
      appProtocol: typeof p.appProtocol === 'string' ? p.appProtocol : undefined,
      nodePort: typeof p.nodePort === 'number' ? p.nodePort : undefined,
    }));
  const exportTo = o.object.metadata.annotations?.['networking.istio.io/exportTo'];
  return {
    obj: o,
    namespace: ns,
    name: o.ref.name,
    hostname: `${o.ref.name}.${ns}.svc.${clusterDomain}`,
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    ports,
    selector: spec.selector && typeof spec.selector === 'object' ? { ...spec.selector } : undefined,
    externalName: typeof spec.externalName === 'string' ? spec.externalName : undefined,
    clusterIP: typeof spec.clusterIP === 'string' ? spec.clusterIP : undefined,
    exportTo: exportTo ? exportTo.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
  };
}

/** Reads the mesh config from the `istio` ConfigMap (data.mesh), with Istio's defaults. */
function meshConfigFrom(configMaps: InventoryObject[], errors: LoadError[]): MeshConfig {
  const defaults: MeshConfig = { rootNamespace: 'istio-system', outboundTrafficPolicy: 'ALLOW_ANY', trustDomain: 'cluster.local', enableAutoMtls: true };
  const cm = configMaps.find((c) => c.ref.name === 'istio' && c.ref.namespace === 'istio-system')
    ?? configMaps.find((c) => c.ref.name === 'istio' && typeof c.object.data?.mesh === 'string');
  if (!cm) return defaults;
  const text = cm.object.data?.mesh;
  if (typeof text !== 'string') return { ...defaults, rootNamespace: cm.ref.namespace ?? defaults.rootNamespace, obj: cm };
  let mesh: any;
  try {
    mesh = parseYaml(text) ?? {};
  } catch (e) {
    errors.push({ file: cm.origin.file, line: cm.positions?.['data.mesh']?.line ?? cm.origin.line, object: `ConfigMap ${cm.ref.namespace}/${cm.ref.name}`, message: `data.mesh is not valid YAML (${(e as Error).message.split('\n')[0]}); Istio's defaults are used` });
    return { ...defaults, obj: cm };
  }
  const mode = mesh?.outboundTrafficPolicy?.mode;
  return {
    rootNamespace: typeof mesh?.rootNamespace === 'string' ? mesh.rootNamespace : cm.ref.namespace ?? defaults.rootNamespace,
    outboundTrafficPolicy: mode === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY',
    trustDomain: typeof mesh?.trustDomain === 'string' ? mesh.trustDomain : defaults.trustDomain,
    enableAutoMtls: mesh?.enableAutoMtls !== false,
    obj: cm,
  };
}

/**
 * The objects in path order (byte order of the file as given, then position in the file): the order buildInventory
 * indexes them in. The same array when it is in order already; objects without a file keep their order.
 */
export function inOriginOrder<T extends Pick<InventoryObject, 'origin'>>(objects: readonly T[]): readonly T[] {
  for (let i = 1; i < objects.length; i++) if (compareOrigin(objects[i - 1]!, objects[i]!) > 0) return [...objects].sort(compareOrigin);
  return objects;
}

function sameOrigin(a: InventoryObject, b: InventoryObject): boolean {
  return a.origin.file === b.origin.file && a.origin.line === b.origin.line;
}

/** Path order (byte order, as given), then position in the file. */
function compareOrigin(a: Pick<InventoryObject, 'origin'>, b: Pick<InventoryObject, 'origin'>): number {
  const fa = a.origin.file ?? '';
  const fb = b.origin.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.origin.line ?? 0) - (b.origin.line ?? 0) || (a.origin.document ?? 0) - (b.origin.document ?? 0);
}

function where(o: InventoryObject): string {
  return `${o.origin.file ?? 'input'}:${o.origin.line ?? '?'}`;
}

function sameContent(a: InventoryObject, b: InventoryObject): boolean {
  return JSON.stringify(a.object) === JSON.stringify(b.object);
}


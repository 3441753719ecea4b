/** Builds the indexed Inventory from loaded objects. */
import { parse as parseYaml } from 'yaml';
import { GATEWAY_API_GROUP, groupOf, refKey, splitRefKind, type InventoryObject, type LoadError } from '@meshlens/model';
import { GATEWAY_API_KINDS, ISTIO_KINDS, type GatewayApiKind, type Inventory, type IstioKind, type MeshConfig, type NamespaceView, type ServicePort, type ServiceView } from './types.js';
import { buildWorkloads } from './workloads.js';

const ISTIO_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io']);

/** Indexes objects into an Inventory. Later duplicates of the same object replace earlier ones (with an error noted). */
export function buildInventory(input: InventoryObject[], loadErrors: LoadError[] = [], options: { clusterDomain?: string } = {}): Inventory {
  const clusterDomain = options.clusterDomain ?? 'cluster.local';
  const errors = [...loadErrors];
  const byKey = new Map<string, InventoryObject>();
  for (const o of input) {
    const key = refKey(o.ref);
    const prev = byKey.get(key);
    if (prev && (prev.origin.file !== o.origin.file || prev.origin.line !== o.origin.line)) {
      errors.push({ file: o.origin.file, line: o.origin.line, column: o.origin.column, object: `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ''}${o.ref.name}`, message: `duplicate object: also defined at ${prev.origin.file ?? 'input'}:${prev.origin.line ?? '?'}; the later definition is used` });
    }
    byKey.set(key, o.ref.kind === 'Secret' ? secretMetadataOnly(o) : o);
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

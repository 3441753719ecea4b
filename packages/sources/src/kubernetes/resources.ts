/**
 * The resource types the live source lists and watches: the built-in ones, and Istio's and the Gateway API's as
 * discovery finds them.
 */
import { GATEWAY_API_KINDS, ISTIO_KINDS } from '@meshlens/mesh';
import { GATEWAY_API_GROUP } from '@meshlens/model';
import type { KubeClient } from './http.js';

export interface WatchedResource {
  kind: string;
  group: string;
  version: string;
  /** Plural name in the URL. */
  resource: string;
  namespaced: boolean;
  /** Read as PartialObjectMetadata: Secrets, whose contents Meshlens never reads. */
  metadataOnly?: boolean;
  /** Only this namespace (the `istio` ConfigMap lives in Istio's namespace). */
  namespace?: string;
  fieldSelector?: string;
}

export const apiVersionOf = (r: Pick<WatchedResource, 'group' | 'version'>): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** URL of the collection: across namespaces, or in one. */
export function collectionPath(r: WatchedResource, namespace = r.namespace): string {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return namespace !== undefined && r.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${prefix}/${r.resource}`;
}

/** Built-in kinds every conformant cluster serves; `istioNamespace` is where istiod's `istio` ConfigMap is. */
export function builtinResources(istioNamespace: string): WatchedResource[] {
  const core = (resource: string, kind: string, extra: Partial<WatchedResource> = {}): WatchedResource => ({ kind, group: '', version: 'v1', resource, namespaced: true, ...extra });
  const apps = (resource: string, kind: string): WatchedResource => ({ kind, group: 'apps', version: 'v1', resource, namespaced: true });
  return [
    core('namespaces', 'Namespace', { namespaced: false }),
    core('services', 'Service'),
    core('pods', 'Pod'),
    core('serviceaccounts', 'ServiceAccount'),
    core('secrets', 'Secret', { metadataOnly: true }),
    core('configmaps', 'ConfigMap', { namespace: istioNamespace, fieldSelector: 'metadata.name=istio' }),
    apps('deployments', 'Deployment'),
    apps('statefulsets', 'StatefulSet'),
    apps('daemonsets', 'DaemonSet'),
    apps('replicasets', 'ReplicaSet'),
    { kind: 'Job', group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  ];
}

export const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'];
/** Newest first; a kind is read at the first of these its CRD serves. */
export const VERSION_PREFERENCE = ['v1', 'v1beta1', 'v1alpha3', 'v1alpha2', 'v1alpha1'];

interface APIGroupList {
  groups?: Array<{ name: string; versions?: Array<{ version: string }> }>;
}
interface APIResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

/** The kinds discovery looks for, by group: Istio's three groups and the Gateway API's. */
const DISCOVERED_KINDS = new Map<string, readonly string[]>([
  ...ISTIO_GROUPS.map((g) => [g, ISTIO_KINDS] as const),
  [GATEWAY_API_GROUP, GATEWAY_API_KINDS],
]);

/**
 * Istio and Gateway API kinds the cluster serves, each at its newest served version (the Gateway API serves
 * TCPRoute and TLSRoute at v1alpha2 only, ReferenceGrant at v1beta1 on older releases). A CRD that is not
 * installed is simply absent from the list, not an error.
 */
export async function discoverIstioResources(client: KubeClient, signal?: AbortSignal): Promise<WatchedResource[]> {
  const list = await client.getJson<APIGroupList>('/apis', { signal });
  // by `group/kind`: Istio's Gateway and the Gateway API's Gateway are two resources
  const found = new Map<string, WatchedResource>();
  for (const group of list.groups ?? []) {
    const kinds = DISCOVERED_KINDS.get(group.name);
    if (!kinds) continue;
    const served = (group.versions ?? []).map((v) => v.version);
    const ordered = [...VERSION_PREFERENCE.filter((v) => served.includes(v)), ...served.filter((v) => !VERSION_PREFERENCE.includes(v))];
    for (const version of ordered) {
      const doc = await client.getJson<APIResourceList>(`/apis/${group.name}/${version}`, { signal });
      for (const r of doc.resources ?? []) {
        const key = `${group.name}/${r.kind}`;
        // Subresources (`virtualservices/status`) share the kind; only the collection is watched.
        if (r.name.includes('/') || found.has(key) || !kinds.includes(r.kind)) continue;
        if (r.verbs && !(r.verbs.includes('list') && r.verbs.includes('watch'))) continue;
        found.set(key, { kind: r.kind, group: group.name, version, resource: r.name, namespaced: r.namespaced });
      }
    }
  }
  return [
    ...ISTIO_KINDS.flatMap((k) => ISTIO_GROUPS.flatMap((g) => (found.has(`${g}/${k}`) ? [found.get(`${g}/${k}`)!] : []))),
    ...GATEWAY_API_KINDS.flatMap((k) => (found.has(`${GATEWAY_API_GROUP}/${k}`) ? [found.get(`${GATEWAY_API_GROUP}/${k}`)!] : [])),
  ];
}

/** The resource types the live source lists and watches: the built-in ones, and Istio's as discovery finds them. */
import { ISTIO_KINDS } from '@meshlens/mesh';
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

/** Istio kinds the cluster serves, each at its newest served version. No Istio CRDs is an empty list, not an error. */
export async function discoverIstioResources(client: KubeClient, signal?: AbortSignal): Promise<WatchedResource[]> {
  const list = await client.getJson<APIGroupList>('/apis', { signal });
  const found = new Map<string, WatchedResource>();
  for (const group of list.groups ?? []) {
    if (!ISTIO_GROUPS.includes(group.name)) continue;
    const served = (group.versions ?? []).map((v) => v.version);
    const ordered = [...VERSION_PREFERENCE.filter((v) => served.includes(v)), ...served.filter((v) => !VERSION_PREFERENCE.includes(v))];
    for (const version of ordered) {
      const doc = await client.getJson<APIResourceList>(`/apis/${group.name}/${version}`, { signal });
      for (const r of doc.resources ?? []) {
        // Subresources (`virtualservices/status`) share the kind; only the collection is watched.
        if (r.name.includes('/') || found.has(r.kind) || !(ISTIO_KINDS as readonly string[]).includes(r.kind)) continue;
        if (r.verbs && !(r.verbs.includes('list') && r.verbs.includes('watch'))) continue;
        found.set(r.kind, { kind: r.kind, group: group.name, version, resource: r.name, namespaced: r.namespaced });
      }
    }
  }
  return ISTIO_KINDS.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
}

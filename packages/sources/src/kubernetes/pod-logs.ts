/**
 * Pod logs from the API server (`GET /api/v1/namespaces/{ns}/pods/{pod}/log`), read with the source's own identity
 * (the user's token or impersonation when the server runs `--auth token|header`), so the cluster's RBAC decides: a
 * user without `get` on `pods/log` in the namespace gets a 403 that says so.
 *
 * The request goes through the same transport as the list/watch calls (the KubeConfig of @kubernetes/client-node
 * authenticates it) rather than the library's `Log` class, which drops the API server's Status message on errors
 * (its 403 would not say who was refused what) and pipes follow streams without backpressure.
 */
import type { Inventory } from '@meshlens/mesh';
import { podContainers } from '@meshlens/mesh';
import { KubeApiError, type KubeClient } from './http.js';
import { PodLogError, type PodLogQuery, type PodLogStream } from '../source.js';

/** The API path and query of a log request (`timestamps=true` always: the console shows when each line was written). */
export function podLogPath(q: PodLogQuery & { container?: string }): string {
  const params = new URLSearchParams();
  if (q.container) params.set('container', q.container);
  if (q.tailLines !== undefined) params.set('tailLines', String(q.tailLines));
  if (q.sinceSeconds !== undefined) params.set('sinceSeconds', String(q.sinceSeconds));
  params.set('timestamps', 'true');
  if (q.follow) params.set('follow', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods/${encodeURIComponent(q.pod)}/log?${params.toString()}`;
}

/** The API server's refusal as a PodLogError: what is missing, and what RBAC would have to allow. */
export function podLogError(e: unknown, q: PodLogQuery): unknown {
  if (!(e instanceof KubeApiError)) return e;
  if (e.statusCode === 404) return new PodLogError(404, e.message || `pods "${q.pod}" not found in namespace "${q.namespace}"`);
  if (e.statusCode === 400) {
    // "container x is not valid for pod y": an unknown container is a 404 to the console; anything else (which one?) stays 400.
    return new PodLogError(/is not valid for pod/.test(e.message) ? 404 : 400, e.message);
  }
  if (e.statusCode === 403) {
    return new PodLogError(403, `Reading this log needs the RBAC verb "get" on the resource "pods/log" in namespace "${q.namespace}", and the API server refused it: ${e.message}`);
  }
  if (e.statusCode === 401) return new PodLogError(403, e.message);
  return new PodLogError(502, `The API server could not serve the log of pod ${q.namespace}/${q.pod} (HTTP ${e.statusCode}): ${e.message}`);
}

/**
 * Opens a container's log. Without `container`, the pod's only container is named when the inventory knows the pod
 * (so the answer can say which container it is); a pod with several answers 400 from the API server, as kubectl does.
 */
export async function readPodLogs(client: KubeClient, q: PodLogQuery, inventory?: Inventory): Promise<PodLogStream> {
  let container = q.container;
  if (!container && inventory) {
    const pod = inventory.pods.find((p) => p.namespace === q.namespace && p.name === q.pod);
    const names = pod ? podContainers(inventory, pod).map((c) => c.name) : [];
    if (names.length === 1) container = names[0];
  }
  try {
    const lines = await client.lines(podLogPath({ ...q, container }), { signal: q.signal });
    return { container: container ?? '', lines };
  } catch (e) {
    throw podLogError(e, q);
  }
}

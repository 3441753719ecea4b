/** Pods as the detail pages show them: containers (the injected sidecar included), readiness, restarts, addresses. */
import type { ContainerInfo, PodDetail } from '@meshlens/model';
import type { Inventory, PodView } from '../inventory/types.js';
import { podIsReady, type PodStatusInput } from '../health/pod-status.js';

/** A container of a pod, before its runtime state. */
export interface PodContainer {
  name: string;
  image?: string;
  isProxy: boolean;
  injected?: boolean;
}

/** The tag of an image reference (`docker.io/istio/proxyv2:1.23.2` → `1.23.2`); undefined for digests or no tag. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image || image.includes('@')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}

/** The Istio revision a pod's sidecar comes from: its `istio.io/rev` label, the namespace's, else `default`. */
export function podRevision(inv: Inventory, p: PodView): string {
  return p.labels['istio.io/rev'] ?? inv.namespaces.get(p.namespace)?.labels['istio.io/rev'] ?? 'default';
}

const PROXY_IMAGES = new WeakMap<Inventory, Map<string, string | undefined>>();

/**
 * The image sidecar injection gives a pod of `revision`: the istio-proxy image of a running proxy of that revision
 * (a pod or gateway that has one), else istiod's image with `pilot` replaced by `proxyv2` (Istio's images share a hub
 * and tag); undefined when the input holds neither.
 */
export function injectedProxyImage(inv: Inventory, revision: string): string | undefined {
  let cache = PROXY_IMAGES.get(inv);
  if (!cache) PROXY_IMAGES.set(inv, (cache = new Map()));
  if (cache.has(revision)) return cache.get(revision);
  const revOf = (labels: Record<string, string>) => labels['istio.io/rev'] ?? 'default';
  let image: string | undefined;
  for (const w of inv.workloads) {
    const c = w.containers.find((x) => x.name === 'istio-proxy' && x.image && x.image !== 'auto');
    if (c && revOf(w.labels) === revision) {
      image = c.image;
      break;
    }
  }
  if (!image) {
    const istiod = inv.workloads.find((w) => (w.labels.app === 'istiod' || w.name === 'istiod' || w.name.startsWith('istiod-')) && revOf(w.labels) === revision);
    const pilot = istiod?.containers.find((c) => c.image?.includes('/pilot'))?.image;
    if (pilot) image = pilot.replace(/\/pilot(?=[:@]|$)/, '/proxyv2');
  }
  cache.set(revision, image);
  return image;
}

/**
 * The containers of a pod: its spec's containers, plus the sidecar when it is a native sidecar (an init container
 * that keeps running) or when the pod was made from a template that injection would give one.
 */
export function podContainers(inv: Inventory, p: PodView): PodContainer[] {
  const out: PodContainer[] = p.containers.map((c) => ({ name: c.name, ...(c.image ? { image: c.image } : {}), isProxy: c.name === 'istio-proxy' }));
  if (out.some((c) => c.isProxy)) return out;
  const init: unknown = p.obj?.object.spec?.initContainers;
  const native = Array.isArray(init) ? init.find((c) => c?.name === 'istio-proxy' && c?.restartPolicy === 'Always') : undefined;
  if (native) out.push({ name: 'istio-proxy', ...(typeof native.image === 'string' ? { image: native.image } : {}), isProxy: true });
  else if (p.synthetic && p.hasSidecar) {
    const image = injectedProxyImage(inv, podRevision(inv, p));
    out.push({ name: 'istio-proxy', ...(image ? { image } : {}), isProxy: true, injected: true });
  }
  return out;
}

/** A pod's detail: containers with their state, `ready` as kubectl prints it, restarts, addresses. */
export function podDetail(inv: Inventory, p: PodView, status: PodStatusInput | undefined): PodDetail {
  const containers = podContainers(inv, p);
  const names = containers.map((c) => c.name);
  const assumed = status === undefined;
  const phase = status?.phase ?? (assumed ? 'Running' : 'Unknown');
  const infos: ContainerInfo[] = containers.map((c) => {
    const s = status?.containers?.find((x) => x.name === c.name);
    const ready = s?.ready ?? (phase === 'Running');
    const info: ContainerInfo = { name: c.name, isProxy: c.isProxy, ready, restarts: s?.restarts ?? 0 };
    if (c.image) info.image = c.image;
    if (c.injected) info.injected = true;
    if (s?.state) info.state = s.state;
    return info;
  });
  const readyCount = infos.filter((c) => c.ready).length;
  const proxy = containers.find((c) => c.isProxy);
  const detail: PodDetail = {
    name: p.name,
    namespace: p.namespace,
    workload: p.workload,
    phase,
    ready: `${readyCount}/${infos.length}`,
    isReady: podIsReady(status ?? { phase }, names),
    restarts: infos.reduce((a, c) => a + (c.restarts ?? 0), 0),
    hostAliases: p.hostAliases ?? [],
    containers: infos,
    labels: p.labels,
    serviceAccount: p.serviceAccount,
  };
  if (p.ip) detail.podIP = p.ip;
  if (p.nodeName) detail.nodeName = p.nodeName;
  if (p.hostIP) detail.hostIP = p.hostIP;
  const version = imageTag(proxy?.image);
  if (version) detail.istioProxyVersion = version;
  const created = status?.startTime ?? p.obj?.object.metadata.creationTimestamp;
  if (created) detail.createdAt = created;
  if (assumed) detail.statusAssumed = true;
  return detail;
}

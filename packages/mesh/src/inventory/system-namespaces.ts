/**
 * Kubernetes' own namespaces. Istio never injects sidecars there (istio/istio pkg/kube/inject IgnoredNamespaces),
 * and `istioctl analyze` leaves them out: up to Istio 1.19 its port-name and injection analyzers skipped them
 * (util.IsSystemNamespace), since 1.20 its loader drops their objects before any analyzer runs. Meshlens keeps
 * their objects (a route may still point at kube-dns) and the checks that judge an object by mesh conventions skip
 * them, as those analyzers did.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** True for a namespace that belongs to Kubernetes itself, outside the mesh by design. */
export function isSystemNamespace(namespace: string | undefined): boolean {
  return namespace !== undefined && SYSTEM_NAMESPACES.has(namespace);
}

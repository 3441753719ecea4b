/**
 * KubeConfigs that read the cluster as a console user rather than as Meshlens: the same cluster (server, CA,
 * proxy), with the user's own bearer token (token mode) or Meshlens's credentials plus impersonation headers
 * (header mode). The API server then applies that user's RBAC to every list and watch.
 */
import { KubeConfig, type User } from '@kubernetes/client-node';

const SESSION_USER = 'meshlens-session-user';

function clusterOf(base: KubeConfig): { cluster: NonNullable<ReturnType<KubeConfig['getCurrentCluster']>>; context: string; namespace?: string } {
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig has no cluster for context "${base.getCurrentContext()}"`);
  const context = base.getCurrentContext();
  return { cluster, context, namespace: base.getContextObject(context)?.namespace };
}

/** The base's cluster, authenticated with `token` and nothing else of the base's user. */
export function tokenKubeConfig(base: KubeConfig, token: string): KubeConfig {
  const { cluster, context, namespace } = clusterOf(base);
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: SESSION_USER, token }],
    contexts: [{ name: context, cluster: cluster.name, user: SESSION_USER, ...(namespace ? { namespace } : {}) }],
    currentContext: context,
  });
  return kc;
}

/**
 * Adds `Impersonate-Group` headers, which @kubernetes/client-node does not send (it sends `Impersonate-User` from
 * the user's `as`). Node sends an array header as one header line per group, as the API server expects.
 */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(private readonly groups: string[]) {
    super();
  }

  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    if (this.groups.length === 0) return;
    const o = opts as { headers?: Record<string, string | string[] | number> };
    o.headers = { ...(o.headers ?? {}), 'Impersonate-Group': [...this.groups] };
  }
}

/** The base's cluster and credentials, impersonating `user` and `groups` (needs `impersonate` on users and groups). */
export function impersonatingKubeConfig(base: KubeConfig, user: string, groups: string[]): KubeConfig {
  const { cluster, context, namespace } = clusterOf(base);
  const baseUser = base.getCurrentUser();
  if (!baseUser) throw new Error(`the kubeconfig has no user for context "${context}"`);
  const kc = new ImpersonatingKubeConfig(groups);
  const impersonating: User = { ...baseUser, name: SESSION_USER, impersonateUser: user };
  kc.loadFromOptions({
    clusters: [cluster],
    users: [impersonating],
    contexts: [{ name: context, cluster: cluster.name, user: SESSION_USER, ...(namespace ? { namespace } : {}) }],
    currentContext: context,
  });
  return kc;
}

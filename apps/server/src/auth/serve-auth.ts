/** Turns `meshlens serve`'s auth options into what buildApp needs: the mode, and Meshlens's own cluster access. */
import { loadKubeConfig, withContext, type ClusterSet } from '@meshlens/sources';
import type { KubeCliOptions } from '../kube-serve.js';
import { authConfigFrom, type AuthCliOptions, type AuthCluster, type AuthConfig } from './config.js';

/** The auth of `serve`; throws (with a sentence saying what to do) when a mode cannot work with the chosen source. */
export function authForServe(opts: AuthCliOptions & KubeCliOptions, clusters: ClusterSet | undefined): { config: AuthConfig; cluster?: AuthCluster } {
  const config = authConfigFrom(opts);
  if (config.mode === 'anonymous') return { config };
  if (!clusters) throw new Error(`--auth ${config.mode} reads the cluster with each user's identity, so it needs a live cluster (--in-cluster, --kubeconfig or --context); the demo and -f files are served with --auth anonymous`);
  // The same kubeconfig the cluster set loaded: its credentials send TokenReviews and impersonate.
  const loaded = loadKubeConfig({ kubeconfigPath: opts.kubeconfig, context: opts.context, inCluster: opts.inCluster });
  const configs = new Map([[loaded.context, loaded.kc]]);
  const kubeConfigFor = (context: string) => {
    let kc = configs.get(context);
    if (!kc) configs.set(context, (kc = withContext(loaded.kc, context)));
    return kc;
  };
  return { config, cluster: { clusters, kubeConfigFor, istioNamespace: opts.istioNamespace } };
}

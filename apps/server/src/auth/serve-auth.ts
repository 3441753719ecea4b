/** Turns `meshlens serve`'s auth options into what buildApp needs: the mode, and Meshlens's own cluster access. */
import { loadKubeConfig, withContext, type ClusterSet } from '@meshlens/sources';
import type { KubeCliOptions } from '../kube-serve.js';
import { authConfigFrom, type AuthCliOptions, type AuthCluster, type AuthConfig } from './config.js';
import { readSessionKeyFile } from './session-keys.js';

/** Said at start in token mode without --session-key-file. */
export const RANDOM_SESSION_KEY_NOTICE = 'no --session-key-file: session cookies are sealed with a random key made at start, so logins end when this process restarts and other replicas cannot read them. For several replicas or restarts, write a key with `meshlens session-key > keys` and pass --session-key-file keys (MESHLENS_SESSION_KEYS_FILE), e.g. from a Kubernetes Secret (deploy/README.md)';

/** The keys of --session-key-file, if given; a bad file throws in every auth mode (it is a mistake in the deployment). */
export function sessionKeysOf(opts: AuthCliOptions): Buffer[] | undefined {
  return opts.sessionKeyFile ? readSessionKeyFile(opts.sessionKeyFile) : undefined;
}

/**
 * The auth of `serve`; throws (with a sentence saying what to do) when a mode cannot work with the chosen source or
 * the key file is bad. `notice` is a line to print at start.
 */
export function authForServe(opts: AuthCliOptions & KubeCliOptions, clusters: ClusterSet | undefined, sessionKeys = sessionKeysOf(opts)): { config: AuthConfig; cluster?: AuthCluster; notice?: string } {
  const config = authConfigFrom(opts);
  if (sessionKeys) config.sessionKeys = sessionKeys;
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
  const notice = config.mode === 'token' && !config.sessionKeys ? RANDOM_SESSION_KEY_NOTICE : undefined;
  return { config, cluster: { clusters, kubeConfigFor, istioNamespace: opts.istioNamespace }, ...(notice ? { notice } : {}) };
}

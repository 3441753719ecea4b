/** Finds the KubeConfig the way kubectl does, or builds the in-cluster one from the service-account mount. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export const DEFAULT_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const IN_CLUSTER_CONTEXT = 'in-cluster';

export interface KubeConfigOptions {
  /** A kubeconfig file; default `$KUBECONFIG` (colon-separated files, merged), then `~/.kube/config`. */
  kubeconfigPath?: string;
  /** Context to use; default the kubeconfig's current-context. */
  context?: string;
  /** Use the pod's service account (`KUBERNETES_SERVICE_HOST/PORT`, token and CA under `serviceAccountDir`). */
  inCluster?: boolean;
  /** Where the service-account token, ca.crt and namespace are; default `$MESHLENS_SA_DIR`, then the kubelet's mount. */
  serviceAccountDir?: string;
  env?: NodeJS.ProcessEnv;
}

/** A kubeconfig problem the user can fix; the message says how. */
export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

export interface LoadedKubeConfig {
  kc: KubeConfig;
  /** The context in use (`in-cluster` for the service account). */
  context: string;
  /** Where the configuration came from, for messages. */
  origin: string;
  /** The file's current-context (before --context chose another). */
  fileCurrentContext?: string;
}

/** Loads the kubeconfig (or in-cluster config) and selects the context. */
export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  if (options.inCluster) return inClusterConfig(options.serviceAccountDir ?? env.MESHLENS_SA_DIR ?? DEFAULT_SERVICE_ACCOUNT_DIR, env);
  const kc = new KubeConfig();
  let origin: string;
  try {
    if (options.kubeconfigPath) {
      if (!existsSync(options.kubeconfigPath)) throw new KubeConfigError(`--kubeconfig ${options.kubeconfigPath}: no such file`);
      kc.loadFromFile(options.kubeconfigPath);
      origin = options.kubeconfigPath;
    } else if (env.KUBECONFIG) {
      const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length === files.length) throw new KubeConfigError(`$KUBECONFIG names ${files.join(', ')}, and none of these files exists`);
      kc.loadFromFile(files.find((f) => existsSync(f))!);
      for (const f of files.slice(1).filter((x) => existsSync(x))) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more);
      }
      origin = `$KUBECONFIG (${files.join(delimiter)})`;
    } else {
      const path = join(env.HOME ?? homedir(), '.kube', 'config');
      if (!existsSync(path)) throw new KubeConfigError(`no kubeconfig: ${path} does not exist and $KUBECONFIG is not set; pass --kubeconfig PATH, or --in-cluster when running in a pod`);
      kc.loadFromFile(path);
      origin = path;
    }
  } catch (e) {
    if (e instanceof KubeConfigError) throw e;
    throw new KubeConfigError(`cannot read the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
  }
  const names = kc.getContexts().map((c) => c.name);
  const fileCurrentContext = kc.getCurrentContext() || undefined;
  const context = options.context ?? fileCurrentContext;
  if (!context) throw new KubeConfigError(`${origin} has no current-context; pass --context (one of: ${names.join(', ') || 'none'})`);
  if (!names.includes(context)) throw new KubeConfigError(`${origin} has no context "${context}"; known contexts: ${names.join(', ') || 'none'}`);
  kc.setCurrentContext(context);
  if (!kc.getCurrentCluster()) throw new KubeConfigError(`context "${context}" in ${origin} names a cluster the kubeconfig does not define`);
  return { kc, context, origin, fileCurrentContext };
}

/** The same kubeconfig with another current context (a copy: sources never share a mutable KubeConfig). */
export function withContext(kc: KubeConfig, context: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: context });
  if (!copy.getCurrentCluster()) throw new KubeConfigError(`context "${context}" names a cluster the kubeconfig does not define`);
  return copy;
}

function inClusterConfig(dir: string, env: NodeJS.ProcessEnv): LoadedKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeConfigError('--in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; in-cluster mode only works in a pod (use --kubeconfig outside the cluster)');
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  for (const f of [tokenFile, caFile]) {
    if (!existsSync(f)) throw new KubeConfigError(`--in-cluster: ${f} does not exist; mount the service-account token (automountServiceAccountToken) or set MESHLENS_SA_DIR`);
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kc = new KubeConfig();
  const nsFile = join(dir, 'namespace');
  kc.loadFromOptions({
    clusters: [{ name: IN_CLUSTER_CONTEXT, server, caFile, skipTLSVerify: false }],
    // tokenFile: the library re-reads it every minute, as bound service-account tokens rotate.
    users: [{ name: IN_CLUSTER_CONTEXT, authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: IN_CLUSTER_CONTEXT, cluster: IN_CLUSTER_CONTEXT, user: IN_CLUSTER_CONTEXT, ...(existsSync(nsFile) ? { namespace: readTrimmed(nsFile) } : {}) }],
    currentContext: IN_CLUSTER_CONTEXT,
  });
  return { kc, context: IN_CLUSTER_CONTEXT, origin: `service account in ${dir}`, fileCurrentContext: IN_CLUSTER_CONTEXT };
}

function readTrimmed(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

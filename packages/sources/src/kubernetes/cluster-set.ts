/**
 * Every context of a kubeconfig, each with its own live source created on first use, and a MeshSource that reads
 * whichever one the current request selected (AsyncLocalStorage), so routes need not know about clusters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterInfo } from '@meshlens/model';
import { loadKubeConfig, withContext, type KubeConfigOptions } from './config.js';
import { createKubernetesSource, type KubernetesSource, type KubernetesSourceOptions } from './source.js';
import type { MeshSource, TelemetryProvider } from '../source.js';
import { scopedSource } from '../scoped-source.js';

export type { ClusterInfo };

export interface ClusterSetOptions extends KubeConfigOptions, Omit<KubernetesSourceOptions, 'kubeConfig' | 'contextName' | 'telemetry'> {
  /** Telemetry for a context (a Prometheus given or found); resolved in the background. */
  telemetryFor?: (kc: KubeConfig, context: string) => Promise<TelemetryProvider | undefined>;
  /** Reports a telemetry set-up failure (logged by the server). */
  onTelemetryError?: (context: string, error: Error) => void;
}

export class UnknownClusterError extends Error {
  override name = 'UnknownClusterError';
}

export interface ClusterSet {
  defaultContext: string;
  origin: string;
  contexts(): ClusterInfo[];
  /** The source of a context, started on first call. Throws UnknownClusterError. */
  get(context: string): KubernetesSource;
  /** Runs `fn` (and everything it starts) with `context` as the selected cluster. */
  runWith<T>(context: string, fn: () => T): T;
  /** Reads the selected cluster's source (the default outside `runWith`). */
  source: MeshSource;
  close(): Promise<void>;
}

/** Loads the kubeconfig (or in-cluster config) and starts the default context's source. */
export function createClusterSet(options: ClusterSetOptions = {}): ClusterSet {
  const loaded = loadKubeConfig(options);
  const sources = new Map<string, KubernetesSource>();
  const selected = new AsyncLocalStorage<KubernetesSource>();
  const contextNames = options.inCluster ? [loaded.context] : loaded.kc.getContexts().map((c) => c.name);

  const get = (context: string): KubernetesSource => {
    const existing = sources.get(context);
    if (existing) return existing;
    if (!contextNames.includes(context)) throw new UnknownClusterError(`unknown cluster "${context}"; the kubeconfig's contexts are: ${contextNames.join(', ')}`);
    const kc = context === loaded.context ? loaded.kc : withContext(loaded.kc, context);
    const source = createKubernetesSource({ ...options, kubeConfig: kc, contextName: context });
    sources.set(context, source);
    if (options.telemetryFor) {
      options.telemetryFor(kc, context).then(
        (t) => {
          if (t) source.telemetry = t;
        },
        (e: Error) => options.onTelemetryError?.(context, e),
      );
    }
    return source;
  };
  const current = () => selected.getStore() ?? get(loaded.context);

  const first = get(loaded.context);
  const proxy = scopedSource(current, first, {
    kind: 'kubernetes',
    close: async () => {
      await Promise.all([...sources.values()].map((s) => s.close()));
    },
  });

  return {
    defaultContext: loaded.context,
    origin: loaded.origin,
    contexts: () => contextNames.map((name) => {
      const ctx = loaded.kc.getContextObject(name);
      const cluster = ctx ? loaded.kc.getCluster(ctx.cluster) : null;
      const started = sources.get(name);
      return {
        context: name,
        cluster: ctx?.cluster ?? name,
        server: cluster?.server,
        user: ctx?.user,
        namespace: ctx?.namespace,
        current: name === loaded.fileCurrentContext,
        default: name === loaded.context,
        started: started !== undefined,
        ...(started ? { state: started.status().state } : {}),
      };
    }),
    get,
    runWith: (context, fn) => selected.run(get(context), fn),
    source: proxy,
    close: () => proxy.close!(),
  };
}

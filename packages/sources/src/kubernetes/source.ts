/**
 * The live Kubernetes source: lists then watches every kind the inventory holds, and rebuilds the inventory
 * (throttled) after changes. One per cluster context; construct it from a KubeConfig so that a per-user identity
 * can have its own.
 */
import { performance } from 'node:perf_hooks';
import { buildInventory, type Inventory } from '@meshlens/mesh';
import { refKey, refOf, type InventoryObject, type KubeObject, type LoadError, type ObjectRef, type SourceStatus, type SourceVisibility } from '@meshlens/model';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig, type KubeConfigOptions } from './config.js';
import { createKubeClient, type KubeClient } from './http.js';
import { KindWatch } from './kind-watch.js';
import { DEFAULT_TIMING, type ReflectorTiming } from './reflector.js';
import { builtinResources, discoverIstioResources, type WatchedResource } from './resources.js';
import { visibilityOf } from './visibility.js';
import { patchInventory } from './inventory-patch.js';
import { readPodLogs } from './pod-logs.js';
import { noTelemetry, type InventoryChange, type MeshSource, type TelemetryProvider } from '../source.js';

export interface KubernetesSourceOptions extends KubeConfigOptions {
  /** Use this KubeConfig (its current context) instead of loading one. */
  kubeConfig?: KubeConfig;
  /** Name of the context, for origins and messages (default: the KubeConfig's current context). */
  contextName?: string;
  telemetry?: TelemetryProvider;
  /** Where istiod's `istio` ConfigMap is (default istio-system). */
  istioNamespace?: string;
  /** Namespaces to try one by one when the identity may not list Namespaces (default: the context's namespace). */
  namespaces?: string[];
  /** Least time between two inventory rebuilds while events stream in (default 50 ms). */
  rebuildIntervalMs?: number;
  timing?: Partial<ReflectorTiming>;
}

export interface KubernetesSource extends MeshSource {
  kind: 'kubernetes';
  context: string;
  client: KubeClient;
  subscribe(listener: (change: InventoryChange) => void): () => void;
  visibility(): SourceVisibility;
  synced(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /** Per-kind watch state, for /api/health and tests. */
  kinds(): KindWatch[];
}

/** Starts listing and watching at once; `synced()` tells when the first inventory is complete. */
export function createKubernetesSource(options: KubernetesSourceOptions = {}): KubernetesSource {
  const loaded = options.kubeConfig ? { kc: options.kubeConfig, context: options.contextName ?? options.kubeConfig.getCurrentContext() } : loadKubeConfig(options);
  const { kc, context } = loaded;
  const client = createKubeClient(kc);
  const timing: ReflectorTiming = { ...DEFAULT_TIMING, ...options.timing };
  const telemetry = options.telemetry ?? noTelemetry;
  const rebuildIntervalMs = options.rebuildIntervalMs ?? 50;
  const fallbackNamespaces = options.namespaces ?? [kc.getContextObject(context)?.namespace ?? 'default'];

  const objects = new Map<string, InventoryObject>();
  const listeners = new Set<(c: InventoryChange) => void>();
  const watches: KindWatch[] = [];
  const sourceErrors: LoadError[] = [];
  let inventory: Inventory = buildInventory([]);
  let pendingChanged = new Map<string, ObjectRef>();
  let pendingRemoved = new Map<string, ObjectRef>();
  let firstEventAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastBuildAt = 0;
  let initialSync = false;
  let initialBuildDone = false;
  let discovered = false;
  let closed = false;
  const syncWaiters: Array<() => void> = [];

  let lastBuildMs = 0;
  const rebuild = () => {
    timer = undefined;
    const t = performance.now();
    const changes = new Map<string, { ref: ObjectRef; now: InventoryObject | undefined }>();
    for (const [key, ref] of pendingChanged) changes.set(key, { ref, now: objects.get(key) });
    for (const [key, ref] of pendingRemoved) changes.set(key, { ref, now: undefined });
    const patched = initialBuildDone ? patchInventory(inventory, changes) : undefined;
    inventory = patched ?? buildInventory([...objects.values()]);
    initialBuildDone = true;
    lastBuildAt = performance.now();
    lastBuildMs = lastBuildAt - t;
    const change: InventoryChange = { inventory, changed: [...pendingChanged.values()], removed: [...pendingRemoved.values()], firstEventAt: firstEventAt || t };
    pendingChanged = new Map();
    pendingRemoved = new Map();
    firstEventAt = 0;
    for (const l of listeners) l(change);
  };
  const schedule = () => {
    if (!initialSync || timer || closed) return;
    // The first event after a quiet spell rebuilds on the next tick; a burst rebuilds at most every interval.
    // A full rebuild of a big cluster is slow: leave at least as much idle time as it took (CPU at most half).
    const wait = Math.max(0, Math.max(rebuildIntervalMs, lastBuildMs) - (performance.now() - lastBuildAt));
    timer = setTimeout(rebuild, wait);
  };
  const touched = (ref: ObjectRef, removed: boolean) => {
    const key = refKey(ref);
    if (!firstEventAt) firstEventAt = performance.now();
    (removed ? pendingRemoved : pendingChanged).set(key, ref);
    (removed ? pendingChanged : pendingRemoved).delete(key);
    schedule();
  };
  const store = {
    set(o: KubeObject) {
      const ref = refOf(o);
      const isNew = !objects.has(refKey(ref));
      objects.set(refKey(ref), { ref, object: o, origin: { source: 'cluster', cluster: context } });
      touched(ref, false);
      if (isNew && o.kind === 'Namespace') onStateChange();
    },
    delete(o: KubeObject) {
      const ref = refOf(o);
      if (!objects.delete(refKey(ref))) return;
      touched(ref, true);
      if (o.kind === 'Namespace') onStateChange();
    },
  };

  const namespaceNames = (): string[] => {
    const nsWatch = watches.find((w) => w.resource.kind === 'Namespace');
    const listed = nsWatch?.reflectors.get('')?.state !== 'forbidden';
    if (!listed) return fallbackNamespaces;
    return [...objects.values()].filter((o) => o.ref.kind === 'Namespace').map((o) => o.ref.name).sort();
  };
  let lastNamespaces = '';
  const onStateChange = () => {
    // Kinds watched namespace by namespace follow the namespace list.
    const names = namespaceNames();
    const key = names.join(',');
    if (key === lastNamespaces) return;
    lastNamespaces = key;
    for (const w of watches) w.setNamespaces(names);
  };
  const checkSynced = () => {
    onStateChange();
    if (initialSync || !discovered || !watches.every((w) => w.synced)) return;
    initialSync = true;
    rebuild();
    for (const w of syncWaiters.splice(0)) w();
  };
  const notify = { onSynced: checkSynced, onStateChange };

  const startWatch = (r: WatchedResource) => {
    const w = new KindWatch(r, client, { set: store.set, delete: (o) => store.delete(o) }, timing, notify);
    watches.push(w);
    w.setNamespaces(namespaceNames());
    w.start();
  };

  // Namespaces first: the other kinds may need the list to fall back to per-namespace watches.
  for (const r of builtinResources(options.istioNamespace ?? 'istio-system')) startWatch(r);
  const discover = async (attempt: number): Promise<void> => {
    try {
      const istio = await discoverIstioResources(client);
      if (closed) return;
      for (const r of istio) startWatch(r);
      sourceErrors.length = 0;
      discovered = true;
      checkSynced();
    } catch (e) {
      if (closed) return;
      sourceErrors.splice(0, sourceErrors.length, { object: 'API discovery', message: `cannot discover Istio's and the Gateway API's resources (${(e as Error).message}); retrying` });
      setTimeout(() => void discover(attempt + 1), Math.min(timing.backoffMaxMs, timing.backoffInitialMs * 2 ** attempt)).unref?.();
    }
  };
  void discover(0);

  const countByKind = (): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const o of objects.values()) counts[o.ref.kind] = (counts[o.ref.kind] ?? 0) + 1;
    return counts;
  };

  const source: KubernetesSource = {
    name: `Kubernetes context ${context}`,
    kind: 'kubernetes',
    context,
    client,
    telemetry,
    inventory: () => inventory,
    // With this source's kubeconfig: a user's own source reads logs as that user.
    podLogs: (q) => readPodLogs(client, q, inventory),
    kinds: () => [...watches],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    visibility: () => visibilityOf(watches),
    synced(timeoutMs) {
      if (initialSync) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = () => resolve(true);
        syncWaiters.push(done);
        if (timeoutMs !== undefined) {
          setTimeout(() => {
            const i = syncWaiters.indexOf(done);
            if (i >= 0) syncWaiters.splice(i, 1);
            resolve(initialSync);
          }, timeoutMs).unref?.();
        }
      });
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watches) w.stop();
    },
    status(): SourceStatus {
      const reflectors = watches.flatMap((w) => [...w.reflectors.values()]);
      const failing = reflectors.filter((r) => r.troubleSince !== undefined && r.state !== 'forbidden' && r.state !== 'absent');
      const since = failing.reduce<Date | undefined>((a, r) => (!a || r.troubleSince! < a ? r.troubleSince : a), undefined);
      const last = reflectors.reduce<Date | undefined>((a, r) => (r.lastEventAt && (!a || r.lastEventAt > a) ? r.lastEventAt : a), undefined);
      const errors: LoadError[] = [...sourceErrors, ...failing.map((r) => ({ object: r.resource.kind, message: `${r.lastError ?? 'watch interrupted'}; reconnecting` })), ...inventory.errors];
      const visibility = visibilityOf(watches);
      return {
        name: source.name,
        kind: 'kubernetes',
        state: initialSync ? 'ready' : failing.length > 0 && !reflectors.some((r) => r.synced) ? 'error' : 'loading',
        objects: objects.size,
        errors,
        telemetry: { kind: telemetry.kind, url: telemetry.url },
        cluster: context,
        server: client.server,
        connected: initialSync && failing.length === 0,
        ...(since ? { disconnectedSince: since.toISOString(), disconnectedKinds: failing.length } : {}),
        lastEventTime: last?.toISOString(),
        objectsByKind: countByKind(),
        visibility,
      };
    },
  };
  return source;
}

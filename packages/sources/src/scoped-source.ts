/**
 * A MeshSource that answers, on each call, from whichever source the current request selected (a kubeconfig
 * context, a user's own view of the cluster, an opened snapshot file — each kept in AsyncLocalStorage by its
 * layer), so the routes read one `source` and need not know about any of them.
 */
import type { SourceVisibility } from '@meshlens/model';
import { podLogsUnavailable, type InventoryChange, type MeshSource, type PodLogQuery } from './source.js';

const FULL_VISIBILITY: SourceVisibility = { complete: true, hiddenKinds: [], hiddenNamespaces: [], forbidden: [] };

/**
 * `current()` is read on every property access and call. `shape` decides which optional, live-only methods the
 * result has (those of the sources it can select); a selected source without one answers as a source with nothing
 * live does: no change events, full visibility, already synced. `close` defaults to `shape`'s.
 */
export function scopedSource(current: () => MeshSource, shape: MeshSource, options: { kind?: MeshSource['kind']; close?: () => Promise<void> } = {}): MeshSource {
  const source: MeshSource = {
    get name() {
      return current().name;
    },
    get kind() {
      return options.kind ?? current().kind;
    },
    get telemetry() {
      return current().telemetry;
    },
    get defaultNamespaces() {
      return current().defaultNamespaces;
    },
    get defaultQueryTime() {
      return current().defaultQueryTime;
    },
    inventory: () => current().inventory(),
    status: () => current().status(),
    // Always present: whether logs exist depends on the source the request selects (a snapshot has none), and a
    // selected source without logs must say so rather than fall back to another identity's.
    podLogs: (query: PodLogQuery) => {
      const selected = current();
      return selected.podLogs ? selected.podLogs(query) : Promise.reject(podLogsUnavailable(selected.kind));
    },
    get podStatus() {
      return current().podStatus;
    },
  };
  if (shape.subscribe) source.subscribe = (listener: (change: InventoryChange) => void) => current().subscribe?.(listener) ?? (() => {});
  if (shape.visibility) source.visibility = () => current().visibility?.() ?? FULL_VISIBILITY;
  if (shape.synced) source.synced = (timeoutMs?: number) => current().synced?.(timeoutMs) ?? Promise.resolve(true);
  const close = options.close ?? (shape.close ? () => shape.close!() : undefined);
  if (close) source.close = close;
  return source;
}

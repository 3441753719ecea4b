/**
 * Keeps one kind current across the namespaces the identity may read: one watch across all namespaces when RBAC
 * allows it, otherwise one watch per namespace (an identity bound by RoleBindings), noting each 403 it gets.
 */
import type { KubeObject } from '@meshlens/model';
import type { KubeApiError, KubeClient } from './http.js';
import { objectKey } from './objects.js';
import { Reflector, type ReflectorSink, type ReflectorTiming } from './reflector.js';
import type { WatchedResource } from './resources.js';

export interface ForbiddenScope {
  /** Undefined: across all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  verb: 'list' | 'watch';
  message: string;
}

/** Where a kind's objects go: the source's store. */
export interface KindStore {
  set(obj: KubeObject): void;
  delete(obj: KubeObject): void;
}

export class KindWatch {
  /** 'namespaces' after a 403 across all namespaces. */
  mode: 'cluster' | 'namespaces' = 'cluster';
  readonly reflectors = new Map<string, Reflector>();
  private readonly sinks = new Map<string, { clear(): void }>();
  clusterForbidden?: ForbiddenScope;
  private namespaces: string[] = [];
  private stopped = false;

  constructor(
    readonly resource: WatchedResource,
    private readonly client: KubeClient,
    private readonly store: KindStore,
    private readonly timing: ReflectorTiming,
    private readonly notify: { onSynced(): void; onStateChange(): void },
  ) {}

  start(): void {
    this.add(undefined);
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.reflectors.values()) r.stop();
  }

  /** Every reflector has listed once, or knows it may not. */
  get synced(): boolean {
    return [...this.reflectors.values()].every((r) => r.synced);
  }

  /** Namespaces whose objects of this kind are not visible, with the 403 behind it. */
  forbidden(): ForbiddenScope[] {
    const out: ForbiddenScope[] = [];
    for (const [key, r] of this.reflectors) {
      if (r.state === 'forbidden') out.push({ namespace: key === '' ? undefined : key, verb: r.forbiddenVerb ?? 'list', message: r.lastError ?? 'forbidden' });
    }
    // Across all namespaces was refused and no namespace is known to try one by one: nothing is visible.
    if (this.mode === 'namespaces' && this.reflectors.size === 0 && this.clusterForbidden) out.push(this.clusterForbidden);
    return out;
  }

  /** The namespaces to watch one by one when a cluster-wide watch is forbidden. */
  setNamespaces(namespaces: string[]): void {
    this.namespaces = namespaces;
    if (this.mode !== 'namespaces' || this.stopped) return;
    for (const ns of namespaces) if (!this.reflectors.has(ns)) this.add(ns);
    for (const [ns, r] of this.reflectors) {
      if (!namespaces.includes(ns)) {
        r.stop();
        this.reflectors.delete(ns);
        this.sinks.get(ns)?.clear();
        this.sinks.delete(ns);
      }
    }
    this.notify.onStateChange();
  }

  private add(namespace: string | undefined): void {
    const key = namespace ?? '';
    const held = new Map<string, KubeObject>();
    const sink: ReflectorSink & { clear(): void } = {
      replace: (items) => {
        const next = new Map(items.map((o) => [objectKey(o), o]));
        for (const [k, o] of held) if (!next.has(k)) this.store.delete(o);
        held.clear();
        for (const [k, o] of next) {
          held.set(k, o);
          this.store.set(o);
        }
      },
      upsert: (o) => {
        held.set(objectKey(o), o);
        this.store.set(o);
      },
      remove: (o) => {
        held.delete(objectKey(o));
        this.store.delete(o);
      },
      clear: () => sink.replace([]),
    };
    const reflector: Reflector = new Reflector(this.client, this.resource, namespace, sink, this.timing, {
      onSynced: () => this.notify.onSynced(),
      onStateChange: () => this.notify.onStateChange(),
      onForbidden: (e, verb) => this.onForbidden(key, e, verb),
    });
    this.sinks.set(key, sink);
    this.reflectors.set(key, reflector);
    reflector.start();
  }

  private onForbidden(key: string, e: KubeApiError, verb: 'list' | 'watch'): void {
    const canNarrow = key === '' && this.resource.namespaced && this.resource.namespace === undefined && this.mode === 'cluster';
    if (!canNarrow) return;
    // No cluster-wide list: try each namespace, as kubectl -n would.
    this.clusterForbidden = { verb, message: e.message };
    this.mode = 'namespaces';
    const cluster = this.reflectors.get('');
    cluster?.stop();
    this.reflectors.delete('');
    this.sinks.get('')?.clear();
    this.sinks.delete('');
    this.setNamespaces(this.namespaces);
    // Counted as synced for the kind once the per-namespace reflectors are.
    this.notify.onSynced();
  }
}

/** The test API server's object store: one resourceVersion counter, an event log, compaction. */
import type { KubeObject } from '@meshlens/model';
import type { ServedResource } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  resource: ServedResource;
  type: WatchEventType;
  object: KubeObject;
}

export type EventListener = (event: StoredEvent) => void;

export class TooOldResourceVersion extends Error {}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ObjectStore {
  private rv = 1000;
  private compactedRv = 1000;
  private readonly objects = new Map<ServedResource, Map<string, KubeObject>>();
  private readonly log: StoredEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private uid = 0;

  constructor(readonly resources: ServedResource[]) {
    for (const r of resources) this.objects.set(r, new Map());
  }

  get resourceVersion(): number {
    return this.rv;
  }

  resourceFor(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ServedResource | undefined {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    return this.resources.find((r) => r.kind === obj.kind && r.group === group);
  }

  /** Creates or replaces an object (a new resourceVersion, an ADDED or MODIFIED event). */
  apply(input: KubeObject): KubeObject {
    const resource = this.resourceFor(input);
    if (!resource) throw new Error(`the test API server does not serve ${input.apiVersion} ${input.kind}`);
    const items = this.objects.get(resource)!;
    const prev = items.get(key(input));
    this.rv++;
    const object: KubeObject = structuredClone({
      ...input,
      metadata: {
        ...input.metadata,
        ...(resource.namespaced ? { namespace: input.metadata.namespace ?? 'default' } : {}),
        uid: prev?.metadata.uid ?? input.metadata.uid ?? `00000000-0000-4000-8000-${String(++this.uid).padStart(12, '0')}`,
        resourceVersion: String(this.rv),
        creationTimestamp: prev?.metadata.creationTimestamp ?? input.metadata.creationTimestamp ?? '2026-01-01T00:00:00Z',
      },
    });
    items.set(key(object), object);
    this.emit({ rv: this.rv, resource, type: prev ? 'MODIFIED' : 'ADDED', object });
    return object;
  }

  /** Deletes an object; returns false when there was none. */
  delete(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): boolean {
    const resource = this.resourceFor(ref);
    if (!resource) return false;
    const items = this.objects.get(resource)!;
    const k = `${resource.namespaced ? (ref.namespace ?? 'default') : ''}/${ref.name}`;
    const prev = items.get(k);
    if (!prev) return false;
    items.delete(k);
    this.rv++;
    this.emit({ rv: this.rv, resource, type: 'DELETED', object: { ...prev, metadata: { ...prev.metadata, resourceVersion: String(this.rv) } } });
    return true;
  }

  list(resource: ServedResource, namespace?: string): KubeObject[] {
    const all = [...this.objects.get(resource)!.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get(resource: ServedResource, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)!.get(`${namespace ?? ''}/${name}`);
  }

  /** Events after `rv`; throws when the log no longer reaches back that far (the watch must answer 410). */
  eventsSince(rv: number): StoredEvent[] {
    if (rv < this.compactedRv) throw new TooOldResourceVersion(`too old resource version: ${rv} (${this.compactedRv})`);
    return this.log.filter((e) => e.rv > rv);
  }

  /** Forgets the event log: every resourceVersion older than now is "too old" from here on. */
  compact(): void {
    this.log.length = 0;
    this.compactedRv = this.rv;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoredEvent): void {
    this.log.push(event);
    // Bounded like etcd's watch cache; a bench cluster would otherwise keep every event forever.
    if (this.log.length > 50_000) {
      const dropped = this.log.splice(0, 10_000);
      this.compactedRv = dropped[dropped.length - 1]!.rv;
    }
    for (const l of this.listeners) l(event);
  }
}

/**
 * List then watch one collection, for as long as it runs: paginated list, watch from the list's resourceVersion
 * with bookmarks, resume from the last resourceVersion after a cut (with backoff), relist on 410 Gone.
 */
import type { KubeObject } from '@meshlens/model';
import { KubeApiError, type KubeClient } from './http.js';
import { normalizeObject } from './objects.js';
import { collectionPath, type WatchedResource } from './resources.js';

export type ReflectorState = 'listing' | 'watching' | 'backoff' | 'forbidden' | 'absent' | 'stopped';

export interface ReflectorSink {
  /** Everything the collection holds now (after a list). */
  replace(items: KubeObject[]): void;
  upsert(obj: KubeObject): void;
  remove(obj: KubeObject): void;
}

export interface ReflectorTiming {
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Asked of the server, which then ends the watch cleanly; we re-watch from the last resourceVersion. */
  watchTimeoutSeconds: number;
  /** No byte (not even a bookmark) for this long: the connection is dead even if TCP says otherwise. */
  idleTimeoutMs: number;
  /** How often a forbidden or absent collection is tried again (RBAC and CRDs change). */
  retryForbiddenMs: number;
  pageSize: number;
}

export const DEFAULT_TIMING: ReflectorTiming = { backoffInitialMs: 500, backoffMaxMs: 30_000, watchTimeoutSeconds: 300, idleTimeoutMs: 420_000, retryForbiddenMs: 300_000, pageSize: 500 };

export interface ReflectorHooks {
  onSynced?(): void;
  onForbidden?(error: KubeApiError, verb: 'list' | 'watch'): void;
  onStateChange?(): void;
}

class Gone extends Error {}

const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const METADATA_ONE = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

export class Reflector {
  state: ReflectorState = 'listing';
  resourceVersion = '';
  synced = false;
  lastEventAt?: Date;
  lastError?: string;
  /**
   * Since when this kind cannot reach the API server (a list or watch failed and none has succeeded since): the
   * inventory of the kind is as it was then. Undefined while it lists or watches.
   */
  troubleSince?: Date;
  forbiddenVerb?: 'list' | 'watch';
  lists = 0;
  watches = 0;
  private stopped = false;
  private abort?: AbortController;
  private wake?: () => void;

  constructor(
    private readonly client: KubeClient,
    readonly resource: WatchedResource,
    /** Undefined: across all namespaces (or the resource's own fixed namespace). */
    readonly namespace: string | undefined,
    private readonly sink: ReflectorSink,
    private readonly timing: ReflectorTiming,
    private readonly hooks: ReflectorHooks = {},
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.setState('stopped');
    this.abort?.abort();
    this.wake?.();
  }

  private setState(state: ReflectorState): void {
    if (this.state === state) return;
    this.state = state;
    this.hooks.onStateChange?.();
  }

  private async loop(): Promise<void> {
    let delay = this.timing.backoffInitialMs;
    while (!this.stopped) {
      let verb: 'list' | 'watch' = 'list';
      try {
        if (!this.resourceVersion) await this.list();
        verb = 'watch';
        const started = Date.now();
        const events = await this.watch();
        // A server that ends watches at once would otherwise make us spin.
        if (Date.now() - started < 1000 && events === 0) {
          await this.sleep(delay);
          delay = Math.min(delay * 2, this.timing.backoffMaxMs);
        } else {
          delay = this.timing.backoffInitialMs;
        }
        this.lastError = undefined;
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof Gone || (e instanceof KubeApiError && e.statusCode === 410)) {
          // Our resourceVersion is older than the server's history: start over with a fresh list.
          this.resourceVersion = '';
          continue;
        }
        this.lastError = `${verb} ${collectionPath(this.resource, this.namespace ?? this.resource.namespace)}: ${(e as Error).message}`;
        this.troubleSince ??= new Date();
        if (e instanceof KubeApiError && (e.statusCode === 403 || e.statusCode === 404)) {
          this.forbiddenVerb = verb;
          if (e.statusCode === 403) {
            this.setState('forbidden');
            this.hooks.onForbidden?.(e, verb);
          } else {
            // The CRD was removed: its objects are gone with it.
            this.setState('absent');
            this.sink.replace([]);
            this.resourceVersion = '';
          }
          this.markSynced();
          if (this.stopped) return;
          await this.sleep(this.timing.retryForbiddenMs);
          continue;
        }
        this.setState('backoff');
        // Jitter keeps many watchers from reconnecting in lockstep after an API-server restart.
        await this.sleep(delay * (0.8 + Math.random() * 0.4));
        delay = Math.min(delay * 2, this.timing.backoffMaxMs);
      }
    }
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.hooks.onSynced?.();
  }

  private path(query: Record<string, string>): string {
    const q = new URLSearchParams(query);
    if (this.resource.fieldSelector) q.set('fieldSelector', this.resource.fieldSelector);
    return `${collectionPath(this.resource, this.namespace ?? this.resource.namespace)}?${q}`;
  }

  private async list(): Promise<void> {
    this.setState('listing');
    this.abort = new AbortController();
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let cont = '';
    do {
      const page = await this.client.getJson<{ metadata?: { resourceVersion?: string; continue?: string }; items?: KubeObject[] }>(
        this.path({ limit: String(this.timing.pageSize), ...(cont ? { continue: cont } : {}) }),
        { accept: this.resource.metadataOnly ? METADATA_LIST : undefined, signal: this.abort.signal },
      );
      for (const item of page.items ?? []) items.push(normalizeObject(item, this.resource));
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue ?? '';
    } while (cont && !this.stopped);
    if (this.stopped) return;
    this.lists++;
    this.troubleSince = undefined;
    this.sink.replace(items);
    this.resourceVersion = resourceVersion;
    this.lastEventAt = new Date();
    this.markSynced();
  }

  /** Returns the number of events seen when the server ends the watch; throws on errors. */
  private async watch(): Promise<number> {
    this.abort = new AbortController();
    const abort = this.abort;
    let failure: Error | undefined;
    let events = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        failure = new Error(`no data from the API server for ${Math.round(this.timing.idleTimeoutMs / 1000)} s; reconnecting`);
        abort.abort();
      }, this.timing.idleTimeoutMs);
    };
    const onEvent = (raw: unknown) => {
      if (failure) return;
      armIdle();
      const { type, object } = raw as { type?: string; object?: KubeObject & { code?: number; message?: string; reason?: string } };
      if (!object) return;
      if (type === 'ERROR') {
        failure = object.code === 410 ? new Gone(object.message ?? 'resourceVersion too old') : new KubeApiError(object.code ?? 500, object.reason ?? '', object.message ?? 'watch error', 'watch');
        abort.abort();
        return;
      }
      const rv = object.metadata?.resourceVersion;
      if (type === 'BOOKMARK') {
        if (rv) this.resourceVersion = rv;
        return;
      }
      if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
      events++;
      const obj = normalizeObject(object, this.resource);
      if (type === 'DELETED') this.sink.remove(obj);
      else this.sink.upsert(obj);
      if (rv) this.resourceVersion = rv;
      this.lastEventAt = new Date();
    };
    this.watches++;
    armIdle();
    try {
      const path = this.path({ watch: 'true', resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(this.timing.watchTimeoutSeconds) });
      // Watching once the API server answers: a refused connection is no open watch.
      const onOpen = () => {
        this.troubleSince = undefined;
        this.setState('watching');
      };
      await this.client.stream(path, onEvent, { accept: this.resource.metadataOnly ? METADATA_ONE : undefined, signal: abort.signal, onOpen });
    } catch (e) {
      if (!failure) throw e;
    } finally {
      if (idle) clearTimeout(idle);
    }
    if (failure) throw failure;
    return events;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

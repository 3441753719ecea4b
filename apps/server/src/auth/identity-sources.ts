/**
 * One live source per console identity (token hash, or impersonated user + groups) and cluster, created on the
 * identity's first request and closed after it has been idle, or on logout (token mode). Sessions are cookies no
 * replica keeps, so idleness is the only end a replica sees. Each source holds its own list+watch of the cluster:
 * memory grows with concurrent users.
 */
import type { IdentityView } from './identity-view.js';

interface Entry {
  view: IdentityView;
  /** Sessions holding it (token mode). */
  holders: number;
  lastUsed: number;
}

export interface IdentitySourcesOptions {
  /** Close an unheld source after this long without a request (default 15 min). */
  idleMs?: number;
  now?: () => number;
}

export class IdentitySources {
  private readonly entries = new Map<string, Entry>();
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: IdentitySourcesOptions = {}) {
    this.idleMs = options.idleMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, this.idleMs));
    this.sweeper.unref();
  }

  /** The identity's view, created with `make` the first time. */
  get(key: string, make: () => IdentityView): IdentityView {
    let e = this.entries.get(key);
    if (!e) {
      e = { view: make(), holders: 0, lastUsed: this.now() };
      this.entries.set(key, e);
    }
    e.lastUsed = this.now();
    return e.view;
  }

  /** A session now holds the identity's source (it stays open while held). */
  hold(key: string): void {
    const e = this.entries.get(key);
    if (e) e.holders++;
  }

  /** A session let go; the source closes when nobody holds it. */
  async release(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    e.holders = Math.max(0, e.holders - 1);
    if (e.holders === 0) await this.dispose(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  async sweep(): Promise<void> {
    const t = this.now();
    for (const [key, e] of [...this.entries]) if (e.holders === 0 && t - e.lastUsed >= this.idleMs) await this.dispose(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.entries.keys()].map((k) => this.dispose(k)));
  }

  private async dispose(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    await e.view.close?.();
  }
}

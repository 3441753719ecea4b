/**
 * Login sessions of token mode, in memory: the browser holds only an opaque random id (cookie); the bearer token,
 * user and groups stay on the server and are gone on logout, expiry or restart.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  id: string;
  /** The user's bearer token: server memory only, never sent back to the browser. */
  token: string;
  /** SHA-256 of the token: the key of the identity's source (sessions of one token share it). */
  tokenHash: string;
  user: string;
  groups: string[];
  /** The kubeconfig context the token was reviewed against. */
  cluster: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStoreOptions {
  /** Absolute lifetime of a session (default 8 h): a stolen cookie is not good forever. */
  ttlMs?: number;
  now?: () => number;
  /** Called once per session that ends (logout or expiry), to release what it held. */
  onEnd?: (session: Session) => void;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 8 * 3600_000;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.ttlMs));
    this.sweeper.unref();
  }

  create(fields: Omit<Session, 'id' | 'createdAt' | 'expiresAt'>): Session {
    // 32 random bytes: unguessable, and it says nothing about the user or the token.
    const session: Session = { ...fields, id: randomBytes(32).toString('base64url'), createdAt: this.now(), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id; an expired one ends here. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.end(id);
      return undefined;
    }
    return s;
  }

  end(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    this.options.onEnd?.(s);
    return true;
  }

  get size(): number {
    return this.sessions.size;
  }

  sweep(): void {
    const t = this.now();
    for (const s of [...this.sessions.values()]) if (s.expiresAt <= t) this.end(s.id);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.end(id);
  }
}

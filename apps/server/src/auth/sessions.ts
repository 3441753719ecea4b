/**
 * Login sessions of token mode, held by the browser: the `meshlens_session` cookie is the session itself (token,
 * user, groups, cluster, lifetime), encrypted and authenticated with @fastify/secure-session (libsodium secretbox),
 * so any replica that has the key reads it and none keeps a session store. A cookie changed by one bit, sealed
 * with an unknown key, or past its encrypted `expiresAt` is no session. The server keeps no list of sessions:
 * logout clears the browser's cookie, and a copy of it taken before stays valid until it expires or the key that
 * sealed it is removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import fastifySecureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_KEY_BYTES } from './session-keys.js';

export const SESSION_COOKIE = 'meshlens_session';
/** What browsers keep of one cookie's name and value (RFC 6265 asks for at least 4096 bytes; they keep no more). */
export const MAX_COOKIE_BYTES = 4096;
const DEFAULT_TTL_MS = 8 * 3600_000;
/** Clocks of replicas may differ a little: a cookie made "in the future" by this much is still read. */
const CLOCK_SKEW_MS = 60_000;

export interface Session {
  /** The user's bearer token: only ever inside the encrypted cookie and this server's memory. */
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

/** What the cookie holds, encrypted. */
type Sealed = Omit<Session, 'tokenHash'>;

export interface SessionCookieOptions {
  /** Secretbox keys of 32 bytes: the first seals, all open (rotation). Default: one random key (this process only). */
  keys?: Buffer[];
  /** Absolute lifetime of a session (default 8 h): a stolen cookie is not good forever. */
  ttlMs?: number;
  now?: () => number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What the library writes: base64 ciphertext `;` base64 nonce of 24 bytes. Anything else is refused unread. */
const SEALED_VALUE = /^[A-Za-z0-9+/]+={0,2};[A-Za-z0-9+/]{32}$/;

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Cookie attributes of this request's session cookie: Secure when the browser reached us over TLS. */
function attributes(req: FastifyRequest, maxAgeS: number) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https', maxAge: maxAgeS };
}

/** The sessions of one server, sealed into and read from the request's cookie. */
export class SessionCookies {
  readonly ttlMs: number;
  private readonly keys: Buffer[];
  private readonly now: () => number;
  private app?: FastifyInstance;
  private readonly read$ = new WeakMap<FastifyRequest, Session | null>();

  constructor(options: SessionCookieOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
    this.keys = options.keys && options.keys.length > 0 ? options.keys : [randomBytes(SESSION_KEY_BYTES)];
    for (const k of this.keys) if (k.length !== SESSION_KEY_BYTES) throw new Error(`a session key must be ${SESSION_KEY_BYTES} bytes, not ${k.length}`);
  }

  /** Registers @fastify/secure-session on `app` (after @fastify/cookie): it opens the cookie of every request. */
  async register(app: FastifyInstance): Promise<void> {
    await app.register(fastifySecureSession, {
      cookieName: SESSION_COOKIE,
      key: this.keys,
      // The library's own limit, a backstop behind expiresAt.
      expiry: Math.ceil((this.ttlMs + CLOCK_SKEW_MS) / 1000),
      cookie: { path: '/', httpOnly: true, sameSite: 'strict' },
    });
    this.app = app;
  }

  /** The cookie value that carries `session` (what Set-Cookie sends, before URL-encoding). */
  seal(session: Session): string {
    return this.requireApp().encodeSecureSession(this.requireApp().createSecureSession(sealedOf(session)));
  }

  /** The live session in a cookie value, or undefined (absent, malformed, tampered, unknown key, expired). */
  open(value: string | undefined): Session | undefined {
    if (!value || !SEALED_VALUE.test(value)) return undefined;
    const decoded = this.requireApp().decodeSecureSession(value);
    return decoded ? this.valid(decoded.data()) : undefined;
  }

  /** The request's live session (its cookie, opened by the library's hook), or undefined. */
  read(req: FastifyRequest): Session | undefined {
    const cached = this.read$.get(req);
    if (cached !== undefined) return cached ?? undefined;
    const box = req.session;
    const value = req.cookies[SESSION_COOKIE];
    const session = box && !box.deleted && value && SEALED_VALUE.test(value) ? this.valid(box.data()) : undefined;
    this.read$.set(req, session ?? null);
    if (box?.changed && !box.deleted) {
      // Opened with an older key: sealed again with the first one, keeping its lifetime; nothing if it is dead.
      if (session) box.options(attributes(req, Math.max(0, Math.floor((session.expiresAt - this.now()) / 1000))));
      else box.changed = false;
    }
    return session;
  }

  /**
   * A new session for this request's answer (its Set-Cookie), or why not: a token too large for a cookie. Kubernetes
   * service-account tokens are about 1 KB; the cookie holds about 2.5 KB of token, user and groups.
   */
  start(req: FastifyRequest, fields: Omit<Session, 'tokenHash' | 'createdAt' | 'expiresAt'>): Session | { error: string } {
    const createdAt = this.now();
    const session: Session = { ...fields, tokenHash: hashToken(fields.token), createdAt, expiresAt: createdAt + this.ttlMs };
    const bytes = Buffer.byteLength(`${SESSION_COOKIE}=${encodeURIComponent(this.seal(session))}`);
    if (bytes > MAX_COOKIE_BYTES) {
      return { error: `This token is too large for a Meshlens session: with its user and ${fields.groups.length} groups the encrypted session cookie would be ${bytes} bytes, and browsers keep at most ${MAX_COOKIE_BYTES}. Log in with a shorter token (a service-account token from \`kubectl create token <service-account> -n <namespace>\` is about 1 KB), or run Meshlens with --auth header behind an authenticating proxy.` };
    }
    const box = req.session;
    box.regenerate();
    // The library types its fields as an empty interface: set them as plain keys.
    for (const [k, v] of Object.entries(sealedOf(session))) (box.set as (key: string, value: unknown) => void)(k, v);
    box.options(attributes(req, Math.floor(this.ttlMs / 1000)));
    this.read$.set(req, session);
    return session;
  }

  /** Ends the request's session in the browser: its answer clears the cookie. */
  end(req: FastifyRequest): void {
    req.session.options({ secure: attributes(req, 0).secure });
    req.session.delete();
    this.read$.set(req, null);
  }

  /** The session a decrypted cookie holds, if well-formed and live. */
  private valid(data: unknown): Session | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const d = data as Partial<Sealed>;
    if (typeof d.token !== 'string' || d.token === '' || typeof d.user !== 'string' || !isStrings(d.groups) || typeof d.cluster !== 'string') return undefined;
    if (typeof d.createdAt !== 'number' || typeof d.expiresAt !== 'number') return undefined;
    const t = this.now();
    // Live: not expired, not made in the future, and no longer than this server's --auth-session-ttl allows.
    if (d.expiresAt <= t || d.createdAt > t + CLOCK_SKEW_MS || d.expiresAt > d.createdAt + this.ttlMs) return undefined;
    return { token: d.token, tokenHash: hashToken(d.token), user: d.user, groups: d.groups, cluster: d.cluster, createdAt: d.createdAt, expiresAt: d.expiresAt };
  }

  private requireApp(): FastifyInstance {
    if (!this.app) throw new Error('SessionCookies.register(app) must run before sessions are sealed or opened');
    return this.app;
  }
}

function sealedOf(s: Session): Sealed {
  return { token: s.token, user: s.user, groups: s.groups, cluster: s.cluster, createdAt: s.createdAt, expiresAt: s.expiresAt };
}

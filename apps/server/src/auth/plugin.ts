/**
 * Authentication as a Fastify plugin: `GET /api/auth/info`, `POST /api/auth/login`, `POST /api/auth/logout`, and an
 * onRequest hook that answers every request from the caller's own source (token or header mode) or refuses it with
 * 401. The decision is taken on the route Fastify matched, never on the raw URL (`/%61pi/graph` and
 * `GET http://x/api/graph` route to `/api/graph`, so they are decided as `/api/graph`), and it is deny by default:
 * only routes registered with `config: {public: true}` (login, the login page's files, liveness) are answered
 * without an identity. The routes read `source`, a MeshSource that follows the request's identity through
 * AsyncLocalStorage, so they need not know about users.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthInfo } from '@meshlens/model';
import { createKubernetesSource, scopedSource, type MeshSource } from '@meshlens/sources';
import { DEFAULT_HEADER_GROUPS, DEFAULT_HEADER_USER, type AuthCluster, type AuthConfig } from './config.js';
import { identityView, scopedTelemetry, type IdentityView } from './identity-view.js';
import { IdentitySources } from './identity-sources.js';
import { impersonatingKubeConfig, tokenKubeConfig } from './identity-kubeconfig.js';
import { hashToken, SESSION_COOKIE, SessionCookies, type Session } from './sessions.js';
import { reviewToken } from './token-review.js';
import { inApiSpace } from './request-guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered without an identity in token and header modes (login, the web app's files, liveness). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The caller has an identity this server reads the cluster as (always, in anonymous mode). */
    identified: boolean;
    /** The `cluster=` the request asked for, read before the cluster hook consumes it. */
    askedCluster: unknown;
  }
}

export { SESSION_COOKIE };
/** How long a request waits for a new user's first list of the cluster. */
const FIRST_SYNC_WAIT_MS = 15_000;

const LoginBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 16_384 }) }, { additionalProperties: false });

/** Login attempts per client address, and per token (the only name a caller gives before the TokenReview). */
export const LOGIN_LIMITS = { perAddress: { max: 10, windowMs: 60_000 }, perToken: { max: 5, windowMs: 60_000 } };

/**
 * Whether a request is answered without an identity: the route it matched says so; an unrouted request is public
 * only when it is a page load outside the API's space (the web app's index.html, which the login page is).
 */
export function isPublicRequest(req: FastifyRequest): boolean {
  if (req.routeOptions.url !== undefined) return req.routeOptions.config?.public === true;
  return (req.method === 'GET' || req.method === 'HEAD') && !inApiSpace(req.url);
}

export interface Auth {
  plugin: FastifyPluginAsyncTypebox;
  /** Reads the current request's identity's source; the base source outside one (anonymous mode, health). */
  source: MeshSource;
  sessions?: SessionCookies;
  identities?: IdentitySources;
  close(): Promise<void>;
}

type Who = { view: IdentityView; info: AuthInfo } | { error: string };

/** Builds the auth layer over `base` (the source read in anonymous mode). */
export function createAuth(config: AuthConfig, base: MeshSource, cluster?: AuthCluster): Auth {
  const mode = config.mode;
  if (mode !== 'anonymous' && !cluster) {
    throw new Error(`--auth ${mode} reads the cluster as each user, so it needs a live cluster (--in-cluster, --kubeconfig or --context); the demo and -f files use --auth anonymous`);
  }
  const scope = new AsyncLocalStorage<MeshSource>();
  const current = () => scope.getStore() ?? base;
  // Sources of identities close after idleMs without a request: no replica knows when a cookie is last used.
  const identities = mode === 'anonymous' ? undefined : new IdentitySources({ idleMs: config.idleMs });
  const sessions = mode === 'token' ? new SessionCookies({ keys: config.sessionKeys, ttlMs: config.sessionTtlMs }) : undefined;
  const headerUser = (config.headerUser ?? DEFAULT_HEADER_USER).toLowerCase();
  const headerGroups = (config.headerGroups ?? DEFAULT_HEADER_GROUPS).toLowerCase();

  // Fastify's own parse of the query (the cluster hook answers 400 to an unknown or repeated `cluster=`).
  const contextOf = (req: FastifyRequest): string => {
    const asked = req.askedCluster;
    const { clusters } = cluster!;
    return typeof asked === 'string' && clusters.contexts().some((c) => c.context === asked) ? asked : clusters.defaultContext;
  };

  /** A new source reading `context` as one user, its telemetry limited to the namespaces it can see. */
  const makeView = (context: string, kc: ReturnType<AuthCluster['kubeConfigFor']>, user: string): IdentityView => {
    const { clusters } = cluster!;
    let visible: () => ReadonlySet<string> = () => new Set();
    const source = createKubernetesSource({
      kubeConfig: kc,
      contextName: context,
      istioNamespace: cluster!.istioNamespace,
      // Users who may not list Namespaces try, one by one, the namespaces Meshlens itself sees.
      namespaces: [...clusters.get(context).inventory().namespaces.keys()],
      telemetry: scopedTelemetry(() => clusters.get(context).telemetry, () => visible()),
      timing: cluster!.timing,
    });
    visible = () => new Set(source.inventory().namespaces.keys());
    return identityView(source, user);
  };

  const sessionOf = (req: FastifyRequest): Session | undefined => sessions?.read(req);

  const headerIdentity = (req: FastifyRequest): { user: string; groups: string[] } | undefined => {
    const raw = req.headers[headerUser];
    const user = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!user) return undefined;
    const g = req.headers[headerGroups];
    const groups = [...new Set((Array.isArray(g) ? g.join(',') : (g ?? '')).split(',').map((s) => s.trim()).filter(Boolean))].sort();
    return { user, groups };
  };

  const who = (req: FastifyRequest): Who => {
    const context = contextOf(req);
    if (mode === 'token') {
      const s = sessionOf(req);
      if (!s) return { error: 'Log in to Meshlens with a Kubernetes bearer token: this console reads the cluster with your own identity (POST /api/auth/login).' };
      if (s.cluster !== context) return { error: `Your login is for cluster "${s.cluster}", not "${context}". Log out and log in with a token of "${context}".` };
      const view = identities!.get(`${s.cluster}\0${s.tokenHash}`, () => makeView(s.cluster, tokenKubeConfig(cluster!.kubeConfigFor(s.cluster), s.token), s.user));
      return { view, info: { mode, authenticated: true, user: s.user, groups: s.groups, expiresAt: s.expiresAt, cluster: s.cluster } };
    }
    const id = headerIdentity(req);
    if (!id) return { error: `Meshlens expects the authenticating proxy in front of it to name the user in the ${config.headerUser ?? DEFAULT_HEADER_USER} header; this request has none. Open Meshlens through the proxy.` };
    const key = `${context}\0${JSON.stringify([id.user, id.groups])}`;
    const view = identities!.get(key, () => makeView(context, impersonatingKubeConfig(cluster!.kubeConfigFor(context), id.user, id.groups), id.user));
    return { view, info: { mode, authenticated: true, user: id.user, groups: id.groups, cluster: context } };
  };

  const unauthorized = (reply: FastifyReply, message: string) => reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message });

  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    await app.register(fastifyCookie);
    // Token mode: the library's hook opens the session cookie of every request, before the hook below.
    if (sessions) await sessions.register(app);
    await app.register(fastifyRateLimit, { global: false });
    app.decorateRequest('identified', false);
    app.decorateRequest('askedCluster', undefined);

    app.addHook('onRequest', (req, reply, done) => {
      req.askedCluster = (req.query as Record<string, unknown> | undefined)?.cluster;
      if (mode === 'anonymous') {
        req.identified = true;
        return done();
      }
      // Read on every request, so that a cookie sealed with a rotated-out key is sealed again with the new one.
      sessions?.read(req);
      const open = isPublicRequest(req);
      // The web app's files say nothing about the cluster: no identity is looked up for them.
      if (open && !req.routeOptions.url?.startsWith('/api/')) return done();
      const w = who(req);
      if ('error' in w) return open ? done() : unauthorized(reply, w.error);
      req.identified = true;
      w.view.synced!(FIRST_SYNC_WAIT_MS).then(() => scope.run(w.view, () => done()), done);
    });

    app.get('/api/auth/info', { config: { public: true } }, async (req): Promise<AuthInfo> => {
      if (mode === 'anonymous') return { mode, authenticated: true };
      const w = who(req);
      return 'error' in w ? { mode, authenticated: false } : w.info;
    });

    const tooMany = (what: string, max: number, after: string) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too many login attempts ${what} (${max} a minute). Wait ${after} and try again with a valid token.`,
    });
    // Per token, once the body is read: one limiter may run per request, so this one is asked directly.
    const perToken = app.createRateLimit({
      max: LOGIN_LIMITS.perToken.max,
      timeWindow: LOGIN_LIMITS.perToken.windowMs,
      keyGenerator: (req) => `token:${hashToken(String((req.body as { token?: unknown } | undefined)?.token ?? '').trim())}`,
    });
    app.post('/api/auth/login', {
      schema: { body: LoginBody },
      config: { public: true },
      // Per client address, before the body is read.
      onRequest: app.rateLimit({ max: LOGIN_LIMITS.perAddress.max, timeWindow: LOGIN_LIMITS.perAddress.windowMs, errorResponseBuilder: (_req, c) => tooMany('from this address', c.max, c.after) }),
      preHandler: async (req, reply) => {
        const limit = await perToken(req);
        if (!limit.isAllowed && limit.isExceeded) {
          return reply.code(429).header('retry-after', String(limit.ttlInSeconds)).send(tooMany('with this token', limit.max, `${limit.ttlInSeconds} s`));
        }
      },
    }, async (req, reply) => {
      if (mode !== 'token') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `Meshlens runs with --auth ${mode}: there is no login with a token.` });
      const context = contextOf(req);
      const token = req.body.token.trim();
      const review = await reviewToken(cluster!.kubeConfigFor(context), token);
      if (!review.authenticated) {
        req.log.info({ cluster: context, reason: review.reason }, 'login refused');
        return reply.code(review.status).send({ statusCode: review.status, error: review.status === 401 ? 'Unauthorized' : 'Bad Gateway', message: review.reason });
      }
      const session = sessions!.start(req, { token, user: review.user, groups: review.groups, cluster: context });
      if ('error' in session) {
        req.log.info({ user: review.user, cluster: context }, 'login refused: token too large for a cookie');
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: session.error });
      }
      // The first requests after the login find the user's source listing already.
      identities!.get(`${context}\0${session.tokenHash}`, () => makeView(context, tokenKubeConfig(cluster!.kubeConfigFor(context), token), review.user));
      req.log.info({ user: review.user, cluster: context }, 'login');
      const info: AuthInfo = { mode, authenticated: true, user: review.user, groups: review.groups, expiresAt: session.expiresAt, cluster: context };
      return info;
    });

    app.post('/api/auth/logout', { config: { public: true } }, async (req): Promise<AuthInfo> => {
      if (mode === 'token') {
        const s = sessionOf(req);
        // This replica stops reading as the user now; another replica's source of the token closes when idle.
        if (s) void identities!.release(`${s.cluster}\0${s.tokenHash}`);
        sessions!.end(req);
        return { mode, authenticated: false };
      }
      // Anonymous and header modes have no session of their own to end (header: log out at the proxy).
      const w = mode === 'header' ? who(req) : undefined;
      return w && !('error' in w) ? w.info : { mode, authenticated: mode === 'anonymous' };
    });
  };
  // Not encapsulated: the hook must guard the routes registered after it, and the cookie parser serve them all.
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

  const source = scopedSource(current, base);

  return {
    plugin,
    source: mode === 'anonymous' ? base : source,
    sessions,
    identities,
    async close() {
      await identities?.close();
    },
  };
}

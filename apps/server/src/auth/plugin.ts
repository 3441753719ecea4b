/**
 * Authentication as a Fastify plugin: `GET /api/auth/info`, `POST /api/auth/login`, `POST /api/auth/logout`, and an
 * onRequest hook that answers every other `/api/` request from the caller's own source (token or header mode) or
 * refuses it with 401. The routes read `source`, a MeshSource that follows the request's identity through
 * AsyncLocalStorage, so they need not know about users. `/api/health` stays open for the kubelet's probes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuthInfo } from '@meshlens/model';
import { createKubernetesSource, scopedSource, type MeshSource } from '@meshlens/sources';
import { DEFAULT_HEADER_GROUPS, DEFAULT_HEADER_USER, type AuthCluster, type AuthConfig } from './config.js';
import { identityView, scopedTelemetry, type IdentityView } from './identity-view.js';
import { IdentitySources } from './identity-sources.js';
import { impersonatingKubeConfig, tokenKubeConfig } from './identity-kubeconfig.js';
import { hashToken, SessionStore, type Session } from './sessions.js';
import { reviewToken } from './token-review.js';

export const SESSION_COOKIE = 'meshlens_session';
/** How long a request waits for a new user's first list of the cluster. */
const FIRST_SYNC_WAIT_MS = 15_000;

const LoginBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 16_384 }) }, { additionalProperties: false });

export interface Auth {
  plugin: FastifyPluginAsyncTypebox;
  /** Reads the current request's identity's source; the base source outside one (anonymous mode, health). */
  source: MeshSource;
  sessions?: SessionStore;
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
  const identities = mode === 'anonymous' ? undefined : new IdentitySources({ idleMs: config.idleMs });
  const sessions = mode === 'token'
    // Each session holds its token's source once; the source closes when the last one ends.
    ? new SessionStore({ ttlMs: config.sessionTtlMs, onEnd: (s) => void identities!.release(`${s.cluster}\0${s.tokenHash}`) })
    : undefined;
  const headerUser = (config.headerUser ?? DEFAULT_HEADER_USER).toLowerCase();
  const headerGroups = (config.headerGroups ?? DEFAULT_HEADER_GROUPS).toLowerCase();

  const contextOf = (req: FastifyRequest): string => new URL(req.url, 'http://meshlens').searchParams.get('cluster') ?? cluster!.clusters.defaultContext;

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

  const sessionOf = (req: FastifyRequest): Session | undefined => sessions?.get(req.cookies[SESSION_COOKIE]);

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

    if (mode !== 'anonymous') {
      app.addHook('onRequest', (req, reply, done) => {
        const path = req.url.split('?')[0]!;
        if (!path.startsWith('/api/') || path.startsWith('/api/auth/')) return done();
        const w = who(req);
        if ('error' in w) return path === '/api/health' ? done() : unauthorized(reply, w.error);
        w.view.synced!(FIRST_SYNC_WAIT_MS).then(() => scope.run(w.view, () => done()), done);
      });
    }

    app.get('/api/auth/info', async (req): Promise<AuthInfo> => {
      if (mode === 'anonymous') return { mode, authenticated: true };
      const w = who(req);
      return 'error' in w ? { mode, authenticated: false } : w.info;
    });

    app.post('/api/auth/login', { schema: { body: LoginBody } }, async (req, reply) => {
      if (mode !== 'token') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `Meshlens runs with --auth ${mode}: there is no login with a token.` });
      const context = contextOf(req);
      const token = req.body.token.trim();
      const review = await reviewToken(cluster!.kubeConfigFor(context), token);
      if (!review.authenticated) {
        req.log.info({ cluster: context, reason: review.reason }, 'login refused');
        return reply.code(review.status).send({ statusCode: review.status, error: review.status === 401 ? 'Unauthorized' : 'Bad Gateway', message: review.reason });
      }
      const tokenHash = hashToken(token);
      const session = sessions!.create({ token, tokenHash, user: review.user, groups: review.groups, cluster: context });
      const key = `${context}\0${tokenHash}`;
      identities!.get(key, () => makeView(context, tokenKubeConfig(cluster!.kubeConfigFor(context), token), review.user));
      identities!.hold(key);
      req.log.info({ user: review.user, cluster: context }, 'login');
      void reply.setCookie(SESSION_COOKIE, session.id, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https',
        maxAge: Math.floor((session.expiresAt - session.createdAt) / 1000),
      });
      const info: AuthInfo = { mode, authenticated: true, user: review.user, groups: review.groups, expiresAt: session.expiresAt, cluster: context };
      return info;
    });

    app.post('/api/auth/logout', async (req, reply): Promise<AuthInfo> => {
      if (mode === 'token') {
        const id = req.cookies[SESSION_COOKIE];
        if (id) sessions!.end(id);
        void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
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
      sessions?.close();
      await identities?.close();
    },
  };
}

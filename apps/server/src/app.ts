/** The Fastify application: JSON API under /api, the web app for everything else. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import underPressure from '@fastify/under-pressure';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ClusterSet, MeshSource } from '@meshlens/sources';
import type { Simulator } from '@meshlens/demo';
import { graphRoutes, type GraphRouteOptions } from './routes/graph.js';
import { metricsRoutes } from './routes/metrics.js';
import { inventoryRoutes } from './routes/namespaces.js';
import { HttpError, statusTitle } from './routes/errors.js';
import { clusterRoutes } from './routes/clusters.js';
import { configRoutes } from './routes/config.js';
import { createConfigHealth } from './config-health/engines.js';
import { snapshotRoutes } from './routes/snapshot.js';
import { entityRoutes } from './routes/entities.js';
import { logRoutes } from './routes/logs.js';
import { traceRoutes } from './routes/trace.js';
import { draftRoutes } from './routes/drafts.js';
import { openedSnapshots } from './routes/opened-snapshots.js';
import { createAuth, isPublicRequest } from './auth/plugin.js';
import type { AuthCluster, AuthConfig } from './auth/config.js';
import { crossOriginReason, hostAllowed, hostPolicy, type HostPolicy } from './auth/request-guard.js';
import { securityHeaders } from './security/headers.js';
import { serverTimeouts } from './security/timeouts.js';
import { loadShedding, type LoadSheddingOptions } from './load-shedding.js';

/** One registered route: what the access probe test walks (every route, including those added later). */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app with its access rule, in registration order. */
    meshlensRoutes: RouteEntry[];
  }
}

export interface AppOptions {
  source: MeshSource;
  /** Live clusters of a kubeconfig: `GET /api/clusters` and `?cluster=` on every route (`source` is `clusters.source`). */
  clusters?: ClusterSet;
  /** Directory of the built web app; defaults to apps/web/dist next to this package. */
  webRoot?: string | false;
  logger?: FastifyServerOptions['logger'];
  /** Who may read what (default anonymous); token and header modes need `cluster`. */
  auth?: { config: AuthConfig; cluster?: AuthCluster };
  /** Which Host headers are answered (default: loopback names, as for a server on 127.0.0.1). */
  hosts?: HostPolicy;
  /** Origins that may frame the console (CSP frame-ancestors, from `parseFrameAncestors`); default none. */
  frameAncestors?: string[];
  /** Time to receive a whole request before answering 408 (security/timeouts.ts); default 120 s. */
  requestTimeoutMs?: number;
  /** Thresholds of the 503s under load (load-shedding.ts); defaults there. */
  loadShedding?: LoadSheddingOptions;
  /** The graph route's cache and worker pool (routes/graph.ts); default: its own. */
  graph?: GraphRouteOptions;
}

/** Where the web app's build is, when it has been built. */
export function defaultWebRoot(): string | undefined {
  const dir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

/** Builds the server; call `listen` on the result. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const security = securityHeaders({ frameAncestors: options.frameAncestors });
  const app = Fastify({ logger: options.logger ?? false, ...serverTimeouts(options.requestTimeoutMs), ...security.serverOptions, ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } } })
    .withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: statusTitle(err.statusCode), message: err.message });
    if (err.validation) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    // Never a stack trace to the client: a sentence it can act on.
    return reply.code(status).send({ statusCode: status, error: statusTitle(status), message: status === 500 ? `Meshlens could not answer ${req.method} ${req.url.split('?')[0]}: ${err.message}. The server log has the details.` : err.message });
  });

  const routes: RouteEntry[] = [];
  app.decorate('meshlensRoutes', routes);
  app.addHook('onRoute', (route) => {
    // Read when asked: a scope's own onRoute hook (the web app's files) marks its routes public after this one runs.
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, get public() { return (route.config as { public?: boolean } | undefined)?.public === true; } });
    }
  });

  // Security headers before every other hook, so that its answers (421, 403, 401) carry them too.
  await app.register(security.plugin);
  // How long the server took (request received to answer serialized), for the browser's network panel and the
  // benchmarks' server-side figures.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (!reply.hasHeader('server-timing')) reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    done(null, payload);
  });
  // Answers compressed for clients that ask (br, gzip, deflate; brotli at quality 4, fast enough for a graph of
  // megabytes): an Overview of 1,000 namespaces is 0.7 MB of JSON, a graph of 3,000 workloads 8.5 MB, and a NodePort
  // is often reached over a slow link. Large answers are compressed on the thread pool, off the event loop.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  // First of all: a Host this console answers to (DNS rebinding), and same-origin state changes (CSRF).
  const hosts = options.hosts ?? hostPolicy('127.0.0.1');
  app.addHook('onRequest', (req, reply, done) => {
    if (!hostAllowed(hosts, req.headers.host)) {
      return reply.code(421).send({ statusCode: 421, error: 'Misdirected Request', message: `Meshlens does not answer to the host "${String(req.headers.host ?? '').slice(0, 100)}". Open it by its address, or add the name to --allowed-hosts (MESHLENS_ALLOWED_HOSTS).` });
    }
    const crossOrigin = crossOriginReason(req.method, req.headers, hosts);
    if (crossOrigin) return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: `Meshlens refused this request: ${crossOrigin}. Use the console from its own address.` });
    done();
  });
  // Then, before any work for the request (auth, sources): 503 with Retry-After while the server is overloaded.
  await app.register(underPressure, loadShedding(options.loadShedding));

  // Before every route and every other hook: nothing reaches a source (a cluster, an opened snapshot) without the
  // caller's identity (auth/plugin.ts). Its hook sees the route Fastify matched, whatever the URL's spelling.
  const auth = createAuth(options.auth?.config ?? { mode: 'anonymous' }, options.source, options.auth?.cluster);
  app.addHook('onClose', () => auth.close());
  await app.register(auth.plugin);
  // `GET /api/clusters` answers for every source (no clusters for the demo, files and snapshots), so the console
  // never sees a 404 on load; `?cluster=` is read only when there are clusters.
  await app.register(clusterRoutes(options.clusters));
  // After auth: a snapshot file is opened, and read, by someone allowed to use the console.
  // Closing a snapshot file drops its check engine too (`health` is created below; the callback runs later).
  const opened = openedSnapshots(auth.source, { onClose: (name) => health.forget(name) });
  await app.register(opened.plugin);
  const source = opened.source;
  await app.register(inventoryRoutes(source));
  await app.register(graphRoutes(source, options.graph));
  await app.register(metricsRoutes(source, (options.source as MeshSource & { simulator?: Simulator }).simulator));
  // One check engine per source, kept current by its change events: the config pages and snapshots share it.
  const health = createConfigHealth(source);
  app.addHook('onClose', async () => health.close());
  await app.register(configRoutes(source, health));
  await app.register(entityRoutes(source, health));
  await app.register(logRoutes(source));
  await app.register(traceRoutes(source));
  // What-if drafts are checked in the browser (a worker over @meshlens/mesh): it reads the objects here, read-only.
  await app.register(draftRoutes(source, (options.source as MeshSource & { simulator?: Simulator }).simulator));
  await app.register(snapshotRoutes(source, health));

  const webRoot = options.webRoot === false ? undefined : (options.webRoot ?? defaultWebRoot());
  // The web app's files are the login page too: public, in a scope of their own so that nothing else is.
  const indexHtml = webRoot ? readFileSync(`${webRoot}/index.html`) : undefined;
  if (webRoot) {
    const assetsDir = `${resolve(webRoot, 'assets')}${sep}`;
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object | undefined), public: true };
      });
      await files.register(fastifyStatic, {
        root: webRoot,
        prefix: '/',
        wildcard: false,
        // Vite names every file under assets/ by its content's hash: a browser keeps it for good and never asks again
        // (a page load no longer waits for a revalidation behind the server's work). index.html names them, so it is
        // always revalidated.
        setHeaders: (reply, path) => {
          reply.header('cache-control', path.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // The same rule that made an unrouted page load public (auth/plugin.ts): outside it, an API 404.
    if (!isPublicRequest(req)) {
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No API route ${req.method} ${req.url.split('?')[0]}. Routes: /api/health, /api/overview, /api/namespaces, /api/applications, /api/workloads, /api/services, /api/namespaces/<ns>/{workloads,services,applications}/<name>, /api/graph, /api/findings, /api/config, /api/snapshot, POST /api/snapshots.` });
    }
    // Client-side routes of the single-page app all load index.html.
    if (indexHtml) return reply.type('text/html').header('cache-control', 'no-cache').send(indexHtml);
    return reply.code(404).type('text/plain').send('The Meshlens web app is not built. Run `npm run build` (or `npm start`) from the repository root.');
  });
  return app;
}

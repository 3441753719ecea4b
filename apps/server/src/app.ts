/** The Fastify application: JSON API under /api, the web app for everything else. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MeshSource } from '@meshlens/sources';
import { graphRoutes } from './routes/graph.js';
import { inventoryRoutes } from './routes/namespaces.js';
import { HttpError } from './routes/errors.js';

export interface AppOptions {
  source: MeshSource;
  /** Directory of the built web app; defaults to apps/web/dist next to this package. */
  webRoot?: string | false;
  logger?: FastifyServerOptions['logger'];
}

/** Where the web app's build is, when it has been built. */
export function defaultWebRoot(): string | undefined {
  const dir = fileURLToPath(new URL('../../web/dist/', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

/** Builds the server; call `listen` on the result. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } } })
    .withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: 'Bad Request', message: err.message });
    if (err.validation) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    // Never a stack trace to the client: a sentence it can act on.
    return reply.code(status).send({ statusCode: status, error: status === 500 ? 'Internal Server Error' : 'Bad Request', message: status === 500 ? `Meshlens could not answer ${req.method} ${req.url.split('?')[0]}: ${err.message}. The server log has the details.` : err.message });
  });

  await app.register(inventoryRoutes(options.source));
  await app.register(graphRoutes(options.source));

  const webRoot = options.webRoot === false ? undefined : (options.webRoot ?? defaultWebRoot());
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No API route ${req.method} ${req.url.split('?')[0]}. Routes: /api/health, /api/namespaces, /api/graph.` });
    }
    // Client-side routes of the single-page app all load index.html.
    if (webRoot) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).type('text/plain').send('The Meshlens web app is not built. Run `npm run build` (or `npm start`) from the repository root.');
  });
  return app;
}

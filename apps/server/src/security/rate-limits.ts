/**
 * Rate limit of snapshot uploads (`POST /api/snapshots`): each one reads up to the file limit and parses it, so a
 * client looping on it would keep the server busy. Per client address, like the login's first limit (auth/plugin.ts):
 * behind an Ingress every client shares the Ingress's address.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';

export const UPLOAD_LIMITS = { perAddress: { max: 20, windowMs: 60_000 } };

/**
 * The route's onRequest hook: 429 with Retry-After past the limit. Registers @fastify/rate-limit (global: false) in
 * `app` when no parent did (the auth plugin does, in buildApp).
 */
export async function uploadRateLimit(app: FastifyInstance, limits = UPLOAD_LIMITS): Promise<onRequestAsyncHookHandler> {
  if (!app.hasDecorator('rateLimit')) await app.register(fastifyRateLimit, { global: false });
  const { max, windowMs } = limits.perAddress;
  return app.rateLimit({
    max,
    timeWindow: windowMs,
    // An Error, not a plain object: the upload route's own error handler passes it on to the app's.
    errorResponseBuilder: (_req, c) => Object.assign(new Error(`Too many snapshot files opened from this address (${c.max} a minute). Wait ${Math.max(1, Math.ceil(c.ttl / 1000))} s and open the file again.`), { statusCode: 429 }),
  });
}

/**
 * Connection timeouts of the HTTP server (Fastify constructor options). Fastify's own default is no request timeout,
 * so a client sending its body slowly (or never) holds a connection and its buffers forever.
 *
 * - `requestTimeout` (node's `server.requestTimeout`): time to receive the whole request, headers and body. Past it
 *   the client gets 408 and the socket is closed. It stops counting once the request is received, so a long
 *   response (a followed log streamed as NDJSON for hours) is not cut.
 * - headers alone: node's `headersTimeout`, min(60 s, requestTimeout).
 * - `connectionTimeout` (socket inactivity) stays 0: a followed log of a quiet container sends nothing for minutes.
 * - `keepAliveTimeout`: an idle kept-alive socket closes after 72 s (Fastify's default, longer than the 60 s idle
 *   timeout of common load balancers, so they never reuse a socket the server is closing).
 */
import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';

export const REQUEST_TIMEOUT_MS = 120_000;
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export function serverTimeouts(requestTimeoutMs = REQUEST_TIMEOUT_MS): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'http'> {
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1) throw new Error(`requestTimeoutMs must be a positive integer, not ${requestTimeoutMs}`);
  return {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the request and headers timeouts every connectionsCheckingInterval (30 s by default): a
    // timeout fires between T and T + interval. A quarter of the timeout keeps that within 25 %.
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeoutMs / 4))) },
  };
}

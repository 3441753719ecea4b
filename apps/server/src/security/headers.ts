/**
 * Security headers on every response (pages, static files, API answers, errors, and answers given by onRequest
 * hooks such as the Host check's 421 and auth's 401), with @fastify/helmet. Its onRequest hook sets the headers on
 * the raw response, so they survive error handlers and the not-found handler; buildApp registers this plugin before
 * any other hook. Everything the console shows comes from the cluster and is untrusted: the CSP allows no inline or
 * evaluated script, and nothing is loaded from another origin.
 */
import { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { statusTitle } from '../routes/errors.js';

export interface SecurityHeadersOptions {
  /**
   * Origins that may show the console in a frame (CSP `frame-ancestors`), as `parseFrameAncestors` returns them.
   * Empty or absent: none may (`frame-ancestors 'none'` and `X-Frame-Options: DENY`).
   */
  frameAncestors?: readonly string[];
}

/** Sent only on a request that came over TLS: browsers ignore it over plain http. Helmet's default value. */
export const HSTS = 'max-age=31536000; includeSubDomains';

const ORIGIN = /^(https?):\/\/(\*\.)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:(?:\d{1,5}|\*))?$/;

/**
 * One `--frame-ancestors` entry as a CSP source, or an error sentence: `'self'` (or `self`), or an origin
 * `http(s)://host[:port]` whose host may start with `*.`. Nothing broader (`*`, `https:`), since that would let any
 * site frame the console; no paths, quotes, spaces, `;` or `,` (they would change the policy itself).
 */
export function frameAncestorSource(entry: string): { source: string } | { error: string } {
  const v = entry.trim().toLowerCase().replace(/\/$/, '');
  if (v === 'self' || v === "'self'") return { source: "'self'" };
  if (ORIGIN.test(v)) return { source: v };
  return { error: `"${entry.slice(0, 100)}" is not an origin that may frame the console: give 'self' or origins such as https://portal.example.com or https://*.example.com (scheme and host, optional port, no path)` };
}

/** `--frame-ancestors a,b` (commas or spaces): the CSP sources, or throws with the first bad entry's sentence. */
export function parseFrameAncestors(value: string): string[] {
  const out: string[] = [];
  for (const entry of value.split(/[,\s]+/).filter(Boolean)) {
    if (entry === "'none'" || entry === 'none') continue;
    const r = frameAncestorSource(entry);
    if ('error' in r) throw new Error(r.error);
    if (!out.includes(r.source)) out.push(r.source);
  }
  return out;
}

/** The Content-Security-Policy directives (helmet's form). */
export function cspDirectives(frameAncestors: readonly string[] = []): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    // The built index.html loads its module scripts from /assets; Vite emits no inline script.
    'script-src': ["'self'"],
    // Fallback for browsers without style-src-elem (Firefox < 108, Safari < 15.4), which would otherwise refuse
    // CodeMirror's and cytoscape's <style> elements.
    'style-src': ["'self'", "'unsafe-inline'"],
    // CodeMirror (config YAML editor) and cytoscape insert <style> elements; CodeMirror's content changes with the
    // theme, so a hash cannot list it (a nonce would need the web app to read it and pass EditorView.cspNonce).
    'style-src-elem': ["'self'", "'unsafe-inline'"],
    // No library sets a style attribute through markup or setAttribute (React, cytoscape, uPlot and CodeMirror
    // write element.style, which CSP does not govern), so injected style="" attributes stay refused.
    'style-src-attr': ["'none'"],
    // Graph markers are data: SVG images; the PNG export draws blob: SVG images onto a canvas.
    'img-src': ["'self'", 'data:', 'blob:'],
    // The app loads no web font (system fonts only); no data: needed.
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': frameAncestors.length ? [...frameAncestors] : ["'none'"],
    // No upgrade-insecure-requests: the console is often served over plain http (a NodePort, a port-forward),
    // where upgrading its own requests to https would break every one of them.
  };
}

/** The policy as sent (for tests and docs). */
export function cspString(frameAncestors: readonly string[] = []): string {
  return Object.entries(cspDirectives(frameAncestors)).map(([k, v]) => `${k} ${v.join(' ')}`).join(';');
}

/** Whether the client reached us over TLS: our own socket, or a TLS-terminating proxy that says so. */
function overTls(req: FastifyRequest): boolean {
  const proto = req.headers['x-forwarded-proto'];
  // A client sending this itself over plain http gains nothing: browsers ignore HSTS over http.
  return req.protocol === 'https' || (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
}

type HelmetMiddleware = (req: unknown, res: { setHeader(name: string, value: string): void; removeHeader(name: string): void }, next: (err?: unknown) => void) => void;
/** helmet itself, as @fastify/helmet resolves it (its own dependency), for the answers given outside any hook. */
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (options: object) => HelmetMiddleware;

export interface SecurityHeaders {
  /** Registers @fastify/helmet and the HSTS hook; not encapsulated, so they run for every route and the 404 handler. */
  plugin: FastifyPluginAsync;
  /**
   * Fastify constructor options for the answers no hook sees: an unparsable URL (`frameworkErrors`, 400) and the
   * 400/408/431 node's parser raises before a request exists (`clientErrorHandler`, written on the socket).
   */
  serverOptions: { frameworkErrors: FastifyServerOptions['frameworkErrors']; clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> };
  /** The headers helmet sets (lower-case names), the same on every response; HSTS apart. */
  headers: Readonly<Record<string, string>>;
}

export function securityHeaders(options: SecurityHeadersOptions = {}): SecurityHeaders {
  const frameAncestors = [...(options.frameAncestors ?? [])];
  for (const a of frameAncestors) {
    const r = frameAncestorSource(a);
    if ('error' in r || r.source !== a) throw new Error('error' in r ? r.error : `frame ancestor "${a}": pass it through parseFrameAncestors`);
  }
  const onlySelf = frameAncestors.length === 1 && frameAncestors[0] === "'self'";
  const helmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(frameAncestors) },
    // X-Frame-Options cannot name other origins: DENY with no ancestors, SAMEORIGIN for 'self' alone, else omitted
    // (browsers that know frame-ancestors ignore it anyway).
    xFrameOptions: frameAncestors.length === 0 ? { action: 'deny' as const } : onlySelf ? { action: 'sameorigin' as const } : false as const,
    // same-origin, not no-referrer: under no-referrer a form POST to the console carries `Origin: null` (Chromium;
    // fetch keeps the origin), which the same-origin check refuses. Other sites get no Referer either way.
    referrerPolicy: { policy: 'same-origin' as const },
    crossOriginOpenerPolicy: { policy: 'same-origin' as const },
    crossOriginResourcePolicy: { policy: 'same-origin' as const },
    // Set by the hook below, only over TLS.
    strictTransportSecurity: false as const,
  };

  const headers: Record<string, string> = {};
  helmet(helmetOptions)({}, { setHeader: (name, value) => { headers[name.toLowerCase()] = value; }, removeHeader: () => undefined }, (err) => {
    if (err) throw err;
  });

  const plugin: FastifyPluginAsync = async (app) => {
    await app.register(fastifyHelmet, { global: true, ...helmetOptions });
    app.addHook('onRequest', (req, reply, done) => {
      if (overTls(req)) reply.raw.setHeader('strict-transport-security', HSTS);
      done();
    });
  };
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
  (plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'meshlens-security-headers';

  const frameworkErrors = (err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 400;
    void reply.code(status).headers(headers).send({ statusCode: status, error: statusTitle(status), message: `Meshlens cannot route this request: ${err.message}.` });
  };

  // Fastify's default handler (fastify.js), with the headers.
  const clientErrorHandler = function (this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, message] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request was not received in time; send it again.']
      : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'The request headers are larger than this server reads.'] : [400, 'The server could not parse this HTTP request.'];
    const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
    this.log.trace({ err }, 'client error');
    if (socket.writable) {
      const lines = Object.entries({ ...headers, ...((socket as { encrypted?: boolean }).encrypted ? { 'strict-transport-security': HSTS } : {}) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n${lines}\r\n${body}`);
    }
    socket.destroy(err);
  };

  return { plugin, serverOptions: { frameworkErrors: frameworkErrors as FastifyServerOptions['frameworkErrors'], clientErrorHandler }, headers };
}

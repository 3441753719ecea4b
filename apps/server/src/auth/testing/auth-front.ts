/**
 * For tests: an HTTPS front for the Kubernetes test API server (`@meshlens/sources/testing`) that adds what auth
 * needs and that server does not speak: TokenReview (POST /apis/authentication.k8s.io/v1/tokenreviews) and user
 * impersonation (Impersonate-User / Impersonate-Group). Everything else, watches included, is passed through.
 * It uses the test server's own certificate, so kubeconfigs and service-account dirs written for it work here.
 */
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApiServer } from '@meshlens/sources/testing';

export interface FrontUser {
  /** The bearer token of this user on the test API server. */
  token: string;
  user: string;
  groups?: string[];
}

export interface AuthFrontOptions {
  /** Users the TokenReview knows, and whom impersonation maps to (by user name). */
  users: FrontUser[];
  /** Tokens allowed to create TokenReviews (Meshlens's own); others get 403. */
  reviewers: string[];
  /** Tokens allowed to impersonate; others get 403. */
  impersonators?: string[];
}

export interface AuthFront {
  url: string;
  /** The test API server as seen through the front (for writeKubeconfig / writeServiceAccountDir). */
  server: TestApiServer;
  reviews: Array<{ caller: string; token: string; authenticated: boolean }>;
  impersonations: Array<{ user: string; groups: string[]; path: string }>;
  close(): Promise<void>;
}

const bearer = (req: IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function forbidden(res: ServerResponse, message: string): void {
  sendJson(res, 403, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', code: 403 });
}

/** Starts the front on 127.0.0.1 on a free port, in front of `api`. */
export async function startAuthFront(api: TestApiServer, options: AuthFrontOptions): Promise<AuthFront> {
  const reviews: AuthFront['reviews'] = [];
  const impersonations: AuthFront['impersonations'] = [];
  const upstream = new URL(api.url);

  const forward = (req: IncomingMessage, res: ServerResponse, headers: IncomingMessage['headers']) => {
    const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...headers, host: upstream.host }, ca: api.tls.caPem }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const caller = bearer(req);
    if (req.method === 'POST' && req.url?.split('?')[0] === '/apis/authentication.k8s.io/v1/tokenreviews') {
      if (!options.users.some((u) => u.token === caller) && !options.reviewers.includes(caller)) return sendJson(res, 401, { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
      if (!options.reviewers.includes(caller)) return forbidden(res, 'tokenreviews.authentication.k8s.io is forbidden: User cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope');
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const token = (JSON.parse(body) as { spec?: { token?: string } }).spec?.token ?? '';
      const u = options.users.find((x) => x.token === token);
      reviews.push({ caller, token, authenticated: Boolean(u) });
      const status = u ? { authenticated: true, user: { username: u.user, uid: `uid-${u.user}`, groups: [...(u.groups ?? []), 'system:authenticated'] } } : { authenticated: false, error: 'invalid bearer token' };
      return sendJson(res, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: { creationTimestamp: null }, spec: { token }, status });
    }
    const as = req.headers['impersonate-user'];
    if (as !== undefined) {
      if (!(options.impersonators ?? []).includes(caller)) return forbidden(res, `users "${String(as)}" is forbidden: User cannot impersonate resource "users" in API group "" at the cluster scope`);
      const target = options.users.find((u) => u.user === as);
      if (!target) return forbidden(res, `no test identity for impersonated user "${String(as)}"`);
      const g = req.headers['impersonate-group'];
      impersonations.push({ user: String(as), groups: (Array.isArray(g) ? g : g ? g.split(',') : []).map((s) => s.trim()), path: req.url ?? '' });
      const headers: IncomingMessage['headers'] = { ...req.headers, authorization: `Bearer ${target.token}` };
      delete headers['impersonate-user'];
      delete headers['impersonate-group'];
      return forward(req, res, headers);
    }
    forward(req, res, req.headers);
  };

  const server: Server = createServer({ cert: api.tls.certPem, key: api.tls.keyPem }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server: { ...api, url },
    reviews,
    impersonations,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

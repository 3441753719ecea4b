/**
 * `GET /api/trace` with `principal=` and `requestPrincipal=` on manifests with AuthorizationPolicies and
 * PeerAuthentications: the same answer as the routing core, the security steps' rules placed on their object pages,
 * and the sentences of bad parameters.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { traceRequest } from '@meshlens/mesh';
import type { TraceResponse } from '@meshlens/model';
import { createFileSource, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';

const fixtures = fileURLToPath(new URL('../../../packages/mesh/src/routing/__fixtures__/', import.meta.url));
let app: FastifyInstance;
let source: MeshSource;

const traceUrl = (from: string, url: string, extra = '') => `/api/trace?from=${encodeURIComponent(from)}&url=${encodeURIComponent(url)}${extra}`;

beforeAll(async () => {
  source = await createFileSource(['authz/shop.yaml', 'istio-system.yaml', 'authz/allow-frontend.yaml', 'authz/jwt.yaml'].map((f) => `${fixtures}${f}`));
  app = await buildApp({ source, webRoot: false });
});
afterAll(async () => app.close());

describe('GET /api/trace with a caller identity', () => {
  it('principal=shop/frontend from outside: allowed by rule 0 of orders-allow-frontend, as traceRequest answers, each rule of the step on its line of the object page (the file line less its comment)', async () => {
    const res = await app.inject(traceUrl('outside', 'http://orders.shop.svc.cluster.local/orders/1', '&principal=shop%2Ffrontend'));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as TraceResponse;
    expect(body.query).toEqual({ from: 'outside', url: 'http://orders.shop.svc.cluster.local/orders/1', headers: [], principal: 'shop/frontend' });
    const expected = traceRequest(source.inventory(), { source: { kind: 'outside' }, protocol: 'http', host: 'orders.shop.svc.cluster.local', port: 80, path: '/orders/1', method: 'GET', headers: {}, principal: 'shop/frontend' });
    expect(body.result).toEqual(JSON.parse(JSON.stringify(expected)));
    const step = body.result.paths[0]!.hops[1]!.security![0]!;
    expect({ kind: step.kind, verdict: step.verdict, enforcedBy: step.enforcedBy }).toEqual({ kind: 'authz', verdict: 'allowed', enforcedBy: 'the sidecar of shop/orders' });
    expect(Object.entries(body.ruleLines).filter(([k]) => k.startsWith('AuthorizationPolicy/'))).toEqual([
      ['AuthorizationPolicy/shop/orders-allow-frontend#spec.rules[0]', 12],
      ['AuthorizationPolicy/shop/orders-allow-frontend#spec.rules[0].from[0].source.principals[0]', 14],
      ['AuthorizationPolicy/shop/orders-allow-frontend#spec.rules[0].to[0].operation.methods[0]', 17],
      ['AuthorizationPolicy/shop/orders-allow-frontend#spec.rules[0].to[0].operation.paths[0]', 18],
    ]);
  });

  it('without principal=, the same request is denied: no ALLOW policy matched, principals need mTLS', async () => {
    const res = await app.inject(traceUrl('outside', 'http://orders.shop.svc.cluster.local/orders/1'));
    const body = res.json() as TraceResponse;
    expect(body.result.paths.map((p) => p.outcome)).toEqual([{
      kind: 'denied-by-policy', responseCode: 403, responseFlags: '-', action: 'ALLOW', enforcedBy: 'the sidecar of shop/orders',
      considered: [{ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'orders-allow-frontend' }],
    }]);
    expect(body.result.paths[0]!.hops[1]!.security![0]!.explanation).toMatch(/needs the client's mTLS identity, but a client outside the mesh has no sidecar, so the connection is plaintext: without mTLS principals and namespaces cannot match/);
  });

  it('requestPrincipal= reaches payments through its RequestAuthentication', async () => {
    const ok = (await app.inject(traceUrl('shop/frontend', 'http://payments:8080/charge', `&method=POST&requestPrincipal=${encodeURIComponent('https://auth.example.com/svc-frontend')}`))).json() as TraceResponse;
    expect(ok.query.requestPrincipal).toBe('https://auth.example.com/svc-frontend');
    expect(ok.result.paths.map((p) => p.outcome.kind)).toEqual(['delivered']);
    const other = (await app.inject(traceUrl('shop/frontend', 'http://payments:8080/charge', `&method=POST&requestPrincipal=${encodeURIComponent('https://other.example.com/svc-frontend')}`))).json() as TraceResponse;
    expect(other.result.paths.map((p) => p.outcome.kind)).toEqual(['denied-by-policy']);
    expect(other.result.paths[0]!.hops[1]!.security![0]!.explanation).toMatch(/RequestAuthentication shop\/payments-jwt has no jwtRules for issuer https:\/\/other\.example\.com/);
  });

  it('answers 400 naming the parameter for a principal or requestPrincipal of the wrong shape', async () => {
    const bad = await app.inject(traceUrl('outside', 'http://orders.shop/orders', '&principal=frontend'));
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { message: string }).message).toBe('querystring/principal: "frontend": expected spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount>, cluster.local/ns/<namespace>/sa/<serviceaccount> or <namespace>/<serviceaccount>');
    const badJwt = await app.inject(traceUrl('outside', 'http://orders.shop/orders', '&requestPrincipal=alice'));
    expect(badJwt.statusCode).toBe(400);
    expect((badJwt.json() as { message: string }).message).toBe('querystring/requestPrincipal: "alice": expected <issuer>/<subject>, e.g. https://accounts.example.com/alice');
  });
});

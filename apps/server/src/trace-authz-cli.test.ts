/**
 * `meshlens trace --principal / --request-principal` on the routing core's authorization fixtures: a caller the
 * inventory cannot name (outside the mesh) presenting an identity, a JWT principal, the text a person reads for a
 * policy's 403 and for STRICT mTLS refusing plaintext, and the usage errors.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TraceResult } from '@meshlens/model';
import { main } from './cli.js';

const fixtures = fileURLToPath(new URL('../../../packages/mesh/src/routing/__fixtures__/', import.meta.url));
const shop = ['-f', `${fixtures}authz/shop.yaml`, '-f', `${fixtures}istio-system.yaml`];

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('meshlens trace --principal', () => {
  it('a caller outside the mesh presenting shop/frontend over mTLS is allowed by orders-allow-frontend; without it, 403 names the policy considered and why', async () => {
    const allowed = await run('trace', ...shop, '-f', `${fixtures}authz/allow-frontend.yaml`, '--from', 'outside', '--principal', 'shop/frontend', 'http://orders.shop.svc.cluster.local/orders/1', '-o', 'json');
    expect(allowed.err).toBe('');
    expect(allowed.code).toBe(0);
    const result = JSON.parse(allowed.out) as TraceResult;
    expect(result.request).toEqual({
      source: { kind: 'outside' }, protocol: 'http', host: 'orders.shop.svc.cluster.local', port: 80, path: '/orders/1', method: 'GET', headers: {}, principal: 'shop/frontend',
    });
    expect(result.paths.map((p) => [p.outcome.kind, p.hops.flatMap((h) => (h.security ?? []).map((s) => `${s.kind} ${s.verdict} ${s.decidedBy.map((r) => `${r.object.name} ${r.path}`).join(', ')}`))])).toEqual([
      ['delivered', ['authz allowed orders-allow-frontend spec.rules[0], orders-allow-frontend spec.rules[0].from[0].source.principals[0], orders-allow-frontend spec.rules[0].to[0].operation.methods[0], orders-allow-frontend spec.rules[0].to[0].operation.paths[0]']],
    ]);

    const denied = await run('trace', ...shop, '-f', `${fixtures}authz/allow-frontend.yaml`, '--from', 'outside', 'http://orders.shop.svc.cluster.local/orders/1');
    expect(denied.code).toBe(0);
    const lines = denied.out.split('\n');
    expect(lines[0]).toBe('path 1: 100.0% → workload shop/orders (2 pods) — denied-by-policy (403 RBAC: access denied, no ALLOW policy matched)');
    expect(lines.filter((l) => l.includes('authorization denied'))).toEqual([
      "     authorization denied: The sidecar of shop/orders denies the request with 403 RBAC: access denied: no ALLOW policy matched, and when ALLOW policies apply a request must match one. Considered: shop/orders-allow-frontend spec.rules[0]: principals cluster.local/ns/shop/sa/frontend needs the client's mTLS identity, but a client outside the mesh has no sidecar, so the connection is plaintext: without mTLS principals and namespaces cannot match (Istio's behaviour). The server knows no client identity: a client outside the mesh has no sidecar, so the connection is plaintext. AUDIT policy shop/orders-audit rule spec.rules[0] matches: the request is logged, which does not change the decision.",
    ]);
    expect(denied.out).toMatch(/ {7}· \S+authz\/allow-frontend\.yaml:15:9 AuthorizationPolicy shop\/orders-allow-frontend spec\.rules\[0\]\.from\[0\]\.source\.principals: Rule spec\.rules\[0\] of ALLOW AuthorizationPolicy shop\/orders-allow-frontend does not match/);
  });

  it('--request-principal: a token of an issuer RequestAuthentication payments-jwt accepts lets the frontend in', async () => {
    const args = ['trace', ...shop, '-f', `${fixtures}authz/jwt.yaml`, '--from', 'shop/frontend', '-X', 'POST', 'http://payments:8080/charge'];
    const withToken = JSON.parse((await run(...args, '--request-principal', 'https://auth.example.com/svc-frontend', '-o', 'json')).out) as TraceResult;
    expect(withToken.paths.map((p) => p.outcome)).toEqual([{ kind: 'delivered' }]);
    const without = JSON.parse((await run(...args, '-o', 'json')).out) as TraceResult;
    expect(without.paths.map((p) => p.outcome)).toEqual([{
      kind: 'denied-by-policy', responseCode: 403, responseFlags: '-', action: 'ALLOW', enforcedBy: 'the sidecar of shop/payments',
      considered: [{ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'payments-require-jwt' }],
    }]);
  });

  it('says when STRICT mTLS refuses plaintext: a reset, not a routing failure', async () => {
    const { code, out } = await run('trace', ...shop, '-f', `${fixtures}authz/strict.yaml`, '--from', 'legacy/legacy-client', 'http://orders.shop/orders');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('path 1: 100.0% → workload shop/orders (2 pods) — plaintext-refused (connection reset: STRICT mTLS at the sidecar of shop/orders)');
    expect(out).toMatch(/mTLS refused: The sidecar of shop\/orders accepts only mTLS on port 8080 .* \(its Envoy logs NR, filter_chain_not_found\) and resets the connection/);
  });

  it('rejects a --principal or --request-principal of the wrong shape with exit 2', async () => {
    expect(await run('trace', ...shop, '--from', 'outside', '--principal', 'frontend', 'http://orders.shop/orders')).toEqual({
      code: 2, out: '', err: 'meshlens: --principal "frontend": expected spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount>, cluster.local/ns/<namespace>/sa/<serviceaccount> or <namespace>/<serviceaccount>\n',
    });
    expect(await run('trace', ...shop, '--from', 'outside', '--request-principal', 'alice', 'http://orders.shop/orders')).toEqual({
      code: 2, out: '', err: 'meshlens: --request-principal "alice": expected <issuer>/<subject>, e.g. https://accounts.example.com/alice\n',
    });
  });
});

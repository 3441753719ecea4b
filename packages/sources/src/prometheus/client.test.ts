/** The client against a local HTTP server that answers as Prometheus does (and as it fails). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrometheusClient, parseSampleValue } from './client.js';
import { PrometheusError } from './errors.js';
import { createPrometheusTelemetry } from './telemetry.js';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('Prometheus client', () => {
  it('POSTs the query form-encoded with auth and extra headers, and surfaces warnings', async () => {
    const { url, seen } = await serve((_req, _body, res) => json(res, 200, {
      status: 'success', warnings: ['PromQL info: metric might not be a counter'],
      data: { resultType: 'vector', result: [{ metric: { reporter: 'source' }, value: [1700000000, 'NaN'] }] },
    }));
    const client = createPrometheusClient({ url: `${url}/prefix/`, auth: { bearerToken: 't0ken' }, headers: { 'X-Scope-OrgID': 'tenant-a' } });
    const answer = await client.query('sum(rate(istio_requests_total{a="b c"}[5m]))', 1700000000);
    expect(seen[0]).toMatchObject({
      method: 'POST', url: '/prefix/api/v1/query',
      headers: { authorization: 'Bearer t0ken', 'x-scope-orgid': 'tenant-a', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(new URLSearchParams(seen[0]!.body).get('query')).toBe('sum(rate(istio_requests_total{a="b c"}[5m]))');
    expect(new URLSearchParams(seen[0]!.body).get('time')).toBe('1700000000');
    expect(answer).toEqual({ warnings: ['PromQL info: metric might not be a counter'], data: { resultType: 'vector', result: [{ metric: { reporter: 'source' }, value: [1700000000, 'NaN'] }] } });
    expect(client.requests).toBe(1);
  });

  it('sends basic auth and range parameters', async () => {
    const { url, seen } = await serve((_req, _body, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } }));
    const client = createPrometheusClient({ url, auth: { basic: { username: 'meshlens', password: 'p:ss' } } });
    await client.queryRange('up', 100, 200, 10);
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('meshlens:p:ss').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({ query: 'up', start: '100', end: '200', step: '10' });
  });

  it('turns the error envelope into a PrometheusError with Prometheus\' own message', async () => {
    const { url } = await serve((_req, _body, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' }));
    const err = (await createPrometheusClient({ url }).query('sum(', 1).catch((e: unknown) => e)) as PrometheusError;
    expect(err).toBeInstanceOf(PrometheusError);
    expect([err.kind, err.detail, err.message]).toEqual(['api', { errorType: 'bad_data', status: 400 }, `Prometheus at ${url} rejected the query (bad_data): 1:5: parse error: unclosed left parenthesis`]);
  });

  it('says what to do on 401 and on a non-Prometheus answer', async () => {
    const { url } = await serve((req, _body, res) => {
      if (req.url!.includes('query_range')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>login</html>'); return; }
      res.writeHead(401); res.end('unauthorized');
    });
    const client = createPrometheusClient({ url });
    await expect(client.query('up', 1)).rejects.toThrow(`Prometheus at ${url} answered HTTP 401 for /api/v1/query; pass --prometheus-token or credentials in the URL (https://user:pass@host), or --prometheus-header for a gateway`);
    await expect(client.queryRange('up', 1, 2, 1)).rejects.toThrow(`Prometheus at ${url} sent an answer that is not the Prometheus API's JSON for /api/v1/query_range`);
  });

  it('says a 403 through the API server\'s service proxy is RBAC on services/proxy, not a Prometheus token', async () => {
    const { url } = await serve((_req, _body, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 }));
    });
    const base = `${url}/api/v1/namespaces/istio-system/services/prometheus:9090/proxy`;
    await expect(createPrometheusClient({ url: base }).query('up', 1)).rejects.toThrow(
      `Prometheus at ${base} answered HTTP 403 for /api/v1/query; the Kubernetes API server refused its service proxy: the identity Meshlens uses needs get and create on services/proxy for prometheus:9090 in namespace istio-system (kubectl auth can-i create services/proxy/prometheus:9090 -n istio-system; the Helm chart grants it when prometheus.url is empty), or pass --prometheus with an address Meshlens reaches directly (a port-forward)`,
    );
  });

  it('times out with the URL and the timeout in the message', async () => {
    const { url } = await serve(() => undefined);
    const err = (await createPrometheusClient({ url, timeoutMs: 200 }).query('up', 1).catch((e: unknown) => e)) as PrometheusError;
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(`Prometheus at ${url} did not answer within 0.2 s; it may be overloaded — choose a shorter duration or fewer namespaces, or raise --prometheus-timeout`);
  });

  it('fails clearly past the series cap and the byte cap', async () => {
    const result = Array.from({ length: 5 }, (_, i) => ({ metric: { i: String(i) }, value: [1, '1'] }));
    const { url } = await serve((_req, _body, res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result } }));
    await expect(createPrometheusClient({ url, maxSeries: 4 }).query('up', 1)).rejects.toThrow(`Prometheus at ${url} returned 5 series for one query, over the cap of 4 (--prometheus-max-series); choose fewer namespaces, or raise --prometheus-max-series. Query: up`);
    const err = (await createPrometheusClient({ url, maxBytes: 100 }).query('up', 1).catch((e: unknown) => e)) as PrometheusError;
    expect([err.kind, err.message]).toEqual(['too-large', `Prometheus at ${url} sent more than 100 bytes for one query, over the cap of 100 bytes given to the client; choose fewer namespaces or a shorter duration. Query: up`]);
  });

  it('parses NaN and infinities', () => {
    expect(['1.5', 'NaN', '+Inf', '-Inf', '1e-3'].map(parseSampleValue)).toEqual([1.5, NaN, Infinity, -Infinity, 0.001]);
  });
});

describe('Prometheus telemetry', () => {
  it('shares in-flight queries between identical requests and caches the answer for a few seconds', async () => {
    const { url, seen } = await serve((_req, _body, res) => setTimeout(() => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } }), 50));
    const t = createPrometheusTelemetry({ url, cacheTtlMs: 5000 });
    const q = { queryTime: 1700000000, duration: 600, namespaces: ['b', 'a'] };
    const [x, y] = await Promise.all([t.samples(q), t.samples({ ...q, namespaces: ['a', 'b'] })]);
    expect(x).toBe(y);
    await t.samples({ ...q, queryTime: q.queryTime + 2 });
    expect(seen).toHaveLength(8);
    await t.samples({ ...q, duration: 300 });
    expect(seen).toHaveLength(16);
  });

  it('does not cache failures', async () => {
    let fail = true;
    const { url, seen } = await serve((_req, _body, res) => (fail ? json(res, 503, { status: 'error', errorType: 'unavailable', error: 'starting' }) : json(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } })));
    const t = createPrometheusTelemetry({ url });
    const q = { queryTime: 1700000000, duration: 600, namespaces: ['a'] };
    await expect(t.samples(q)).rejects.toThrow('rejected the query (unavailable): starting');
    fail = false;
    await expect(t.samples(q)).resolves.toEqual({});
    expect(seen).toHaveLength(16);
  });
});

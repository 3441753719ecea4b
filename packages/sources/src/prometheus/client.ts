/**
 * A small typed client of the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics): POST
 * form-encoded queries, a timeout per request, the error envelope and warnings surfaced, a cap on series and
 * bytes so a runaway query fails clearly instead of filling the server's memory.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { PrometheusError, unreachableMessage } from './errors.js';

export interface PrometheusAuth {
  /** `Authorization: Bearer <token>` (OpenShift, Grafana Cloud, most gateways). */
  bearerToken?: string;
  basic?: { username: string; password: string };
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://prometheus.istio-system:9090` or `https://thanos.example/prefix`. */
  url: string;
  auth?: PrometheusAuth;
  /** PEM file(s) of the CA(s) that sign Prometheus' certificate. */
  caFile?: string;
  /** Skip TLS verification (test clusters with self-signed certificates). */
  insecure?: boolean;
  /** Extra headers on every request (`X-Scope-OrgID` for Mimir/Cortex tenants…). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 10 000). */
  timeoutMs?: number;
  /** Largest number of series one query may return (default 200 000). */
  maxSeries?: number;
  /** Largest response body in bytes (default 512 MiB). */
  maxBytes?: number;
}

/** A sample value: Prometheus encodes numbers as strings, with `NaN`, `+Inf`, `-Inf`. */
export type SampleValue = [number, string];

export interface VectorSeries {
  metric: Record<string, string>;
  value: SampleValue;
}
export interface MatrixSeries {
  metric: Record<string, string>;
  values: SampleValue[];
}

export type QueryData =
  | { resultType: 'vector'; result: VectorSeries[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: SampleValue }
  | { resultType: 'string'; result: SampleValue };

export interface QueryAnswer<T> {
  data: T;
  warnings: string[];
}

/** Parses a Prometheus sample string: `"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"` → number (NaN/±Infinity). */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  return Number(text);
}

export interface PrometheusClient {
  readonly url: string;
  readonly timeoutMs: number;
  /** Instant query at `time` (unix seconds). */
  query(promql: string, time: number, signal?: AbortSignal): Promise<QueryAnswer<QueryData>>;
  /** Range query. */
  queryRange(promql: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<QueryAnswer<QueryData>>;
  /** GET an API path (`/api/v1/status/flags`) and return its `data`. */
  get<T>(path: string, signal?: AbortSignal): Promise<QueryAnswer<T>>;
  /** How many HTTP requests this client has sent (benchmarks and tests count queries). */
  readonly requests: number;
}

interface Envelope {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

/** Builds a client; throws a PrometheusError when the CA file cannot be read. */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const base = options.url.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new PrometheusError('invalid', `--prometheus must be an http:// or https:// URL, got "${options.url}"`, options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxSeries = options.maxSeries ?? 200_000;
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.auth?.bearerToken) headers.authorization = `Bearer ${options.auth.bearerToken}`;
  else if (options.auth?.basic) headers.authorization = `Basic ${Buffer.from(`${options.auth.basic.username}:${options.auth.basic.password}`).toString('base64')}`;

  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, 'utf8');
    } catch (e) {
      throw new PrometheusError('invalid', `--prometheus-ca ${options.caFile}: ${(e as Error).message}`, base);
    }
  }
  // Node's global fetch cannot take TLS options; undici's own fetch with an Agent can.
  const dispatcher = ca !== undefined || options.insecure ? new Agent({ connect: { ca, rejectUnauthorized: !options.insecure } }) : undefined;
  let requests = 0;

  async function send<T>(path: string, form: URLSearchParams | undefined, outer?: AbortSignal): Promise<QueryAnswer<T>> {
    const url = `${base}${path}`;
    const signals = [AbortSignal.timeout(timeoutMs), ...(outer ? [outer] : [])];
    const signal = AbortSignal.any(signals);
    requests++;
    let response: Response;
    try {
      const init = {
        method: form ? 'POST' : 'GET',
        headers: form ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
        body: form?.toString(),
        signal,
      };
      response = dispatcher ? ((await undiciFetch(url, { ...init, dispatcher })) as unknown as Response) : await fetch(url, init);
    } catch (e) {
      throw fetchError(e, signal, outer, url);
    }
    let text: string;
    try {
      text = await readCapped(response, maxBytes, url);
    } catch (e) {
      if (e instanceof PrometheusError) throw e;
      throw fetchError(e, signal, outer, url);
    }
    let body: Envelope | undefined;
    try {
      body = JSON.parse(text) as Envelope;
    } catch {
      body = undefined;
    }
    if (body && body.status === 'error') {
      throw new PrometheusError('api', `Prometheus at ${base} rejected the query (${body.errorType ?? 'error'}): ${body.error ?? 'no message'}`, url, { errorType: body.errorType, status: response.status });
    }
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403
        ? '; pass --prometheus-token or credentials in the URL (https://user:pass@host), or --prometheus-header for a gateway'
        : response.status === 404 ? `; is ${base} the Prometheus base URL (the one whose /api/v1/query answers)?` : '';
      throw new PrometheusError('http', `Prometheus at ${base} answered HTTP ${response.status} for ${path}${hint}`, url, { status: response.status });
    }
    if (!body || body.status !== 'success') throw new PrometheusError('invalid', `Prometheus at ${base} sent an answer that is not the Prometheus API's JSON for ${path}`, url);
    return { data: body.data as T, warnings: [...(body.warnings ?? [])] };
  }

  function fetchError(e: unknown, signal: AbortSignal, outer: AbortSignal | undefined, url: string): Error {
    if (outer?.aborted) return outer.reason instanceof Error ? outer.reason : new Error('aborted');
    if (signal.aborted) {
      return new PrometheusError('timeout', `Prometheus at ${base} did not answer within ${timeoutMs / 1000} s; it may be overloaded — choose a shorter duration or fewer namespaces, or raise --prometheus-timeout`, url);
    }
    return new PrometheusError('unreachable', unreachableMessage(base, e), url);
  }

  function checkData(data: QueryData, url: string, promql: string): QueryData {
    if (!data || typeof data !== 'object' || !('resultType' in data)) throw new PrometheusError('invalid', `Prometheus at ${base} answered without resultType`, url);
    if ((data.resultType === 'vector' || data.resultType === 'matrix') && data.result.length > maxSeries) {
      throw new PrometheusError('too-large', `Prometheus at ${base} returned ${data.result.length} series for one query, over the cap of ${maxSeries} (--prometheus-max-series); choose fewer namespaces. Query: ${promql.slice(0, 200)}`, url);
    }
    return data;
  }

  return {
    url: base,
    timeoutMs,
    get requests() {
      return requests;
    },
    async query(promql, time, signal) {
      const answer = await send<QueryData>('/api/v1/query', new URLSearchParams({ query: promql, time: String(time) }), signal);
      return { ...answer, data: checkData(answer.data, `${base}/api/v1/query`, promql) };
    },
    async queryRange(promql, start, end, step, signal) {
      const answer = await send<QueryData>('/api/v1/query_range', new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) }), signal);
      return { ...answer, data: checkData(answer.data, `${base}/api/v1/query_range`, promql) };
    },
    get: (path, signal) => send(path, undefined, signal),
  };
}

/** Reads a body as text, failing once it passes `maxBytes` (before it is all in memory). */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw tooLarge(declared, maxBytes, url);
  if (!response.body) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(size, maxBytes, url);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function tooLarge(size: number, maxBytes: number, url: string): PrometheusError {
  return new PrometheusError('too-large', `Prometheus' answer from ${url} is larger than ${Math.round(maxBytes / 1048576)} MiB (${size > maxBytes ? 'over' : ''} the cap); choose fewer namespaces or a coarser step`, url);
}

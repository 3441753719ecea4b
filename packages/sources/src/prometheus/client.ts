/**
 * A small typed client of the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics): POST
 * form-encoded queries, a timeout per request, the error envelope and warnings surfaced, a cap on series and
 * bytes so a runaway query fails clearly instead of filling the server's memory.
 *
 * The body is streamed and counted before anything is parsed: an answer stops being read (and its connection is
 * closed) as soon as it passes its byte cap — room for `--prometheus-max-series` series, never more than
 * ANSWER_CEILING_BYTES — or the answers being read together pass IN_FLIGHT_BYTES. Ten million series are refused
 * after a few tens of MiB, not after the heap is exhausted.
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
  /** Largest response body in bytes (default: `answerByteCap(maxSeries)`). */
  maxBytes?: number;
  /** Largest sum of the bodies being read at once, bytes (default IN_FLIGHT_BYTES). */
  maxBytesInFlight?: number;
}

const MiB = 1024 * 1024;
/** Room per series in an answer: far more than an Istio series' labels (about 1 KiB with every label kept). */
export const ANSWER_BYTES_PER_SERIES = 4 * 1024;
/** Room per point of a range answer's series: `[1790000000.123,"12345.6789012345"],` is under 40 bytes. */
export const ANSWER_BYTES_PER_POINT = 64;
/** The least an answer may take whatever the series cap (the status endpoints, a small cap). */
export const ANSWER_FLOOR_BYTES = 1 * MiB;
/** The most one answer may take whatever the series cap: read, then parsed, it stays well under 150 MiB of memory. */
export const ANSWER_CEILING_BYTES = 48 * MiB;
/** The most all answers being read together may take (a graph sends eight queries at once). */
export const IN_FLIGHT_BYTES = 64 * MiB;

/** The byte cap of one answer of up to `maxSeries` series of `points` points, and whether the ceiling set it. */
export function answerByteCap(maxSeries: number, points = 1): { bytes: number; ceiling: boolean } {
  const room = Math.max(ANSWER_FLOOR_BYTES, maxSeries * (ANSWER_BYTES_PER_SERIES + (points > 1 ? points * ANSWER_BYTES_PER_POINT : 0)));
  return room > ANSWER_CEILING_BYTES ? { bytes: ANSWER_CEILING_BYTES, ceiling: true } : { bytes: room, ceiling: false };
}

function mib(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  return bytes < MiB ? `${Math.round(bytes / 1024)} KiB` : `${Math.round((bytes / MiB) * 10) / 10} MiB`;
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

function isLabels(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

function isSample(v: unknown): v is SampleValue {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';
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

/**
 * A query for a message: the metric it reads first (the graph's queries start alike, with their `sum by` labels),
 * then its first 200 characters.
 */
export function describeQuery(promql: string): string {
  const metric = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/.exec(promql)?.[1];
  const text = promql.length > 200 ? `${promql.slice(0, 200)}…` : promql;
  return metric ? `Query on ${metric}: ${text}` : `Query: ${text}`;
}

/**
 * Runs requests together; the first failure cancels the others (their answers would be thrown away, and an answer
 * too large for one query is likely too large for its siblings: they stop reading at once).
 */
export function allOrNone<T>(runs: Array<(signal: AbortSignal) => Promise<T>>): Promise<T[]> {
  const together = new AbortController();
  return Promise.all(runs.map((run) => run(together.signal).catch((e: unknown) => {
    together.abort(e);
    throw e;
  })));
}

/** Builds a client; throws a PrometheusError when the CA file cannot be read. */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const base = options.url.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new PrometheusError('invalid', `--prometheus must be an http:// or https:// URL, got "${options.url}"`, options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxSeries = options.maxSeries ?? 200_000;
  const maxBytesInFlight = options.maxBytesInFlight ?? IN_FLIGHT_BYTES;
  // Bytes of the answers being read now, by every request of this client.
  let inFlight = 0;
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

  /** What a request is, for its messages and its byte cap. */
  interface Asked {
    /** The PromQL of a query (undefined for the status endpoints). */
    promql?: string;
    /** Points per series of a range query. */
    points?: number;
  }

  async function send<T>(path: string, form: URLSearchParams | undefined, outer: AbortSignal | undefined, asked: Asked = {}): Promise<QueryAnswer<T>> {
    const url = `${base}${path}`;
    // Ours: stops the download the moment the answer passes its cap.
    const stop = new AbortController();
    const signals = [AbortSignal.timeout(timeoutMs), stop.signal, ...(outer ? [outer] : [])];
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
    const cap = capOf(asked);
    let text: string;
    try {
      text = await readCapped(response, cap.bytes, (size, over) => {
        stop.abort();
        return over === 'in-flight' ? tooMuchInFlight(url, asked, size) : tooLarge(url, asked, cap, size, over === 'declared');
      });
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
      const proxied = /\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy\/?$/.exec(new URL(base).pathname);
      const hint = proxied && response.status === 403
        // Through the API server's service proxy the refusal is RBAC's, for the identity Meshlens reads the cluster
        // with; a Prometheus token cannot change it.
        ? `; the Kubernetes API server refused its service proxy: the identity Meshlens uses needs get and create on services/proxy for ${decodeURIComponent(proxied[2]!)} in namespace ${decodeURIComponent(proxied[1]!)} (kubectl auth can-i create services/proxy/${decodeURIComponent(proxied[2]!)} -n ${decodeURIComponent(proxied[1]!)}; the Helm chart grants it when prometheus.url is empty), or pass --prometheus with an address Meshlens reaches directly (a port-forward)`
        : response.status === 401 || response.status === 403
        ? '; pass --prometheus-token or credentials in the URL (https://user:pass@host), or --prometheus-header for a gateway'
        : response.status === 404 ? `; is ${base} the Prometheus base URL (the one whose /api/v1/query answers)?` : '';
      throw new PrometheusError('http', `Prometheus at ${base} answered HTTP ${response.status} for ${path}${hint}`, url, { status: response.status });
    }
    if (!body || body.status !== 'success') throw new PrometheusError('invalid', `Prometheus at ${base} sent an answer that is not the Prometheus API's JSON for ${path}`, url);
    return { data: body.data as T, warnings: [...(body.warnings ?? [])] };
  }

  function capOf(asked: Asked): { bytes: number; ceiling: boolean; given: boolean } {
    if (options.maxBytes !== undefined) return { bytes: options.maxBytes, ceiling: false, given: true };
    // The status endpoints return no series: only the ceiling applies.
    if (asked.promql === undefined) return { bytes: ANSWER_CEILING_BYTES, ceiling: true, given: false };
    return { ...answerByteCap(maxSeries, asked.points ?? 1), given: false };
  }

  function queryText(asked: Asked): string {
    return asked.promql !== undefined ? ` ${describeQuery(asked.promql)}` : '';
  }

  function tooLarge(url: string, asked: Asked, cap: ReturnType<typeof capOf>, size: number, declared: boolean): PrometheusError {
    const what = asked.promql !== undefined ? 'one query' : url.slice(base.length);
    const head = `Prometheus at ${base} ${declared ? `announced ${mib(size)}` : `sent more than ${mib(cap.bytes)}`} for ${what}`;
    const why = cap.given
      ? `, over the cap of ${mib(cap.bytes)} given to the client`
      : cap.ceiling
        ? `, over the ${mib(cap.bytes)} Meshlens reads from one answer whatever --prometheus-max-series allows (${maxSeries})`
        : `, over the ${mib(cap.bytes)} that --prometheus-max-series ${maxSeries} allows an answer (${mib(ANSWER_BYTES_PER_SERIES)} per series${asked.points && asked.points > 1 ? ` and ${ANSWER_BYTES_PER_POINT} bytes per point` : ''})`;
    const todo = cap.ceiling || cap.given ? '; choose fewer namespaces or a shorter duration' : '; choose fewer namespaces, or raise --prometheus-max-series';
    return new PrometheusError('too-large', `${head}${why}${todo}.${queryText(asked)}`, url);
  }

  function tooMuchInFlight(url: string, asked: Asked, size: number): PrometheusError {
    return new PrometheusError('too-large', `Prometheus at ${base} sent more than ${mib(maxBytesInFlight)} for the queries Meshlens was reading at once (${mib(size)} of them for this one), the most it holds together whatever --prometheus-max-series allows (${maxSeries}); choose fewer namespaces or a shorter duration, or retry once other views have loaded.${queryText(asked)}`, url);
  }

  /**
   * Reads a body within `maxBytes` and the client's in-flight budget, as bytes (off the JS heap) until the end:
   * past either the read stops, the connection is closed and `over` makes the error.
   */
  async function readCapped(response: Response, maxBytes: number, over: (size: number, which: 'declared' | 'answer' | 'in-flight') => PrometheusError): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw over(declared, 'declared');
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        const which = size > maxBytes ? 'answer' : inFlight + value.byteLength > maxBytesInFlight ? 'in-flight' : undefined;
        if (which) {
          const error = over(size, which);
          await reader.cancel().catch(() => undefined);
          throw error;
        }
        inFlight += value.byteLength;
        chunks.push(value);
      }
      return Buffer.concat(chunks, size).toString('utf8');
    } finally {
      for (const c of chunks) inFlight -= c.byteLength;
      chunks.length = 0;
    }
  }

  function fetchError(e: unknown, signal: AbortSignal, outer: AbortSignal | undefined, url: string): Error {
    if (outer?.aborted) return outer.reason instanceof Error ? outer.reason : new Error('aborted');
    if (signal.aborted) {
      return new PrometheusError('timeout', `Prometheus at ${base} did not answer within ${timeoutMs / 1000} s; it may be overloaded — choose a shorter duration or fewer namespaces, or raise --prometheus-timeout`, url);
    }
    return new PrometheusError('unreachable', unreachableMessage(base, e), url);
  }

  /**
   * The answer's shape, checked: a result that is not a list is an invalid answer; a series that is not one
   * (null, a metric that is not an object of strings, a value that is not [time, "number"]) is left out with a
   * warning, so that one bad series from a proxy or a broken exporter never turns a page into a 500.
   */
  function checkData(data: QueryData, url: string, promql: string): { data: QueryData; warnings: string[] } {
    if (!data || typeof data !== 'object' || !('resultType' in data)) throw new PrometheusError('invalid', `Prometheus at ${base} answered without resultType`, url);
    if (data.resultType !== 'vector' && data.resultType !== 'matrix') return { data, warnings: [] };
    if (!Array.isArray(data.result)) throw new PrometheusError('invalid', `Prometheus at ${base} answered a ${data.resultType} whose result is not a list. ${describeQuery(promql)}`, url);
    if (data.result.length > maxSeries) {
      throw new PrometheusError('too-large', `Prometheus at ${base} returned ${data.result.length} series for one query, over the cap of ${maxSeries} (--prometheus-max-series); choose fewer namespaces, or raise --prometheus-max-series. ${describeQuery(promql)}`, url);
    }
    const good = data.resultType === 'vector'
      ? (data.result as unknown[]).filter((x) => isLabels((x as VectorSeries | null)?.metric) && isSample((x as VectorSeries).value))
      : (data.result as unknown[]).filter((x) => isLabels((x as MatrixSeries | null)?.metric) && Array.isArray((x as MatrixSeries).values) && (x as MatrixSeries).values.every(isSample));
    const dropped = data.result.length - good.length;
    if (dropped === 0) return { data, warnings: [] };
    return {
      data: { ...data, result: good } as QueryData,
      warnings: [`Prometheus at ${base} sent ${dropped} malformed series (not a label set with [time, value] samples); they are left out. ${describeQuery(promql)}`],
    };
  }

  return {
    url: base,
    timeoutMs,
    get requests() {
      return requests;
    },
    async query(promql, time, signal) {
      const answer = await send<QueryData>('/api/v1/query', new URLSearchParams({ query: promql, time: String(time) }), signal, { promql });
      const checked = checkData(answer.data, `${base}/api/v1/query`, promql);
      return { data: checked.data, warnings: [...answer.warnings, ...checked.warnings] };
    },
    async queryRange(promql, start, end, step, signal) {
      const points = step > 0 && end >= start ? Math.floor((end - start) / step) + 1 : 1;
      const answer = await send<QueryData>('/api/v1/query_range', new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) }), signal, { promql, points });
      const checked = checkData(answer.data, `${base}/api/v1/query_range`, promql);
      return { data: checked.data, warnings: [...answer.warnings, ...checked.warnings] };
    },
    get: (path, signal) => send(path, undefined, signal),
  };
}

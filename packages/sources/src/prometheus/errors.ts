/** Errors of the Prometheus client, each saying which Prometheus, what went wrong and what to do. */

export type PrometheusErrorKind =
  /** Nothing answered (connection refused, DNS, TLS). */
  | 'unreachable'
  /** No answer within the timeout. */
  | 'timeout'
  /** HTTP status without a Prometheus envelope (a proxy, 401/403, 404 on a wrong path). */
  | 'http'
  /** Prometheus answered `status: "error"` (bad_data, execution, timeout, canceled…). */
  | 'api'
  /** The answer had more series (or bytes) than the configured cap. */
  | 'too-large'
  /** The answer was not the JSON the API promises. */
  | 'invalid';

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    readonly url: string,
    /** Prometheus' own `errorType` for `api` errors, the HTTP status for `http`. */
    readonly detail?: { errorType?: string; status?: number },
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/** The hint that ends every "cannot reach" message: the flags that point Meshlens elsewhere. */
export const REACH_HINT = 'check that Prometheus is running and reachable from the Meshlens server, or pass another --prometheus URL';

/** Message for an error thrown by fetch itself: names the URL and, for TLS, the flags that fix it. */
export function unreachableMessage(url: string, cause: unknown): string {
  const c = cause as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = c?.cause?.code ?? c?.code ?? '';
  const text = c?.cause?.message ?? c?.message ?? String(cause);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i.test(code + text)) {
    return `Prometheus at ${url} refused the TLS handshake (${code || text}); pass --prometheus-ca <file> with the CA that signed its certificate, or --prometheus-insecure to skip verification`;
  }
  return `Prometheus at ${url} is unreachable (${code || text}); ${REACH_HINT}`;
}

/** Errors the API answers with: status, a short title and a message that says what to change. */
import { STATUS_CODES } from 'node:http';
import { PrometheusError } from '@meshlens/sources';

export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** The `error` field of an answer: the status's standard title. */
export function statusTitle(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/**
 * The answer for a route that cannot do without telemetry when Prometheus failed it: 504 when Prometheus did not
 * answer in time, 502 for everything else it did (an answer over the series or byte caps, an error envelope, an HTTP
 * error, something that is not Prometheus' JSON, or nothing reachable). The message is the client's sentence, which
 * names the Prometheus, the query, the limit and the option that raises it. Undefined for other errors.
 */
export function telemetryError(e: unknown): HttpError | undefined {
  if (!(e instanceof PrometheusError)) return undefined;
  return new HttpError(e.kind === 'timeout' ? 504 : 502, e.message);
}

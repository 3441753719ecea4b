/**
 * Fetching from the Meshlens server with errors a person can act on: "is the server running?" when
 * nothing answers, the server's own `message` when it refuses a request.
 */
import type { ApiError, GraphType } from '@meshlens/model';
import { withScope } from '../cluster/clusterParam';
import { API_GET_INIT, takeEarly } from './early';

export class ServerUnreachableError extends Error {
  constructor(readonly origin: string, detail?: string) {
    super(
      `The Meshlens server at ${origin} did not answer${detail ? ` (${detail})` : ''}; is \`meshlens serve\` running?`,
    );
    this.name = 'ServerUnreachableError';
  }
}

export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as ApiError).message === 'string';
}

/** The error to show for a non-2xx answer. Pure, so the wording is unit-tested. */
export function errorForResponse(status: number, statusText: string, body: unknown, origin: string): Error {
  if (isApiError(body)) {
    const prefix = status >= 500 ? 'The server failed to answer this request' : 'The server refused this request';
    return new ApiRequestError(status, `${prefix}: ${body.message}`);
  }
  // A proxy in front of the server (Vite in dev, an ingress in a cluster) answers 502/503/504 with no
  // JSON when the server itself is down: that is "not running", not a server bug.
  if (status === 502 || status === 503 || status === 504 || status === 500) {
    return new ServerUnreachableError(origin, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
  return new ApiRequestError(status, `The server answered HTTP ${status}${statusText ? ` ${statusText}` : ''}.`);
}

/** GETs JSON from the API; throws ServerUnreachableError or ApiRequestError. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const origin = window.location.origin;
  let response: Response;
  try {
    // The selected kubeconfig context (`cluster=` in the page URL) goes on every API request, here in one place.
    const url = withScope(path);
    // The boot module may have asked already (api/early.ts): the same GET, started before the app's code ran.
    response = await (takeEarly(url) ?? fetch(url, { ...API_GET_INIT, signal }));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ServerUnreachableError(origin);
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) throw errorForResponse(response.status, response.statusText, body, origin);
  if (body === undefined) throw new ApiRequestError(response.status, `The server sent a response that is not JSON for ${path}.`);
  return body as T;
}

export interface GraphQuery {
  namespaces: string[];
  graphType: GraphType;
  duration: number;
  queryTime: number | null;
  includeIdle: boolean;
  /** Ambient waypoints as nodes (Kiali's `waypoints` graph option); absent or false: hidden, edges pass through. */
  showWaypoints?: boolean;
  /**
   * Ask for edge response times. They come from the duration histogram, by far the costliest telemetry query
   * (one series per edge, reporter and bucket), so the graph asks only when edge labels show them; the side
   * panel's latency charts query the selected edge alone.
   */
  responseTimes: boolean;
}

/** The graph endpoint's URL for a query. */
export function graphPath(query: GraphQuery): string {
  const p = new URLSearchParams();
  p.set('namespaces', query.namespaces.join(','));
  p.set('graphType', query.graphType);
  p.set('duration', String(query.duration));
  if (query.queryTime !== null) p.set('queryTime', String(query.queryTime));
  if (query.includeIdle) p.set('includeIdle', 'true');
  if (query.showWaypoints) p.set('waypoints', 'true');
  if (!query.responseTimes) p.set('responseTime', 'false');
  return `/api/graph?${p.toString().replace(/%2C/g, ',')}`;
}

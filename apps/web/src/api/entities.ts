/**
 * React Query hooks of the entity pages (contract: packages/model/src/entities.ts): the Overview, the lists of
 * applications, workloads and services, their detail pages and one-hop graphs, and pod logs — plain and followed
 * (an NDJSON stream read with fetch and a ReadableStream, stopped by aborting).
 */
import type {
  ApplicationDetail,
  ApplicationListResponse,
  GraphResponse,
  GraphType,
  OverviewResponse,
  PodLogLine,
  PodLogsResponse,
  PodLogStreamEnd,
  ServiceDetail,
  ServiceListResponse,
  WorkloadDetail,
  WorkloadListResponse,
} from '@meshlens/model';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { withScope } from '../cluster/clusterParam';
import { ApiRequestError, errorForResponse, getJson, ServerUnreachableError } from './client';
import { queryKeys } from './queryKeys';
import { entityListPath, overviewPath, windowParams, withQuery, type EntityKind, type EntityWindow } from './paths';

export { ENTITY_KINDS, windowParams, type EntityKind, type EntityWindow } from './paths';

/** A live window is re-read now and then; a past one never changes. */
function liveOptions(w: EntityWindow, refreshMs: number) {
  const live = w.queryTime === null;
  return { refetchInterval: live && refreshMs > 0 ? refreshMs : (false as const), staleTime: live ? 10_000 : Infinity };
}

/** Entity pages re-read a live window this often (the server's telemetry cache is shorter). */
export const ENTITY_REFRESH_MS = 30_000;

/** The Overview's query: what the page reads and what its route starts loading before the page's code arrives. */
export function overviewQuery(w: EntityWindow) {
  const params = windowParams(w);
  return queryOptions({
    queryKey: queryKeys.entities.overview(params),
    queryFn: ({ signal }) => getJson<OverviewResponse>(overviewPath(w), signal),
    placeholderData: keepPreviousData,
    retry: 1,
    ...liveOptions(w, ENTITY_REFRESH_MS),
  });
}

export function useOverview(w: EntityWindow) {
  return useQuery(overviewQuery(w));
}

export interface EntityListResponses {
  applications: ApplicationListResponse;
  workloads: WorkloadListResponse;
  services: ServiceListResponse;
}

/** A list's query (same use as overviewQuery). */
export function entityListQuery<K extends EntityKind>(kind: K, w: EntityWindow) {
  const params = windowParams(w);
  return queryOptions<EntityListResponses[K]>({
    queryKey: queryKeys.entities.list(kind, params),
    queryFn: ({ signal }) => getJson<EntityListResponses[K]>(entityListPath(kind, w), signal),
    // Another kind's rows must never stand in for this kind's while it loads.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === kind ? previous : undefined),
    retry: 1,
    ...liveOptions(w, ENTITY_REFRESH_MS),
  });
}

export function useEntityList<K extends EntityKind>(kind: K, w: EntityWindow, enabled = true) {
  return useQuery({ ...entityListQuery(kind, w), enabled });
}

export interface EntityDetails {
  applications: ApplicationDetail;
  workloads: WorkloadDetail;
  services: ServiceDetail;
}

/** The API path of an entity (`/api/namespaces/ns/workloads/name`), plus `suffix` (`/graph`). */
export function entityApiPath(kind: EntityKind, namespace: string, name: string, suffix = ''): string {
  return `/api/namespaces/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}${suffix}`;
}

export function useEntityDetail<K extends EntityKind>(kind: K, namespace: string, name: string, w: Omit<EntityWindow, 'namespaces'>) {
  const params = windowParams(w);
  return useQuery({
    queryKey: queryKeys.entities.detail(kind, namespace, name, params),
    queryFn: ({ signal }) => getJson<EntityDetails[K]>(withQuery(entityApiPath(kind, namespace, name), params), signal),
    // The same entity over another window keeps its page on screen while the new answer loads; never another entity's.
    placeholderData: (previous, previousQuery) => {
      const key = previousQuery?.queryKey;
      return key && key[2] === kind && key[3] === namespace && key[4] === name ? previous : undefined;
    },
    retry: (count, error) => count < 1 && !(error instanceof ApiRequestError && error.status < 500),
    ...liveOptions({ ...w, namespaces: null }, ENTITY_REFRESH_MS),
  });
}

/** The one-hop node graph of an entity. */
export function useEntityGraph(kind: EntityKind, namespace: string, name: string, w: Omit<EntityWindow, 'namespaces'> & { graphType?: GraphType }, enabled = true) {
  const params = windowParams(w, { graphType: w.graphType });
  return useQuery({
    queryKey: queryKeys.entities.graph(kind, namespace, name, params),
    queryFn: ({ signal }) => getJson<GraphResponse>(withQuery(entityApiPath(kind, namespace, name, '/graph'), params), signal),
    enabled,
    retry: 1,
    ...liveOptions({ ...w, namespaces: null }, ENTITY_REFRESH_MS),
  });
}

export interface LogsRequest {
  namespace: string;
  pod: string;
  container: string;
  tailLines?: number;
  sinceSeconds?: number;
}

export function podLogsPath(r: LogsRequest, follow = false): string {
  const params = windowParams({}, { container: r.container, tailLines: r.tailLines, sinceSeconds: r.sinceSeconds, follow: follow ? 'true' : undefined });
  return withQuery(`/api/namespaces/${encodeURIComponent(r.namespace)}/pods/${encodeURIComponent(r.pod)}/logs`, params);
}

/** The lines of one container (not followed). */
export function usePodLogs(r: LogsRequest | null) {
  const params = r ? podLogsPath(r) : '';
  return useQuery({
    queryKey: queryKeys.entities.logs(r?.namespace ?? '', r?.pod ?? '', params),
    queryFn: ({ signal }) => getJson<PodLogsResponse>(params, signal),
    enabled: r !== null,
    // Logs are a moment's picture: refetch only when asked (the Refresh button, or follow).
    staleTime: Infinity,
    retry: (count, error) => count < 1 && !(error instanceof ApiRequestError && error.status < 500),
  });
}

export function isStreamEnd(value: unknown): value is PodLogStreamEnd {
  return typeof value === 'object' && value !== null && (value as PodLogStreamEnd).end === true;
}

/**
 * Splits NDJSON text as it arrives: complete lines are parsed, a partial last line is kept for the next chunk.
 * Returns the values and the remainder. Lines that are not JSON are skipped.
 */
export function splitNdjson(buffer: string): { values: unknown[]; rest: string } {
  const parts = buffer.split('\n');
  const rest = parts.pop() ?? '';
  const values: unknown[] = [];
  for (const part of parts) {
    const text = part.trim();
    if (!text) continue;
    try {
      values.push(JSON.parse(text));
    } catch {
      // A broken line says nothing a person could act on; the stream goes on.
    }
  }
  return { values, rest };
}

/**
 * Follows a container's log (`follow=true`): `onLines` gets the lines as they come, batched per chunk. Resolves with
 * the stream's end line (or a made-up one when the connection closed without it); aborting `signal` stops reading
 * and resolves with `stopped`. HTTP errors reject with the same errors as getJson.
 */
export async function followPodLogs(r: LogsRequest, onLines: (lines: PodLogLine[]) => void, signal: AbortSignal): Promise<PodLogStreamEnd> {
  const origin = window.location.origin;
  let response: Response;
  try {
    response = await fetch(withScope(podLogsPath(r, true)), { signal, headers: { accept: 'application/x-ndjson' } });
  } catch (error) {
    if (signal.aborted) return { end: true, reason: 'stopped' };
    throw new ServerUnreachableError(origin);
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    throw errorForResponse(response.status, response.statusText, body, origin);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const { values, rest } = splitNdjson(buffer);
      buffer = rest;
      const lines: PodLogLine[] = [];
      for (const v of values) {
        if (isStreamEnd(v)) {
          if (lines.length > 0) onLines(lines);
          return v;
        }
        if (typeof v === 'object' && v !== null && typeof (v as PodLogLine).message === 'string') lines.push(v as PodLogLine);
      }
      if (lines.length > 0) onLines(lines);
    }
  } catch (error) {
    if (signal.aborted) return { end: true, reason: 'stopped' };
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return signal.aborted ? { end: true, reason: 'stopped' } : { end: true, reason: 'the server closed the stream' };
}

/** React Query hooks of the route tracer (contract: packages/model/src/trace-api.ts): a trace, and the form's suggestions. */
import type { TraceResponse, TraceSuggestions } from '@meshlens/model';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { ApiRequestError, getJson } from './client';
import { queryKeys } from './queryKeys';

/** The trace of one request (`params`: its query string, pages/trace/traceSearch.ts `traceParams`). */
export function traceQuery(params: string, live: boolean) {
  return queryOptions({
    queryKey: queryKeys.trace.result(params),
    queryFn: ({ signal }) => getJson<TraceResponse>(`/api/trace?${params}`, signal),
    // a 400 or 404 names a mistake in the request: asking again will not fix it
    retry: (count, error) => count < 1 && !(error instanceof ApiRequestError && error.status < 500),
    // a past window never changes; a live one's telemetry does, a little
    staleTime: live ? 15_000 : Infinity,
  });
}

export function useTrace(params: string | null, live: boolean) {
  return useQuery({ ...traceQuery(params ?? '', live), enabled: params !== null });
}

/** Sources and URLs for the tracer's form, filtered by `q` ('' for the first of each kind, up to the server's bound). */
export function useTraceSuggestions(q: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.trace.suggestions(q),
    queryFn: ({ signal }) => getJson<TraceSuggestions>(`/api/trace/suggestions${q ? `?q=${encodeURIComponent(q)}` : ''}`, signal),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    retry: 1,
  });
}

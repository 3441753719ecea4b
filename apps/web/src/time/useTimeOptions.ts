/**
 * The durations the telemetry can answer and the server's clock (`GET /api/time-options`). When the server
 * does not answer it, the toolbar still works with the built-in list and the browser's clock, and says so.
 */
import type { TimeOptionsResponse } from '@meshlens/model';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { DURATION_OPTIONS } from '../url/viewState';
import { durationLabel } from './clock';

export interface TimeOptions extends TimeOptionsResponse {
  /** Server clock minus browser clock, seconds: "now" is the server's, so a wrong browser clock does not matter. */
  clockOffset: number;
  /** True when this is the built-in fallback, not the server's answer. */
  fallback: boolean;
}

export const FALLBACK_TIME_OPTIONS: TimeOptions = {
  durations: DURATION_OPTIONS.map((d) => ({ seconds: d.value, label: durationLabel(d.value) })),
  defaultDuration: 600,
  now: 0,
  scrapeInterval: 15,
  telemetry: 'none',
  notes: [],
  clockOffset: 0,
  fallback: true,
};

export function useTimeOptions() {
  const query = useQuery({
    queryKey: queryKeys.timeOptions(),
    queryFn: async ({ signal }): Promise<TimeOptions> => {
      const response = await getJson<TimeOptionsResponse>('/api/time-options', signal);
      return { ...response, clockOffset: response.now - Date.now() / 1000, fallback: false };
    },
    // Retention rarely changes; the clock offset does not drift noticeably in minutes.
    staleTime: 5 * 60_000,
    retry: 1,
  });
  return { options: query.data ?? FALLBACK_TIME_OPTIONS, loading: query.isLoading, error: query.error };
}

/** "Now" on the server's clock, unix seconds; a snapshot's stands still at its capture. */
export function serverNow(options: Pick<TimeOptions, 'clockOffset' | 'now' | 'frozen'>): number {
  if (options.frozen) return options.now;
  return Math.floor(Date.now() / 1000 + options.clockOffset);
}

/**
 * The series of a node or an edge over the graph's window. A live window's key does not contain "now", so the
 * same query refreshes with the graph; a past window (or a replay frame) is immutable and never refetched.
 */
import type { MetricsResponse } from '@meshlens/model';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';
import { queryKeys } from '../api/queryKeys';
import { useTimeWindow } from '../time/TimeWindow';
import { metricsPath, type MetricsSubject } from './metricsTarget';

export function useMetrics(subject: MetricsSubject | null) {
  const w = useTimeWindow();
  return useQuery({
    queryKey: queryKeys.metrics(subject, w.duration, w.queryTime),
    queryFn: ({ signal }) => {
      const end = w.queryTime ?? w.now();
      return getJson<MetricsResponse>(metricsPath(subject!, end - w.duration, end), signal);
    },
    enabled: subject !== null,
    refetchInterval: w.queryTime === null && w.refreshMs > 0 ? w.refreshMs : false,
    staleTime: w.queryTime === null ? 0 : Infinity,
    // Keep the previous window's lines while the next frame of a replay loads, instead of a skeleton each frame;
    // never another node's lines, which would be read as this one's.
    placeholderData: (previous, previousQuery) => (previous && JSON.stringify(previousQuery?.queryKey[1]) === JSON.stringify(subject) ? previous : undefined),
    retry: 1,
  });
}

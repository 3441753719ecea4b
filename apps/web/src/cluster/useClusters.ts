/** The kubeconfig contexts the server can show (`GET /api/clusters`); none for the demo, files and snapshots. */
import { useQuery } from '@tanstack/react-query';
import type { ClustersResponse } from '@meshlens/model';
import { ApiRequestError, getJson } from '../api/client';
import { queryKeys } from '../api/queryKeys';

export type { ClusterInfo, ClustersResponse } from '@meshlens/model';

/** The answer, with a 404 (a server without the route) read as "no clusters": nothing to switch, nothing to report. */
export async function fetchClusters(signal?: AbortSignal): Promise<ClustersResponse> {
  try {
    return await getJson<ClustersResponse>('/api/clusters', signal);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 404) return { clusters: [] };
    throw error;
  }
}

export function useClusters() {
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: ({ signal }) => fetchClusters(signal),
    staleTime: 60_000,
    retry: false,
  });
}

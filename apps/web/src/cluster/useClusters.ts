/** The kubeconfig contexts the server can show (`GET /api/clusters`); absent for the demo and files. */
import { useQuery } from '@tanstack/react-query';
import type { ClustersResponse } from '@meshlens/model';
import { getJson } from '../api/client';

export type { ClusterInfo, ClustersResponse } from '@meshlens/model';

export function useClusters() {
  return useQuery({
    queryKey: ['clusters'],
    queryFn: ({ signal }) => getJson<ClustersResponse>('/api/clusters', signal),
    staleTime: 60_000,
    // A 404 (demo, files: no such route) stays a 404: no switcher, no retry storm.
    retry: false,
  });
}

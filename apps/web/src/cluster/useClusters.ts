/** The kubeconfig contexts the server can show (`GET /api/clusters`); absent for the demo and files. */
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../api/client';

export interface ClusterEntry {
  context: string;
  cluster: string;
  server?: string;
  user?: string;
  namespace?: string;
  current: boolean;
  default: boolean;
  started: boolean;
}

export interface ClustersResponse {
  default: string;
  clusters: ClusterEntry[];
}

export function useClusters() {
  return useQuery({
    queryKey: ['clusters'],
    queryFn: ({ signal }) => getJson<ClustersResponse>('/api/clusters', signal),
    staleTime: 60_000,
    // A 404 (demo, files: no such route) stays a 404: no switcher, no retry storm.
    retry: false,
  });
}

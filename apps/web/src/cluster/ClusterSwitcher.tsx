/**
 * The header's context switcher, shown only when the kubeconfig has more than one context. Choosing one writes
 * `cluster=` into the URL; api/client.ts adds it to every request, and main.tsx keys every cached answer by it, so
 * nothing of one cluster is shown under the other's name.
 */
import { useLocation, useRouter } from '@tanstack/react-router';
import { navigateToHref } from '../router/navigateHref';
import { currentCluster, hrefForCluster } from './clusterParam';
import { useClusters } from './useClusters';

export function ClusterSwitcher() {
  const clusters = useClusters();
  const { pathname, searchStr: search } = useLocation();
  const router = useRouter();
  const selected = currentCluster(search);

  const data = clusters.data;
  if (!data || data.clusters.length <= 1) return null;
  const value = selected ?? data.default;
  const known = data.clusters.some((c) => c.context === value);
  return (
    <label className="cluster-switcher">
      <span className="cluster-switcher-label">Cluster</span>
      <select
        data-testid="cluster-switcher"
        value={known ? value : ''}
        onChange={(e) => void navigateToHref(router, hrefForCluster(e.target.value, pathname, search))}
        title={data.clusters.find((c) => c.context === value)?.server}
      >
        {!known && <option value="">{`unknown context "${value}": pick one`}</option>}
        {data.clusters.map((c) => (
          <option key={c.context} value={c.context}>
            {c.context === c.cluster ? c.context : `${c.context} (${c.cluster})`}
          </option>
        ))}
      </select>
    </label>
  );
}

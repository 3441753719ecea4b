/** Graph | Config navigation in the header; the namespace selection and the scope (cluster, snapshot) travel with it, in new tabs too. */
import { graphHref, configListHref, DEFAULT_CONFIG_LIST } from './links';
import { routeClick, routeOf, useLocation } from './router';
import { carryScope } from '../cluster/clusterParam';

export function TopNav() {
  const { pathname, search } = useLocation();
  const page = routeOf(pathname).page;
  const ns = new URLSearchParams(search).get('namespaces');
  const namespaces = ns ? ns.split(',').filter(Boolean) : null;
  const onConfig = page === 'config' || page === 'object';
  return (
    <nav className="top-nav" aria-label="Pages">
      <a href={carryScope(graphHref(namespaces), search)} onClick={routeClick} aria-current={page === 'graph' ? 'page' : undefined} data-testid="nav-graph">
        Graph
      </a>
      <a href={carryScope(configListHref({ ...DEFAULT_CONFIG_LIST, namespaces }), search)} onClick={routeClick} aria-current={onConfig ? 'page' : undefined} data-testid="nav-config">
        Config
      </a>
    </nav>
  );
}

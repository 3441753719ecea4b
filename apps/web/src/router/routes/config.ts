/** The Config list: every Istio object of the selected namespaces with its worst finding. */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { validateConfigListSearch } from '../../pages/config/configSearch';
import { retainNamespaces } from '../carry';
import { rootRoute } from '../root';

export const configRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/config',
  validateSearch: validateConfigListSearch,
  search: { middlewares: [retainNamespaces] },
  component: lazyRouteComponent(() => import('../../pages/config/ConfigPage'), 'ConfigPage'),
});

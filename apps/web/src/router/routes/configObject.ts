/** One config object: `/config/<kind>/<namespace, or - for cluster-scoped>/<name>?line=`. */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { validateConfigObjectSearch } from '../../pages/config/configSearch';
import { retainNamespaces } from '../carry';
import { rootRoute } from '../root';

export const configObjectRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/config/$kind/$namespace/$name',
  validateSearch: validateConfigObjectSearch,
  search: { middlewares: [retainNamespaces] },
  component: lazyRouteComponent(() => import('../../pages/config/ObjectPage'), 'ObjectPage'),
});

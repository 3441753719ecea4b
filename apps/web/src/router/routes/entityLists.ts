/** The lists of applications, workloads and services: filters and sort in the URL (pages/lists/listSearch.ts). */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { validateListSearch } from '../../pages/lists/listSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

export const applicationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/applications',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'ApplicationsPage'),
});

export const workloadsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workloads',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'WorkloadsPage'),
});

export const servicesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/services',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'ServicesPage'),
});

/** Detail pages of a workload, a service and an application, tabs in `?tab=` (pages/details/detailSearch.ts). */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { validateDetailSearch } from '../../pages/details/detailSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

export const workloadDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/namespaces/$namespace/workloads/$name',
  validateSearch: validateDetailSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/details/DetailPages'), 'WorkloadPage'),
});

export const serviceDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/namespaces/$namespace/services/$name',
  validateSearch: validateDetailSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/details/DetailPages'), 'ServicePage'),
});

export const applicationDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/namespaces/$namespace/applications/$name',
  validateSearch: validateDetailSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/details/DetailPages'), 'ApplicationPage'),
});

/** The lists of applications, workloads and services: filters and sort in the URL (pages/lists/listSearch.ts). */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { entityListQuery, type EntityKind } from '../../api/entities';
import { queryClient } from '../../api/queryClient';
import { listStateFromSearch, validateListSearch } from '../../pages/lists/listSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

/** A list page's query starts with its code, not after it (never awaited: the page shows its own progress). */
const prefetchList = (kind: EntityKind) => ({
  loaderDeps: ({ search }: { search: Parameters<typeof listStateFromSearch>[0] }) => listStateFromSearch(search),
  loader: ({ deps }: { deps: ReturnType<typeof listStateFromSearch> }) => {
    void queryClient.prefetchQuery(entityListQuery(kind, { namespaces: deps.namespaces, duration: deps.duration, queryTime: deps.queryTime }));
  },
});

export const applicationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/applications',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  ...prefetchList('applications'),
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'ApplicationsPage'),
});

export const workloadsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workloads',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  ...prefetchList('workloads'),
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'WorkloadsPage'),
});

export const servicesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/services',
  validateSearch: validateListSearch,
  search: { middlewares: [retainWindow] },
  ...prefetchList('services'),
  component: lazyRouteComponent(() => import('../../pages/lists/ListPages'), 'ServicesPage'),
});

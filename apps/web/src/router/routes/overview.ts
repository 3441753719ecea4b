/** The Overview: one entry per namespace (health, traffic, mTLS, injection, findings) and the control plane. */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { validateOverviewSearch } from '../../pages/overview/overviewSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

export const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/overview',
  validateSearch: validateOverviewSearch,
  search: { middlewares: [retainWindow] },
  component: lazyRouteComponent(() => import('../../pages/overview/OverviewPage'), 'OverviewPage'),
});

/** The route tracer: `/trace?from=<ns>/<workload>&url=<url>&header=…&sni=…&method=…` (pages/trace/traceSearch.ts). */
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { queryClient } from '../../api/queryClient';
import { traceQuery } from '../../api/trace';
import { hasRequest, traceParams, traceStateFromSearch, validateTraceSearch } from '../../pages/trace/traceSearch';
import { retainWindow } from '../carry';
import { rootRoute } from '../root';

export const traceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/trace',
  validateSearch: validateTraceSearch,
  // the window travels (its telemetry is compared); the request does not: a link names it, or the form is empty
  search: { middlewares: [retainWindow] },
  loaderDeps: ({ search }) => traceStateFromSearch(search),
  // The trace starts with the page's code, not after it (never awaited: the page shows its own progress).
  loader: ({ deps }) => {
    if (hasRequest(deps)) void queryClient.prefetchQuery(traceQuery(traceParams(deps), deps.queryTime === null));
  },
  component: lazyRouteComponent(() => import('../../pages/trace/TracePage'), 'TracePage'),
});

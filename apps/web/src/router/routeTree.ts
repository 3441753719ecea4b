/**
 * The route tree: one file per page under router/routes/, each page's code loaded on first visit.
 *
 * Adding a page (e.g. `/workloads`, or `/namespaces/$namespace/workloads/$name` with `?tab=`):
 * 1. write the page under pages/<family>/ (it reads its search with `getRouteApi('<path>').useSearch()`, or
 *    router/useUrlState.ts for state it writes back);
 * 2. add router/routes/<page>.ts:
 *      export const workloadRoute = createRoute({
 *        getParentRoute: () => rootRoute,
 *        path: '/namespaces/$namespace/workloads/$name',
 *        validateSearch: (raw) => defined({ ...validateWindowSearch(raw), tab: enumParam(raw.tab, TABS) }),
 *        search: { middlewares: [retainWindow] },   // keeps namespaces, duration, queryTime from the page left
 *        component: lazyRouteComponent(() => import('../../pages/details/WorkloadPage'), 'WorkloadPage'),
 *      });
 *    (validators: router/search.ts and router/carry.ts; plain functions that leave out absent or invalid values);
 * 3. list it in `addChildren` below, and give it a typed link builder in router/links.ts.
 * `/` (`indexRoute`, router/routes/graph.ts) sends people to the Overview, and old graph links (`/?graphType=…`)
 * to `/graph`. Scope (`cluster=`, `snapshot=`) is carried by the root route for every page. A page that writes
 * its state back builds it with every key present (`Explicit<…>` of router/search.ts, `undefined` for what the
 * URL leaves out), so a cleared key is not carried over from the page being left.
 */
import { rootRoute } from './root';
import { configRoute } from './routes/config';
import { configObjectRoute } from './routes/configObject';
import { graphRoute, indexRoute } from './routes/graph';
import { overviewRoute } from './routes/overview';
import { applicationsRoute, servicesRoute, workloadsRoute } from './routes/entityLists';
import { applicationDetailRoute, serviceDetailRoute, workloadDetailRoute } from './routes/entityDetails';
import { traceRoute } from './routes/trace';

export const routeTree = rootRoute.addChildren([
  indexRoute,
  graphRoute,
  configRoute,
  configObjectRoute,
  // Entity pages (Overview, lists, details)
  overviewRoute,
  applicationsRoute,
  workloadsRoute,
  servicesRoute,
  workloadDetailRoute,
  serviceDetailRoute,
  applicationDetailRoute,
  // The route tracer
  traceRoute,
]);

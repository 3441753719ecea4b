/** The app's router: the route tree, URL search kept as plain text (router/search.ts), and its history. */
import { createBrowserHistory, createRouter } from '@tanstack/react-router';
import { readPageSearchFrom } from '../cluster/clusterParam';
import { PageSkeleton } from '../components/PageSkeleton';
import { routeTree } from './routeTree';
import { parseSearch, stringifySearch } from './search';

const history = createBrowserHistory();
// The API client and the query cache read the scope from the router's location, current as soon as a navigation starts.
readPageSearchFrom(() => history.location.search);

export const router = createRouter({
  routeTree,
  history,
  parseSearch,
  stringifySearch,
  // A link's page code starts loading when the pointer rests on it or it gets focus.
  defaultPreload: 'intent',
  defaultPendingComponent: PageSkeleton,
  defaultPendingMs: 300,
  notFoundMode: 'root',
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

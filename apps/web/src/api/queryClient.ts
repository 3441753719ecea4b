/** The app's one query cache, shared by the pages and by the routes' loaders (which start a page's query early). */
import { hashKey, QueryClient } from '@tanstack/react-query';
import { currentScope } from '../cluster/clusterParam';

export const queryClient = new QueryClient({
  defaultOptions: {
    // The graph has its own refresh interval; refetching on every tab focus would double the load.
    // Every cached answer belongs to the scope it was asked in (`cluster=` and `snapshot=` in the URL, added to the
    // request by api/client.ts): switching clusters or opening a snapshot file, or Back across either, never shows
    // one scope's data as another's.
    queries: { refetchOnWindowFocus: false, queryKeyHashFn: (key) => hashKey([...currentScope(), ...key]) },
  },
});

import { hashKey, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthGate } from './auth/AuthGate';
import { currentScope } from './cluster/clusterParam';
import { router } from './router/router';
import { applyTheme } from './theme/themeStore';
import './styles.css';

// Before the first render: the page comes up in the chosen theme.
applyTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    // The graph has its own refresh interval; refetching on every tab focus would double the load.
    // Every cached answer belongs to the scope it was asked in (`cluster=` and `snapshot=` in the URL, added to the
    // request by api/client.ts): switching clusters or opening a snapshot file, or Back across either, never shows
    // one scope's data as another's.
    queries: { refetchOnWindowFocus: false, queryKeyHashFn: (key) => hashKey([...currentScope(), ...key]) },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <RouterProvider router={router} />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);

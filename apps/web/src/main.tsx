import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthGate } from './auth/AuthGate';
import { authInfoQuery } from './auth/useAuth';
import { queryClient } from './api/queryClient';
import { router } from './router/router';
import { applyTheme } from './theme/themeStore';
import './styles.css';

// Before the first render: the page comes up in the chosen theme.
applyTheme();

// Who the user is goes first: the server answers it at once, so the console's frame is drawn while it computes the
// page's data (one event loop: a session check sent after the data request would wait behind it).
void queryClient.prefetchQuery(authInfoQuery);
// The page's code and data start loading now, while the session is checked (the route's loader prefetches its
// query; a 401 is asked again once the user has logged in).
// (`href` is a NavigateOptions alternative to `to` that the router's types do not offer for an untyped location.)
void router.preloadRoute({ href: `${window.location.pathname}${window.location.search}` } as unknown as Parameters<typeof router.preloadRoute>[0]).catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <RouterProvider router={router} />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './config/Root';
import { AuthGate } from './auth/AuthGate';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The graph has its own refresh interval; refetching on every tab focus would double the load.
    queries: { refetchOnWindowFocus: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <Root />
      </AuthGate>
    </QueryClientProvider>
  </StrictMode>,
);

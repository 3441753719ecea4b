/** The root route: the app's frame (header, banners) around every page, the scope it carries, and the not-found page. */
import { createRootRoute, Outlet, useSearch } from '@tanstack/react-router';
import { Header } from '../components/Header';
import { NotFoundPage } from '../pages/not-found/NotFoundPage';
import { retainScope, validateScopeSearch } from './carry';

function AppShell() {
  // Every cached answer is keyed by the scope (main.tsx hashes it into each query key): when the cluster or the
  // snapshot changes, the whole frame renders again so that each query (the header's status too) takes its new key.
  useSearch({ strict: false, select: (search) => `${search.cluster ?? ''}\n${search.snapshot ?? ''}` });
  return (
    <div className="app">
      <Header />
      <Outlet />
    </div>
  );
}

export const rootRoute = createRootRoute({
  component: AppShell,
  notFoundComponent: NotFoundPage,
  validateSearch: validateScopeSearch,
  search: { middlewares: [retainScope] },
});

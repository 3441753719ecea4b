/**
 * Shows the login page instead of the console while token mode has no session, and again when a session ends
 * (any API answer 401 re-checks who the user is). Anonymous and header modes pass straight through.
 */
import { useEffect, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api/client';
import { LoginPage } from './LoginPage';
import { AUTH_KEY, useAuthInfo } from './useAuth';
import './auth.css';

export function AuthGate({ children }: { children: ReactNode }) {
  const auth = useAuthInfo();
  const client = useQueryClient();

  useEffect(
    () =>
      client.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.query.queryKey[0] === AUTH_KEY[0]) return;
        const error = event.query.state.error;
        if (error instanceof ApiRequestError && error.status === 401) void client.invalidateQueries({ queryKey: AUTH_KEY });
      }),
    [client],
  );

  if (auth.isPending) {
    return (
      <div className="auth-loading" role="status">
        Connecting to Meshlens…
      </div>
    );
  }
  // The server is down or too old to have /api/auth: the console itself says so on its pages.
  if (auth.isError || auth.data.authenticated) return <>{children}</>;
  if (auth.data.mode === 'header') {
    return (
      <div className="auth-loading" role="alert">
        Meshlens expects an authenticating proxy in front of it, and this request did not come through it. Open Meshlens through your organisation&apos;s login proxy.
      </div>
    );
  }
  return <LoginPage />;
}

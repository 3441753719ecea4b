/** Token mode's login page: paste a Kubernetes bearer token; Meshlens then reads the cluster as you. */
import { useId, useState, type FormEvent } from 'react';
import { loginErrorMessage } from './authApi';
import { useLogin } from './useAuth';

export function LoginPage({ notice }: { notice?: string }) {
  const [token, setToken] = useState('');
  const loginMutation = useLogin();
  const tokenId = useId();
  const helpId = useId();
  const errorId = useId();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) loginMutation.mutate(token.trim());
  };
  const error = loginMutation.error ? loginErrorMessage(loginMutation.error) : null;
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Meshlens</h1>
      </header>
      <main className="login-main" aria-labelledby="login-title">
        <form className="login-card" onSubmit={onSubmit} noValidate>
          <h2 id="login-title">Log in with a Kubernetes token</h2>
          <p id={helpId} className="login-help">
            Meshlens reads the cluster with your own identity, so you see what your RBAC permissions allow. Get a token with{' '}
            <code>kubectl create token &lt;service-account&gt; -n &lt;namespace&gt;</code>, or use your kubeconfig user&apos;s bearer token.
            The token stays on the Meshlens server for this session; the browser only keeps a session cookie.
          </p>
          {notice && !error && <p className="login-notice" role="status">{notice}</p>}
          <label htmlFor={tokenId}>Bearer token</label>
          <textarea
            id={tokenId}
            name="token"
            rows={5}
            spellCheck={false}
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-describedby={error ? `${helpId} ${errorId}` : helpId}
            aria-invalid={error ? true : undefined}
            required
          />
          {error && (
            <p id={errorId} className="login-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button type="submit" className="primary-button" disabled={!token.trim() || loginMutation.isPending}>
            {loginMutation.isPending ? 'Checking the token…' : 'Log in'}
          </button>
        </form>
      </main>
    </div>
  );
}

/** In the header: who the console reads the cluster as, and (token mode) a Log out button. */
import { useAuthInfo, useLogout } from './useAuth';

export function UserMenu() {
  const auth = useAuthInfo();
  const logoutMutation = useLogout();
  const info = auth.data;
  if (!info || info.mode === 'anonymous' || !info.authenticated) return null;
  const groups = info.groups?.filter((g) => g !== 'system:authenticated') ?? [];
  return (
    <span className="user-menu" data-testid="user-menu">
      <span className="user-name" title={groups.length ? `Groups: ${groups.join(', ')}` : undefined}>
        {info.user}
      </span>
      {info.mode === 'token' && (
        <button type="button" className="header-button" onClick={() => logoutMutation.mutate()} disabled={logoutMutation.isPending}>
          {logoutMutation.isPending ? 'Logging out…' : 'Log out'}
        </button>
      )}
    </span>
  );
}

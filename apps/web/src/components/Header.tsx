/** The page header: product name and what the server is looking at. */
import { describeSources } from '../api/sourceStatus';
import { useHealth } from '../api/queries';
import { TopNav } from '../config/TopNav';
import { UserMenu } from '../auth/UserMenu';

export function Header() {
  const health = useHealth();
  const status = health.data ? describeSources(health.data) : health.error ? 'Server not reachable' : 'Connecting…';
  return (
    <header className="app-header">
      <h1 className="brand">Meshlens</h1>
      <TopNav />
      <span className="source-status" data-testid="source-status" title={health.data ? `Meshlens ${health.data.version}` : undefined}>
        {status}
      </span>
      <UserMenu />
    </header>
  );
}

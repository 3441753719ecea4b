/** The page header: product name and what the server is looking at. */
import { describeSources } from '../api/sourceStatus';
import { useHealth } from '../api/queries';

export function Header() {
  const health = useHealth();
  const status = health.data ? describeSources(health.data) : health.error ? 'Server not reachable' : 'Connecting…';
  return (
    <header className="app-header">
      <h1 className="brand">Meshlens</h1>
      <span className="source-status" data-testid="source-status" title={health.data ? `Meshlens ${health.data.version}` : undefined}>
        {status}
      </span>
    </header>
  );
}

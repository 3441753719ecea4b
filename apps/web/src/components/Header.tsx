/** The page header: product name and what the server is looking at. */
import { describeHealth } from '../cluster/sourceText';
import { ClusterSwitcher } from '../cluster/ClusterSwitcher';
import { VisibilityBanner } from '../cluster/VisibilityBanner';
import { ConnectionBanner } from '../cluster/ConnectionBanner';
import { useHealth } from '../api/queries';
import { TopNav } from '../router/TopNav';
import { ThemeSwitch } from '../theme/ThemeSwitch';
import { UserMenu } from '../auth/UserMenu';
import { SnapshotBanner, snapshotGone } from '../snapshot/SnapshotBanner';
import { ServerUnreachableError } from '../api/client';
import { SnapshotOpener } from '../snapshot/SnapshotOpener';

export function Header() {
  const health = useHealth();
  const status = health.data
    ? describeHealth(health.data)
    : health.error
      ? (snapshotGone(health.error) ? 'Snapshot file not open' : health.error instanceof ServerUnreachableError ? 'Server not reachable' : 'Server refused the status request')
      : 'Connecting…';
  return (
    <>
      <header className="app-header">
        <h1 className="brand">Meshlens</h1>
        <TopNav />
        <ClusterSwitcher />
        <span className="source-status" data-testid="source-status" title={health.data ? `${status} · Meshlens ${health.data.version}` : status}>
          {status}
        </span>
        <SnapshotOpener />
        <ThemeSwitch />
        <UserMenu />
      </header>
      <ConnectionBanner />
      <VisibilityBanner />
      <SnapshotBanner />
    </>
  );
}

/** Says when a live cluster's API server cannot be reached, so stale objects are not taken for the cluster now. */
import { useHealth } from '../api/queries';
import { connectionNotices } from './connection';
import './cluster.css';

export function ConnectionBanner() {
  const health = useHealth();
  const notices = connectionNotices(health.data);
  if (notices.length === 0) return null;
  return (
    <section className="connection-banner" role="alert" aria-label="API server not reachable" data-testid="connection-banner">
      {notices.map((n) => (
        <div key={n.source}>
          <p>
            <strong>{n.title}</strong> {n.detail}
          </p>
          {n.lastError && <p className="connection-error" title={n.lastError}>{`Last error: ${n.lastError}`}</p>}
        </div>
      ))}
    </section>
  );
}

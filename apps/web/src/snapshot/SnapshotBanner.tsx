/** The banner over every page when the server serves a snapshot file: whose, when, and that nothing is live. */
import { useHealth } from '../api/queries';
import { bannerText, REOPEN_COMMAND, snapshotSource } from './snapshotText';
import './snapshot.css';

export function SnapshotBanner() {
  const health = useHealth();
  const status = snapshotSource(health.data);
  if (!status) return null;
  return (
    <div className="snapshot-banner" role="status" data-testid="snapshot-banner" title={status.capturedAt ? `Captured ${status.capturedAt}` : undefined}>
      <strong>{bannerText(status)}</strong>{' '}
      <span className="snapshot-hint">
        Graphs show the recorded window; charts over time are not recorded. To open another file, restart with <code>{REOPEN_COMMAND}</code>.
      </span>
    </div>
  );
}

/** One line for empty states: how to reopen a snapshot file. */
export function SnapshotHint() {
  return (
    <p className="snapshot-hint" data-testid="snapshot-hint">
      Have a snapshot file? Open it offline with <code>{REOPEN_COMMAND}</code>.
    </p>
  );
}

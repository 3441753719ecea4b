/**
 * The banner over every page when the page shows a snapshot (a file opened from the browser, or a server started
 * with `--snapshot FILE`): whose, when, and that nothing is live; for an opened file, the way back to the server's
 * own source, and what to do when the server no longer has the file.
 */
import { ApiRequestError } from '../api/client';
import { useHealth } from '../api/queries';
import { currentSnapshot, pageSearch } from '../cluster/clusterParam';
import { useLocation, useRouter } from '@tanstack/react-router';
import type { MouseEvent } from 'react';
import { navigateToHref } from '../router/navigateHref';
import { hrefLeavingSnapshot } from './openSnapshot';
import { bannerText, snapshotSource } from './snapshotText';
import './snapshot.css';

/** Back to the server's own source: the href names no snapshot, and the click must not carry the page's one over. */
function LeaveLink({ pathname, search, children }: { pathname: string; search: string; children: string }) {
  const router = useRouter();
  const href = hrefLeavingSnapshot(pathname, search);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // Modified clicks (new tab, new window) are the browser's.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void navigateToHref(router, href);
  };
  return <a href={href} onClick={onClick} data-testid="leave-snapshot">{children}</a>;
}

/** The page names a snapshot file (`snapshot=`) and the server answered that it does not hold it. */
export function snapshotGone(error: unknown, search: string = pageSearch()): boolean {
  return currentSnapshot(search) !== null && error instanceof ApiRequestError && error.status === 404;
}

export function SnapshotBanner() {
  const health = useHealth();
  const { pathname, searchStr: search } = useLocation();
  const opened = currentSnapshot(search) !== null;
  if (health.error && snapshotGone(health.error, search)) {
    return (
      <div className="snapshot-banner snapshot-gone" role="alert" data-testid="snapshot-banner">
        <strong>{health.error!.message.replace(/^The server refused this request: /, '')}</strong>
        <LeaveLink pathname={pathname} search={search}>Back to the server&apos;s own view</LeaveLink>
      </div>
    );
  }
  const status = snapshotSource(health.data);
  if (!status) return null;
  return (
    <div className="snapshot-banner" role="status" data-testid="snapshot-banner" title={status.capturedAt ? `Captured ${status.capturedAt}` : undefined}>
      <strong>{bannerText(status)}</strong>{' '}
      <span className="snapshot-hint">
        Graphs and charts show the recorded window. To open another file, drop it on the page or use “Open snapshot”.
      </span>
      {opened && <LeaveLink pathname={pathname} search={search}>Close snapshot</LeaveLink>}
    </div>
  );
}

/** One line for empty states: how to open a snapshot file. */
export function SnapshotHint() {
  return (
    <p className="snapshot-hint" data-testid="snapshot-hint">
      Have a snapshot file? Drop it on this page, or use “Open snapshot” in the header, to open it offline.
    </p>
  );
}

/** Words and URLs of the snapshot features: pure, so they are unit-tested. */
import type { HealthResponse, SourceStatus } from '@meshlens/model';

/** How to reopen a bundle from the command line (the browser opens one dropped on any page). */
export const REOPEN_COMMAND = 'meshlens serve --snapshot FILE';

/** The snapshot source the server serves, if it serves one. */
export function snapshotSource(health: HealthResponse | undefined): SourceStatus | undefined {
  return health?.sources.find((s) => s.kind === 'snapshot');
}

/** "22 Nov 2026, 03:57:00 UTC" in the reader's locale and zone, with the zone always named. */
export function absoluteTime(iso: string, locale?: string, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'long', ...(timeZone ? { timeZone } : {}) });
}

/** The banner's sentence for a snapshot source. */
export function bannerText(status: SourceStatus, locale?: string, timeZone?: string): string {
  const of = status.snapshotOf ?? status.name;
  const when = status.capturedAt ? `, captured ${absoluteTime(status.capturedAt, locale, timeZone)}` : '';
  return `Offline snapshot of ${of}${when} — nothing here is live.`;
}

export interface SnapshotView {
  namespaces: string[];
  graphType: string;
  duration: number;
  /** The end of the window on screen (the graph's timestamp), so the file holds what is shown. */
  queryTime: number;
}

/** `/api/snapshot?…` for a view. */
export function snapshotPath(view: SnapshotView): string {
  const p = new URLSearchParams({ namespaces: [...view.namespaces].sort().join(','), graphType: view.graphType, duration: String(view.duration), queryTime: String(view.queryTime) });
  return `/api/snapshot?${p.toString()}`;
}

/** The file name the server proposes in Content-Disposition, else one of ours. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const m = disposition ? /filename="([^"/\\]+)"/.exec(disposition) : null;
  return m?.[1] ?? fallback;
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

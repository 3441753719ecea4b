/**
 * "Download snapshot": the server's bundle of the current view (inventory without secret data, the window's
 * telemetry, findings, view) saved as a file that reopens offline: dropped on any Meshlens page, or with
 * `meshlens serve --snapshot FILE`.
 */
import type { GraphResponse } from '@meshlens/model';
import { useState } from 'react';
import { errorForResponse, ServerUnreachableError } from '../api/client';
import { withScope } from '../cluster/clusterParam';
import { downloadBlob } from '../export/download';
import { fileNameFrom, formatBytes, REOPEN_COMMAND, snapshotPath } from './snapshotText';
import './snapshot.css';

export function DownloadSnapshot({ graph }: { graph: GraphResponse | undefined }) {
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    if (!graph) return;
    setBusy(true);
    setStatus({ text: 'Taking the snapshot…' });
    const origin = window.location.origin;
    try {
      let res: Response;
      try {
        res = await fetch(withScope(snapshotPath({ namespaces: graph.namespaces, graphType: graph.graphType, duration: graph.duration, queryTime: graph.timestamp })));
      } catch {
        throw new ServerUnreachableError(origin);
      }
      if (!res.ok) throw errorForResponse(res.status, res.statusText, await res.json().catch(() => undefined), origin);
      const blob = await res.blob();
      const name = fileNameFrom(res.headers.get('content-disposition'), 'meshlens-snapshot.json.gz');
      downloadBlob(blob, name);
      setStatus({ text: `Saved ${name} (${formatBytes(blob.size)}). To reopen it offline, drop it on any Meshlens page or run ${REOPEN_COMMAND}.` });
    } catch (error) {
      setStatus({ text: `Could not take the snapshot: ${error instanceof Error ? error.message : String(error)}`, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="snapshot-action">
      <button
        type="button"
        data-testid="download-snapshot"
        onClick={() => void download()}
        disabled={!graph || busy}
        title="Download this view as a snapshot file (configuration without secret data, telemetry of this window, findings) that reopens offline"
      >
        {busy ? 'Snapshot…' : 'Download snapshot'}
      </button>
      {status && (
        <p className={status.error ? 'snapshot-status snapshot-error' : 'snapshot-status'} role="status" aria-live="polite" data-testid="snapshot-status">
          {status.text}
          <button type="button" className="snapshot-status-close" aria-label="Close snapshot message" onClick={() => setStatus(null)}>×</button>
        </p>
      )}
    </span>
  );
}

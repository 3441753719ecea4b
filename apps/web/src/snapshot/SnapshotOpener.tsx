/**
 * "Open snapshot": a snapshot file dropped anywhere on the page, or chosen with the header's button (the keyboard's
 * way to the same thing), is sent to the server and the page moves to its captured view, offline. One instance
 * lives in the header of every page; it owns the drop overlay, the progress and the error message.
 */
import type { OpenedSnapshot } from '@meshlens/model';
import { useEffect, useRef, useState } from 'react';
import { useRouter } from '@tanstack/react-router';
import { navigateToHref } from '../router/navigateHref';
import { dragHasFiles, hrefForOpened, openErrorText, progressText, SNAPSHOT_ACCEPT, uploadSnapshot, type UploadProgress } from './openSnapshot';
import { formatBytes } from './snapshotText';
import './snapshot.css';

type OpenState =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: string; size: number; progress: UploadProgress | null; note?: string }
  | { phase: 'error'; file: string; message: string };

export function SnapshotOpener() {
  const [state, setState] = useState<OpenState>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'uploading';
  const router = useRouter();

  const open = async (files: File[]) => {
    const file = files[0];
    if (!file || busy) return;
    const note = files.length > 1 ? `${files.length} files dropped: opening the first one.` : undefined;
    setState({ phase: 'uploading', file: file.name, size: file.size, progress: null, ...(note ? { note } : {}) });
    let opened: OpenedSnapshot;
    try {
      opened = await uploadSnapshot(file, (progress) => setState((s) => (s.phase === 'uploading' ? { ...s, progress } : s)));
    } catch (error) {
      setState({ phase: 'error', file: file.name, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    setState({ phase: 'idle' });
    // A new scope: nothing of the page being left (cluster, namespaces, window) is carried into it.
    void navigateToHref(router, hrefForOpened(opened));
  };

  // The whole window is the drop target; only drags that carry files count, so dragging a node or text does not
  // flash the overlay. Enter/leave fire for every child crossed: a counter tells when the drag really left.
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer?.types)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer?.types)) return;
      e.preventDefault(); // without it the browser opens the file itself
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer?.types)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!dragHasFiles(e.dataTransfer?.types)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      void openRef.current(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  const percent = state.phase === 'uploading' ? progressText(state.progress) : null;
  return (
    <span className="snapshot-opener">
      <button
        type="button"
        className="header-button"
        data-testid="open-snapshot"
        onClick={() => input.current?.click()}
        disabled={busy}
        title="Open a snapshot file (from “Download snapshot” or `meshlens snapshot`) offline; you can also drop it anywhere on the page"
      >
        {busy ? 'Opening…' : 'Open snapshot'}
      </button>
      <input
        ref={input}
        type="file"
        accept={SNAPSHOT_ACCEPT}
        hidden
        data-testid="open-snapshot-input"
        aria-label="Snapshot file to open"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = ''; // the same file can be chosen again after an error
          void open(files);
        }}
      />
      {state.phase === 'uploading' && (
        <p className="snapshot-status" role="status" aria-live="polite" data-testid="open-snapshot-status">
          {state.note ? `${state.note} ` : ''}
          {`Opening ${state.file} (${formatBytes(state.size)})… `}
          {percent !== null && percent !== '100%' ? `sending ${percent}` : 'reading it on the server'}
          <progress max={100} value={state.progress && state.progress.total > 0 ? Math.round((state.progress.loaded / state.progress.total) * 100) : undefined} aria-label="Opening the snapshot" />
        </p>
      )}
      {state.phase === 'error' && (
        <p className="snapshot-status snapshot-error" role="alert" data-testid="open-snapshot-status">
          {openErrorText(state.file, state.message)}
          <button type="button" className="snapshot-status-close" aria-label="Close message" onClick={() => setState({ phase: 'idle' })}>×</button>
        </p>
      )}
      {dragging && (
        <div className="snapshot-drop" data-testid="snapshot-drop" aria-hidden="true">
          <p>Drop a Meshlens snapshot file to open it offline</p>
        </div>
      )}
    </span>
  );
}

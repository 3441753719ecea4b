/**
 * Opening a snapshot file from the browser: the file's bytes go to `POST /api/snapshots` (the server holds it in
 * memory and answers every request carrying `?snapshot=<id>` from it), then the page moves to the captured view
 * with `snapshot=<id>` in its URL. The URL helpers are pure, so they are unit-tested.
 */
import type { OpenedSnapshot } from '@meshlens/model';
import { ApiRequestError, errorForResponse, ServerUnreachableError } from '../api/client';
import { pathOutsideObject } from '../cluster/clusterParam';

/** What the file picker offers: the console's and the CLI's bundles (`.json.gz`), and plain JSON ones. */
export const SNAPSHOT_ACCEPT = '.gz,.json,application/gzip,application/json';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  total: number;
}

/**
 * Sends `file` to the server. XMLHttpRequest rather than fetch: it reports upload progress, which a big bundle on a
 * slow link needs. Errors are those of api/client.ts, so they read the same as any other failed request.
 */
export function uploadSnapshot(file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<OpenedSnapshot> {
  const origin = window.location.origin;
  return new Promise<OpenedSnapshot>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/snapshots?name=${encodeURIComponent(file.name.slice(0, 255) || 'snapshot')}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new ServerUnreachableError(origin));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 && body && typeof (body as OpenedSnapshot).id === 'string') resolve(body as OpenedSnapshot);
      else reject(uploadError(xhr.status, xhr.statusText, body, origin));
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Why an upload failed, as a sentence: the server's own about the file, or what a proxy's refusal means. */
export function uploadError(status: number, statusText: string, body: unknown, origin: string): Error {
  const message = (body as { message?: unknown } | undefined)?.message;
  // The server's sentence about the file is the whole message (it names the file and what to do).
  if (status >= 400 && status < 500 && typeof message === 'string') return new ApiRequestError(status, message);
  // A 413 without Meshlens's JSON comes from a proxy or ingress in front of it, whose body limit is lower.
  if (status === 413) return new ApiRequestError(413, 'the file is larger than the proxy in front of Meshlens accepts (HTTP 413); raise its request body limit (Meshlens takes up to 64 MiB), or open the file with `meshlens serve --snapshot FILE`');
  return errorForResponse(status, statusText, body, origin);
}

/** The graph of the view the snapshot was taken for, read from the opened file. Any cluster selection is left. */
export function hrefForOpened(opened: Pick<OpenedSnapshot, 'id' | 'view'>): string {
  const params = new URLSearchParams(opened.view);
  for (const key of ['cluster', 'snapshot']) params.delete(key);
  params.set('snapshot', opened.id);
  return `/graph?${params.toString().replace(/%2C/g, ',')}`;
}

/**
 * Back to the server's own source from an opened file: the same page with what named the file's objects and moments
 * dropped (namespaces, selection, viewport, time); an object page goes to the Config list.
 */
export function hrefLeavingSnapshot(pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of ['snapshot', 'namespaces', 'focus', 'zoom', 'pan', 'queryTime', 'replayStart', 'replayEnd', 'replayAt', 'replaySpeed']) params.delete(key);
  const path = pathOutsideObject(pathname);
  const query = params.toString().replace(/%2C/g, ',');
  return `${path}${query ? `?${query}` : ''}`;
}

/** Whether a drag carries files (not a link or text being dragged across the page). */
export function dragHasFiles(types: readonly string[] | DOMStringList | undefined): boolean {
  if (!types) return false;
  return Array.from(types as ArrayLike<string>).includes('Files');
}

/** "37%" of an upload, or null when nothing is known yet. */
export function progressText(p: UploadProgress | null): string | null {
  if (!p || p.total <= 0) return null;
  return `${Math.min(100, Math.round((p.loaded / p.total) * 100))}%`;
}

/** The message for a file that did not open: the server's sentence when it already names the file. */
export function openErrorText(file: string, message: string): string {
  return message.startsWith(file) ? `Could not open the snapshot: ${message}` : `Could not open ${file}: ${message}`;
}

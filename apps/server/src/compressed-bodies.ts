/**
 * Cached graph answers compressed once per encoding, not once per request. @fastify/compress compresses every answer
 * anew: with many browsers refreshing the same all-namespaces graph (0.1–3 MB of JSON) that is the server's main
 * work, and it competes with the event loop for the cores. The graph cache's body is a Buffer shared by every
 * request for it, so its compressed forms hang off it (a WeakMap: they go when the cache drops the body).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type BodyEncoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
/** As @fastify/compress: brotli at quality 4 (fast enough for megabytes), text mode. */
const BROTLI = { params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 4 } };
/** Below this, compressing is not worth it (the plugin's threshold). */
export const MIN_COMPRESSED_BYTES = 1024;

const forms = new WeakMap<Buffer, Map<BodyEncoding, Promise<Buffer>>>();

/** The encoding to answer in for an Accept-Encoding header: br, else gzip, else none (q=0 refuses one). */
export function preferredEncoding(acceptEncoding: string | string[] | undefined): BodyEncoding | undefined {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (e: string) => (q.get(e) ?? q.get('*') ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : undefined;
}

/** `body` compressed with `encoding`, computed once per body (on the thread pool) and shared. */
export function compressedBody(body: Buffer, encoding: BodyEncoding): Promise<Buffer> {
  let byEncoding = forms.get(body);
  if (!byEncoding) {
    byEncoding = new Map();
    forms.set(body, byEncoding);
  }
  let out = byEncoding.get(encoding);
  if (!out) {
    out = encoding === 'br' ? brotli(body, BROTLI) : gz(body);
    // a failure is not kept: the next request tries again
    out.catch(() => byEncoding!.delete(encoding));
    byEncoding.set(encoding, out);
  }
  return out;
}

/**
 * The change set in a link: `drafts=` holds the drafts' texts, deflated and base64url-encoded. Browsers and servers
 * cap URLs (about 8 KB is safe everywhere), so a larger change set is refused with that reason.
 */
import type { Draft } from './store';

export const SHARE_PARAM = 'drafts';
export const MAX_SHARE_PARAM = 8000;

interface SharedDraft {
  t: string;
  b?: Draft['base'];
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** The `drafts=` value of a change set. */
export async function encodeDrafts(drafts: Draft[]): Promise<string> {
  const payload: SharedDraft[] = drafts.map((d) => ({ t: d.text, ...(d.base ? { b: d.base } : {}) }));
  return toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(payload)), new CompressionStream('deflate-raw')));
}

/** The drafts of a `drafts=` value; throws with a sentence when it is not one. */
export async function decodeDrafts(value: string, now = Date.now()): Promise<Draft[]> {
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(value), new DecompressionStream('deflate-raw'))));
  } catch {
    throw new Error('The link\'s drafts= parameter is damaged (cut short when it was copied?): no draft was opened.');
  }
  if (!Array.isArray(payload)) throw new Error('The link\'s drafts= parameter holds no change set.');
  return payload
    .filter((p): p is SharedDraft => typeof (p as SharedDraft)?.t === 'string')
    .map((p, i) => ({ id: `s${now.toString(36)}${i}`, text: p.t, ...(p.b ? { base: p.b } : {}), createdAt: now, updatedAt: now }));
}

/** A link to `pageUrl` carrying the change set, or why it cannot. */
export async function shareLink(pageUrl: string, drafts: Draft[]): Promise<{ url: string } | { tooLarge: number }> {
  const value = await encodeDrafts(drafts);
  if (value.length > MAX_SHARE_PARAM) return { tooLarge: value.length };
  const url = new URL(pageUrl);
  url.searchParams.set(SHARE_PARAM, value);
  return { url: url.toString() };
}

/**
 * Snapshot bundles are files from someone else. One file or one request must never make the server read its own
 * files (an object's `origin.file` is bundle data), block on a FIFO, or hold hundreds of MB: oversized bundles and
 * gzip bombs are refused early with a sentence, alone or six at once, and the server keeps answering. Every input is
 * built here, small or generated.
 */
import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConfigObjectResponse, OpenedSnapshot } from '@meshlens/model';
import { createFileSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { loadSnapshotSource } from './snapshot-command.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const T = 1_763_776_800;

/** Heap and off-heap bytes now, after full collections (buffers' memory goes back on the second). */
function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Runs `run` while sampling heap + off-heap bytes every few ms: the highest rise over the start, and the time taken. */
async function peakOf<R>(run: () => Promise<R>): Promise<{ result: R; peakGrowth: number; rssGrowth: number; kept: number; ms: number }> {
  const base = used();
  const rss = process.resourceUsage().maxRSS * 1024;
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.external - base);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  try {
    const result = await run();
    const ms = performance.now() - t0;
    sample();
    const rssGrowth = process.resourceUsage().maxRSS * 1024 - rss;
    const kept = used() - base;
    if (process.env.MESHLENS_TEST_MEMORY) console.log(`peak +${(peak / MiB).toFixed(0)} MiB, max RSS +${(rssGrowth / MiB).toFixed(0)} MiB, kept ${(kept / MiB).toFixed(0)} MiB, ${ms.toFixed(0)} ms`);
    return { result, peakGrowth: peak, rssGrowth, kept, ms };
  } finally {
    clearInterval(timer);
  }
}

/** Rejects after `ms`: a request that hangs fails the test instead of the test run. */
function within<R>(ms: number, what: string, p: Promise<R>): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<R>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms); })]).finally(() => clearTimeout(timer));
}

const SHOP_YAML = `# The shop's routing, as its author wrote it.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts:
  - reviews   # short name
  http:
  - route:
    - destination:
        host: reviews
`;

const REVIEWS_VS = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
};
const REVIEWS_DR = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'shop' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
};

function bundleOf(objects: Array<{ object: unknown; origin?: unknown }>): Buffer {
  return gzipSync(JSON.stringify({ format: 'meshlens-snapshot/1', capturedAt: T, meshlensVersion: '0.1.0', source: { name: 'a laptop', kind: 'files' }, objects, errors: [], windows: [] }));
}

let dir: string;
let manifest: string;
let fifo: string;
let app: FastifyInstance;
let url: string;

async function upload(bytes: Buffer, name: string): Promise<{ status: number; body: OpenedSnapshot & { message: string }; retryAfter: string | null }> {
  const res = await fetch(`${url}/api/snapshots?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  return { status: res.status, body: await res.json() as OpenedSnapshot & { message: string }, retryAfter: res.headers.get('retry-after') };
}

async function get<B>(path: string): Promise<{ status: number; body: B }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: await res.json() as B };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshlens-hostile-'));
  manifest = join(dir, 'shop.yaml');
  writeFileSync(manifest, SHOP_YAML);
  fifo = join(dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  // A real server on the loopback: the manifests of `serve -f`, and bundles opened from the "browser".
  app = await buildApp({ source: await createFileSource([manifest]), webRoot: false });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
});

describe('an opened bundle never makes the server read a file', () => {
  it('renders the YAML of objects naming /etc/passwd and a FIFO from the bundle, at once, and never opens either', { timeout: 60000 }, async () => {
    const hostile = bundleOf([
      { object: REVIEWS_VS, origin: { source: 'file', file: '/etc/passwd', line: 1 } },
      { object: REVIEWS_DR, origin: { source: 'file', file: fifo, line: 1 } },
    ]);
    const plain = bundleOf([{ object: REVIEWS_VS }, { object: REVIEWS_DR }]);
    const opened = await upload(hostile, 'hostile.json.gz');
    expect(opened.status).toBe(201);
    const reference = await upload(plain, 'plain.json.gz');

    for (const kind of ['VirtualService', 'DestinationRule']) {
      const path = `/api/config/${kind}/shop/reviews`;
      const shown = await within(4000, `GET ${path}`, get<ConfigObjectResponse>(`${path}?snapshot=${opened.body.id}`));
      const expected = await get<ConfigObjectResponse>(`${path}?snapshot=${reference.body.id}`);
      expect(shown.status).toBe(200);
      // The same page as the bundle without any origin: the YAML is the object's own, serialized.
      expect(shown.body).toEqual(expected.body);
      expect(shown.body.yaml).toBe((kind === 'VirtualService'
        ? 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  hosts:\n    - reviews\n  http:\n    - route:\n        - destination:\n            host: reviews\n'
        : 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  host: reviews\n  subsets:\n    - name: v1\n      labels:\n        version: v1\n'));
    }
    // Nobody holds the FIFO open for reading: opening its write end without blocking finds no reader.
    expect(() => openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)).toThrow(expect.objectContaining({ code: 'ENXIO' }));
    // The server still answers (no thread of its pool is stuck on the FIFO).
    expect((await within(2000, 'GET /api/health', get('/api/health'))).status).toBe(200);
  });

  it('shows the author\'s lines only for objects the server loaded itself, never for a bundle naming the same file', async () => {
    // The very object of shop.yaml, and a path the server did load: still serialized, still not read.
    const copy = await upload(bundleOf([{ object: REVIEWS_VS, origin: { source: 'file', file: manifest, line: 2 } }]), 'copy.json.gz');
    const fromBundle = await get<ConfigObjectResponse>(`/api/config/VirtualService/shop/reviews?snapshot=${copy.body.id}`);
    const fromFiles = await get<ConfigObjectResponse>('/api/config/VirtualService/shop/reviews');
    expect(fromFiles.body.yaml).toBe(SHOP_YAML.split('\n').slice(1).join('\n'));
    expect(fromBundle.body.yaml).not.toContain('#');
    expect(fromBundle.body.yaml).toBe('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  hosts:\n    - reviews\n  http:\n    - route:\n        - destination:\n            host: reviews\n');
  });
});

/** `n` bytes of gzip that expand to `expanded` bytes of JSON whitespace, made chunk by chunk. */
async function gzipBomb(expanded: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const chunk = Buffer.alloc(MiB, ' ');
  for (let n = 0; n < expanded; n += chunk.length) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

describe('a bundle never holds the server\'s memory', () => {
  it('refuses 12 MiB of `{}` objects with 413 and a sentence, quickly, without building them', { timeout: 60000 }, async () => {
    const head = Buffer.from(`{"format":"meshlens-snapshot/1","capturedAt":${T},"windows":[],"objects":[`);
    const body = Buffer.alloc(12 * MiB - head.length - 3, '{},');
    const bomb = Buffer.concat([head, body.subarray(0, body.length - (body.length % 3)), Buffer.from('{}]}')]);
    const n = (bomb.length - head.length - 2 + 1) / 3;
    const run = await peakOf(() => upload(bomb, 'empties.json'));
    expect(run.result.status).toBe(413);
    expect(run.result.body).toEqual({
      statusCode: 413, error: 'Payload Too Large',
      message: `empties.json: holds ${n.toLocaleString('en-US')} objects, more than the 100,000 Meshlens opens in one snapshot; is it a file written by \`meshlens snapshot\`?`,
    });
    // Before: accepted, about 1.2 GB kept. Now: the 12 MiB body, measured and dropped.
    expect(run.ms).toBeLessThan(5000);
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
    expect(run.kept).toBeLessThan(16 * MiB);
  });

  it('refuses six gzip bombs sent at once with 413 or 503, holding at most the shared budget, then opens a real file', { timeout: 60000 }, async () => {
    const bomb = await gzipBomb(512 * MiB);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // Six different files (a second gzip member makes each its own): nothing is shared between them.
    const bombs = Array.from({ length: 6 }, (_, i) => Buffer.concat([bomb, gzipSync(` ${i}`)]));
    const run = await peakOf(() => Promise.all(bombs.map((b, i) => upload(b, `bomb-${i}.json.gz`))));
    const answers = run.result.map((r, i) => ({ status: r.status, message: r.body.message, retryAfter: r.retryAfter, i }));
    for (const a of answers) {
      expect(a).toEqual(a.status === 413
        ? { i: a.i, status: 413, retryAfter: null, message: `bomb-${a.i}.json.gz: decompresses to more than 32 MiB, more than Meshlens opens in a browser session; open it with \`meshlens serve --snapshot bomb-${a.i}.json.gz\` instead` }
        : { i: a.i, status: 503, retryAfter: '60', message: `Meshlens is receiving and opening other snapshot files right now (64 MiB at most at once), so bomb-${a.i}.json.gz was not opened; try again in a minute` });
    }
    expect(answers.filter((a) => a.status === 413).length).toBeGreaterThanOrEqual(1);
    // Before: each inflated to 256 MiB, 1.7 GB together. Now: the budget (64 MiB) and the chunks in transit.
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
    expect(run.ms).toBeLessThan(20_000);
    // The budget is given back: a real bundle opens right after.
    const good = await upload(bundleOf([{ object: REVIEWS_VS }]), 'good.json.gz');
    expect([good.status, good.body.objects]).toEqual([201, 1]);
  });
});

describe('`meshlens serve --snapshot FILE` reads within the same limits', () => {
  it('refuses an endless file after its limit, and a bundle of `{}` before parsing it', { timeout: 60000 }, async () => {
    const endless = await peakOf(() => loadSnapshotSource('/dev/zero').catch((e: Error) => e));
    expect((endless.result as Error).message).toBe('--snapshot: /dev/zero is larger than 64 MiB, more than Meshlens opens; is it a file written by `meshlens snapshot`?');
    expect(endless.peakGrowth).toBeLessThan(150 * MiB);
    const file = join(dir, 'empties.json');
    const objects = Buffer.alloc(3 * 1_000_000 - 1, '{},');
    writeFileSync(file, Buffer.concat([Buffer.from(`{"format":"meshlens-snapshot/1","capturedAt":${T},"windows":[],"objects":[`), objects, Buffer.from(']}')]));
    await expect(loadSnapshotSource(file)).rejects.toThrow(`${file}: holds 1,000,000 objects, more than the 100,000 Meshlens opens in one snapshot; is it a file written by \`meshlens snapshot\`?`);
  });
});

/**
 * A snapshot bundle is someone else's file: whatever its bytes, decoding it must stay within a bounded amount of
 * memory, refuse what is too big with a sentence (before building it), and keep the good part of a damaged one.
 * Each case is a small repro built here, and each would exhaust memory (or take many seconds) without the limits.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  captureSnapshot, createSnapshotSource, decodeSnapshot, encodeSnapshot, estimatedHeapBytes, readSnapshot, scanJson, SNAPSHOT_LIMITS, SnapshotFileError,
  SnapshotTooLargeError,
} from './snapshot-source.js';
import { createDemoSource } from './static-source.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const T = 1_763_776_800;

/** Heap and off-heap bytes in use after a full collection. */
function used(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Runs `fn` and reports how far memory rose at its peak (the process' max RSS) and what it kept (heap + external). */
function measured<T>(fn: () => T): { result: T | Error; peakGrowth: number; kept: number; ms: number } {
  const before = used();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  let result: T | Error;
  try {
    result = fn();
  } catch (e) {
    result = e as Error;
  }
  const ms = performance.now() - t0;
  return { result, peakGrowth: process.resourceUsage().maxRSS * 1024 - rssBefore, kept: used() - before, ms };
}

/** A bundle's head, then `n` copies of `item` as its objects, built as bytes (never as one big JS string). */
function objectsBundle(item: string, bytes: number): Buffer {
  const head = Buffer.from(`{"format":"meshlens-snapshot/1","capturedAt":${T},"windows":[],"objects":[`);
  const tail = Buffer.from(`${item}]}`);
  const body = Buffer.alloc(bytes - head.length - tail.length, `${item},`);
  // Cut the repeated pattern on an item boundary.
  const cut = body.length - (body.length % (item.length + 1));
  return Buffer.concat([head, body.subarray(0, cut), tail]);
}

describe('bundle limits', () => {
  // First in the file: the process' max RSS has not been raised by anything else yet.
  it('refuses 12 MiB of `{}` objects before parsing them, in milliseconds and without the memory they would take', { timeout: 60000 }, () => {
    const bomb = objectsBundle('{}', 12 * MiB);
    const items = 1 + (bomb.length - 80) / 3;
    expect(bomb.length).toBeGreaterThan(12 * MiB - 16);
    const run = measured(() => decodeSnapshot(bomb, 'empties.json'));
    const n = scanJson(bomb).entries.objects!;
    expect(n).toBeGreaterThan(4_000_000);
    expect(Math.abs(n - items)).toBeLessThan(2);
    expect(run.result).toBeInstanceOf(SnapshotTooLargeError);
    expect((run.result as Error).message).toBe(`empties.json: holds ${n.toLocaleString('en-US')} objects, more than the 100,000 Meshlens opens in one snapshot; is it a file written by \`meshlens snapshot\`?`);
    // Without the limits: 12 s and about 870 MB of heap kept (4 million parsed objects, 4 million load errors).
    expect(run.ms).toBeLessThan(5000);
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
    expect(run.kept).toBeLessThan(16 * MiB);
  });

  it('refuses a bundle whose JSON would take too much heap, whatever section holds it', { timeout: 60000 }, () => {
    // 3 million `[]` in the findings-free part of a window: under every count, over the heap estimate.
    const head = `{"format":"meshlens-snapshot/1","capturedAt":${T},"objects":[],"windows":[{"queryTime":${T},"duration":600,"namespaces":["a"],"samples":{"istio_requests_total":[`;
    const json = Buffer.concat([Buffer.from(head), Buffer.alloc(3_000_000 * 3 - 1, '[],'), Buffer.from(']}}]}')]);
    const shape = scanJson(json);
    const heap = estimatedHeapBytes(shape);
    const limits = { ...SNAPSHOT_LIMITS, maxHeapBytes: 96 * MiB };
    const run = measured(() => decodeSnapshot(json, 'arrays.json', { limits, advice: 'open it with `meshlens serve --snapshot FILE` instead' }));
    expect((run.result as Error).message).toBe(`arrays.json: its 8.6 MiB of JSON hold 3,000,012 values, about ${Math.round(heap / MiB)} MiB of memory once read, more than the 96 MiB Meshlens gives one snapshot; open it with \`meshlens serve --snapshot FILE\` instead`);
    expect(run.peakGrowth).toBeLessThan(150 * MiB);
  });

  it('stops a gzip bomb at the JSON limit, and says so', { timeout: 60000 }, () => {
    // 64 MiB of spaces, a few KiB compressed.
    const bomb = gzipSync(Buffer.alloc(64 * MiB, ' '), { level: 9 });
    expect(bomb.length).toBeLessThan(128 * 1024);
    const limits = { ...SNAPSHOT_LIMITS, maxJsonBytes: 8 * MiB };
    const run = measured(() => decodeSnapshot(bomb, 'bomb.json.gz', { limits }));
    expect(run.result).toBeInstanceOf(SnapshotTooLargeError);
    expect((run.result as Error).message).toBe('bomb.json.gz: decompresses to more than 8.0 MiB, more than Meshlens opens; is it a file written by `meshlens snapshot`?');
    expect(run.peakGrowth).toBeLessThan(64 * MiB);
  });

  it('opens the good objects of a bundle of empty ones, naming the first bad ones and counting the rest', { timeout: 60000 }, async () => {
    const demo = createDemoSource({ seed: 1 });
    const good = await captureSnapshot(demo, [], { meshlensVersion: '0.1.0', history: false, now: () => T * 1000 });
    const raw = JSON.parse(JSON.stringify(good)) as { objects: unknown[] };
    const n = raw.objects.length;
    raw.objects.push(...Array.from({ length: 50_000 }, () => ({})));
    const { bundle, heapBytes } = readSnapshot(gzipSync(JSON.stringify(raw)), 'mixed.json.gz');
    expect(bundle.objects).toEqual(good.objects);
    expect(bundle.errors.slice(good.errors.length)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => ({ file: 'mixed.json.gz', message: `objects[${n + i}]: item is not a Kubernetes object (expected a mapping); left out` })),
      { file: 'mixed.json.gz', message: `objects: 50,000 of the ${(n + 50_000).toLocaleString('en-US')} entries are not Kubernetes objects (the first 20 are listed); all 50,000 left out, the other ${n} opened` },
    ]);
    expect(heapBytes).toBeGreaterThan(50_000 * 64);
    expect(createSnapshotSource(bundle).status().objects).toBe(n);
  });

  it('refuses more samples than a snapshot may hold, and drops a charts section of too many series with a reason', () => {
    const sample = { metric: { reporter: 'source' }, value: [T, '1'] };
    const window = { queryTime: T, duration: 600, namespaces: ['a'], samples: { istio_requests_total: Array.from({ length: 5 }, () => sample) } };
    const base = { format: 'meshlens-snapshot/1', capturedAt: T, objects: [], windows: [window] };
    const limits = { ...SNAPSHOT_LIMITS, maxSamples: 4, maxHistorySeries: 2 };
    expect(() => decodeSnapshot(Buffer.from(JSON.stringify(base)), 's.json', { limits }))
      .toThrow(new SnapshotTooLargeError('s.json: holds 5 telemetry samples, more than the 4 Meshlens opens in one snapshot; is it a file written by `meshlens snapshot`?'));
    const history = { start: T - 600, end: T, step: 600, rateInterval: 60, scrapeInterval: 15, families: { istio_requests_total: { labels: ['reporter'], series: [[['source'], [1, 2]], [['destination'], [1, 2]], [['x'], [1, 2]]] } } };
    const bundle = decodeSnapshot(Buffer.from(JSON.stringify({ ...base, windows: [], history })), 'h.json', { limits });
    expect(bundle.history).toEqual({
      start: T - 600, end: T, step: 600, rateInterval: 60, scrapeInterval: 15, families: {},
      omitted: [{ families: ['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total'], reason: "the file's charts section holds 3 series, more than the 2 Meshlens opens" }],
    });
  });

  it('keeps only the fields it reads: what else a file carries is not held in memory', () => {
    const junk = Array.from({ length: 1000 }, (_, i) => `padding ${i}`);
    const bundle = decodeSnapshot(Buffer.from(JSON.stringify({ format: 'meshlens-snapshot/1', capturedAt: T, objects: [], windows: [], junk, view: 'namespaces=a' })), 'j.json');
    expect(bundle).toEqual({ format: 'meshlens-snapshot/1', capturedAt: T, meshlensVersion: 'unknown', source: { name: 'an unnamed source', kind: 'unknown' }, objects: [], errors: [], windows: [], view: 'namespaces=a' });
  });

  it('counts a JSON text without building it, and estimates the heap of the demo bundle within 2.5 times what it takes', { timeout: 60000 }, async () => {
    expect(scanJson(Buffer.from('{"objects":[{"a":"x\\"y","b":[1,2.5,null]},{}],"windows":[],"view":"q"}'))).toEqual({
      objects: 3, arrays: 3, itemScalars: 3, memberScalars: 0, strings: 2, stringBytes: 5, keys: 5, distinctKeys: 5, distinctKeyBytes: 20,
      entries: { objects: 2, windows: 0 },
    });
    const demo = createDemoSource({ seed: 1 });
    const bytes = encodeSnapshot(await captureSnapshot(demo, [{ queryTime: T, duration: 600, namespaces: [...demo.inventory().namespaces.keys()] }], { meshlensVersion: '0.1.0' }));
    const before = used();
    const decoded = readSnapshot(bytes, 'demo.json.gz');
    const source = createSnapshotSource(decoded.bundle);
    const kept = used() - before;
    expect(source.status().objects).toBe(demo.inventory().objects.length);
    expect(decoded.heapBytes).toBeGreaterThan(kept * 0.8);
    expect(decoded.heapBytes).toBeLessThan(kept * 2.5);
  });

  it('still refuses what is not a snapshot as before', () => {
    expect(() => decodeSnapshot(Buffer.from('[1,2'), 'x.json')).toThrow(new SnapshotFileError('x.json: not JSON; is it a file written by `meshlens snapshot`?'));
  });
});

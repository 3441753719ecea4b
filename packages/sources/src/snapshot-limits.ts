/**
 * How much of a snapshot bundle Meshlens agrees to hold. A bundle is untrusted input, and its cost in memory is not
 * its size on disk: 12 MiB of `{},` is four million objects, and a few KiB of gzip can expand to gigabytes. So the
 * bytes are decompressed under a hard cap, and the JSON text is measured (a single pass over the bytes, no objects
 * built) before `JSON.parse` sees it: how many entries each section holds, and about how much heap the parsed value
 * takes. Whatever is over a limit is refused with a sentence before anything big is allocated.
 */
import { gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export interface SnapshotLimits {
  /** Largest decompressed JSON text, bytes. */
  maxJsonBytes: number;
  /** Largest estimated heap of the parsed bundle (`estimatedHeapBytes`), bytes. */
  maxHeapBytes: number;
  /** Most inventory objects (entries of `objects`). */
  maxObjects: number;
  /** Most telemetry windows. */
  maxWindows: number;
  /** Most telemetry samples, over every window and family. */
  maxSamples: number;
  /** Most series of the charts section, over every family. */
  maxHistorySeries: number;
  /** Most entries of `errors` and of `findings`, each. */
  maxListEntries: number;
}

const MiB = 1024 * 1024;

/**
 * The limits of `meshlens serve --snapshot FILE`, and of `decodeSnapshot` unless told otherwise. Far above what a
 * mesh of thousands of workloads records (the demo's bundle: 267 objects, 2 000 samples, 1 500 chart series, 3.5 MB of
 * JSON), and far below what would stop the process. The console's "Open snapshot" is stricter on bytes
 * (routes/opened-snapshots.ts): it shares one server with everyone else.
 */
export const SNAPSHOT_LIMITS: SnapshotLimits = {
  maxJsonBytes: 64 * MiB,
  maxHeapBytes: 160 * MiB,
  maxObjects: 100_000,
  maxWindows: 64,
  maxSamples: 400_000,
  maxHistorySeries: 200_000,
  maxListEntries: 200_000,
};

/** A file that is not a snapshot Meshlens can open: the message names the file, what is wrong and what to do. */
export class SnapshotFileError extends Error {}

/** A bundle over a limit: the message names the file, what is over, the limit and what to do. */
export class SnapshotTooLargeError extends SnapshotFileError {}

/** `12.0 MiB`, `340 KiB`. */
export function sizeLabel(bytes: number): string {
  return bytes < MiB ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
}

/** `4,000,000`. */
export function countLabel(n: number): string {
  return n.toLocaleString('en-US');
}

/** What one pass over a JSON text found, without building it. */
export interface JsonShape {
  /** Objects and arrays. */
  objects: number;
  arrays: number;
  /** Numbers, booleans and nulls: as array items (unboxed) and as member values. */
  itemScalars: number;
  memberScalars: number;
  /** String values and their bytes. */
  strings: number;
  stringBytes: number;
  /** Member names: every occurrence, and the distinct names (each costs V8 a hidden class and a name) with their bytes. */
  keys: number;
  distinctKeys: number;
  distinctKeyBytes: number;
  /** Direct entries of each array at the top level of the root object (`objects`, `windows`, `errors`, `findings`). */
  entries: Record<string, number>;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Distinct member names remembered (as 32-bit hashes); past it every name not yet seen counts as new. */
const MAX_TRACKED_KEYS = 100_000;

/**
 * Counts what `JSON.parse(text)` would build. It assumes nothing about validity: on a text that is not JSON the
 * counts are only approximate, and `JSON.parse` refuses it afterwards anyway.
 */
export function scanJson(bytes: Uint8Array): JsonShape {
  const shape: JsonShape = { objects: 0, arrays: 0, itemScalars: 0, memberScalars: 0, strings: 0, stringBytes: 0, keys: 0, distinctKeys: 0, distinctKeyBytes: 0, entries: {} };
  const seenKeys = new Set<number>();
  // Whether each open container is an array (1) or an object (0), innermost last.
  let kinds = new Uint8Array(64);
  let depth = 0;
  let inScalar = false;
  // The name of the root object's member being read, whether the next string at depth 1 is a name, and the root
  // member whose array is open at depth 2.
  let topKey: string | undefined;
  let expectKey = false;
  let topArray: string | undefined;
  const n = bytes.length;
  const countEntry = () => {
    if (depth === 2 && topArray !== undefined) shape.entries[topArray]!++;
  };
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      inScalar = false;
      const start = i + 1;
      let j = start;
      let hash = 0x811c9dc5;
      // To the closing quote; a backslash escapes the next byte whatever it is. FNV-1a of the bytes on the way.
      while (j < n) {
        const d = bytes[j]!;
        if (d === QUOTE) break;
        hash = Math.imul(hash ^ d, 0x01000193);
        if (d === BACKSLASH && j + 1 < n) hash = Math.imul(hash ^ bytes[j + 1]!, 0x01000193);
        j += d === BACKSLASH ? 2 : 1;
      }
      const end = Math.min(j, n);
      // A member name is followed by ':'.
      let k = j + 1;
      while (k < n && isSpace(bytes[k]!)) k++;
      if (k < n && bytes[k] === COLON && depth > 0 && kinds[depth - 1] === 0) {
        shape.keys++;
        if (!seenKeys.has(hash)) {
          shape.distinctKeys++;
          shape.distinctKeyBytes += end - start;
          if (seenKeys.size < MAX_TRACKED_KEYS) seenKeys.add(hash);
        }
        if (depth === 1 && expectKey) topKey = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
        expectKey = false;
      } else {
        shape.strings++;
        shape.stringBytes += end - start;
        countEntry();
      }
      i = j;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      inScalar = false;
      countEntry();
      if (c === OPEN_ARRAY) shape.arrays++;
      else shape.objects++;
      if (depth === kinds.length) {
        const grown = new Uint8Array(kinds.length * 2);
        grown.set(kinds);
        kinds = grown;
      }
      kinds[depth] = c === OPEN_ARRAY ? 1 : 0;
      depth++;
      if (depth === 1) expectKey = c === OPEN_OBJECT;
      if (depth === 2 && c === OPEN_ARRAY && topKey !== undefined) {
        topArray = topKey;
        shape.entries[topArray] = 0;
      }
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      inScalar = false;
      if (depth === 2) topArray = undefined;
      if (depth > 0) depth--;
      continue;
    }
    if (c === COMMA) {
      inScalar = false;
      if (depth === 1) expectKey = true;
      continue;
    }
    if (c === COLON || isSpace(c)) {
      inScalar = false;
      continue;
    }
    // A number, true, false or null: counted at its first byte.
    if (!inScalar) {
      inScalar = true;
      if (depth > 0 && kinds[depth - 1] === 1) shape.itemScalars++;
      else shape.memberScalars++;
      countEntry();
    }
  }
  return shape;
}

/**
 * About how many bytes of heap `JSON.parse` takes for a text of this shape (V8, 64-bit): an object with its header
 * and in-object slots, an array with its header, a slot per item, a boxed number per member value, a header per
 * string and its characters, and for each distinct member name a hidden class and the name. Calibrated on real
 * bundles and on pathological ones (millions of `{}`, `[[1]]`, short strings, distinct names, numbers): it stays above
 * the heap measured, and within about twice it for real bundles (2.6 times at worst, for one object of 500 000 names).
 */
export function estimatedHeapBytes(s: JsonShape): number {
  return s.objects * 64 + s.arrays * 56 + s.itemScalars * 8 + s.memberScalars * 16
    + s.strings * 32 + s.stringBytes + s.keys * 8 + s.distinctKeys * 160 + s.distinctKeyBytes;
}

/** Thrown by the decompression helpers past their cap. */
export class DecompressedTooLargeError extends Error {}

function tooLargeZlib(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
}

/** Gunzips `bytes` into at most `maxBytes` (zlib stops there: a gzip bomb never expands past it). */
export function gunzipCappedSync(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if (tooLargeZlib(e)) throw new DecompressedTooLargeError(`decompresses to more than ${sizeLabel(maxBytes)}`);
    throw e;
  }
}

/** The asynchronous `gunzipCappedSync`, off the main thread. */
export async function gunzipCapped(bytes: Uint8Array, maxBytes: number): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if (tooLargeZlib(e)) throw new DecompressedTooLargeError(`decompresses to more than ${sizeLabel(maxBytes)}`);
    throw e;
  }
}

/** Whether the bytes start as a gzip stream does. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const SECTION_LIMITS: Array<[string, keyof SnapshotLimits, string]> = [
  ['objects', 'maxObjects', 'objects'],
  ['windows', 'maxWindows', 'telemetry windows'],
  ['errors', 'maxListEntries', 'load errors'],
  ['findings', 'maxListEntries', 'findings'],
];

/** Where a refusal for the number of entries points: no Meshlens opens more, so the file is suspect. */
export const COUNT_ADVICE = 'is it a file written by `meshlens snapshot`?';

/**
 * Refuses a JSON text whose sections hold more entries than the limits allow, or whose parsed value would take more
 * heap than `maxHeapBytes` (then `sizeAdvice` says what to do), before it is parsed. Returns the estimated heap of
 * the parsed value.
 */
export function checkJsonShape(json: Uint8Array, file: string, limits: SnapshotLimits, sizeAdvice: string): number {
  const shape = scanJson(json);
  for (const [section, limit, words] of SECTION_LIMITS) {
    const count = shape.entries[section];
    if (count !== undefined && count > (limits[limit] as number)) {
      throw new SnapshotTooLargeError(`${file}: holds ${countLabel(count)} ${words}, more than the ${countLabel(limits[limit] as number)} Meshlens opens in one snapshot; ${COUNT_ADVICE}`);
    }
  }
  const heap = estimatedHeapBytes(shape);
  if (heap > limits.maxHeapBytes) {
    const biggest = Object.entries(shape.entries).sort((a, b) => b[1] - a[1])[0];
    const where = biggest && biggest[1] >= 10_000 ? ` (its ${biggest[0]} list alone has ${countLabel(biggest[1])} entries)` : '';
    throw new SnapshotTooLargeError(`${file}: its ${sizeLabel(json.length)} of JSON hold ${countLabel(shape.objects + shape.arrays + shape.itemScalars + shape.memberScalars + shape.strings)} values${where}, about ${sizeLabel(heap)} of memory once read, more than the ${sizeLabel(limits.maxHeapBytes)} Meshlens gives one snapshot; ${sizeAdvice}`);
  }
  return heap;
}

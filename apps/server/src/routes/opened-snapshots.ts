/**
 * Snapshot files opened from the browser: `POST /api/snapshots` takes the bytes of a bundle (dropped on the page or
 * chosen with "Open snapshot"), and every API request carrying `?snapshot=<id>` is then answered from that bundle,
 * offline — the same routes, the same check engine, nothing live. The selection rides on AsyncLocalStorage, as the
 * cluster selection does (routes/clusters.ts), so the routes read `source` and need not know about uploads.
 *
 * Nothing is written anywhere: the bundle lives in this process's memory, bounded in count and size, and is gone
 * when the server restarts (the console then asks for the file again). The id is derived from the file's content,
 * so only someone holding the file can name it, and the same file opens under the same id for everyone.
 *
 * Memory is bounded at every step, for one request and for all of them: the body is read within the file limit, gzip
 * is inflated chunk by chunk within the JSON limit, both count against one budget shared by the uploads in flight
 * (503 past it), the JSON is measured before it is parsed (an estimate of its heap, and counts of its objects, samples
 * and series: snapshot-limits.ts in the sources), and open files are accounted by that estimate, not by their size
 * on disk: 12 MiB of `{}` is four million objects.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OpenedSnapshot } from '@meshlens/model';
import {
  createSnapshotSource, isGzip, isoSeconds, readSnapshot, scopedSource, SNAPSHOT_LIMITS, SnapshotFileError, SnapshotTooLargeError, type MeshSource,
} from '@meshlens/sources';
import { statusTitle } from './errors.js';
import { uploadRateLimit } from '../security/rate-limits.js';

/** The `?snapshot=` value: 128 bits of the file's SHA-256, base64url. */
export const SNAPSHOT_ID = /^[A-Za-z0-9_-]{22}$/;

export interface OpenedSnapshotsOptions {
  /** How many files stay open at once; the least recently used is closed first. */
  maxOpen?: number;
  /** Largest file accepted, bytes as sent. */
  maxFileBytes?: number;
  /** Largest decompressed JSON of one file. */
  maxJsonBytes?: number;
  /** Largest estimated heap of one opened file (snapshot-limits.ts in the sources). */
  maxHeapBytes?: number;
  /** Largest estimated heap of all open files together; the least recently used are closed to make room. */
  maxOpenHeapBytes?: number;
  /**
   * Bytes of uploads being received and decompressed, all requests together: bodies as they arrive and JSON as it
   * is inflated. Past it a request is refused with 503 and asked to retry, so that concurrent uploads (or gzip bombs)
   * never add up past what the server can hold.
   */
  maxInFlightBytes?: number;
  /** Called with a closed snapshot's source name, so per-source state (the check engine) can go too. */
  onClose?: (name: string) => void;
}

export interface OpenedSnapshots {
  plugin: FastifyPluginAsyncTypebox;
  /** Reads the request's opened snapshot, or `base` when the request names none. */
  source: MeshSource;
  /** Ids of the open snapshots, least recently used first (for tests and logs). */
  ids(): string[];
  /** Bytes of uploads in flight now (for tests and logs). */
  inFlightBytes(): number;
}

interface Entry {
  source: ReturnType<typeof createSnapshotSource>;
  /** Estimated heap the opened bundle holds. */
  heapBytes: number;
  info: OpenedSnapshot;
}

const MiB = 1024 * 1024;
/**
 * Sized for a server in a 512 MiB container: one upload peaks at about its decompressed JSON twice (bytes, then text)
 * plus its parsed value, well under 150 MiB; everything in flight at once stays under 64 MiB; open files under 192 MiB.
 * `meshlens serve --snapshot FILE` opens larger files (SNAPSHOT_LIMITS), which is what the refusals point to.
 */
const DEFAULTS = {
  maxOpen: 8,
  maxFileBytes: 64 * MiB,
  maxJsonBytes: 32 * MiB,
  maxHeapBytes: 96 * MiB,
  maxOpenHeapBytes: 192 * MiB,
  maxInFlightBytes: 64 * MiB,
};

const UploadQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'the file name, for messages' })),
}, { additionalProperties: false });

/** Not a snapshot, too big, not decompressible, or no room right now: a 4xx/503 with a sentence saying what to do. */
class UploadError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

function mib(bytes: number): string {
  return bytes < MiB ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
}

/** Bytes held for uploads in flight, shared by every request of the server. */
class InFlight {
  used = 0;
  constructor(readonly max: number) {}

  /** A request's share: grows chunk by chunk, given back once (idempotent). */
  hold(): { take(bytes: number): boolean; release(): void } {
    let held = 0;
    return {
      take: (bytes) => {
        if (this.used + bytes > this.max) return false;
        this.used += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

type Hold = ReturnType<InFlight['hold']>;

/** The upload's bytes as received, with their id; `hold` holds their room in the in-flight budget until released. */
interface UploadBody {
  chunks: Buffer[];
  bytes: number;
  id: string;
  hold: Hold;
}

function busy(file: string, max: number): UploadError {
  return new UploadError(503, `Meshlens is receiving and opening other snapshot files right now (${mib(max)} at most at once), so ${file} was not opened; try again in a minute`);
}

/** Reads the request body chunk by chunk, within the file limit and the shared budget (nothing is read past either). */
function readUpload(payload: Readable, declared: number, file: string, maxFileBytes: number, inFlight: InFlight): Promise<UploadBody> {
  const tooLarge = () => new UploadError(413, `${file} is larger than the ${mib(maxFileBytes)} Meshlens opens from a browser; open it with \`meshlens serve --snapshot FILE\` instead`);
  if (declared > maxFileBytes) return Promise.reject(tooLarge());
  const hold = inFlight.hold();
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  return new Promise<UploadBody>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.resume(); // discard the rest; Fastify closes the connection after the answer
      chunks.length = 0;
      hold.release();
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxFileBytes) return fail(tooLarge());
      if (!hold.take(chunk.length)) return fail(busy(file, inFlight.max));
      hash.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      resolve({ chunks, bytes, id: hash.digest('base64url').slice(0, 22), hold });
    };
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', (e) => fail(e));
    // A client that goes away mid-upload gives its share back too.
    payload.once('close', () => fail(new UploadError(400, `${file}: the upload was interrupted`)));
  });
}

/** Inflates a gzip'd body within `maxJsonBytes` and the shared budget, chunk by chunk: a bomb stops at the first limit it meets. */
function gunzipUpload(body: UploadBody, file: string, maxJsonBytes: number, inFlight: InFlight): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const out: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      out.length = 0;
      gunzip.destroy();
      reject(e);
    };
    gunzip.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxJsonBytes) return fail(new UploadError(413, `${file}: decompresses to more than ${mib(maxJsonBytes)}, more than Meshlens opens in a browser session; open it with \`meshlens serve --snapshot ${file}\` instead`));
      if (!body.hold.take(chunk.length)) return fail(busy(file, inFlight.max));
      out.push(chunk);
    });
    gunzip.on('error', (e) => fail(new UploadError(400, `${file}: cannot decompress (${e.message}); is it a file written by \`meshlens snapshot\` or "Download snapshot"?`)));
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(out, size));
    });
    for (const chunk of body.chunks) gunzip.write(chunk);
    gunzip.end();
  });
}

export function openedSnapshots(base: MeshSource, options: OpenedSnapshotsOptions = {}): OpenedSnapshots {
  const { maxOpen, maxFileBytes, maxJsonBytes, maxHeapBytes, maxOpenHeapBytes, maxInFlightBytes } = { ...DEFAULTS, ...options };
  const limits = { ...SNAPSHOT_LIMITS, maxJsonBytes, maxHeapBytes };
  const inFlight = new InFlight(maxInFlightBytes);
  // Insertion order is recency: a use moves the entry to the end, closing takes from the front.
  const open = new Map<string, Entry>();
  const scope = new AsyncLocalStorage<MeshSource>();
  const current = (): MeshSource => scope.getStore() ?? base;

  const touch = (id: string): Entry | undefined => {
    const entry = open.get(id);
    if (entry) {
      open.delete(id);
      open.set(id, entry);
    }
    return entry;
  };

  /** Closes the least recently used files until one more of `incomingHeap` bytes fits. */
  const makeRoom = (incomingHeap: number) => {
    let total = [...open.values()].reduce((n, e) => n + e.heapBytes, 0) + incomingHeap;
    for (const [id, entry] of open) {
      if (open.size < maxOpen && total <= maxOpenHeapBytes) break;
      open.delete(id);
      total -= entry.heapBytes;
      options.onClose?.(entry.source.name);
    }
  };

  const openFile = async (body: UploadBody, file: string): Promise<OpenedSnapshot> => {
    try {
      if (body.bytes === 0) throw new UploadError(400, `${file} is empty; choose a file written by \`meshlens snapshot\` or "Download snapshot"`);
      const existing = touch(body.id);
      if (existing) return existing.info;
      const first = body.chunks[0]!;
      const gzipped = isGzip(first.length >= 2 ? first : Buffer.concat(body.chunks.slice(0, 2)));
      if (!gzipped && body.bytes > maxJsonBytes) throw new UploadError(413, `${file}: ${mib(body.bytes)} of JSON is more than the ${mib(maxJsonBytes)} Meshlens opens; take the snapshot compressed, as \`meshlens snapshot\` and "Download snapshot" do`);
      const json = gzipped ? await gunzipUpload(body, file, maxJsonBytes, inFlight) : Buffer.concat(body.chunks, body.bytes);
      body.chunks.length = 0;
      let decoded;
      try {
        // Synchronous from here: one bundle is parsed at a time, after room is made for it among the open ones.
        decoded = readSnapshot(json, file, { limits, advice: 'open it with `meshlens serve --snapshot FILE` instead', beforeParse: makeRoom });
      } catch (e) {
        if (e instanceof SnapshotTooLargeError) throw new UploadError(413, e.message);
        if (e instanceof SnapshotFileError) throw new UploadError(400, e.message);
        throw e;
      }
      const source = createSnapshotSource(decoded.bundle);
      const b = source.bundle;
      const info: OpenedSnapshot = {
        id: body.id,
        name: source.name,
        snapshotOf: b.source.name,
        capturedAt: isoSeconds(b.capturedAt),
        view: b.view ?? '',
        objects: source.inventory().objects.length,
        bytes: body.bytes,
      };
      open.set(body.id, { source, heapBytes: decoded.heapBytes, info });
      return info;
    } finally {
      body.chunks.length = 0;
      body.hold.release();
    }
  };

  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.addHook('onRequest', (req, reply, done) => {
      const query = req.query as Record<string, unknown> | undefined;
      const id = query?.snapshot;
      if (id === undefined || !req.routeOptions.url?.startsWith('/api/')) return done();
      // Consumed here: the routes' own query schemas do not know it.
      delete query!.snapshot;
      const entry = typeof id === 'string' && SNAPSHOT_ID.test(id) ? touch(id) : undefined;
      if (!entry) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `The snapshot file this page shows is not open on the server any more (it keeps the ${maxOpen} most recently opened files in memory, and none across a restart). Drop the file on the page again, or choose it with "Open snapshot".`,
        });
      }
      scope.run(entry.source, () => done());
    });

    // Encapsulated: the raw-bytes body parser and its size limit apply to this route only.
    await app.register(async (child) => {
      const upload = child.withTypeProvider<TypeBoxTypeProvider>();
      upload.removeAllContentTypeParsers();
      // The body is read here, not by Fastify: chunk by chunk within the file limit and the shared in-flight budget.
      upload.addContentTypeParser(['application/octet-stream', 'application/gzip', 'application/x-gzip', 'application/json'], (req, payload, done) => {
        const file = (req.query as { name?: string } | undefined)?.name ?? 'the file';
        readUpload(payload as Readable, Number(req.headers['content-length'] ?? 0), file, maxFileBytes, inFlight).then((body) => done(null, body), (e: Error) => done(e, undefined));
      });
      upload.post('/api/snapshots', {
        schema: { querystring: UploadQuery },
        // Per client address, before the body is read (security/rate-limits.ts).
        onRequest: await uploadRateLimit(child),
        errorHandler: (err: Error & { code?: string; statusCode?: number }, req, reply) => {
          const file = req.query.name ?? 'the file';
          if (err instanceof UploadError) {
            if (err.statusCode === 503) reply.header('retry-after', '60');
            return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: statusTitle(err.statusCode), message: err.message });
          }
          if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
            return reply.code(413).send({ statusCode: 413, error: 'Payload Too Large', message: `${file} is larger than the ${mib(maxFileBytes)} Meshlens opens from a browser; open it with \`meshlens serve --snapshot FILE\` instead` });
          }
          if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
            return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `send the snapshot file's bytes as the request body with Content-Type: application/octet-stream` });
          }
          throw err;
        },
      }, async (req, reply) => {
        const file = req.query.name ?? 'the file';
        const body = req.body as UploadBody | undefined;
        if (!body) throw new UploadError(400, `${file} is empty; choose a file written by \`meshlens snapshot\` or "Download snapshot"`);
        const info = await openFile(body, file);
        req.log.info({ id: info.id, of: info.snapshotOf, capturedAt: info.capturedAt, bytes: info.bytes }, 'snapshot opened');
        return reply.code(201).send(info);
      });
    });
  };
  // Not encapsulated: the `?snapshot=` hook must see every route of the app (what fastify-plugin does).
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

  // A snapshot has no live parts: the live-only methods answer for the base source, and as "nothing live" for a file.
  const source = scopedSource(current, base);

  return { plugin, source, ids: () => [...open.keys()], inFlightBytes: () => inFlight.used };
}

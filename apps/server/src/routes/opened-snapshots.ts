/**
 * Snapshot files opened from the browser: `POST /api/snapshots` takes the bytes of a bundle (dropped on the page or
 * chosen with "Open snapshot"), and every API request carrying `?snapshot=<id>` is then answered from that bundle,
 * offline — the same routes, the same check engine, nothing live. The selection rides on AsyncLocalStorage, as the
 * cluster selection does (routes/clusters.ts), so the routes read `source` and need not know about uploads.
 *
 * Nothing is written anywhere: the bundle lives in this process's memory, bounded in count and size, and is gone
 * when the server restarts (the console then asks for the file again). The id is derived from the file's content,
 * so only someone holding the file can name it, and the same file opens under the same id for everyone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OpenedSnapshot } from '@meshlens/model';
import { createSnapshotSource, decodeSnapshot, isoSeconds, scopedSource, SnapshotFileError, type MeshSource } from '@meshlens/sources';

const gunzipAsync = promisify(gunzip);

/** The `?snapshot=` value: 128 bits of the file's SHA-256, base64url. */
export const SNAPSHOT_ID = /^[A-Za-z0-9_-]{22}$/;

export interface OpenedSnapshotsOptions {
  /** How many files stay open at once; the least recently used is closed first. */
  maxOpen?: number;
  /** Largest file accepted, bytes as sent. */
  maxFileBytes?: number;
  /** Largest decompressed JSON of one file, and of all open files together. */
  maxJsonBytes?: number;
  /** Called with a closed snapshot's source name, so per-source state (the check engine) can go too. */
  onClose?: (name: string) => void;
}

export interface OpenedSnapshots {
  plugin: FastifyPluginAsyncTypebox;
  /** Reads the request's opened snapshot, or `base` when the request names none. */
  source: MeshSource;
  /** Ids of the open snapshots, least recently used first (for tests and logs). */
  ids(): string[];
}

interface Entry {
  source: ReturnType<typeof createSnapshotSource>;
  jsonBytes: number;
  info: OpenedSnapshot;
}

const MiB = 1024 * 1024;
const DEFAULTS = { maxOpen: 8, maxFileBytes: 64 * MiB, maxJsonBytes: 256 * MiB };

const UploadQuery = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'the file name, for messages' })),
}, { additionalProperties: false });

/** Not a snapshot, too big, or not decompressible: a 4xx with a sentence saying what to do. */
class UploadError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

function mib(bytes: number): string {
  return bytes < MiB ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
}

/** The bundle's JSON text: gunzipped within the size limit when gzip'd, as is otherwise. */
async function jsonBytesOf(body: Buffer, file: string, maxJsonBytes: number): Promise<Buffer> {
  if (!(body[0] === 0x1f && body[1] === 0x8b)) {
    if (body.length > maxJsonBytes) throw new UploadError(413, `${file}: ${mib(body.length)} of JSON is more than the ${mib(maxJsonBytes)} Meshlens opens; take the snapshot compressed, as \`meshlens snapshot\` and "Download snapshot" do`);
    return body;
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxJsonBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new UploadError(413, `${file}: decompresses to more than ${mib(maxJsonBytes)}, more than Meshlens opens in a browser session; open it with \`meshlens serve --snapshot ${file}\` instead`);
    }
    throw new UploadError(400, `${file}: cannot decompress (${(e as Error).message}); is it a file written by \`meshlens snapshot\` or "Download snapshot"?`);
  }
}

export function openedSnapshots(base: MeshSource, options: OpenedSnapshotsOptions = {}): OpenedSnapshots {
  const { maxOpen, maxFileBytes, maxJsonBytes } = { ...DEFAULTS, ...options };
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

  const closeOldest = (incomingJson: number) => {
    let total = [...open.values()].reduce((n, e) => n + e.jsonBytes, 0) + incomingJson;
    for (const [id, entry] of open) {
      if (open.size < maxOpen && total <= maxJsonBytes) break;
      open.delete(id);
      total -= entry.jsonBytes;
      options.onClose?.(entry.source.name);
    }
  };

  const openFile = async (body: Buffer, file: string): Promise<OpenedSnapshot> => {
    if (body.length === 0) throw new UploadError(400, `${file} is empty; choose a file written by \`meshlens snapshot\` or "Download snapshot"`);
    const id = createHash('sha256').update(body).digest('base64url').slice(0, 22);
    const existing = touch(id);
    if (existing) return existing.info;
    const json = await jsonBytesOf(body, file, maxJsonBytes);
    let source: Entry['source'];
    try {
      source = createSnapshotSource(decodeSnapshot(json, file));
    } catch (e) {
      if (e instanceof SnapshotFileError) throw new UploadError(400, e.message);
      throw e;
    }
    const b = source.bundle;
    const info: OpenedSnapshot = {
      id,
      name: source.name,
      snapshotOf: b.source.name,
      capturedAt: isoSeconds(b.capturedAt),
      view: b.view ?? '',
      objects: source.inventory().objects.length,
      bytes: body.length,
    };
    closeOldest(json.length);
    open.set(id, { source, jsonBytes: json.length, info });
    return info;
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
      upload.addContentTypeParser(['application/octet-stream', 'application/gzip', 'application/x-gzip', 'application/json'], { parseAs: 'buffer', bodyLimit: maxFileBytes }, (_req, body, done) => done(null, body));
      upload.post('/api/snapshots', {
        schema: { querystring: UploadQuery },
        errorHandler: (err: Error & { code?: string; statusCode?: number }, req, reply) => {
          const file = req.query.name ?? 'the file';
          if (err instanceof UploadError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: err.statusCode === 413 ? 'Payload Too Large' : 'Bad Request', message: err.message });
          if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
            return reply.code(413).send({ statusCode: 413, error: 'Payload Too Large', message: `${file} is larger than the ${mib(maxFileBytes)} Meshlens opens from a browser; open it with \`meshlens serve --snapshot FILE\` instead` });
          }
          if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
            return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `send the snapshot file's bytes as the request body with Content-Type: application/octet-stream` });
          }
          throw err;
        },
      }, async (req, reply) => {
        const body = req.body as Buffer;
        const info = await openFile(body, req.query.name ?? 'the file');
        req.log.info({ id: info.id, of: info.snapshotOf, capturedAt: info.capturedAt, bytes: info.bytes }, 'snapshot opened');
        return reply.code(201).send(info);
      });
    });
  };
  // Not encapsulated: the `?snapshot=` hook must see every route of the app (what fastify-plugin does).
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

  // A snapshot has no live parts: the live-only methods answer for the base source, and as "nothing live" for a file.
  const source = scopedSource(current, base);

  return { plugin, source, ids: () => [...open.keys()] };
}

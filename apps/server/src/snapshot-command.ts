/**
 * `meshlens snapshot --out FILE`: a snapshot bundle (routes/snapshot.ts) written to a file, either fetched from a
 * running server (`--server URL`, its `GET /api/snapshot`, logging in with `--server-token` when it runs `--auth token`,
 * through a proxy with `--server-header`, for one context with `--cluster`) or taken here from the sources `serve` reads (the demo,
 * `-f DIR [--samples FILE]`, or `--kubeconfig/--context` with `--prometheus`). `serve --snapshot FILE` reopens it.
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  createDemoSource, createFileSource, createSnapshotSource, decodeSnapshot, encodeSnapshot, readSamplesFile, sizeLabel, SNAPSHOT_LIMITS, SnapshotFileError,
  staticTelemetry, type MeshSource,
} from '@meshlens/sources';
import { GRAPH_TYPES, type AuthInfo, type GraphType } from '@meshlens/model';
import { addPrometheusOptions, prometheusTelemetryFrom, withTelemetry, type PrometheusCliOptions } from './prometheus-options.js';
import { addKubeOptions, openClusters, wantsCluster, type KubeCliOptions } from './kube-serve.js';
import { snapshotFileName, takeSnapshot } from './routes/snapshot.js';
import { HttpError } from './routes/errors.js';
import { SESSION_COOKIE } from './auth/plugin.js';
import { requireReadablePaths } from './cli-base.js';

/** A mistake in the command's options or input: printed as is, exit code 2. */
export class SnapshotUsageError extends Error {}

interface SnapshotCliOptions extends PrometheusCliOptions, KubeCliOptions {
  out: string;
  server?: string;
  serverToken?: string;
  serverHeader?: string[];
  cluster?: string;
  filename?: string[];
  samples?: string;
  demo?: boolean;
  seed: number;
  namespaces?: string[];
  graphType: GraphType;
  duration: number;
  queryTime?: number;
}

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * Largest bundle file read, as stored: its JSON may not pass SNAPSHOT_LIMITS.maxJsonBytes, and a gzip'd file is always
 * smaller than its JSON. Read as a stream within it, so `--snapshot <(…)` or a device never fills the memory.
 */
const MAX_BUNDLE_FILE_BYTES = SNAPSHOT_LIMITS.maxJsonBytes;

/** The bytes of a file (or FIFO), refused past `max` bytes without reading further. */
async function readBundleFile(file: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw new SnapshotUsageError(`--snapshot: ${file} is larger than ${sizeLabel(max)}, more than Meshlens opens; is it a file written by \`meshlens snapshot\`?`);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

/** Reads a bundle file as a source for `serve --snapshot`; errors name the file and what to do. */
export async function loadSnapshotSource(file: string): Promise<MeshSource> {
  let bytes: Buffer;
  try {
    bytes = await readBundleFile(file, MAX_BUNDLE_FILE_BYTES);
  } catch (e) {
    if (e instanceof SnapshotUsageError) throw e;
    throw new SnapshotUsageError(`--snapshot: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a file written by \`meshlens snapshot\` or the console's "Download snapshot"`);
  }
  try {
    // The same limits as every bundle: bounded inflation, sections counted and the heap estimated before parsing.
    return createSnapshotSource(decodeSnapshot(bytes, file));
  } catch (e) {
    if (e instanceof SnapshotFileError) throw new SnapshotUsageError(e.message);
    throw e;
  }
}

/** A response body within `max` bytes, the download stopped as soon as it passes them. */
async function boundedBody(res: Response, max: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** A JSON answer of the API (a message, the auth info, the contexts): a megabyte at most, whatever the server sends. */
async function smallJson(res: Response): Promise<unknown> {
  const bytes = await boundedBody(res, 1024 * 1024, () => new Error('answer too large'));
  return JSON.parse(bytes.toString('utf8'));
}

/** How the command reaches a server: headers for a proxy in front of it, a token to log in with, a context. */
export interface ServerAccess {
  headers: Array<[string, string]>;
  token?: string;
  cluster?: string;
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers fetch or this command set themselves: a value given here would break the request. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'accept']);
/** Header names whose values are credentials: they never appear in a message. */
const SECRET_HEADER = /authorization|cookie|token|secret|key|pass/i;

/** Parses `--server-header 'Name: value'` options; a message never repeats a value, which may be a credential. */
export function parseServerHeaders(values: string[]): Array<[string, string]> {
  return values.map((raw, i) => {
    const which = values.length > 1 ? `--server-header (the ${ordinal(i + 1)})` : '--server-header';
    const colon = raw.indexOf(':');
    if (colon < 0) throw new SnapshotUsageError(`${which} must be "Name: value", such as "Authorization: Bearer <token>"; this one has no ":"`);
    const name = raw.slice(0, colon).trim();
    const value = raw.slice(colon + 1).trim();
    if (!HEADER_NAME.test(name)) throw new SnapshotUsageError(`${which} must be "Name: value": the part before the first ":" must be a header name (letters, digits and "-"), such as "Authorization: Bearer <token>"`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new SnapshotUsageError(`${which}: ${name} is set by meshlens itself; leave it out`);
    if (!value) throw new SnapshotUsageError(`${which}: ${name} has an empty value; give "${name}: <value>"`);
    if (/[\r\n\0]/.test(value)) throw new SnapshotUsageError(`${which}: the value of ${name} holds a line break; give it on one line`);
    return [name, value] as [string, string];
  });
}

function ordinal(n: number): string {
  return `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
}

/**
 * Requests to one Meshlens server, each with the proxy headers, the session cookie once logged in, and
 * `cluster=`. Redirects are not followed: they would carry the credentials elsewhere, and a proxy's redirect to
 * its login page is better reported than saved as the snapshot.
 */
class ServerClient {
  readonly origin: string;
  cookie?: string;
  private readonly secrets: string[];

  constructor(private readonly base: URL, private readonly access: ServerAccess) {
    this.origin = base.origin;
    this.secrets = [access.token, ...access.headers.filter(([n]) => SECRET_HEADER.test(n)).map(([, v]) => v)].filter((v): v is string => Boolean(v && v.length >= 4));
  }

  /** `text` with every credential the command holds blanked out: a server or proxy may echo what it was sent. */
  redact(text: string): string {
    return this.secrets.reduce((t, s) => t.split(s).join('<redacted>'), text);
  }

  async request(method: 'GET' | 'POST', path: string, opts: { query?: Record<string, string>; body?: unknown; accept?: string } = {}): Promise<Response> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    if (this.access.cluster) url.searchParams.set('cluster', this.access.cluster);
    const headers = new Headers(this.access.headers);
    headers.set('accept', opts.accept ?? 'application/json');
    if (this.cookie) headers.set('cookie', [headers.get('cookie'), `${SESSION_COOKIE}=${this.cookie}`].filter(Boolean).join('; '));
    if (opts.body !== undefined) headers.set('content-type', 'application/json');
    let res: Response;
    try {
      res = await fetch(url, { method, headers, redirect: 'manual', ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    } catch (e) {
      throw new SnapshotUsageError(this.redact(`cannot reach ${this.origin} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}); is \`meshlens serve\` running there?`));
    }
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location');
      const where = to ? new URL(to, url) : undefined;
      throw new SnapshotUsageError(this.redact(`${this.origin} redirected ${method} ${url.pathname}${where ? ` to ${where.origin}${where.pathname}` : ''}: if that is the login page of a proxy in front of Meshlens, give its credentials with --server-header "Name: value"; if Meshlens moved, give its new URL to --server`));
    }
    return res;
  }

  /** A refusal as a sentence: the server's own message (it says what to do), or the status and a hint. */
  async refusal(res: Response, what: string): Promise<SnapshotUsageError> {
    const body = await smallJson(res).catch(() => undefined) as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : undefined;
    const hint = message ? '' : res.status === 401 || res.status === 403
      ? '; if a proxy guards the server, give its credentials with --server-header "Name: value"'
      : '; check that --server is a Meshlens console';
    return new SnapshotUsageError(this.redact(`${this.origin} refused ${what} (HTTP ${res.status}${message ? `: ${message}` : ''})${hint}`));
  }

  /** `GET /api/auth/info`; undefined from a server older than authentication (it has no such route). */
  async authInfo(): Promise<AuthInfo | undefined> {
    const res = await this.request('GET', '/api/auth/info');
    if (res.status === 404) return undefined;
    if (!res.ok) throw await this.refusal(res, this.access.cluster ? `the request for cluster "${this.access.cluster}"` : 'the request');
    const info = await smallJson(res).catch(() => undefined) as AuthInfo | undefined;
    if (!info || typeof info.mode !== 'string') {
      throw new SnapshotUsageError(`${this.origin} answered GET /api/auth/info with ${res.headers.get('content-type') ?? 'no content type'}, not Meshlens's JSON: if a proxy's login page answered, give its credentials with --server-header "Name: value"; otherwise check that --server is a Meshlens console`);
    }
    return info;
  }

  /** `POST /api/auth/login`: keeps the session cookie for the following requests. */
  async login(token: string): Promise<AuthInfo> {
    const res = await this.request('POST', '/api/auth/login', { body: { token } });
    if (!res.ok) throw await this.refusal(res, 'the login with --server-token');
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new SnapshotUsageError(`${this.origin} accepted the token but set no ${SESSION_COOKIE} cookie: if a proxy in front of Meshlens drops cookies, snapshot from inside it`);
    this.cookie = cookie.slice(SESSION_COOKIE.length + 1);
    return await smallJson(res) as AuthInfo;
  }

  /** `POST /api/auth/logout`: ends the session so none lingers on the server. */
  async logout(): Promise<void> {
    const res = await this.request('POST', '/api/auth/logout');
    if (!res.ok) throw await this.refusal(res, 'the logout');
    this.cookie = undefined;
  }
}

/** Asks a running server for the bundle: logs in when it runs `--auth token`, and out again afterwards. */
export async function fetchSnapshot(server: string, view: { namespaces?: string[]; graphType: GraphType; duration: number; queryTime?: number }, access: ServerAccess, note: (m: string) => void): Promise<Buffer> {
  let base: URL;
  try {
    base = new URL('/', server);
  } catch {
    throw new SnapshotUsageError(`--server must be the console's URL, such as http://127.0.0.1:20080, got "${server}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new SnapshotUsageError(`--server must be an http:// or https:// URL, such as http://127.0.0.1:20080, got "${server}"`);
  const client = new ServerClient(base, access);
  const info = await client.authInfo();
  if (info?.mode === 'header' && !info.authenticated) {
    throw new SnapshotUsageError(`${client.origin} runs with --auth header and expects a proxy in front of it to name the user: give --server the proxy's URL and your credentials for it with --server-header "Name: value" (such as "Authorization: Bearer <token>")`);
  }
  if (info?.mode === 'token' && !info.authenticated) {
    if (!access.token) throw new SnapshotUsageError(`${client.origin} runs with --auth token: give a Kubernetes bearer token with --server-token <token> or, to keep it out of the shell history, the MESHLENS_SERVER_TOKEN environment variable (for example the output of \`kubectl create token <service-account> -n <namespace>\`)`);
    const who = await client.login(access.token);
    note(`logged in to ${client.origin} as ${who.user ?? 'an unnamed user'}${who.cluster ? ` (cluster ${who.cluster})` : ''}: the snapshot holds what that user may read`);
  }
  try {
    if (access.cluster) {
      // A server without kubeconfig contexts ignores cluster= on most routes: say so rather than snapshot its one source.
      const res = await client.request('GET', '/api/clusters');
      // Older servers have no such route for a single source; newer ones list no clusters.
      const single = `--cluster: ${client.origin} reads a single source with no kubeconfig contexts to choose from; leave --cluster out`;
      if (res.status === 404) throw new SnapshotUsageError(single);
      if (!res.ok) throw await client.refusal(res, `--cluster ${access.cluster}`);
      const listed = await smallJson(res).catch(() => undefined) as { clusters?: unknown[] } | undefined;
      if (Array.isArray(listed?.clusters) && listed.clusters.length === 0) throw new SnapshotUsageError(single);
    }
    const query: Record<string, string> = { graphType: view.graphType, duration: String(view.duration) };
    if (view.namespaces) query.namespaces = view.namespaces.join(',');
    if (view.queryTime !== undefined) query.queryTime = String(view.queryTime);
    const res = await client.request('GET', '/api/snapshot', { query, accept: 'application/gzip' });
    if (!res.ok) throw await client.refusal(res, 'the snapshot');
    // A bundle no Meshlens would open again is not worth holding: the download stops at the limit.
    return await boundedBody(res, MAX_BUNDLE_FILE_BYTES, () => new SnapshotUsageError(`${client.origin} sent more than ${sizeLabel(MAX_BUNDLE_FILE_BYTES)} for the snapshot, more than Meshlens opens; is --server a Meshlens console?`));
  } finally {
    if (client.cookie) {
      await client.logout().catch((e: Error) => note(`could not log out of ${client.origin} (${client.redact(e.message)}); the session ends by itself when it expires`));
    }
  }
}

/** Opens the source `serve` would, for a one-off snapshot; `close` stops a cluster's watches. */
async function openSource(opts: SnapshotCliOptions, note: (m: string) => void): Promise<{ source: MeshSource; close: () => Promise<void> }> {
  if (opts.demo && opts.filename) throw new SnapshotUsageError('--demo and -f cannot be used together: choose the demo mesh or your manifests');
  if (wantsCluster(opts) && (opts.demo || opts.filename || opts.samples)) throw new SnapshotUsageError('--kubeconfig/--context/--in-cluster read a live cluster: they cannot be combined with --demo, -f or --samples');
  let prometheus;
  try {
    prometheus = prometheusTelemetryFrom(opts);
  } catch (e) {
    throw new SnapshotUsageError((e as Error).message);
  }
  if (prometheus && opts.samples) throw new SnapshotUsageError('--samples and --prometheus cannot be used together: choose one telemetry');
  if (wantsCluster(opts)) {
    const clusters = openClusters(opts, prometheus, note);
    note(`reading cluster ${clusters.defaultContext} (${clusters.origin})…`);
    if (!(await clusters.source.synced!(30_000))) note(`cluster ${clusters.defaultContext} is not fully listed after 30 s; the snapshot holds what is there`);
    return { source: clusters.source, close: () => clusters.close() };
  }
  if (opts.filename) {
    await requireReadablePaths(opts.filename, '-f');
    const telemetry = opts.samples ? staticTelemetry((await readSamplesFile(opts.samples)).samples, opts.samples) : undefined;
    return { source: await createFileSource(opts.filename, prometheus ?? telemetry), close: async () => {} };
  }
  if (opts.samples) throw new SnapshotUsageError('--samples needs -f: the demo mesh simulates its own telemetry');
  const demo = createDemoSource({ seed: opts.seed });
  return { source: prometheus ? withTelemetry(demo, prometheus) : demo, close: async () => {} };
}

/** Adds `snapshot` to the command tree. */
export function addSnapshotCommand(root: Command, io: { out: (s: string) => void; err: (s: string) => void }): void {
  const cmd = root.command('snapshot')
    .description('write a snapshot bundle (inventory without secret data, telemetry of one window, findings, view) that `meshlens serve --snapshot FILE` reopens offline')
    .requiredOption('--out <file>', `file to write (the console names them like ${snapshotFileName(0)})`)
    .option('--server <url>', 'take it from a running Meshlens server (its current source) instead of reading a source here')
    .addOption(new Option('--server-token <token>', 'with --server: a Kubernetes bearer token to log in to a server running --auth token (logged out afterwards); prefer the environment variable, which stays out of the shell history and ps').env('MESHLENS_SERVER_TOKEN'))
    .option('--server-header <header>', 'with --server: "Name: value" added to every request, such as the credentials of an authenticating proxy in front of the server (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--cluster <context>', 'with --server: the kubeconfig context of a multi-cluster server to snapshot (GET /api/clusters lists them; default: the server\'s)')
    .option('--demo', 'the bundled demo mesh (the default when neither --server, -f nor --kubeconfig is given)')
    .option('-f, --filename <path>', 'manifest file or directory to load as the inventory (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--samples <file>', 'telemetry for -f: a JSON file of Prometheus vector samples keyed by metric name')
    .addOption(new Option('--seed <n>', 'seed of the demo traffic simulator').default(1).argParser(integer('--seed', 0, 2 ** 31)))
    .option('--namespaces <a,b>', 'namespaces the reopened console shows first (the samples cover every namespace)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .addOption(new Option('--graph-type <type>', 'graph type of the view').choices(GRAPH_TYPES).default('versionedApp'))
    .addOption(new Option('--duration <seconds>', 'telemetry window').default(600).argParser(integer('--duration', 60, 30 * 86400)))
    .addOption(new Option('--query-time <unix>', 'end of the window, unix seconds (default: now)').argParser(integer('--query-time', 0, 2 ** 40)));
  addPrometheusOptions(cmd);
  addKubeOptions(cmd);
  cmd.action(async (opts: SnapshotCliOptions) => {
    let bytes: Buffer;
    // An exported MESHLENS_SERVER_TOKEN is not a mistake when reading a source here; a typed --server-token is.
    const typedToken = opts.serverToken !== undefined && cmd.getOptionValueSource('serverToken') !== 'env';
    if (opts.server) {
      if (opts.filename || opts.demo || opts.samples || opts.prometheus || wantsCluster(opts)) throw new SnapshotUsageError('--server takes the snapshot from that server\'s source: it cannot be combined with --demo, -f, --samples, --prometheus or --kubeconfig');
      const token = opts.serverToken?.trim();
      if (typedToken && !token) throw new SnapshotUsageError('--server-token is empty: give the Kubernetes bearer token, or leave the option out');
      if (opts.cluster !== undefined && !opts.cluster.trim()) throw new SnapshotUsageError('--cluster is empty: give a context name from the server\'s GET /api/clusters, or leave the option out');
      const access: ServerAccess = { headers: parseServerHeaders(opts.serverHeader ?? []), ...(token ? { token } : {}), ...(opts.cluster ? { cluster: opts.cluster.trim() } : {}) };
      bytes = await fetchSnapshot(opts.server, opts, access, (m) => io.err(`meshlens: ${m}\n`));
    } else {
      if (typedToken || opts.serverHeader || opts.cluster !== undefined) throw new SnapshotUsageError('--server-token, --server-header and --cluster apply to --server; to read a kubeconfig context here, use --context');
      const { source, close } = await openSource(opts, (m) => io.err(`meshlens: ${m}\n`));
      try {
        const known = [...source.inventory().namespaces.keys()].sort();
        const unknown = (opts.namespaces ?? []).filter((n) => !known.includes(n));
        if (unknown.length > 0) throw new SnapshotUsageError(`--namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')} (${source.name} has: ${known.join(', ') || 'none'})`);
        const view = { namespaces: opts.namespaces ?? source.defaultNamespaces ?? [], graphType: opts.graphType, duration: opts.duration, ...(opts.queryTime !== undefined ? { queryTime: opts.queryTime } : {}) };
        bytes = encodeSnapshot(await takeSnapshot(source, view));
      } catch (e) {
        if (e instanceof HttpError) throw new SnapshotUsageError(`--${e.message}`);
        throw e;
      } finally {
        await close();
      }
    }
    try {
      await writeFile(opts.out, bytes);
    } catch (e) {
      throw new SnapshotUsageError(`cannot write ${opts.out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path for --out`);
    }
    io.out(`${opts.out} (${formatSize(bytes.length)}, ${bytes.length} bytes)\nreopen it offline: meshlens serve --snapshot ${opts.out}\n`);
  });
}

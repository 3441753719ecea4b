/**
 * `meshlens snapshot --out FILE`: a snapshot bundle (routes/snapshot.ts) written to a file, either fetched from a
 * running server (`--server URL`, its `GET /api/snapshot`) or taken here from the sources `serve` reads (the demo,
 * `-f DIR [--samples FILE]`, or `--kubeconfig/--context` with `--prometheus`). `serve --snapshot FILE` reopens it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  createDemoSource, createFileSource, createSnapshotSource, decodeSnapshot, encodeSnapshot, readSamplesFile, SnapshotFileError,
  staticTelemetry, type MeshSource,
} from '@meshlens/sources';
import { GRAPH_TYPES, type GraphType } from '@meshlens/model';
import { addPrometheusOptions, prometheusTelemetryFrom, withTelemetry, type PrometheusCliOptions } from './prometheus-options.js';
import { addKubeOptions, openClusters, wantsCluster, type KubeCliOptions } from './kube-serve.js';
import { snapshotFileName, takeSnapshot } from './routes/snapshot.js';
import { HttpError } from './routes/errors.js';

/** A mistake in the command's options or input: printed as is, exit code 2. */
export class SnapshotUsageError extends Error {}

interface SnapshotCliOptions extends PrometheusCliOptions, KubeCliOptions {
  out: string;
  server?: string;
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

/** Reads a bundle file as a source for `serve --snapshot`; errors name the file and what to do. */
export async function loadSnapshotSource(file: string): Promise<MeshSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new SnapshotUsageError(`--snapshot: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a file written by \`meshlens snapshot\` or the console's "Download snapshot"`);
  }
  try {
    return createSnapshotSource(decodeSnapshot(bytes, file));
  } catch (e) {
    if (e instanceof SnapshotFileError) throw new SnapshotUsageError(e.message);
    throw e;
  }
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** Asks a running server for the bundle. */
async function fetchSnapshot(server: string, opts: SnapshotCliOptions): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL('/api/snapshot', server);
  } catch {
    throw new SnapshotUsageError(`--server must be the console's URL, such as http://127.0.0.1:20080, got "${server}"`);
  }
  if (opts.namespaces) url.searchParams.set('namespaces', opts.namespaces.join(','));
  url.searchParams.set('graphType', opts.graphType);
  url.searchParams.set('duration', String(opts.duration));
  if (opts.queryTime !== undefined) url.searchParams.set('queryTime', String(opts.queryTime));
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/gzip' } });
  } catch (e) {
    throw new SnapshotUsageError(`cannot reach ${url.origin} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}); is \`meshlens serve\` running there?`);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => undefined) as { message?: string } | undefined;
    throw new SnapshotUsageError(`${url.origin} refused the snapshot (HTTP ${res.status}${body?.message ? `: ${body.message}` : ''})`);
  }
  return Buffer.from(await res.arrayBuffer());
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
    if (opts.server) {
      if (opts.filename || opts.demo || opts.samples || opts.prometheus || wantsCluster(opts)) throw new SnapshotUsageError('--server takes the snapshot from that server\'s source: it cannot be combined with --demo, -f, --samples, --prometheus or --kubeconfig');
      bytes = await fetchSnapshot(opts.server, opts);
    } else {
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

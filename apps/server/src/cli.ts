/** The `meshlens` command line: serve the console, print a graph from files. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildGraph, buildInventory } from '@meshlens/mesh';
import { GRAPH_TYPES, type GraphType, type LoadError } from '@meshlens/model';
import { createDemoSource, createFileSource, loadManifestPaths, readSamplesFile, staticTelemetry, type MeshSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { hostPolicy } from './auth/request-guard.js';
import { parseFrameAncestors } from './security/headers.js';
import { addTraceCommand } from './trace-command.js';
import { addValidateCommand } from './validate-command.js';
import { addPrometheusOptions, prometheusTelemetryFrom, withTelemetry, type PrometheusCliOptions } from './prometheus-options.js';
import { addDemoCommand } from './demo-command.js';
import { addSnapshotCommand, loadSnapshotSource } from './snapshot-command.js';
import { addKubeOptions, openClusters, wantsCluster, type KubeCliOptions } from './kube-serve.js';
import { VERSION } from './version.js';
import { addAuthOptions, type AuthCliOptions } from './auth/config.js';
import { authForServe, sessionKeysOf } from './auth/serve-auth.js';
import { addSessionKeyCommand } from './auth/session-keys.js';
import { processIo, requireReadablePaths, rootCommand, runCommand, terminalText, UsageError, type CliIo } from './cli-base.js';

/** Exit codes: 0 success, 1 the command found problems, 2 the command could not run as asked (cli-base.ts). */
export { EXIT_USAGE } from './cli-base.js';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function frameAncestors(value: string): string[] {
  try {
    return parseFrameAncestors(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function namespacesList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Builds the command tree; `io` lets tests capture output. */
export function program(io: CliIo = processIo): Command {
  const root = rootCommand(io);

  root.command('serve')
    .description('serve the Meshlens console and its API (the bundled demo mesh unless -f is given)')
    .option('--demo', 'serve the bundled demo mesh with simulated traffic (the default when no -f is given)')
    .option('-f, --filename <path>', 'manifest file or directory to load as the inventory (repeatable)', collect)
    .option('--samples <file>', 'telemetry: a JSON file of Prometheus vector samples keyed by metric name')
    .option('--snapshot <file>', 'serve a bundle written by `meshlens snapshot` (or the console\'s "Download snapshot"), fully offline')
    .addOption(new Option('--port <port>', 'port to listen on').env('MESHLENS_PORT').default(20080).argParser(integer('--port', 0, 65535)))
    .addOption(new Option('--host <host>', 'address to listen on').env('MESHLENS_HOST').default('127.0.0.1'))
    .addOption(new Option('--allowed-hosts <names>', 'other host names the console answers to, comma-separated (its external DNS name behind an Ingress). Always: localhost and the listen address; on 0.0.0.0 also any IP address and the machine\'s name').env('MESHLENS_ALLOWED_HOSTS').argParser((v: string) => v.split(',').map((h) => h.trim()).filter(Boolean)))
    .addOption(new Option('--frame-ancestors <origins>', 'origins whose pages may show the console in a frame, comma-separated (\'self\', https://portal.example.com, https://*.example.com). Default: none (frame-ancestors \'none\', X-Frame-Options: DENY)').env('MESHLENS_FRAME_ANCESTORS').argParser(frameAncestors))
    .addOption(new Option('--seed <n>', 'seed of the demo traffic simulator').default(1).argParser(integer('--seed', 0, 2 ** 31)))
    .addOption(new Option('--log-level <level>', 'server log level').choices(['fatal', 'error', 'warn', 'info', 'debug']).env('MESHLENS_LOG_LEVEL').default('warn'))
    .action(async (opts: { demo?: boolean; filename?: string[]; samples?: string; snapshot?: string; port: number; host: string; seed: number; logLevel: string; allowedHosts?: string[]; frameAncestors?: string[] } & PrometheusCliOptions & KubeCliOptions & AuthCliOptions) => {
      if (opts.demo && opts.filename) throw new UsageError('--demo and -f cannot be used together: choose the demo mesh or your manifests');
      if (wantsCluster(opts) && (opts.demo || opts.filename || opts.samples)) throw new UsageError('--kubeconfig/--context/--in-cluster read a live cluster: they cannot be combined with --demo, -f or --samples');
      const prometheus = prometheusTelemetryFrom(opts);
      // Before any source is read: a bad key file stops the start at once.
      const sessionKeys = sessionKeysOf(opts);
      if (prometheus && opts.samples) throw new UsageError('--samples and --prometheus cannot be used together: choose one telemetry');
      let source: MeshSource;
      let clusters: ReturnType<typeof openClusters> | undefined;
      if (opts.snapshot) {
        if (opts.demo || opts.filename || opts.samples || prometheus || wantsCluster(opts)) throw new UsageError('--snapshot serves a recorded bundle: it cannot be combined with --demo, -f, --samples, --prometheus or --kubeconfig');
        source = await loadSnapshotSource(opts.snapshot);
      } else if (wantsCluster(opts)) {
        clusters = openClusters(opts, prometheus, (m) => io.err(`meshlens: ${m}\n`));
        source = clusters.source;
        io.err(`meshlens: reading cluster ${clusters.defaultContext} (${clusters.origin})…\n`);
        // Serve even if the first sync is slow: /api/health says what is still loading.
        if (!(await source.synced!(30_000))) io.err(`meshlens: cluster ${clusters.defaultContext} is not fully listed after 30 s; serving what is there (see /api/health)\n`);
      } else if (opts.filename) {
        await requireReadablePaths(opts.filename, '-f');
        const telemetry = opts.samples ? staticTelemetry((await readSamplesFile(opts.samples)).samples, opts.samples) : undefined;
        source = await createFileSource(opts.filename, prometheus ?? telemetry);
      } else {
        if (opts.samples) throw new UsageError('--samples needs -f: the demo mesh simulates its own telemetry');
        source = prometheus ? withTelemetry(createDemoSource({ seed: opts.seed }), prometheus) : createDemoSource({ seed: opts.seed });
      }
      for (const e of source.status().errors) io.err(`meshlens: ${loadErrorLine(e)}\n`);
      const auth = authForServe(opts, clusters, sessionKeys);
      if (auth.notice) io.err(`meshlens: ${auth.notice}\n`);
      const app = await buildApp({ source, clusters, auth, hosts: hostPolicy(opts.host, opts.allowedHosts), frameAncestors: opts.frameAncestors, logger: { level: opts.logLevel } });
      const address = await app.listen({ port: opts.port, host: opts.host });
      const shown = address.replace('://[::1]', '://localhost').replace('://0.0.0.0', '://127.0.0.1');
      io.out(`Meshlens ${VERSION} serving ${source.name} (${source.status().objects} objects, telemetry: ${source.telemetry.kind}) at ${shown}\n`);
      const stop = async () => {
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  root.command('graph')
    .description('print the traffic graph JSON built from manifests and a file of Prometheus samples')
    .requiredOption('-f, --filename <path>', 'manifest file or directory (repeatable)', collect)
    .requiredOption('--samples <file>', 'JSON file of Prometheus vector samples keyed by metric name: {"istio_requests_total": [{"metric": {...}, "value": [ts, "v"]}]}')
    .addOption(new Option('--graph-type <type>', 'graph type').choices(GRAPH_TYPES).default('versionedApp'))
    .option('--namespaces <a,b>', 'namespaces to draw (default: every namespace in the manifests)', namespacesList)
    .addOption(new Option('--duration <seconds>', 'window the sample rates cover').default(600).argParser(integer('--duration', 1, 30 * 86400)))
    .addOption(new Option('--query-time <unix>', 'end of the window (default: the samples\' timestamp)').argParser(integer('--query-time', 0, 2 ** 40)))
    .option('--include-idle', 'also draw services and workloads without traffic')
    .action(async (opts: { filename: string[]; samples: string; graphType: GraphType; namespaces?: string[]; duration: number; queryTime?: number; includeIdle?: boolean }) => {
      await requireReadablePaths(opts.filename, '-f');
      const loaded = await loadManifestPaths(opts.filename);
      const inv = buildInventory(loaded.objects, loaded.errors);
      for (const e of inv.errors) io.err(`meshlens: ${loadErrorLine(e)}\n`);
      const { samples, warnings } = await readSamplesFile(opts.samples);
      for (const w of warnings) io.err(`meshlens: ${w}\n`);
      const namespaces = opts.namespaces ?? [...inv.namespaces.keys()].sort();
      const unknown = namespaces.filter((n) => !inv.namespaces.has(n));
      if (unknown.length > 0) throw new UsageError(`--namespaces: unknown namespace ${unknown.join(', ')} (the manifests define: ${[...inv.namespaces.keys()].sort().join(', ') || 'none'})`);
      const firstTs = Object.values(samples).find((l) => l && l.length > 0)?.[0]?.value[0];
      const queryTime = opts.queryTime ?? (typeof firstTs === 'number' ? Math.floor(firstTs) : Math.floor(Date.now() / 1000));
      const graph = buildGraph(inv, samples, { graphType: opts.graphType, namespaces, duration: opts.duration, queryTime, includeIdle: opts.includeIdle ?? false, boxByNamespace: true });
      io.out(`${JSON.stringify(graph, null, 2)}\n`);
    });

  addTraceCommand(root, io);
  addValidateCommand(root, io);
  addPrometheusOptions(root.commands.find((c) => c.name() === 'serve')!);
  addKubeOptions(root.commands.find((c) => c.name() === 'serve')!);
  addAuthOptions(root.commands.find((c) => c.name() === 'serve')!);
  addDemoCommand(root, io);
  addSnapshotCommand(root, io);
  addSessionKeyCommand(root, io);
  return root;
}

/** Runs the CLI; returns the exit code for commands that finish (serve keeps running). bin/meshlens.js starts at entry.ts. */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  return runCommand(program(io), argv, io);
}

/** A load error as one terminal-safe line: `file:line:col Kind ns/name: message` (names come from the files). */
function loadErrorLine(e: LoadError): string {
  return terminalText(`${e.file ?? ''}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''} ${e.object ? `${e.object}: ` : ''}${e.message}`);
}

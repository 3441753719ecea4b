/**
 * A real Prometheus on loopback over backfilled data, for integration tests and benchmarks: `promtool tsdb
 * create-blocks-from openmetrics` into a fresh data directory, then `prometheus` on a free port with its own
 * config, stopped (and its directory removed) by `stop()`.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS_BIN = process.env.MESHLENS_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.MESHLENS_PROMTOOL_BIN ?? '/usr/bin/promtool';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Backfills an OpenMetrics file into `dataDir` (promtool splits it into 2h-aligned blocks). */
export async function backfillOpenMetrics(file: string, dataDir: string): Promise<void> {
  try {
    await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`promtool could not backfill ${file}: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}

export interface LocalPrometheus {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Stops Prometheus and removes its data directory unless it was given. */
  stop(): Promise<void>;
}

export interface LocalPrometheusOptions {
  /** Existing data directory (kept on stop); a new temporary one otherwise. */
  dataDir?: string;
  /** OpenMetrics file to backfill before starting. */
  openMetricsFile?: string;
  scrapeInterval?: string;
  /** Extra scrape targets, `host:port` (e.g. the demo server's /metrics). */
  scrapeTargets?: string[];
  retention?: string;
  /** How long to wait for /-/ready, ms (default 30 000). */
  readyTimeoutMs?: number;
}

/** Starts Prometheus on loopback and waits until it answers. */
export async function startLocalPrometheus(options: LocalPrometheusOptions = {}): Promise<LocalPrometheus> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'meshlens-prom-')));
  const cleanup = async () => { if (ownDir) await rm(dataDir, { recursive: true, force: true }); };
  try {
    if (options.openMetricsFile) await backfillOpenMetrics(options.openMetricsFile, join(dataDir, 'data'));
    const config = [
      'global:',
      `  scrape_interval: ${options.scrapeInterval ?? '15s'}`,
      ...(options.scrapeTargets?.length ? ['scrape_configs:', '  - job_name: meshlens-demo', '    static_configs:', `      - targets: [${options.scrapeTargets.map((t) => `"${t}"`).join(', ')}]`] : []),
      '',
    ].join('\n');
    await writeFile(join(dataDir, 'prometheus.yml'), config);
  } catch (e) {
    await cleanup();
    throw e;
  }
  const port = await freePort();
  const child = spawn(PROMETHEUS_BIN, [
    `--config.file=${join(dataDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dataDir, 'data')}`,
    `--storage.tsdb.retention.time=${options.retention ?? '30d'}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      await cleanup();
      throw new Error(`prometheus exited with code ${child.exitCode}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready on ${url} within ${(options.readyTimeoutMs ?? 30_000) / 1000} s: ${stderr.trim().slice(-300)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, dataDir, process: child, stop };
}

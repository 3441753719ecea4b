/**
 * The load benchmark's clients, in worker threads (benchmarks/load.ts starts them): each thread has its own event
 * loop, so a busy loop reading megabytes of answers does not delay the health probe's timing, nor the other clients'.
 *
 * - `load`: `clients` keep-alive connections, each sending its next GET as soon as its last one is answered;
 * - `probe`: one connection, one GET every `everyMs`.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientJob {
  role: 'load' | 'probe';
  url: string;
  clients: number;
  /** Performance-timeline-independent end: ms from the thread's start. */
  durationMs: number;
  timeoutMs: number;
  everyMs?: number;
}

export interface ClientReport {
  /** Latencies of the 200 answers, ms. */
  latencies: number[];
  shed: number;
  timeouts: number;
  failed: number;
  bytes: number;
}

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  error?: 'timeout' | 'network';
}

/** One GET over `agent`, the body read to its end; a deadline for the whole answer (a slow trickle times out too). */
export function get(agent: http.Agent, url: string, timeoutMs: number): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Omit<Answer, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...a, ms: performance.now() - t0 });
    };
    // As Chromium asks: the server answers compressed, as it does for the console's users.
    const req = http.get(url, { agent, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
      res.on('error', () => done({ status: 0, bytes, error: 'network' }));
    });
    const timer = setTimeout(() => {
      done({ status: 0, bytes: 0, error: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', () => done({ status: 0, bytes: 0, error: 'network' }));
  });
}

async function run(job: ClientJob): Promise<ClientReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const report: ClientReport = { latencies: [], shed: 0, timeouts: 0, failed: 0, bytes: 0 };
  const end = performance.now() + job.durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const a = await get(agent, job.url, job.timeoutMs);
      if (a.error === 'timeout') report.timeouts++;
      else if (a.status === 503) report.shed++;
      else if (a.status !== 200) report.failed++;
      else {
        report.latencies.push(a.ms);
        report.bytes += a.bytes;
      }
      if (job.everyMs) await new Promise((r) => setTimeout(r, Math.max(0, job.everyMs! - (performance.now() - started))));
    }
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  agent.destroy();
  return report;
}

if (parentPort && (workerData as ClientJob | undefined)?.role) {
  const port = parentPort;
  void run(workerData as ClientJob).then((r) => port.postMessage(r));
}

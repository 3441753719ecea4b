/** Runs every benchmark (warm-up, then timed iterations), prints a table and writes `results/latest.json`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { benchmarks } from './benchmarks/index.js';

interface Result {
  name: string;
  input?: string;
  iterations: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  heapDeltaMB: number;
  targetMs?: number;
  meetsTarget?: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (v: number) => Math.round(v * 100) / 100;

const filter = process.argv[2];
const results: Result[] = [];
for (const b of benchmarks) {
  if (filter && !b.name.includes(filter)) continue;
  const state = await b.setup?.();
  const iterations = b.iterations ?? 30;
  const warmup = b.warmup ?? Math.max(3, Math.ceil(iterations / 5));
  for (let i = 0; i < warmup; i++) await b.run(state);
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  let keep: unknown;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    keep = await b.run(state);
    // A benchmark that times only part of its run (after an untimed pause) says so with `elapsedMs`.
    const own = (keep as { elapsedMs?: unknown } | null)?.elapsedMs;
    times.push(typeof own === 'number' ? own : performance.now() - t0);
  }
  // Heap still held after the runs (with gc: retained; without: retained + garbage), with the last result alive.
  gc?.();
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;
  void keep;
  times.sort((a, c) => a - c);
  const r: Result = {
    name: b.name, input: b.describe?.(state), iterations,
    medianMs: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), minMs: round(times[0]!),
    heapDeltaMB: round(heapDelta / 1048576),
  };
  if (b.target) {
    r.targetMs = b.target.ms;
    r.meetsTarget = r.medianMs < b.target.ms;
  }
  results.push(r);
  await b.teardown?.(state);
}

const rows = [['benchmark', 'median ms', 'p95 ms', 'min ms', 'heap Δ MB', 'target', 'ok'], ...results.map((r) => [
  r.name, String(r.medianMs), String(r.p95Ms), String(r.minMs), String(r.heapDeltaMB), r.targetMs === undefined ? '' : `< ${r.targetMs} ms`, r.meetsTarget === undefined ? '' : r.meetsTarget ? 'yes' : 'NO',
])];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
for (const [i, row] of rows.entries()) {
  console.log(row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
for (const r of results) if (r.input) console.log(`${r.name}: ${r.input}`);

const dir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, gcExposed: gc !== undefined, results }, null, 2)}\n`);
if (results.some((r) => r.meetsTarget === false)) process.exitCode = 1;

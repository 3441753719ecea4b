#!/usr/bin/env node
// Runs every workspace's tests (turbo) and then the browser tests, streaming their output, and ends
// with one line counting all tests: "N passed, N failed" — the closing line CI reads for any runner.
import { spawn } from 'node:child_process';

const steps = [
  ['npx', ['turbo', 'run', 'test', '--concurrency=1', '--filter=!@meshlens/e2e']],
  ['npm', ['run', 'e2e']],
];
let passed = 0;
let failed = 0;
let skipped = 0;
let exitCode = 0;
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

for (const [cmd, args] of steps) {
  const code = await new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // vitest: "Tests  12 passed | 1 failed | 2 skipped (15)"
        const m = /^\S*\s*Tests\s+(.*)\(\d+\)\s*$/.exec(strip(line).replace(/^@meshlens\/[\w-]+:test:\s*/, ''));
        if (!m) continue;
        passed += Number(/(\d+) passed/.exec(m[1])?.[1] ?? 0);
        failed += Number(/(\d+) failed/.exec(m[1])?.[1] ?? 0);
        skipped += Number(/(\d+) skipped/.exec(m[1])?.[1] ?? 0);
      }
    });
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    exitCode = code;
    break;
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode !== 0 ? exitCode : failed > 0 ? 1 : 0);

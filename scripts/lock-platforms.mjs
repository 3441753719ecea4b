#!/usr/bin/env node
// The npm registry reachable from our CI serves only turbo's Linux binaries, so `npm install`
// cannot record turbo's macOS/Windows optional packages and `npm ci` then rejects the lock as out
// of sync. Recording them by version, os and cpu (as npm does itself elsewhere) keeps the lock valid
// everywhere: Linux skips them by os/cpu without fetching, other platforms resolve them normally.
// Run after any `npm install`: node scripts/lock-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const turbo = lock.packages['node_modules/turbo'];
if (!turbo) process.exit(0);
const platforms = { 'darwin-64': ['darwin', 'x64'], 'darwin-arm64': ['darwin', 'arm64'], 'windows-64': ['win32', 'x64'], 'windows-arm64': ['win32', 'arm64'] };
let added = 0;
for (const [name, [os, cpu]] of Object.entries(platforms)) {
  const key = `node_modules/@turbo/${name}`;
  if (lock.packages[key]) continue;
  lock.packages[key] = { version: turbo.version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
  added++;
}
if (added > 0) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`lock-platforms: recorded ${added} turbo platform package(s)`);
}

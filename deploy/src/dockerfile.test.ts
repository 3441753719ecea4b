/**
 * The Dockerfile, checked as far as possible without a container engine (there is none here): its stages, the
 * non-root numeric USER, no secrets, the runtime layout and entrypoint, and a .dockerignore that keeps host
 * builds and credentials out of the build context.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, REPO_ROOT } from './manifests.js';

interface Instruction { op: string; args: string; line: number }

/** Instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile:${start + 1}: cannot read "${line}"`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const instructions = parseDockerfile(dockerfile);
const stages: Array<{ name: string; from: string; body: Instruction[] }> = [];
for (const ins of instructions) {
  if (ins.op === 'FROM') {
    const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
    stages.push({ from: m[1]!, name: m[2] ?? String(stages.length), body: [] });
  } else stages.at(-1)?.body.push(ins);
}
const runtime = stages.at(-1)!;
const ARGS = Object.fromEntries(instructions.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=') as [string, string]));
const resolve = (image: string) => image.replace(/\$\{(\w+)\}/g, (_, k: string) => ARGS[k] ?? '');

describe('Dockerfile', () => {
  it('has three stages on node:20-bookworm-slim: build, deps, runtime', () => {
    expect(stages.map((s) => [s.name, resolve(s.from)])).toEqual([['build', 'node:20-bookworm-slim'], ['deps', 'node:20-bookworm-slim'], ['runtime', 'node:20-bookworm-slim']]);
    for (const s of stages) for (const ins of s.body.filter((i) => i.op === 'COPY')) {
      const from = /--from=(\S+)/.exec(ins.args)?.[1];
      if (from) expect(stages.map((x) => x.name), `Dockerfile:${ins.line}`).toContain(from);
    }
  });

  it('builds with npm ci && npm run build, and installs only the server\'s production dependencies for the runtime', () => {
    expect(stages[0]!.body.filter((i) => i.op === 'RUN').map((i) => i.args)).toEqual(['npm ci --no-audit --no-fund && npm run build']);
    const depsRun = stages[1]!.body.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ');
    expect(depsRun).toMatch(/npm ci --omit=dev .*--workspace @meshlens\/server/);
    // Every workspace's package.json is there, or `npm ci` finds the lockfile out of date.
    const workspaces = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const copied = stages[1]!.body.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/)[0]);
    expect(copied).toEqual(expect.arrayContaining(workspaces.map((w) => `${w}/package.json`)));
  });

  it('copies only runtime files into the last stage: package.jsons, dist folders, the demo scenarios, the web build, node_modules', () => {
    const sources = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args.replace(/--from=\S+\s+/, '').split(/\s+/)[0]!);
    for (const s of sources) expect(s, `runtime COPY ${s}`).toMatch(/^\/(src|app)\/(node_modules|package\.json|(packages|apps)\/[\w-]+\/(package\.json|dist|bin|scenarios|traffic))$/);
    expect(sources.filter((s) => s.endsWith('/dist')).sort()).toEqual(['/src/apps/server/dist', '/src/apps/web/dist', '/src/packages/demo/dist', '/src/packages/mesh/dist', '/src/packages/model/dist', '/src/packages/sources/dist']);
    // The folders that are not build output exist in the repository as named.
    for (const s of sources.filter((x) => x.startsWith('/src/') && !x.endsWith('/dist'))) expect(existsSync(join(REPO_ROOT, s.slice('/src/'.length))), s).toBe(true);
  });

  it('runs `node apps/server/bin/meshlens.js serve --in-cluster` as a numeric non-root user, on the Deployment\'s port', () => {
    const user = runtime.body.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user!.split(':')[0])).toBeGreaterThan(0);
    const deployment = loadManifests().find((m) => m.object.kind === 'Deployment')!.object as unknown as { spec: { template: { spec: { securityContext: { runAsUser: number }; containers: Array<{ args: string[]; ports: Array<{ containerPort: number }> }> } } } };
    expect(Number(user!.split(':')[0])).toBe(deployment.spec.template.spec.securityContext.runAsUser);
    const json = (op: string) => JSON.parse(runtime.body.find((i) => i.op === op)!.args) as string[];
    expect([...json('ENTRYPOINT'), ...json('CMD')]).toEqual(['node', 'apps/server/bin/meshlens.js', 'serve', '--in-cluster']);
    // The Deployment runs the image's command, adding the session key file it mounts.
    const args = deployment.spec.template.spec.containers[0]!.args;
    expect(args).toEqual([...json('CMD'), '--session-key-file', '/etc/meshlens/session-keys/keys']);
    expect(runtime.body.find((i) => i.op === 'EXPOSE')?.args).toBe(String(deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort));
  });

  it('the one native module of the runtime (sodium-native, sealing session cookies) ships glibc prebuilds for x64 and arm64, so `npm ci --ignore-scripts` needs no compiler', () => {
    const secureSession = createRequire(join(REPO_ROOT, 'apps/server/package.json')).resolve('@fastify/secure-session');
    const sodium = dirname(createRequire(secureSession).resolve('sodium-native/package.json'));
    for (const arch of ['linux-x64', 'linux-arm64']) expect(existsSync(join(sodium, 'prebuilds', arch, 'sodium-native.node')), arch).toBe(true);
    const scripts = (JSON.parse(readFileSync(join(sodium, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    expect([scripts.install, scripts.preinstall, scripts.postinstall]).toEqual([undefined, undefined, undefined]);
  });

  it('holds no secrets and fetches nothing from outside the package registries', () => {
    for (const ins of instructions) {
      if (ins.op === 'ENV' || ins.op === 'ARG') expect(ins.args, `Dockerfile:${ins.line}`).not.toMatch(/(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|PRIVATE)/i);
      expect(ins.op === 'ADD' ? ins.args : '', `Dockerfile:${ins.line}`).toBe('');
      expect(ins.args, `Dockerfile:${ins.line}`).not.toMatch(/\b(curl|wget)\b|https?:\/\//);
    }
  });

  it('.dockerignore keeps node_modules, build output, git and credentials out of the build context', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '**/.env', '**/*.pem', '**/*.key']));
    // …while what the build needs stays in: no pattern hides a source folder or the lockfile.
    for (const needed of ['package-lock.json', 'packages', 'apps', 'deploy', 'turbo.json']) expect(ignore).not.toContain(needed);
  });
});

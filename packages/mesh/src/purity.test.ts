import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// packages/mesh is a function of its inputs: usable from the CLI, the server and a web worker alike.
const FORBIDDEN = /from\s+['"](node:[^'"]+|fs|path|http|https|child_process|fastify[^'"]*|react[^'"]*|@meshlens\/(sources|demo)[^'"]*)['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('packages/mesh stays pure', () => {
  it('imports no I/O, no server and no UI modules', () => {
    const root = fileURLToPath(new URL('.', import.meta.url));
    const offenders = sources(root).filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

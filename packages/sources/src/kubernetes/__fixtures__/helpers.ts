/** Shared by the live-source tests: the fixture cluster, and waiting for a condition with a deadline. */
import { readFileSync } from 'node:fs';
import { parseManifests } from '@meshlens/mesh';
import type { KubeObject } from '@meshlens/model';

export function fixtureObjects(): KubeObject[] {
  const text = readFileSync(new URL('./cluster.yaml', import.meta.url), 'utf8');
  const parsed = parseManifests(text, { file: 'cluster.yaml' });
  if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors));
  return parsed.objects.map((o) => o.object);
}

export const fastTiming = { backoffInitialMs: 20, backoffMaxMs: 200, retryForbiddenMs: 60_000 };

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

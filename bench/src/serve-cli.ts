/** `meshlens serve …` started as a user starts it, for the benchmarks that measure it over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyntheticMesh } from './synthetic-mesh.js';

export const MESHLENS_BIN = fileURLToPath(new URL('../../apps/server/bin/meshlens.js', import.meta.url));

/** Starts `meshlens serve <args> --port 0 --host 127.0.0.1` and reads its URL from stdout (120 s at most). */
export async function startServe(args: string[], bin = MESHLENS_BIN): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`meshlens did not start in 120 s:\n${output}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /serving .* at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`meshlens exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

/**
 * Writes a synthetic mesh as a user's files: one manifest file per namespace (JSON documents, YAML's subset,
 * separated by `---`) under `dir/manifests`, and the telemetry as `dir/samples.json` (`samples`: the mesh's own,
 * unless given). What `meshlens serve -f dir/manifests --samples dir/samples.json` reads.
 */
export function writeMeshFiles(m: SyntheticMesh, dir: string, samples: unknown = m.samples): { manifests: string; samples: string } {
  const byNamespace = new Map<string, string[]>();
  for (const o of m.inventory.objects) {
    const ns = o.ref.namespace ?? '_cluster';
    const list = byNamespace.get(ns) ?? [];
    list.push(JSON.stringify(o.object));
    byNamespace.set(ns, list);
  }
  const manifests = join(dir, 'manifests');
  mkdirSync(manifests, { recursive: true });
  for (const [ns, docs] of byNamespace) writeFileSync(join(manifests, `${ns}.yaml`), `${docs.join('\n---\n')}\n`);
  const samplesFile = join(dir, 'samples.json');
  writeFileSync(samplesFile, JSON.stringify(samples));
  return { manifests, samples: samplesFile };
}

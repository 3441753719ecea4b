/** `meshlens serve …` started as a user starts it, for the benchmarks that measure it over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

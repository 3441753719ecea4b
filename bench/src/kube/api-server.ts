/** Starts the benchmark's test API server in a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '@meshlens/model';
import { writeKubeconfig } from '@meshlens/sources/testing';

export interface BenchApiServer {
  child: ChildProcess;
  url: string;
  kubeconfigPath: string;
  objects: number;
  apply(obj: KubeObject): Promise<void>;
  stop(): void;
}

export async function startBenchApiServer(): Promise<BenchApiServer> {
  const child = fork(fileURLToPath(new URL('./api-server-child.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ url: string; caFile: string; token: string; objects: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => reject(new Error(`the benchmark API server exited (${code})`)));
  });
  // writeKubeconfig wants a TestApiServer; only url and tls.caFile are read.
  const kubeconfigPath = writeKubeconfig([{ name: 'bench', server: { url: ready.url, tls: { caFile: ready.caFile } } as never, token: ready.token }]);
  let next = 0;
  return {
    child,
    url: ready.url,
    kubeconfigPath,
    objects: ready.objects,
    apply: (obj) => new Promise((resolve) => {
      const id = ++next;
      const onMessage = (m: { id?: number }) => {
        if (m.id === id) {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.send({ apply: obj, id });
    }),
    stop: () => child.disconnect(),
  };
}

/**
 * Container logs of the test API server, served as `GET /api/v1/namespaces/{ns}/pods/{pod}/log` is on a real one:
 * `text/plain`, one line per write, `timestamps=true` prefixing each with its RFC 3339 nanosecond time, `tailLines`
 * and `sinceSeconds` counted on the server, `follow=true` keeping a chunked response open and writing new lines as
 * they are appended; errors as Status objects (404 no such pod, 400 which container?).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '@meshlens/model';
import { sendJson, status } from './wire.js';

export interface LogLine {
  time: Date;
  message: string;
}

type Listener = (line: LogLine) => void;

/** Lines written by each container of each pod, and who follows them. */
export class PodLogBook {
  private readonly lines = new Map<string, LogLine[]>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private static key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** A container writes a line (at `time`, default now). */
  append(namespace: string, pod: string, container: string, message: string, time = new Date()): void {
    const key = PodLogBook.key(namespace, pod, container);
    const line = { time, message };
    const list = this.lines.get(key);
    if (list) list.push(line);
    else this.lines.set(key, [line]);
    for (const l of this.listeners.get(key) ?? []) l(line);
  }

  read(namespace: string, pod: string, container: string): LogLine[] {
    return this.lines.get(PodLogBook.key(namespace, pod, container)) ?? [];
  }

  follow(namespace: string, pod: string, container: string, listener: Listener): () => void {
    const key = PodLogBook.key(namespace, pod, container);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  /** Open follow streams (for tests that check a stream was closed). */
  followers(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}

/** `2026-01-01T00:00:00.123000000Z`: the kubelet's timestamps. */
export function rfc3339Nano(time: Date): string {
  return `${time.toISOString().slice(0, -1)}000000Z`;
}

function containerNames(pod: KubeObject): { containers: string[]; init: string[] } {
  const names = (list: unknown) => (Array.isArray(list) ? list.map((c) => String(c?.name ?? '')) : []);
  return { containers: names(pod.spec?.containers), init: names(pod.spec?.initContainers) };
}

/** Serves one log request for `pod` (already found and authorized). */
export function serveLog(book: PodLogBook, pod: KubeObject, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, open: Set<ServerResponse>): void {
  const { containers, init } = containerNames(pod);
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  let container = query.get('container') ?? undefined;
  if (!container) {
    if (containers.length !== 1) {
      const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
      return sendJson(res, 400, status(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`));
    }
    container = containers[0]!;
  } else if (!containers.includes(container) && !init.includes(container)) {
    return sendJson(res, 400, status(400, 'BadRequest', `container ${container} is not valid for pod ${name}`));
  }
  const tail = query.get('tailLines');
  const since = query.get('sinceSeconds');
  const timestamps = query.get('timestamps') === 'true';
  const follow = query.get('follow') === 'true';
  const write = (l: LogLine) => `${timestamps ? `${rfc3339Nano(l.time)} ` : ''}${l.message}\n`;
  let lines = book.read(namespace, name, container);
  if (since !== null) {
    const from = Date.now() - Number(since) * 1000;
    lines = lines.filter((l) => l.time.getTime() >= from);
  }
  if (tail !== null) lines = Number(tail) <= 0 ? [] : lines.slice(-Number(tail));
  // No Content-Length: the body is chunked, as the API server streams logs.
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  if (lines.length > 0) res.write(lines.map(write).join(''));
  if (!follow) {
    res.end();
    return;
  }
  open.add(res);
  const stop = book.follow(namespace, name, container, (l) => res.write(write(l)));
  const close = () => {
    stop();
    open.delete(res);
  };
  req.on('close', close);
  res.on('close', close);
}

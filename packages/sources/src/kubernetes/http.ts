/**
 * GET requests and watch streams to a Kubernetes API server, authenticated and TLS-configured by a KubeConfig
 * (tokens, client certificates, exec plugins, token files, proxies are all the library's).
 * Our own transport rather than the generated clients: it sets the Accept header (metadata-only Secrets) and
 * keeps the JSON as the server sent it.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** An answer of the API server other than 200, with its Status reason and message. */
export class KubeApiError extends Error {
  constructor(readonly statusCode: number, readonly reason: string, message: string, readonly path: string) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface KubeRequestOptions {
  accept?: string;
  signal?: AbortSignal;
  /** `stream`: called once the API server answered 200, before the first event (the watch is open). */
  onOpen?: () => void;
}

export interface KubeClient {
  /** `https://host:port` of the current cluster. */
  server: string;
  getJson<T = unknown>(path: string, options?: KubeRequestOptions): Promise<T>;
  /** Streams a watch: one parsed JSON object per line; resolves when the server ends the stream. */
  stream(path: string, onEvent: (event: unknown) => void, options?: KubeRequestOptions): Promise<void>;
  /**
   * A text response line by line (a pod's log; with `follow=true` a chunked stream that stays open). Resolves once the
   * server answered 200 (rejects with a KubeApiError otherwise); the lines end when the server ends the response or
   * `options.signal` aborts.
   */
  lines(path: string, options?: KubeRequestOptions): Promise<AsyncIterable<string>>;
}

const JSON_ACCEPT = 'application/json';

/** A client for the KubeConfig's current context. The KubeConfig is read on every request (token files rotate). */
export function createKubeClient(kc: KubeConfig): KubeClient {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig has no cluster for context "${kc.getCurrentContext()}"`);
  const server = cluster.server.replace(/\/+$/, '');

  const open = async (path: string, options: KubeRequestOptions): Promise<IncomingMessage> => {
    const url = new URL(server + path);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: options.accept ?? JSON_ACCEPT, 'User-Agent': 'meshlens' } };
    await kc.applyToHTTPSOptions(opts);
    const transport = url.protocol === 'http:' ? http : https;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, { ...opts, signal: options.signal }, resolve);
      req.on('error', (e) => reject(explainNetworkError(e, server)));
      req.end();
    });
    if (res.statusCode !== 200) throw await apiError(res, path);
    return res;
  };

  return {
    server,
    async lines(path, options = {}) {
      const res = await open(path, { accept: '*/*', ...options });
      res.setEncoding('utf8');
      async function* read(): AsyncGenerator<string> {
        let buffer = '';
        try {
          for await (const chunk of res) {
            buffer += chunk as string;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              yield buffer.slice(0, nl).replace(/\r$/, '');
              buffer = buffer.slice(nl + 1);
            }
          }
        } catch (e) {
          // The reader stopped (aborted) or the connection was cut: what arrived so far is the log.
          if (!options.signal?.aborted) throw new Error(`the log stream from ${server} was cut (${(e as Error).message})`);
        } finally {
          res.destroy();
        }
        if (buffer) yield buffer;
      }
      return read();
    },
    async getJson<T>(path: string, options: KubeRequestOptions = {}): Promise<T> {
      const res = await open(path, options);
      return JSON.parse(await readBody(res)) as T;
    },
    async stream(path, onEvent, options = {}) {
      const res = await open(path, options);
      options.onOpen?.();
      res.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            let event: unknown;
            try {
              event = JSON.parse(line);
            } catch {
              res.destroy();
              reject(new Error(`the API server sent a watch line that is not JSON on ${path}`));
              return;
            }
            onEvent(event);
          }
        });
        res.on('end', resolve);
        res.on('aborted', () => reject(new Error(`the watch connection to ${server} was cut`)));
        res.on('error', (e) => reject(explainNetworkError(e, server)));
        res.on('close', () => (res.complete ? resolve() : reject(new Error(`the watch connection to ${server} was cut`))));
      });
    },
  };
}

async function readBody(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return text;
}

async function apiError(res: IncomingMessage, path: string): Promise<KubeApiError> {
  const status = res.statusCode ?? 0;
  let reason = res.statusMessage ?? '';
  let message = `HTTP ${status} ${reason}`.trim();
  try {
    const body = JSON.parse(await readBody(res)) as { reason?: string; message?: string };
    if (body.reason) reason = body.reason;
    if (body.message) message = body.message;
  } catch {
    // Not a Status object (a proxy in between?): the HTTP status line is all we know.
  }
  if (status === 401) message = `the API server did not accept the credentials of the kubeconfig (${message}); log in again or check the token`;
  return new KubeApiError(status, reason, message, path);
}

/** TLS and connection errors, in words a person can act on. */
function explainNetworkError(e: Error & { code?: string }, server: string): Error {
  if (e.name === 'AbortError') return e;
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return Object.assign(new Error(`cannot reach the API server ${server} (${code}); check the cluster address in the kubeconfig and the network`), { code });
  }
  if (code.includes('CERT') || code.includes('SELF_SIGNED') || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return Object.assign(new Error(`the API server ${server} presented a certificate that is not trusted (${code}); check certificate-authority in the kubeconfig`), { code });
  }
  return Object.assign(new Error(`${e.message} (API server ${server})`), { code });
}

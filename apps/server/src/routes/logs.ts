/**
 * `GET /api/namespaces/:namespace/pods/:pod/logs?container=&tailLines=&sinceSeconds=&follow=`: a container's log, read
 * with the caller's identity (their own source: the cluster's RBAC decides), each line split from its timestamp and,
 * for `istio-proxy`, each Envoy access-log line parsed into fields with its response flags explained.
 *
 * Without `follow` the answer is a `PodLogsResponse`. With `follow=true` it is NDJSON (`application/x-ndjson`): one
 * `PodLogLine` per line as the container writes it, and a last `{"end": true, "reason": …}` line when the server stops
 * following (the container stopped, the API server cut the stream); closing the request stops it. Errors before the
 * first line are ordinary JSON errors: 404 (no such pod or container), 400 (which container?), 403 (RBAC: the message
 * names the verb `get`, the resource `pods/log` and the namespace), 501 (a snapshot or manifest files: no logs).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseAccessLog, splitLogTimestamp } from '@meshlens/mesh';
import type { PodLogLine, PodLogsResponse, PodLogStreamEnd } from '@meshlens/model';
import { PodLogError, podLogsUnavailable, type MeshSource } from '@meshlens/sources';
import { statusTitle } from './errors.js';

const LogParams = Type.Object({
  namespace: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: 'namespace name' }),
  pod: Type.String({ pattern: '^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$', maxLength: 253, description: 'pod name' }),
}, { additionalProperties: false });
const LogQuery = Type.Object({
  container: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: 'container name (required when the pod has several)' })),
  tailLines: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'the newest lines only (default 1000 when sinceSeconds is not given)' })),
  sinceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86400, description: 'lines of the last seconds only' })),
  follow: Type.Optional(Type.Boolean({ description: 'stream new lines as NDJSON' })),
}, { additionalProperties: false });

/** Lines one answer carries at most (tailLines' maximum); a `sinceSeconds` answer with more keeps the newest. */
const MAX_LINES = 10_000;
/** What a log request gets without tailLines or sinceSeconds: the kubelet would send the whole file. */
const DEFAULT_TAIL = 1000;


/** One raw line as the page gets it: timestamp apart, Envoy access-log fields for istio-proxy. */
export function logLine(raw: string, container: string): PodLogLine {
  const { timestamp, message } = splitLogTimestamp(raw);
  const line: PodLogLine = timestamp ? { timestamp, message } : { message };
  if (container === 'istio-proxy') {
    const access = parseAccessLog(message);
    if (access) line.accessLog = access;
  }
  return line;
}

export function logRoutes(source: MeshSource): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/namespaces/:namespace/pods/:pod/logs', { schema: { params: LogParams, querystring: LogQuery } }, async (req, reply) => {
      const { namespace, pod } = req.params;
      const q = req.query;
      const tailLines = q.tailLines ?? (q.sinceSeconds === undefined ? DEFAULT_TAIL : undefined);
      const abort = new AbortController();
      let stream;
      try {
        if (!source.podLogs) throw podLogsUnavailable(source.kind);
        stream = await source.podLogs({ namespace, pod, container: q.container, tailLines, sinceSeconds: q.sinceSeconds, follow: q.follow === true, signal: abort.signal });
      } catch (e) {
        if (e instanceof PodLogError) return reply.code(e.statusCode).send({ statusCode: e.statusCode, error: statusTitle(e.statusCode), message: e.message });
        throw e;
      }
      const container = stream.container || q.container || '';
      if (!q.follow) {
        const lines: PodLogLine[] = [];
        let truncated = false;
        for await (const raw of stream.lines) {
          lines.push(logLine(raw, container));
          if (lines.length > MAX_LINES) {
            lines.shift();
            truncated = true;
          }
        }
        const out: PodLogsResponse = { namespace, pod, container, lines, source: source.kind === 'demo' ? 'demo' : 'kubernetes' };
        if (truncated) out.truncated = true;
        return out;
      }
      // Followed: NDJSON until the stream ends or the client goes away.
      req.raw.on('close', () => abort.abort());
      const lines = stream.lines;
      async function* ndjson(): AsyncGenerator<string> {
        let end: PodLogStreamEnd = { end: true, reason: 'the container stopped writing (its log stream ended)' };
        try {
          for await (const raw of lines) yield `${JSON.stringify(logLine(raw, container))}\n`;
          if (abort.signal.aborted) return;
        } catch (e) {
          if (abort.signal.aborted) return;
          end = { end: true, reason: (e as Error).message, ...(e instanceof PodLogError ? { statusCode: e.statusCode } : { statusCode: 502 }) };
        }
        yield `${JSON.stringify(end)}\n`;
      }
      return reply
        .header('Content-Type', 'application/x-ndjson; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        // Proxies (nginx) would otherwise hold the lines back.
        .header('X-Accel-Buffering', 'no')
        .send(Readable.from(ndjson()));
    });
  };
}

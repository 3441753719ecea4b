/**
 * `GET /api/graph`: the traffic graph of the selected namespaces over a window, Kiali's graph JSON with numbers.
 *
 * Identical requests share one computation (telemetry and assembly) and its answer for a while (graph-cache.ts);
 * assembly of large graphs runs in worker threads (graph-workers/pool.ts), so the event loop keeps answering.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { viewGraph, type GraphViewOptions } from '@meshlens/mesh';
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import { GraphCache, graphCacheKey, LIVE_TTL_MS, windowTtlMs, type Computed } from '../graph-cache.js';
import { GraphQueueFullError, GraphWorkers, graphWorkersMode } from '../graph-workers/pool.js';
import { GraphQuery } from './schemas.js';
import { compressedBody, MIN_COMPRESSED_BYTES, preferredEncoding } from '../compressed-bodies.js';
import { badRequest, HttpError } from './errors.js';
import { viewJson } from '../graph-view-json.js';

const DURATION_FAMILIES = ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count', 'istio_request_duration_milliseconds_quantile'];

// The same object for the same samples: a provider that answers with one object (a samples file, a snapshot)
// keeps one identity, which the graph workers use to receive it once.
const trimmed = new WeakMap<TelemetrySamples, TelemetrySamples>();
function withoutResponseTimes(samples: TelemetrySamples): TelemetrySamples {
  let out = trimmed.get(samples);
  if (!out) {
    const copy: Record<string, unknown> = { ...samples };
    for (const family of DURATION_FAMILIES) delete copy[family];
    out = copy as TelemetrySamples;
    trimmed.set(samples, out);
  }
  return out;
}

export interface GraphRouteOptions {
  cache?: GraphCache;
  workers?: GraphWorkers;
}

/**
 * The assembled graph behind the views, parsed: the last one is kept for a minute, so expanding one group after
 * another (each a new view of the same graph) does not parse 30 MB of JSON each time (10k workloads: ~0.5 s of the
 * event loop per click). One graph at most, and the cache's own Buffer is the key: a new window or inventory is a
 * new Buffer and parses afresh.
 */
let lastParsed: { body: Buffer; graph: GraphResponse; timer: NodeJS.Timeout } | undefined;
const PARSED_KEEP_MS = 60_000;
function parsedGraph(body: Buffer): GraphResponse {
  if (lastParsed?.body === body) {
    lastParsed.timer.refresh();
    return lastParsed.graph;
  }
  if (lastParsed) clearTimeout(lastParsed.timer);
  const graph = JSON.parse(body.toString('utf8')) as GraphResponse;
  const timer = setTimeout(() => (lastParsed = undefined), PARSED_KEEP_MS);
  timer.unref();
  lastParsed = { body, graph, timer };
  return graph;
}

export function graphRoutes(source: MeshSource, options: GraphRouteOptions = {}): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cache = options.cache ?? new GraphCache();
    const workers = options.workers ?? new GraphWorkers({ mode: graphWorkersMode(), onUnavailable: (reason) => app.log.warn(`graph assembly runs in-process: ${reason}`) });
    if (!options.workers) app.addHook('onClose', async () => workers.close());

    app.get('/api/graph', { schema: { querystring: GraphQuery } }, async (req, reply) => {
      const inv = source.inventory();
      const q = req.query;
      const requested = q.namespaces ? q.namespaces.split(',') : [];
      const unknown = requested.filter((ns) => !inv.namespaces.has(ns));
      if (unknown.length > 0) {
        throw badRequest(`querystring/namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')}; GET /api/namespaces lists the known ones`);
      }
      // The source read once: a scoped source answers with the request's own (cluster, user, opened snapshot).
      const name = source.name;
      const telemetry = source.telemetry;
      const fixedTime = q.queryTime ?? source.defaultQueryTime;
      const graphType = q.graphType ?? 'versionedApp';
      const duration = q.duration ?? 600;
      const includeIdle = q.includeIdle ?? false;
      const boxByNamespace = q.boxByNamespace ?? true;
      const responseTimes = q.responseTime ?? true;
      const showWaypoints = q.waypoints ?? false;
      const key = graphCacheKey({ source: name, inventory: inv, queryTime: fixedTime, duration, graphType, namespaces: requested, includeIdle, boxByNamespace, responseTimes, showWaypoints });

      const compute = async (): Promise<Computed> => {
        const options: GraphOptions = {
          graphType, namespaces: requested, duration, queryTime: fixedTime ?? Math.floor(Date.now() / 1000), includeIdle, boxByNamespace, showWaypoints,
        };
        const warnings: string[] = [];
        let samples: TelemetrySamples = {};
        // A snapshot answers with the window it recorded: say so when that is not the window asked.
        let windowNote: string | undefined;
        if (requested.length > 0) {
          try {
            const query = { queryTime: options.queryTime, duration: options.duration, namespaces: requested, responseTimes, graphType };
            samples = await telemetry.samples(query);
            windowNote = telemetry.windowNote?.(query);
            // Providers that answer everything at once (the simulator, a samples file) still honour the choice,
            // so a graph means the same whichever source drew it.
            if (!responseTimes) samples = withoutResponseTimes(samples);
          } catch (e) {
            // The configuration topology is still worth showing when telemetry is down.
            warnings.push(`Telemetry is unavailable (${(e as Error).message}); the graph shows the configured topology without traffic.`);
            req.log.warn({ err: e }, 'telemetry query failed');
          }
        }
        const body = await workers.assemble(inv, samples, options, { warnings, windowNote });
        // A graph drawn without telemetry is kept only briefly, whatever its window: telemetry may be back.
        return { body, ttlMs: warnings.length > 0 ? LIVE_TTL_MS : windowTtlMs(fixedTime) };
      };

      // The view on top of assembly (node budget, open groups, neighbourhood): its own cache entry, computed from the
      // assembled graph's (shared by every view of the same graph). Parsing the assembled JSON costs the event loop
      // ~15 ms per MiB; the last graph parsed is kept a minute (parsedGraph), so opening one group after another
      // parses it once. What the view saves is the browser receiving and drawing the hairball.
      const view: GraphViewOptions = {
        budget: q.budget ?? 0,
        expand: q.expand ? [...new Set(q.expand.split(','))].sort() : [],
        ...(q.hops && q.focus ? { focus: q.focus, hops: q.hops } : {}),
      };
      const viewed = view.budget! > 0 || view.hops !== undefined;
      const viewKey = viewed ? graphCacheKey({ source: name, inventory: inv, queryTime: fixedTime, duration, graphType, namespaces: requested, includeIdle, boxByNamespace, responseTimes, showWaypoints, ...view }) : key;
      const computeView = async (): Promise<Computed> => {
        const full = await cache.get(key, compute);
        const graph = parsedGraph(full);
        return { body: Buffer.from(viewJson(viewGraph(graph, view))), ttlMs: graph.warnings?.some((w) => w.startsWith('Telemetry is unavailable')) ? LIVE_TTL_MS : windowTtlMs(fixedTime) };
      };

      try {
        const body = viewed ? await cache.get(viewKey, computeView) : await cache.get(key, compute);
        reply.type('application/json; charset=utf-8');
        // Compressed once per cached graph and encoding (compressed-bodies.ts); @fastify/compress leaves it as it is.
        const encoding = body.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers['accept-encoding']) : undefined;
        if (!encoding) return reply.send(body);
        return reply.header('Content-Encoding', encoding).header('Vary', 'accept-encoding').send(await compressedBody(body, encoding));
      } catch (e) {
        if (e instanceof GraphQueueFullError) {
          reply.header('Retry-After', String(e.retryAfterS));
          throw new HttpError(503, e.message);
        }
        throw e;
      }
    });
  };
}

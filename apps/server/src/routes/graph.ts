/** `GET /api/graph`: the traffic graph of the selected namespaces over a window, Kiali's graph JSON with numbers. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildGraph } from '@meshlens/mesh';
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import { GraphQuery } from './schemas.js';
import { badRequest } from './errors.js';

function withoutResponseTimes(samples: TelemetrySamples): TelemetrySamples {
  const out: Record<string, unknown> = { ...samples };
  for (const family of ['istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count']) delete out[family];
  return out as TelemetrySamples;
}

export function graphRoutes(source: MeshSource): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/graph', { schema: { querystring: GraphQuery } }, async (req) => {
      const inv = source.inventory();
      const q = req.query;
      const requested = q.namespaces ? q.namespaces.split(',') : [];
      const unknown = requested.filter((ns) => !inv.namespaces.has(ns));
      if (unknown.length > 0) {
        throw badRequest(`querystring/namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')}; GET /api/namespaces lists the known ones`);
      }
      const options: GraphOptions = {
        graphType: q.graphType ?? 'versionedApp',
        namespaces: requested,
        duration: q.duration ?? 600,
        queryTime: q.queryTime ?? source.defaultQueryTime ?? Math.floor(Date.now() / 1000),
        includeIdle: q.includeIdle ?? false,
        boxByNamespace: q.boxByNamespace ?? true,
      };
      const warnings: string[] = [];
      let samples: TelemetrySamples = {};
      // A snapshot answers with the window it recorded: say so when that is not the window asked.
      let windowNote: string | undefined;
      if (requested.length > 0) {
        try {
          const responseTimes = q.responseTime ?? true;
          const query = { queryTime: options.queryTime, duration: options.duration, namespaces: requested, responseTimes };
          samples = await source.telemetry.samples(query);
          windowNote = source.telemetry.windowNote?.(query);
          // Providers that answer everything at once (the simulator, a samples file) still honour the choice,
          // so a graph means the same whichever source drew it.
          if (!responseTimes) samples = withoutResponseTimes(samples);
        } catch (e) {
          // The configuration topology is still worth showing when telemetry is down.
          warnings.push(`Telemetry is unavailable (${(e as Error).message}); the graph shows the configured topology without traffic.`);
          req.log.warn({ err: e }, 'telemetry query failed');
        }
      }
      const graph: GraphResponse = buildGraph(inv, samples, { ...options, includeIdle: options.includeIdle || warnings.length > 0 });
      if (windowNote) warnings.unshift(windowNote);
      if (warnings.length > 0) graph.warnings = [...(graph.warnings ?? []), ...warnings];
      return graph;
    });
  };
}

/** `GET /api/graph`: the traffic graph of the selected namespaces over a window, Kiali's graph JSON with numbers. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildGraph } from '@meshlens/mesh';
import type { GraphOptions, GraphResponse, TelemetrySamples } from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import { GraphQuery } from './schemas.js';
import { badRequest } from './errors.js';

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
        queryTime: q.queryTime ?? Math.floor(Date.now() / 1000),
        includeIdle: q.includeIdle ?? false,
        boxByNamespace: q.boxByNamespace ?? true,
      };
      const warnings: string[] = [];
      let samples: TelemetrySamples = {};
      if (requested.length > 0) {
        try {
          samples = await source.telemetry.samples({ queryTime: options.queryTime, duration: options.duration, namespaces: requested });
        } catch (e) {
          // The configuration topology is still worth showing when telemetry is down.
          warnings.push(`Telemetry is unavailable (${(e as Error).message}); the graph shows the configured topology without traffic.`);
          req.log.warn({ err: e }, 'telemetry query failed');
        }
      }
      const graph: GraphResponse = buildGraph(inv, samples, { ...options, includeIdle: options.includeIdle || warnings.length > 0 });
      if (warnings.length > 0) graph.warnings = [...(graph.warnings ?? []), ...warnings];
      return graph;
    });
  };
}

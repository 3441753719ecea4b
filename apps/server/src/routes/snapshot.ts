/**
 * `GET /api/snapshot`: the current source as a snapshot bundle file (packages/sources/src/snapshot-source.ts) for
 * one view — every inventory object (Secrets as metadata only), the telemetry samples of the view's window, the
 * chart families over that window (the side panel's charts), the findings and the view — which
 * `meshlens serve --snapshot FILE` reopens with no cluster and no Prometheus.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConfigHealth } from '../config-health/engines.js';
import { checkInventory } from '@meshlens/mesh';
import type { GraphType } from '@meshlens/model';
import { captureSnapshot, encodeSnapshot, isoSeconds, type MeshSource, type SnapshotBundle } from '@meshlens/sources';
import { VERSION } from '../version.js';
import { badRequest, HttpError, telemetryError } from './errors.js';

const SnapshotQuery = Type.Object({
  namespaces: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', description: 'comma-separated namespace names of the view' })),
  graphType: Type.Optional(Type.Union([Type.Literal('versionedApp'), Type.Literal('app'), Type.Literal('workload'), Type.Literal('service')])),
  duration: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'window in seconds' })),
  queryTime: Type.Optional(Type.Integer({ minimum: 0, description: 'end of the window, unix seconds (default: now)' })),
}, { additionalProperties: false });

export interface SnapshotView {
  namespaces: string[];
  graphType: GraphType;
  duration: number;
  queryTime?: number;
}

/** The bundle file's name: `meshlens-snapshot-20261122T035700Z.json.gz` (UTC, no characters a file system dislikes). */
export function snapshotFileName(capturedAt: number): string {
  return `meshlens-snapshot-${isoSeconds(capturedAt).replace(/[-:]/g, '')}.json.gz`;
}

/**
 * Takes a snapshot of `source` for `view`. The samples are those of the view's window for EVERY namespace, so the
 * graph of any subset (another namespace selection, a node's detail graph) can be rebuilt offline from the same
 * window; the view's namespaces only say what the reopened console shows first. The charts over time of every node
 * and edge are recorded for that window too (on /api/metrics' default grid), within a size budget
 * (DEFAULT_MATRIX_BUDGET): the duration histogram goes first, and the bundle says what it left out.
 */
export async function takeSnapshot(source: MeshSource, view: SnapshotView, now: () => number = () => Date.now(), health?: ConfigHealth): Promise<SnapshotBundle> {
  // A server already keeps findings current for its source; the CLI, which has none, checks the inventory once.
  const current = health?.current();
  const inv = current?.inventory ?? source.inventory();
  const unknown = view.namespaces.filter((ns) => !inv.namespaces.has(ns));
  if (unknown.length > 0) throw badRequest(`namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')}; GET /api/namespaces lists the known ones`);
  const capturedMs = now();
  const queryTime = view.queryTime ?? source.defaultQueryTime ?? Math.floor(capturedMs / 1000);
  const all = [...inv.namespaces.keys()].sort();
  const query = new URLSearchParams({ namespaces: view.namespaces.join(','), graphType: view.graphType, duration: String(view.duration), queryTime: String(queryTime) });
  return captureSnapshot(source, [{ queryTime, duration: view.duration, namespaces: all, responseTimes: true }], {
    meshlensVersion: VERSION,
    findings: current ? current.engine.findings() : checkInventory(inv),
    view: query.toString(),
    now: () => capturedMs,
  });
}

export function snapshotRoutes(source: MeshSource, health: ConfigHealth): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/snapshot', { schema: { querystring: SnapshotQuery } }, async (req, reply) => {
      const q = req.query;
      const view: SnapshotView = {
        namespaces: q.namespaces ? [...new Set(q.namespaces.split(','))] : [],
        graphType: q.graphType ?? 'versionedApp',
        duration: q.duration ?? 600,
        ...(q.queryTime !== undefined ? { queryTime: q.queryTime } : {}),
      };
      let bundle: SnapshotBundle;
      try {
        bundle = await takeSnapshot(source, view, undefined, health);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        // Prometheus refused or failed the queries: 502/504 with its sentence (the query, the limit, the option).
        const telemetry = telemetryError(e);
        if (telemetry) throw telemetry;
        // Telemetry down: a snapshot without traffic is still the evidence of the configuration.
        throw new Error(`taking the snapshot failed (${(e as Error).message}); check /api/health and the telemetry, then try again`);
      }
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${snapshotFileName(bundle.capturedAt)}"`)
        .header('cache-control', 'no-store')
        .send(encodeSnapshot(bundle));
    });
  };
}

/**
 * `GET /api/drafts/base`: the inventory's objects as the engine's input, for the browser's what-if worker
 * (apps/web/src/drafts/), which lays the user's drafts over them and runs the same checks and tracer. Read-only:
 * the drafts never reach the server. Secrets are metadata only (the inventory keeps nothing else of them, and this
 * route drops their data again should an object carry any). Positions are left out: the worker needs the objects,
 * and findings on live objects are compared by code, object and path.
 *
 * The answer carries the inventory's version (also its ETag: a refresh with If-None-Match is a 304 while nothing
 * changed) and, when the source is the demo with its simulator, the traffic model and simulator options, so the
 * browser can re-run the simulated traffic over the drafted objects for the graph.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DraftBaseResponse } from '@meshlens/mesh';
import type { DraftBaseExtras, DraftSimulation, InventoryObject, KubeObject } from '@meshlens/model';
import type { Simulator } from '@meshlens/demo';
import type { MeshSource } from '@meshlens/sources';
import { inventoryVersion } from '../graph-cache.js';

/** A Secret's apiVersion, kind, metadata (without kubectl's last-applied copy) and type: never its data. */
function secretMetadata(object: KubeObject): KubeObject {
  const annotations = { ...(object.metadata.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const type = (object as { type?: unknown }).type;
  return { apiVersion: object.apiVersion, kind: 'Secret', metadata: { ...object.metadata, annotations }, ...(typeof type === 'string' ? { type } : {}) };
}

function baseObject(o: InventoryObject): Pick<InventoryObject, 'ref' | 'object' | 'origin'> {
  return { ref: o.ref, object: o.ref.kind === 'Secret' ? secretMetadata(o.object) : o.object, origin: o.origin };
}

/** Inventory versions are per process: this boot's id keeps an ETag from another run from matching. */
const BOOT = randomBytes(4).toString('hex');

/** The simulator's settings when the request's source is the demo whose telemetry it draws; otherwise why not. */
function simulationOf(source: MeshSource, simulator: Simulator | undefined): DraftSimulation {
  const kind = source.status().kind;
  if (kind !== 'demo') return { kind: 'none', reason: `no simulated traffic: the ${kind} source's graph comes from its recorded or live telemetry` };
  if (source.telemetry.kind !== 'simulator' || !simulator) return { kind: 'none', reason: `no simulated traffic: the demo's telemetry comes from ${source.telemetry.kind === 'prometheus' ? 'Prometheus' : source.telemetry.kind}` };
  const { model, seed, cluster } = simulator.settings;
  return { kind: 'demo', seed, cluster, trafficModel: model };
}

/** `simulator`: the demo source's, when the server runs the demo (as metricsRoutes gets it). */
export function draftRoutes(source: MeshSource, simulator?: Simulator): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/drafts/base', async (req, reply): Promise<(DraftBaseResponse & DraftBaseExtras) | undefined> => {
      // Read once: a scoped source answers with the request's own (cluster, opened snapshot).
      const name = source.name;
      const inv = source.inventory();
      const version = `${BOOT}-${inventoryVersion(inv)}`;
      const etag = `"${version}"`;
      reply.header('cache-control', 'no-store');
      reply.header('etag', etag);
      const asked = req.headers['if-none-match'];
      if (typeof asked === 'string' && asked.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        reply.code(304);
        return undefined;
      }
      return { source: name, clusterDomain: inv.clusterDomain, objects: inv.objects.map(baseObject), errors: inv.errors, version, simulation: simulationOf(source, simulator) };
    });
  };
}

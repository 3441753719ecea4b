/**
 * `GET /api/drafts/base`: the inventory's objects as the engine's input, for the browser's what-if worker
 * (apps/web/src/drafts/), which lays the user's drafts over them and runs the same checks and tracer. Read-only:
 * the drafts never reach the server. Secrets are metadata only (the inventory keeps nothing else of them, and this
 * route drops their data again should an object carry any). Positions are left out: the worker needs the objects,
 * and findings on live objects are compared by code, object and path.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DraftBaseResponse } from '@meshlens/mesh';
import type { InventoryObject, KubeObject } from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';

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

export function draftRoutes(source: MeshSource): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/drafts/base', async (_req, reply): Promise<DraftBaseResponse> => {
      const inv = source.inventory();
      reply.header('cache-control', 'no-store');
      return { source: source.name, clusterDomain: inv.clusterDomain, objects: inv.objects.map(baseObject), errors: inv.errors };
    });
  };
}

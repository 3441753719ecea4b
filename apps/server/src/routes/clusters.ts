/**
 * `GET /api/clusters` (the kubeconfig's contexts) and `?cluster=<context>` on every API route: the request is
 * answered from that context's inventory, whose source starts on first use. The selection rides on
 * AsyncLocalStorage (ClusterSet.runWith), so the other routes read `source` as before.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ClustersResponse } from '@meshlens/model';
import type { ClusterSet } from '@meshlens/sources';


/** How long a request for a cluster not yet listed waits for its first inventory. */
const FIRST_SYNC_WAIT_MS = 15_000;

/** The clusters routes; with no ClusterSet (demo, files, snapshots) `/api/clusters` lists none and `?cluster=` is refused. */
export function clusterRoutes(clusters: ClusterSet | undefined): FastifyPluginAsyncTypebox {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    app.addHook('onRequest', (req, reply, done) => {
      const query = req.query as Record<string, unknown> | undefined;
      const context = query?.cluster;
      // Decided on the route Fastify matched, not on the raw URL's spelling. A server with one source and no
      // kubeconfig ignores it (its /api/clusters lists none, which is how clients tell).
      if (context === undefined || !req.routeOptions.url?.startsWith('/api/')) return done();
      delete query!.cluster;
      if (!clusters) return done();
      if (typeof context !== 'string' || !clusters.contexts().some((c) => c.context === context)) {
        const known = clusters.contexts().map((c) => c.context).join(', ');
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `querystring/cluster: unknown cluster "${String(context)}"; GET /api/clusters lists the contexts (${known})` });
      }
      clusters.get(context).synced(FIRST_SYNC_WAIT_MS).then(() => clusters.runWith(context, () => done()), done);
    });

    app.get('/api/clusters', async (): Promise<ClustersResponse> => (clusters ? { default: clusters.defaultContext, clusters: clusters.contexts() } : { clusters: [] }));
  };
  // Not encapsulated: the hook must see every route of the app (what fastify-plugin does).
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}

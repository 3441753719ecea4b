/**
 * A small HTTPS server speaking the Kubernetes REST protocol over fixture objects, so the production client code
 * (kubeconfig, TLS, bearer tokens, discovery, list, watch, metadata-only lists) runs unchanged in tests.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '@meshlens/model';
import { apiGroupDoc, apiGroupListDoc, apiResourceListDoc, apiVersionsDoc } from './discovery-docs.js';
import { deniedBy, forbiddenStatus, type TestIdentity } from './rbac.js';
import { BUILTIN_RESOURCES, gatewayApiResources, istioResources, type ServedResource } from './resources.js';
import { ObjectStore } from './store.js';
import { generateTestTls, type TestTls } from './tls.js';
import { serveWatch, type WatchOptions } from './watch.js';
import { present, selector, sendJson, status, wantsMetadataOnly } from './wire.js';
import { PodLogBook, serveLog } from './logs.js';

export interface ServiceProxyRequest {
  method: string;
  namespace: string;
  service: string;
  port: string;
  /** Path after `/proxy`, with the query string. */
  path: string;
  body: string;
}

export interface TestApiServerOptions {
  identities?: TestIdentity[];
  /** Istio's CRDs: served (default), not installed (`false`), or served at the given versions. */
  istio?: boolean | Parameters<typeof istioResources>[0];
  /** The Gateway API's CRDs: not installed (default, as on a cluster without them), or served (`true`, or at the given versions). */
  gatewayApi?: boolean | Parameters<typeof gatewayApiResources>[0];
  objects?: KubeObject[];
  bookmarkIntervalMs?: number;
  goneAs?: WatchOptions['goneAs'];
  /** Answers `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy/...`. */
  serviceProxy?: (req: ServiceProxyRequest) => { status: number; body: string; contentType?: string } | Promise<{ status: number; body: string; contentType?: string }>;
  tls?: TestTls;
  /** Container logs served on `pods/{pod}/log` (more can be appended with `appendLog`). */
  logs?: PodLogBook;
}

export interface RequestRecord {
  verb: 'list' | 'watch' | 'get' | 'discovery' | 'proxy';
  user: string;
  path: string;
  resource?: string;
  namespace?: string;
  resourceVersion?: string;
  accept?: string;
}

export interface TestApiServer {
  url: string;
  tls: TestTls;
  store: ObjectStore;
  /** Every request served, in order. */
  requests: RequestRecord[];
  apply(obj: KubeObject): KubeObject;
  delete(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): boolean;
  /** The container logs `pods/log` serves. */
  logs: PodLogBook;
  /** A container writes a log line (followers get it at once). */
  appendLog(namespace: string, pod: string, container: string, message: string, time?: Date): void;
  /** Drops every open watch connection mid-stream, like a load balancer timing out. */
  breakWatches(): number;
  /** Compacts the event log: clients resuming from an older resourceVersion get 410 Gone. */
  compact(): void;
  /**
   * The API server goes away: open connections are cut and new ones refused (ECONNREFUSED) until `comeBack()`. The
   * store still takes `apply`/`delete`, as etcd would while the API server restarts.
   */
  goAway(): Promise<void>;
  /** Listens again on the same port; with `compacted`, the history of the outage is gone (watches resume with 410). */
  comeBack(options?: { compacted?: boolean }): Promise<void>;
  openWatches(): number;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'meshlens-admin-token';

/** Starts the server on 127.0.0.1 on a free port. */
export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const tls = options.tls ?? generateTestTls();
  const resources: ServedResource[] = [...BUILTIN_RESOURCES, ...(options.istio === false ? [] : istioResources(options.istio === true ? {} : options.istio)),
    ...(options.gatewayApi ? gatewayApiResources(options.gatewayApi === true ? {} : options.gatewayApi) : [])];
  const store = new ObjectStore(resources);
  for (const o of options.objects ?? []) store.apply(o);
  const identities = options.identities ?? [{ token: DEFAULT_TOKEN, user: 'kubernetes-admin' }];
  const requests: RequestRecord[] = [];
  const open = new Set<ServerResponse>();
  const watchOptions: WatchOptions = { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000, goneAs: options.goneAs ?? 'event' };
  const logs = options.logs ?? new PodLogBook();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const identity = identities.find((i) => i.token === token);
    if (!identity) return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const isProxy = /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(\/|$)/.test(url.pathname);
    // Reads only, except POST through the service proxy (Prometheus queries are form POSTs).
    if (req.method !== 'GET' && !(isProxy && req.method === 'POST')) return sendJson(res, 405, status(405, 'MethodNotAllowed', 'the test API server is read-only'));
    const record = (r: Omit<RequestRecord, 'user' | 'path'>) => requests.push({ user: identity.user, path: url.pathname + url.search, ...r });

    const seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (url.pathname === '/version') return sendJson(res, 200, { major: '1', minor: '34', gitVersion: 'v1.34.0-meshlens-test' });
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api') {
      record({ verb: 'discovery' });
      if (seg.length === 1) return sendJson(res, 200, apiVersionsDoc());
      [group, version, rest] = ['', seg[1]!, seg.slice(2)];
    } else if (seg[0] === 'apis') {
      if (seg.length <= 2) {
        record({ verb: 'discovery' });
        const doc = seg.length === 1 ? apiGroupListDoc(resources) : apiGroupDoc(resources, seg[1]!);
        return doc ? sendJson(res, 200, doc) : notFound(res, url.pathname);
      }
      [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
    } else {
      return notFound(res, url.pathname);
    }
    if (rest.length === 0) {
      record({ verb: 'discovery' });
      const doc = apiResourceListDoc(resources, group, version);
      return doc ? sendJson(res, 200, doc) : notFound(res, url.pathname);
    }

    // Service proxy: /api/v1/namespaces/<ns>/services/<name>:<port>/proxy/<path>
    if (group === '' && rest[0] === 'namespaces' && rest[2] === 'services' && rest[4] === 'proxy') {
      const [service, port = ''] = rest[3]!.split(':');
      // RBAC maps POST to the `create` verb on services/proxy, GET to `get`.
      const access = { verb: req.method === 'POST' ? 'create' : 'get', group: '', resource: 'services/proxy', namespace: rest[1], namespaced: true };
      if (deniedBy(identity, access)) return sendJson(res, 403, forbiddenStatus(identity, access));
      record({ verb: 'proxy', resource: 'services/proxy', namespace: rest[1] });
      if (!options.serviceProxy || !store.get(resources.find((r) => r.resource === 'services' && r.group === '')!, rest[1], service!)) return sendJson(res, 503, status(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`));
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const answer = await options.serviceProxy({ method: req.method ?? 'GET', namespace: rest[1]!, service: service!, port, path: `/${rest.slice(5).join('/')}${url.search}`, body });
      res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
      return res.end(answer.body);
    }

    // Pod logs: /api/v1/namespaces/<ns>/pods/<name>/log — the `get` verb on the `pods/log` subresource.
    if (group === '' && rest[0] === 'namespaces' && rest[2] === 'pods' && rest[4] === 'log' && rest.length === 5) {
      const [ns, podName] = [rest[1]!, rest[3]!];
      const access = { verb: 'get', group: '', resource: 'pods/log', namespace: ns, namespaced: true };
      if (deniedBy(identity, access)) {
        // The API server names the pod and the subresource: `pods "x" is forbidden: … cannot get resource "pods/log" …`.
        const body = forbiddenStatus(identity, access) as { message: string; details: object };
        return sendJson(res, 403, { ...body, message: body.message.replace(/^pods\/log is forbidden/, `pods "${podName}" is forbidden`), details: { name: podName, kind: 'pods' } });
      }
      record({ verb: 'get', resource: 'pods/log', namespace: ns });
      const pod = store.get(resources.find((r) => r.resource === 'pods' && r.group === '')!, ns, podName);
      if (!pod) return sendJson(res, 404, status(404, 'NotFound', `pods "${podName}" not found`));
      return serveLog(logs, pod, req, res, url.searchParams, open);
    }

    let namespace: string | undefined;
    let resourceName: string;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [namespace, resourceName, name] = [rest[1], rest[2]!, rest[3]];
    else [resourceName, name] = [rest[0]!, rest[1]];
    const resource = resources.find((r) => r.group === group && r.resource === resourceName && r.versions.includes(version));
    if (!resource || (namespace !== undefined && !resource.namespaced)) return notFound(res, url.pathname);
    const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = name !== undefined ? 'get' : watching ? 'watch' : 'list';
    const access = { verb, group, resource: resource.resource, namespace, namespaced: resource.namespaced };
    if (deniedBy(identity, access)) return sendJson(res, 403, forbiddenStatus(identity, access));
    const metadataOnly = wantsMetadataOnly(req);
    record({ verb, resource: resource.resource, namespace, resourceVersion: url.searchParams.get('resourceVersion') ?? undefined, accept: req.headers.accept });

    if (verb === 'get') {
      const o = store.get(resource, namespace, name!);
      return o ? sendJson(res, 200, present(o, resource, version, metadataOnly, false)) : sendJson(res, 404, status(404, 'NotFound', `${resource.resource} "${name}" not found`));
    }
    if (verb === 'watch') return serveWatch(store, req, res, { resource, version, namespace, query: url.searchParams, metadataOnly }, watchOptions, open);
    return serveList(res, resource, version, namespace, url.searchParams, metadataOnly);
  };

  const serveList = (res: ServerResponse, resource: ServedResource, version: string, namespace: string | undefined, query: URLSearchParams, metadataOnly: boolean) => {
    const limit = Number(query.get('limit') ?? 0);
    let offset = 0;
    let listRv = store.resourceVersion;
    const token = query.get('continue');
    if (token) {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv: number; offset: number };
      try {
        store.eventsSince(parsed.rv);
      } catch {
        return sendJson(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
      }
      [offset, listRv] = [parsed.offset, parsed.rv];
    }
    const all = store.list(resource, namespace).filter(selector(query.get('labelSelector'), query.get('fieldSelector')))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    const metadata = { resourceVersion: String(listRv), ...(more ? { continue: Buffer.from(JSON.stringify({ rv: listRv, offset: offset + limit })).toString('base64url'), remainingItemCount: all.length - offset - limit } : {}) };
    const items = page.map((o) => present(o, resource, version, metadataOnly, true));
    const [apiVersion, kind] = metadataOnly ? ['meta.k8s.io/v1', 'PartialObjectMetadataList'] : [resource.group ? `${resource.group}/${version}` : version, `${resource.kind}List`];
    sendJson(res, 200, { apiVersion, kind, metadata, items });
  };

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendJson(res, 500, status(500, 'InternalError', (e as Error).message));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    tls,
    store,
    requests,
    logs,
    appendLog: (namespace, pod, container, message, time) => logs.append(namespace, pod, container, message, time),
    apply: (o) => store.apply(o),
    delete: (ref) => store.delete(ref),
    breakWatches: () => {
      const n = open.size;
      for (const res of open) res.socket?.destroy();
      open.clear();
      return n;
    },
    compact: () => store.compact(),
    goAway: async () => {
      for (const res of open) res.socket?.destroy();
      open.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    comeBack: async (options = {}) => {
      if (options.compacted) store.compact();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    },
    openWatches: () => open.size,
    close: async () => {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function notFound(res: ServerResponse, path: string): void {
  sendJson(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${path})`));
}

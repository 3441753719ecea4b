/**
 * The entity pages' API (contract in packages/model/src/entities.ts):
 * - `GET /api/overview`: one card per namespace and the control-plane strip;
 * - `GET /api/applications`, `/api/workloads`, `/api/services`: list rows for any number of namespaces;
 * - `GET /api/namespaces/:namespace/{applications|workloads|services}/:name`: a detail page;
 * - `GET /api/namespaces/:namespace/{applications|workloads|services}/:name/graph`: its one-hop node graph.
 *
 * Every route reads the request's source (the caller's own view of the cluster, an opened snapshot…) and fetches
 * telemetry once per request for all its namespaces, as GET /api/graph does: one query per metric family.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  applicationDetail, applicationEntity, applicationRows, buildGraph, controlPlaneNamespaces, controlPlaneSummary, detailGraphType, entityModel,
  entityNodeIds, focusGraph, namespaceOverviews, namespaceSparklines, samplesTouching, serviceDetail, serviceEntity, serviceRows, workloadDetail,
  workloadEntity, workloadRows, type EntityModel, type EntityRef, type Inventory,
} from '@meshlens/mesh';
import type {
  ApplicationDetail, ApplicationListResponse, GraphType, NodeGraphResponse, OverviewResponse, ServiceDetail, ServiceListResponse, Sparkline,
  TelemetrySamples, WorkloadDetail, WorkloadListResponse,
} from '@meshlens/model';
import { rangeGrid, type MeshSource } from '@meshlens/sources';
import type { ConfigHealth } from '../config-health/engines.js';
import { GraphCache, inventoryVersion, LIVE_TTL_MS, windowTtlMs } from '../graph-cache.js';
import { badRequest, HttpError } from './errors.js';

const NAMESPACE_LIST = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', description: 'comma-separated namespace names' });
const DURATION = Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'window in seconds (default 600)' });
const QUERY_TIME = Type.Integer({ minimum: 0, description: 'end of the window, unix seconds (default now)' });

const ListQuery = Type.Object({ namespaces: Type.Optional(NAMESPACE_LIST), duration: Type.Optional(DURATION), queryTime: Type.Optional(QUERY_TIME) }, { additionalProperties: false });
const DetailQuery = Type.Object({ duration: Type.Optional(DURATION), queryTime: Type.Optional(QUERY_TIME) }, { additionalProperties: false });
const NodeGraphQuery = Type.Object({
  graphType: Type.Optional(Type.Union([Type.Literal('versionedApp'), Type.Literal('app'), Type.Literal('workload'), Type.Literal('service')])),
  duration: Type.Optional(DURATION),
  queryTime: Type.Optional(QUERY_TIME),
  responseTime: Type.Optional(Type.Boolean({ description: 'include edge response times (default true)' })),
}, { additionalProperties: false });
const EntityParams = Type.Object({
  namespace: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: 'namespace name' }),
  name: Type.String({ minLength: 1, maxLength: 253, pattern: '^[a-zA-Z0-9]([-._a-zA-Z0-9]*[a-zA-Z0-9])?$', description: 'entity name' }),
}, { additionalProperties: false });

/** Sparkline points per namespace card (at most; a snapshot's recorded grid is merged down to it). */
const SPARK_POINTS = 25;
/**
 * Most values the overview asks a range matrix for (series × points, with labels): enough for a few thousand request
 * series over 25 points; a larger mesh's cards go without sparklines (and say so) rather than make Prometheus send
 * hundreds of megabytes.
 */
const SPARK_BUDGET = 400_000;

type Kind = 'workloads' | 'services' | 'applications';

interface Window {
  duration: number;
  queryTime: number;
}

function windowOf(source: MeshSource, q: { duration?: number; queryTime?: number }): Window {
  return { duration: q.duration ?? 600, queryTime: q.queryTime ?? source.defaultQueryTime ?? Math.floor(Date.now() / 1000) };
}

function requestedNamespaces(inv: Inventory, text: string | undefined): string[] {
  if (!text) return [...inv.namespaces.keys()].sort();
  const requested = [...new Set(text.split(','))];
  const unknown = requested.filter((ns) => !inv.namespaces.has(ns));
  if (unknown.length > 0) throw badRequest(`querystring/namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')}; GET /api/namespaces lists the known ones`);
  return requested.sort();
}

/**
 * The window's telemetry for `namespaces` (one query per family), with the warnings a page shows when it is partial
 * or missing. Providers that answer every namespace at once (a samples file, a snapshot) are narrowed to what
 * Prometheus would have returned, unless every namespace was asked (then the answer stays the provider's own object,
 * which the engine's per-window memo recognizes).
 */
async function samplesFor(source: MeshSource, inv: Inventory, w: Window, namespaces: string[], responseTimes: boolean, warnings: string[], log: { warn: (o: object, m: string) => void }): Promise<TelemetrySamples> {
  if (namespaces.length === 0) return {};
  const query = { queryTime: w.queryTime, duration: w.duration, namespaces, responseTimes };
  try {
    const samples = await source.telemetry.samples(query);
    const note = source.telemetry.windowNote?.(query);
    if (note) warnings.push(note);
    return namespaces.length < inv.namespaces.size && source.telemetry.kind !== 'prometheus' ? samplesTouching(samples, new Set(namespaces)) : samples;
  } catch (e) {
    log.warn({ err: e }, 'telemetry query failed');
    warnings.push(`Telemetry is unavailable (${(e as Error).message}): health and rates show configuration and replicas only.`);
    return {};
  }
}

/** How long a namespace's sparklines are reused (the overview refreshes often; a range matrix is the costliest read). */
const SPARK_TTL_MS = 10_000;

interface SparkAnswer {
  sparklines?: Map<string, Sparkline>;
  warnings: string[];
}

/**
 * Per-namespace sparklines from the telemetry's range matrix, when it has one and the mesh fits the budget. The grid
 * ends on a multiple of its step, so requests a few seconds apart ask for the same points (and share the cache).
 */
async function computeSparklines(source: MeshSource, w: Window, namespaces: string[], log: { warn: (o: object, m: string) => void }): Promise<SparkAnswer> {
  const t = source.telemetry;
  if (!t.rangeMatrix || namespaces.length === 0) return { warnings: [] };
  try {
    const info = await t.timeInfo?.().catch(() => undefined);
    const scrape = info?.scrapeInterval ?? 15;
    const step = Math.max(scrape, Math.ceil(w.duration / (SPARK_POINTS - 1)));
    const end = Math.floor(w.queryTime / step) * step;
    const grid = rangeGrid(end - w.duration, end, scrape, { step });
    const m = await t.rangeMatrix({ namespaces, start: grid.start, end: grid.end, step: grid.step, rateInterval: grid.rateInterval, maxValues: SPARK_BUDGET });
    const series = m.families.istio_requests_total;
    if (!series) {
      const omitted = m.omitted.find((o) => o.families.includes('istio_requests_total'));
      return { warnings: omitted ? [`Sparklines are left out: ${omitted.reason}.`] : [] };
    }
    return { sparklines: namespaceSparklines({ timestamps: m.timestamps, series }, new Set(namespaces), SPARK_POINTS), warnings: [] };
  } catch (e) {
    log.warn({ err: e }, 'sparkline range query failed');
    return { warnings: [`Sparklines are unavailable (${(e as Error).message}).`] };
  }
}

function notFound(what: string): HttpError {
  return new HttpError(404, what);
}

export function entityRoutes(source: MeshSource, health: ConfigHealth): FastifyPluginAsyncTypebox {
  /** The request's inventory, findings and a model over `namespaces`. */
  const model = (inv: Inventory, findings: ReturnType<ConfigHealth['current']>['engine'], namespaces: string[], w: Window, samples: TelemetrySamples): EntityModel =>
    entityModel({ inv, samples, findings: findings.findings(), namespaces, queryTime: w.queryTime, duration: w.duration, podStatus: source.podStatus });

  // Keyed by the source's name (a user's own view is named after the user: no answer crosses identities).
  const sparkCache = new Map<string, { expires: number; value: Promise<SparkAnswer> }>();
  const sparklinesFor = (w: Window, namespaces: string[], log: { warn: (o: object, m: string) => void }): Promise<SparkAnswer> => {
    const step = Math.ceil(w.duration / (SPARK_POINTS - 1));
    const key = `${source.name}|${w.duration}|${Math.floor(w.queryTime / step)}|${namespaces.join(',')}`;
    const now = Date.now();
    const hit = sparkCache.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (sparkCache.size > 64) for (const [k, e] of sparkCache) if (e.expires <= now) sparkCache.delete(k);
    const value = computeSparklines(source, w, namespaces, log);
    sparkCache.set(key, { expires: now + SPARK_TTL_MS, value });
    return value;
  };

  /**
   * The Overview's and the lists' answers, shared by identical requests for a while, as graphs are (graph-cache.ts):
   * keyed by the source's name (no answer crosses identities), the inventory's version (a change makes a new one),
   * the window (`now` for a live one) and the namespaces. A window in the past is kept 5 minutes, a live one 5 s;
   * an answer whose telemetry failed only briefly. Reloading a page, or a second user opening it, costs no
   * recomputation: the 1,000-namespace Overview's 0.1-0.4 s on this event loop is what every other request waited for.
   */
  const answers = new GraphCache({ maxEntries: 32, maxBytes: 96 * 1024 * 1024 });
  const cached = async (route: string, inv: Inventory, q: { duration?: number; queryTime?: number }, namespaces: string[], compute: () => Promise<{ warnings?: string[] }>): Promise<Buffer> => {
    const fixed = q.queryTime ?? source.defaultQueryTime;
    const key = JSON.stringify([route, source.name, inventoryVersion(inv), fixed ?? 'now', q.duration ?? 600, namespaces]);
    return answers.get(key, async () => {
      const out = await compute();
      return { body: Buffer.from(JSON.stringify(out)), ttlMs: out.warnings && out.warnings.length > 0 ? LIVE_TTL_MS : windowTtlMs(fixed) };
    });
  };
  const json = 'application/json; charset=utf-8';

  return async (app) => {
    app.get('/api/overview', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const { engine, inventory: inv } = health.current();
      const shown = requestedNamespaces(inv, req.query.namespaces);
      const body = await cached('overview', inv, req.query, shown, async (): Promise<OverviewResponse> => {
        const w = windowOf(source, req.query);
        const warnings: string[] = [];
        // The control-plane strip reads istiod's and the gateways' namespaces too.
        const all = [...new Set([...shown, ...controlPlaneNamespaces(inv)])].sort();
        const [samples, spark] = await Promise.all([
          samplesFor(source, inv, w, all, false, warnings, req.log),
          sparklinesFor(w, shown, req.log),
        ]);
        warnings.push(...spark.warnings);
        const m = model(inv, engine, all, w, samples);
        const out: OverviewResponse = { timestamp: w.queryTime, duration: w.duration, namespaces: namespaceOverviews(m, shown, spark.sparklines), controlPlane: controlPlaneSummary(m) };
        if (warnings.length > 0) out.warnings = warnings;
        return out;
      });
      return reply.type(json).send(body);
    });

    const list = <T>(path: string, rows: (m: EntityModel) => T) => {
      app.get(path, { schema: { querystring: ListQuery } }, async (req, reply) => {
        const { engine, inventory: inv } = health.current();
        const namespaces = requestedNamespaces(inv, req.query.namespaces);
        const body = await cached(path, inv, req.query, namespaces, async () => {
          const w = windowOf(source, req.query);
          const warnings: string[] = [];
          const samples = await samplesFor(source, inv, w, namespaces, false, warnings, req.log);
          const m = model(inv, engine, namespaces, w, samples);
          return { timestamp: w.queryTime, duration: w.duration, namespaces, ...rows(m), ...(warnings.length > 0 ? { warnings } : {}) };
        });
        return reply.type(json).send(body);
      });
    };
    list('/api/workloads', (m): Pick<WorkloadListResponse, 'workloads'> => ({ workloads: workloadRows(m) }));
    list('/api/services', (m): Pick<ServiceListResponse, 'services'> => ({ services: serviceRows(m) }));
    list('/api/applications', (m): Pick<ApplicationListResponse, 'applications'> => ({ applications: applicationRows(m) }));

    /** The entity `kind/name` of `namespace` in a model of that namespace; 404 when there is none. */
    const entityOf = (m: EntityModel, kind: Kind, namespace: string, name: string): EntityRef => {
      if (kind === 'workloads') {
        const wl = m.workloads.find((x) => x.name === name);
        if (wl) return workloadEntity(m, wl);
      } else if (kind === 'services') {
        const s = m.services.find((x) => x.name === name);
        if (s) return serviceEntity(s);
      } else {
        const e = applicationEntity(m, namespace, name);
        if (e) return e;
      }
      const singular = kind.slice(0, -1);
      throw notFound(`No ${singular} "${name}" in namespace "${namespace}"; GET /api/${kind}?namespaces=${namespace} lists them.`);
    };

    const prepare = async (req: { params: { namespace: string; name: string }; query: { duration?: number; queryTime?: number }; log: { warn: (o: object, m: string) => void } }, kind: Kind, responseTimes: boolean) => {
      const { engine, inventory: inv } = health.current();
      const { namespace, name } = req.params;
      if (!inv.namespaces.has(namespace)) throw notFound(`No namespace "${namespace}"; GET /api/namespaces lists the known ones.`);
      const w = windowOf(source, req.query);
      const warnings: string[] = [];
      const samples = await samplesFor(source, inv, w, [namespace], responseTimes, warnings, req.log);
      const m = model(inv, engine, [namespace], w, samples);
      return { inv, m, w, warnings, samples, entity: entityOf(m, kind, namespace, name) };
    };

    const detail = <T extends { warnings?: string[] }>(kind: Kind, build: (x: Awaited<ReturnType<typeof prepare>>) => T | undefined) => {
      app.get(`/api/namespaces/:namespace/${kind}/:name`, { schema: { params: EntityParams, querystring: DetailQuery } }, async (req) => {
        const x = await prepare(req, kind, true);
        const out = build(x);
        if (!out) throw notFound(`No ${kind.slice(0, -1)} "${req.params.name}" in namespace "${req.params.namespace}".`);
        if (x.warnings.length > 0) out.warnings = x.warnings;
        return out;
      });
    };
    const graphOf = (x: Awaited<ReturnType<typeof prepare>>, graphType: GraphType) =>
      buildGraph(x.inv, x.samples, { graphType, namespaces: [x.entity.kind === 'service' ? x.entity.service.namespace : x.entity.kind === 'workload' ? x.entity.workload.namespace : x.entity.namespace], duration: x.w.duration, queryTime: x.w.queryTime, includeIdle: false });
    detail('workloads', (x): WorkloadDetail | undefined => (x.entity.kind === 'workload' ? workloadDetail(x.m, x.entity.workload, graphOf(x, detailGraphType(x.entity))) : undefined));
    detail('services', (x): ServiceDetail | undefined => (x.entity.kind === 'service' ? serviceDetail(x.m, x.entity.service, graphOf(x, detailGraphType(x.entity))) : undefined));
    detail('applications', (x): ApplicationDetail | undefined => (x.entity.kind === 'application' ? applicationDetail(x.m, x.entity.namespace, x.entity.app, graphOf(x, detailGraphType(x.entity))) : undefined));

    const DEFAULT_NODE_GRAPH: Record<Kind, GraphType> = { workloads: 'workload', services: 'versionedApp', applications: 'versionedApp' };
    for (const kind of ['workloads', 'services', 'applications'] as const) {
      app.get(`/api/namespaces/:namespace/${kind}/:name/graph`, { schema: { params: EntityParams, querystring: NodeGraphQuery } }, async (req): Promise<NodeGraphResponse> => {
        const x = await prepare(req, kind, req.query.responseTime ?? true);
        const graph = graphOf(x, req.query.graphType ?? DEFAULT_NODE_GRAPH[kind]);
        const focus = entityNodeIds(x.entity, graph);
        const out: NodeGraphResponse = { ...focusGraph(graph, focus), focus: [...focus].sort() };
        if (x.warnings.length > 0) out.warnings = [...(out.warnings ?? []), ...x.warnings];
        return out;
      });
    }
  };
}

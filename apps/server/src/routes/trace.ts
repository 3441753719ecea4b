/**
 * The route tracer over HTTP (contract in packages/model/src/trace-api.ts):
 * - `GET /api/trace?from=…&url=…&header=…&sni=…&method=…&principal=…&requestPrincipal=…`: where the request goes and which rule decided each step,
 *   parsed by the CLI's own parsers and traced by the same `traceRequest` on the request's inventory, so the console
 *   and `meshlens trace` answer the same; plus each rule's line on its object page, what ignored rules meant, and the
 *   window's telemetry from the same source (`duration=`, `queryTime=`);
 * - `GET /api/trace/suggestions?q=`: sources and URLs for the tracer's form.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { buildGraph, samplesTouching, traceRequest, type Inventory } from '@meshlens/mesh';
import {
  refKey, ruleLineKey,
  type Endpoint, type Finding, type GraphResponse, type RuleRef, type TelemetrySamples, type TraceIntent, type TraceRequest, type TraceResponse,
  type TraceResult, type TraceSource, type TraceSuggestions,
} from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import { parseIdentity, parseSource, parseTarget } from '../trace-command.js';
import { objectYaml, type ObjectYaml } from '../config-health/object-yaml.js';
import { traceIntents } from '../trace/intent.js';
import { compareWithTelemetry } from '../trace/telemetry.js';
import { traceSuggestions } from '../trace/suggestions.js';
import { badRequest, HttpError } from './errors.js';

const DURATION = Type.Integer({ minimum: 60, maximum: 30 * 86400, description: 'telemetry window in seconds (default 600)' });
const QUERY_TIME = Type.Integer({ minimum: 0, description: 'end of the telemetry window, unix seconds (default now)' });

const TraceQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 320, description: '<namespace>/<workload>, gateway:<namespace>/<name> or outside' })),
  url: Type.Optional(Type.String({ maxLength: 2048, description: 'https://en.wikipedia.org, http://reviews:9080/path, tcp://tcp-echo:9000…' })),
  header: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64, description: 'request header "name: value" (repeatable)' })),
  sni: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'TLS server name (default: the URL host)' })),
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,20}$', description: 'HTTP method (default GET)' })),
  principal: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: "the caller's mTLS identity: spiffe://cluster.local/ns/<ns>/sa/<sa> or <ns>/<sa>" })),
  requestPrincipal: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: "the request's JWT principal <issuer>/<subject>" })),
  duration: Type.Optional(DURATION),
  queryTime: Type.Optional(QUERY_TIME),
}, { additionalProperties: false });

const SuggestionsQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 253, description: 'keep the suggestions that contain this text' })),
}, { additionalProperties: false });

const EXAMPLE = '/api/trace?from=default/pod1&url=https://en.wikipedia.org';

/** `from`: `ns/name`, `gateway:ns/name` or `outside`, with the API's words when it is not. */
function sourceOf(from: string): TraceSource {
  try {
    return parseSource(from);
  } catch {
    throw badRequest(`querystring/from: "${from}" is not a source; write <namespace>/<workload> (a pod name works too), gateway:<namespace>/<name> or outside, e.g. ${EXAMPLE}`);
  }
}

/** The URL, headers, SNI and method as the CLI reads them (`parseTarget`), its sentences naming the API's parameters. */
function targetOf(url: string, headers: string[], method: string | undefined, sni: string | undefined): Omit<TraceRequest, 'source'> {
  try {
    return parseTarget(url, { headers, method: method?.toUpperCase(), sni });
  } catch (e) {
    const message = (e as Error).message;
    const header = /^-H (.*)$/.exec(message);
    throw badRequest(header ? `querystring/header: ${header[1]}` : `querystring/url: ${message}`);
  }
}

/** `principal` and `requestPrincipal` as the CLI reads `--principal` and `--request-principal`. */
function identityOf(principal: string | undefined, requestPrincipal: string | undefined): Pick<TraceRequest, 'principal' | 'requestPrincipal'> {
  try {
    return parseIdentity({ principal, requestPrincipal });
  } catch (e) {
    const message = (e as Error).message;
    throw badRequest(message.startsWith('--principal') ? `querystring/principal: ${message.replace(/^--principal /, '')}` : `querystring/requestPrincipal: ${message.replace(/^--request-principal /, '')}`);
  }
}

/** 404 when the source is not in the inventory, naming what the namespace (or the inventory) has. */
function requireSourceExists(inv: Inventory, source: TraceSource, where: string): void {
  if (source.kind === 'outside') return;
  const { namespace, name } = source;
  if (inv.workloadsByKey.has(`${namespace}/${name}`) || inv.pods.some((p) => p.namespace === namespace && p.name === name)) return;
  const list = (names: string[]) => (names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length} in all)` : names.join(', '));
  const what = source.kind === 'gateway' ? 'gateway workload' : 'workload or pod';
  if (!inv.namespaces.has(namespace)) {
    throw new HttpError(404, `No namespace "${namespace}" in ${where}; its namespaces: ${list([...inv.namespaces.keys()].sort())}. GET /api/trace/suggestions lists the sources.`);
  }
  const there = inv.workloads.filter((w) => w.namespace === namespace).map((w) => w.name).sort();
  throw new HttpError(404, `No ${what} "${name}" in namespace "${namespace}" of ${where}; ${there.length > 0 ? `its workloads: ${list(there)}` : 'the namespace has no workloads'}. GET /api/trace/suggestions lists the sources.`);
}

/** Every rule a trace names (hops, faults, mirrors, connection pools, TLS) and the intents' routes. */
function rulesOf(result: TraceResult, intents: TraceIntent[]): RuleRef[] {
  const rules: RuleRef[] = [];
  for (const p of result.paths) {
    for (const h of p.hops) {
      rules.push(...h.decidedBy);
      for (const s of h.security ?? []) rules.push(...s.decidedBy);
    }
    if (p.fault?.delay) rules.push(p.fault.delay.rule);
    if (p.fault?.abort) rules.push(p.fault.abort.rule);
    for (const m of p.mirrors ?? []) rules.push(m.rule);
    if (p.connectionPool) rules.push(p.connectionPool.rule);
    if (p.tls?.rule) rules.push(p.tls.rule);
  }
  for (const i of intents) rules.push(i.rule);
  return rules;
}

/** Each rule's line in its object page's YAML (the same placement as a finding's: config-health/object-yaml.ts). */
async function ruleLines(inv: Inventory, rules: RuleRef[]): Promise<Record<string, number>> {
  const texts = new Map<string, Promise<ObjectYaml> | undefined>();
  const out: Record<string, number> = {};
  for (const r of rules) {
    const key = ruleLineKey(r);
    if (key in out) continue;
    const objKey = refKey(r.object);
    if (!texts.has(objKey)) {
      const obj = inv.byKey.get(objKey);
      texts.set(objKey, obj && obj.ref.kind !== 'Secret' ? objectYaml(obj) : undefined);
    }
    const text = await texts.get(objKey);
    if (!text) continue;
    const line = text.lineOf({ object: r.object, path: r.path, file: r.file, line: r.line } as Finding);
    if (line !== undefined) out[key] = line;
  }
  return out;
}

/** Namespaces a trace touches: the source's, and every workload, gateway, Service and ServiceEntry on its paths or intents. */
function namespacesOf(inv: Inventory, result: TraceResult, intents: TraceIntent[]): string[] {
  const out = new Set<string>();
  const src = result.request.source;
  if (src.kind !== 'outside') out.add(src.namespace);
  const add = (e: Endpoint) => {
    if ('namespace' in e && e.namespace) out.add(e.namespace);
  };
  for (const p of result.paths) for (const h of p.hops) { add(h.from); add(h.to); }
  for (const i of intents) for (const w of i.target.workloads) out.add(w.split('/')[0]!);
  return [...out].filter((ns) => inv.namespaces.has(ns)).sort();
}

export function traceRoutes(source: MeshSource): FastifyPluginAsyncTypebox {
  /** The window's workload graph over `namespaces` (one query per metric family), or why there is none. */
  const graphFor = async (inv: Inventory, namespaces: string[], w: { duration: number; queryTime: number }, warnings: string[], log: { warn: (o: object, m: string) => void }): Promise<{ graph?: GraphResponse; unavailable?: string }> => {
    if (namespaces.length === 0) return { unavailable: 'The trace touches no namespace of the inventory, so there is no telemetry to compare with.' };
    const query = { queryTime: w.queryTime, duration: w.duration, namespaces, responseTimes: false };
    let samples: TelemetrySamples;
    try {
      samples = await source.telemetry.samples(query);
      const note = source.telemetry.windowNote?.(query);
      if (note) warnings.push(note);
    } catch (e) {
      log.warn({ err: e }, 'telemetry query failed');
      return { unavailable: `Telemetry is unavailable (${(e as Error).message}): the trace shows the configuration only.` };
    }
    const narrowed = namespaces.length < inv.namespaces.size && source.telemetry.kind !== 'prometheus' ? samplesTouching(samples, new Set(namespaces)) : samples;
    // Waypoints as nodes: a path through one (ambient) is compared hop by hop with the waypoint's own reports.
    return { graph: buildGraph(inv, narrowed, { graphType: 'workload', namespaces, duration: w.duration, queryTime: w.queryTime, includeIdle: false, boxByNamespace: false, showWaypoints: true }) };
  };

  return async (app) => {
    app.get('/api/trace', { schema: { querystring: TraceQuerySchema } }, async (req): Promise<TraceResponse> => {
      const q = req.query;
      if (!q.from || !q.url) {
        const missing = [!q.from ? 'from' : '', !q.url ? 'url' : ''].filter(Boolean).join(' and ');
        throw badRequest(`querystring/${missing.split(' ')[0]}: the request to trace needs ${missing}: from=<namespace>/<workload> (or gateway:<namespace>/<name>, or outside) and url=<URL>, e.g. ${EXAMPLE}`);
      }
      const headers = q.header ?? [];
      const request: TraceRequest = { source: sourceOf(q.from), ...targetOf(q.url, headers, q.method, q.sni), ...identityOf(q.principal, q.requestPrincipal) };
      const inv = source.inventory();
      requireSourceExists(inv, request.source, source.name);
      const result = traceRequest(inv, request);
      const intents = traceIntents(inv, result);

      const warnings: string[] = [];
      const fixed = q.queryTime ?? source.defaultQueryTime;
      const w = { duration: q.duration ?? 600, queryTime: fixed ?? Math.floor(Date.now() / 1000) };
      const [lines, g] = await Promise.all([
        ruleLines(inv, rulesOf(result, intents)),
        graphFor(inv, namespacesOf(inv, result, intents), w, warnings, req.log),
      ]);
      const telemetry = compareWithTelemetry(inv, result, intents, g.graph, { ...w, live: fixed === undefined }, g.unavailable);
      const out: TraceResponse = {
        query: {
          from: q.from, url: q.url, headers, ...(q.sni ? { sni: q.sni } : {}), ...(q.method ? { method: q.method.toUpperCase() } : {}),
          ...(request.principal ? { principal: request.principal } : {}), ...(request.requestPrincipal ? { requestPrincipal: request.requestPrincipal } : {}),
        },
        result,
        ruleLines: lines,
        intents,
        telemetry,
      };
      if (warnings.length > 0) out.warnings = warnings;
      return out;
    });

    app.get('/api/trace/suggestions', { schema: { querystring: SuggestionsQuery } }, async (req): Promise<TraceSuggestions> => traceSuggestions(source.inventory(), req.query.q));
  };
}

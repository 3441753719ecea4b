/**
 * Config health over HTTP: `GET /api/findings` (every finding of the selected namespaces), `GET /api/config`
 * (the Istio and Gateway API objects with their worst severity) and `GET /api/config/:kind/:namespace/:name` (one object's
 * YAML with its findings placed on its lines, the findings of other objects that involve it, and the objects it
 * refers to and that refer to it). Cluster-scoped objects use `-` as the namespace segment. Secrets are never
 * served: Meshlens keeps their metadata only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GATEWAY_API_KINDS, ISTIO_KINDS, referencesOf, summarize, type Inventory } from '@meshlens/mesh';
import {
  formatRef, GATEWAY_API_GROUP, refKey,
  type ConfigItem, type ConfigListResponse, type ConfigObjectResponse, type Finding, type FindingsResponse, type InvolvingFinding, type ObjectRef, type Severity,
} from '@meshlens/model';
import type { MeshSource } from '@meshlens/sources';
import type { ConfigHealth } from '../config-health/engines.js';
import { objectYaml } from '../config-health/object-yaml.js';
import { badRequest, HttpError } from './errors.js';

const NAMESPACES = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(,[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', description: 'comma-separated namespace names' });
// A kind is bare (`Gateway`: Istio's) or, for the Gateway API, qualified by its group (`Gateway.gateway.networking.k8s.io`).
const KIND = '[A-Z][A-Za-z0-9]*(\\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?';
const KINDS = Type.String({ pattern: `^${KIND}(,${KIND})*$`, description: 'comma-separated kinds, e.g. VirtualService,DestinationRule; Gateway API kinds with their group: Gateway.gateway.networking.k8s.io' });
const SEVERITY_LIST = Type.String({ pattern: '^(error|warning|info)(,(error|warning|info))*$', description: 'comma-separated severities: error, warning, info' });

const FindingsQuery = Type.Object({
  namespaces: Type.Optional(NAMESPACES),
  severity: Type.Optional(SEVERITY_LIST),
  kind: Type.Optional(KINDS),
  include: Type.Optional(Type.Literal('references', { description: 'also findings of other namespaces whose references name an object of these namespaces' })),
}, { additionalProperties: false });
const ConfigQuery = Type.Object({ namespaces: Type.Optional(NAMESPACES), kind: Type.Optional(KINDS), severity: Type.Optional(SEVERITY_LIST) }, { additionalProperties: false });
const ObjectParams = Type.Object({ kind: Type.String(), namespace: Type.String(), name: Type.String() });

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
/** The config kinds a list always shows: Istio's, and the Gateway API's (as refs carry them, `Kind.group`). */
const CONFIG_KINDS: readonly string[] = [...ISTIO_KINDS, ...GATEWAY_API_KINDS.map((k) => `${k}.${GATEWAY_API_GROUP}`)];
const ISTIO = new Set<string>(CONFIG_KINDS);

function list(value: string | undefined): string[] {
  return value ? [...new Set(value.split(','))] : [];
}

function checkNamespaces(inv: Inventory, requested: string[]): void {
  const unknown = requested.filter((ns) => !inv.namespaces.has(ns));
  if (unknown.length > 0) throw badRequest(`querystring/namespaces: unknown namespace ${unknown.map((n) => `"${n}"`).join(', ')}; GET /api/namespaces lists the known ones`);
}

/** Kinds a filter may name: the Istio and Gateway API kinds and every kind of the inventory except Secret. */
function checkKinds(inv: Inventory, requested: string[]): void {
  const known = new Set<string>(CONFIG_KINDS);
  for (const o of inv.objects) if (o.ref.kind !== 'Secret') known.add(o.ref.kind);
  const unknown = requested.filter((k) => !known.has(k));
  if (unknown.length > 0) throw badRequest(`querystring/kind: unknown kind ${unknown.map((k) => `"${k}"`).join(', ')}; known kinds: ${[...known].sort().join(', ')}`);
}

/** A finding's namespace for filtering: its object's, or the Namespace object's own name. */
function inNamespaces(f: Finding, ns: Set<string>): boolean {
  if (ns.size === 0) return true;
  if (f.object.namespace) return ns.has(f.object.namespace);
  return f.object.kind === 'Namespace' && ns.has(f.object.name);
}

function byObject(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = refKey(f.object);
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return out;
}

function worst(findings: Finding[]): Severity | undefined {
  let best: Severity | undefined;
  for (const f of findings) if (!best || SEVERITY_RANK[f.severity] < SEVERITY_RANK[best]) best = f.severity;
  return best;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : []);
const records = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : []);

/** What a list is searched by besides the name: the hosts and gateways an object names, and its labels. */
function searchFields(object: { spec?: unknown; metadata?: { labels?: Record<string, string> } }): Pick<ConfigItem, 'hosts' | 'gateways' | 'labels'> {
  const spec = (typeof object.spec === 'object' && object.spec !== null ? object.spec : {}) as Record<string, unknown>;
  const hosts = [
    ...strings(spec.hosts),
    ...(typeof spec.host === 'string' && spec.host ? [spec.host] : []),
    ...records(spec.servers).flatMap((s) => strings(s.hosts)),
    ...records(spec.egress).flatMap((e) => strings(e.hosts)),
    ...strings(spec.hostnames),
  ];
  const gateways = [...strings(spec.gateways), ...records(spec.parentRefs).flatMap((p) => (typeof p.name === 'string' ? [typeof p.namespace === 'string' ? `${p.namespace}/${p.name}` : p.name] : []))];
  const labels = object.metadata?.labels;
  const out: Pick<ConfigItem, 'hosts' | 'gateways' | 'labels'> = {};
  if (hosts.length > 0) out.hosts = [...new Set(hosts)];
  if (gateways.length > 0) out.gateways = [...new Set(gateways)];
  if (labels && Object.keys(labels).length > 0) out.labels = { ...labels };
  return out;
}

/** The config routes over `health`, the server's one check engine per source (the snapshot route reads it too). */
export function configRoutes(source: MeshSource, health: ConfigHealth): FastifyPluginAsyncTypebox {
  return async (app) => {

    /** The namespace, kind and severity filters both list routes take, checked against the inventory. */
    const filters = (query: { namespaces?: string; kind?: string; severity?: string }) => {
      const current = health.current();
      const namespaces = list(query.namespaces);
      const kinds = list(query.kind);
      checkNamespaces(current.inventory, namespaces);
      checkKinds(current.inventory, kinds);
      return { ...current, ns: new Set(namespaces), kindSet: new Set(kinds), severities: new Set(list(query.severity)) };
    };

    app.get('/api/findings', { schema: { querystring: FindingsQuery } }, async (req): Promise<FindingsResponse> => {
      const { engine, ns, kindSet, severities } = filters(req.query);
      const ofKind = (f: Finding) => kindSet.size === 0 || kindSet.has(f.object.kind);
      const scoped = engine.findings().filter((f) => inNamespaces(f, ns) && ofKind(f));
      // The graph marks a node for findings elsewhere that name its objects (a DestinationRule in istio-system naming a pod).
      const involved = req.query.include === 'references' && ns.size > 0
        ? engine.findings().filter((f) => !inNamespaces(f, ns) && ofKind(f) && f.references.some((r) => r.object.namespace !== undefined && ns.has(r.object.namespace)))
        : [];
      const all = involved.length > 0 ? [...scoped, ...involved] : scoped;
      // The summary counts the namespaces' own findings and ignores the severity filter, so a client showing only
      // errors still knows how many warnings there are.
      const findings = severities.size === 0 ? all : all.filter((f) => severities.has(f.severity));
      return { findings, summary: summarize(scoped) };
    });

    app.get('/api/config', { schema: { querystring: ConfigQuery } }, async (req): Promise<ConfigListResponse> => {
      const { engine, inventory, ns, kindSet, severities } = filters(req.query);
      const findings = byObject(engine.findings());
      const items: ConfigItem[] = [];
      for (const obj of inventory.objects) {
        const { ref } = obj;
        if (ref.kind === 'Secret') continue;
        const own = findings.get(refKey(ref)) ?? [];
        // Istio and Gateway API objects always; other objects (Services, workloads, namespaces) when a finding is about them.
        if (!ISTIO.has(ref.kind) && own.length === 0) continue;
        const namespace = ref.namespace ?? (ref.kind === 'Namespace' ? ref.name : undefined);
        if (ns.size > 0 && (!namespace || !ns.has(namespace))) continue;
        if (kindSet.size > 0 && !kindSet.has(ref.kind)) continue;
        const severity = worst(own);
        if (severities.size > 0 && (!severity || !severities.has(severity))) continue;
        const counts = { error: 0, warning: 0, info: 0 };
        for (const f of own) counts[f.severity]++;
        const item: ConfigItem = { ref: { ...ref }, apiVersion: obj.object.apiVersion, counts };
        if (severity) item.severity = severity;
        if (obj.origin.file !== undefined) item.file = obj.origin.file;
        if (obj.origin.line !== undefined) item.line = obj.origin.line;
        Object.assign(item, searchFields(obj.object));
        items.push(item);
      }
      items.sort((a, b) => (a.ref.namespace ?? '').localeCompare(b.ref.namespace ?? '') || a.ref.kind.localeCompare(b.ref.kind) || a.ref.name.localeCompare(b.ref.name));
      return { items };
    });

    app.get('/api/config/:kind/:namespace/:name', { schema: { params: ObjectParams } }, async (req): Promise<ConfigObjectResponse> => {
      const { engine, inventory } = health.current();
      const { kind, name } = req.params;
      const ref: ObjectRef = req.params.namespace === '-' ? { kind, name } : { kind, namespace: req.params.namespace, name };
      if (kind === 'Secret') {
        throw new HttpError(404, `${formatRef(ref)} is a Secret: Meshlens keeps Secrets' metadata only and never shows their content.`);
      }
      const obj = inventory.byKey.get(refKey(ref));
      if (!obj) {
        const where = ref.namespace ? `GET /api/config?namespaces=${ref.namespace} lists the namespace's objects` : 'cluster-scoped objects use "-" as the namespace';
        throw new HttpError(404, `No ${formatRef(ref)} in the inventory of ${source.name}; check the kind, namespace and name (${where}).`);
      }
      const text = await objectYaml(obj);
      const own = byObject(engine.findings()).get(refKey(ref)) ?? [];
      const findings = own.map((f) => {
        const yamlLine = text.lineOf(f);
        return yamlLine === undefined ? { ...f } : { ...f, yamlLine };
      });
      // findings of other objects that name this one among the objects involved, with this object's part in them
      const key = refKey(ref);
      const involving: InvolvingFinding[] = engine.findingsInvolving(ref).map((f) => {
        const r = f.references.find((x) => refKey(x.object) === key)!;
        const involvement: InvolvingFinding['involvement'] = {};
        if (r.note) involvement.note = r.note;
        if (r.path) {
          // the involved field's line in this page's YAML (a reference without a field is the whole object)
          involvement.path = r.path;
          const yamlLine = text.lineOf({ ...f, object: { ...obj.ref }, path: r.path, file: r.file, line: r.line });
          if (yamlLine !== undefined) involvement.yamlLine = yamlLine;
        }
        return { ...f, involvement };
      });
      const { references, referencedBy } = referencesOf(inventory, ref);
      return { ref: { ...obj.ref }, apiVersion: obj.object.apiVersion, yaml: text.yaml, findings, involving, references, referencedBy };
    });
  };
}

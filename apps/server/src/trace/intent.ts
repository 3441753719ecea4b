/**
 * What an ignored rule meant. The trace names a VirtualService it does not apply (seed 001: eg1 names
 * *.wikipedia.org, but no ServiceEntry defines en.wikipedia.org, so the sidecar never builds its route); the page
 * says where that rule would have sent the request — the egress gateway — so that a person sees the gap between
 * what was written and what happens. Pure: a function of the inventory and the trace.
 */
import { hostMatches, lookupRegistryHost, positionOf, serviceByHost, toFqdn, workloadsOfService, type Inventory, type WorkloadView } from '@meshlens/mesh';
import { refKey, type InventoryObject, type IntentTarget, type RuleRef, type TraceIntent, type TraceResult } from '@meshlens/model';

type Spec = Record<string, unknown>;
const records = (v: unknown): Spec[] => (Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Spec) : {})) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The role of a gateway proxy from the installer's labels, or undefined for other workloads. */
export function gatewayRole(w: Pick<WorkloadView, 'labels' | 'isGatewayProxy' | 'containers'>): string | undefined {
  const l = w.labels;
  if (l['istio'] === 'egressgateway' || l['operator.istio.io/component'] === 'EgressGateways') return 'egress gateway';
  if (l['istio'] === 'ingressgateway' || l['operator.istio.io/component'] === 'IngressGateways') return 'ingress gateway';
  if (l['gateway.istio.io/managed'] !== undefined) return 'gateway';
  if (w.isGatewayProxy && w.containers.length > 0 && w.containers.every((c) => c.name === 'istio-proxy')) return 'gateway';
  return undefined;
}

/** The VirtualService section a request of this protocol is matched against by a sidecar. */
function sectionOf(protocol: TraceResult['request']['protocol']): 'http' | 'tls' | 'tcp' {
  if (protocol === 'https' || protocol === 'tls') return 'tls';
  if (protocol === 'tcp') return 'tcp';
  return 'http';
}

/**
 * True when a match entry admits the request at a sidecar (`gateways` naming `mesh`, the port, the SNI; for HTTP the
 * URI and exact headers). Conditions Meshlens cannot judge here (regexes, source labels) do not admit it: the intent
 * is then left unsaid rather than guessed.
 */
function entryAdmits(m: Spec, section: 'http' | 'tls' | 'tcp', vsGateways: string[], req: TraceResult['request']): boolean {
  const gateways = strings(m.gateways);
  if (!(gateways.length > 0 ? gateways : vsGateways).includes('mesh')) return false;
  if (typeof m.port === 'number' && m.port !== req.port) return false;
  if (m.sourceLabels !== undefined || m.sourceNamespace !== undefined) return false;
  if (section === 'tls') {
    const sni = req.sni ?? req.host;
    return sni !== undefined && strings(m.sniHosts).some((h) => hostMatches(h, sni));
  }
  if (section === 'http') {
    const uri = m.uri as Spec | undefined;
    const path = req.path ?? '/';
    if (uri) {
      if (typeof uri.exact === 'string' ? uri.exact !== path : typeof uri.prefix === 'string' ? !path.startsWith(uri.prefix) : true) return false;
    }
    const headers = (m.headers ?? {}) as Record<string, Spec>;
    for (const [name, cond] of Object.entries(headers)) {
      const value = req.headers?.[name.toLowerCase()];
      if (typeof cond?.exact !== 'string' || value !== cond.exact) return false;
    }
    for (const key of ['method', 'authority', 'scheme', 'queryParams', 'withoutHeaders']) if (m[key] !== undefined) return false;
  }
  return true;
}

/** The first rule of `section` that admits the request at a sidecar, with its path. */
function firstRule(vs: InventoryObject, section: 'http' | 'tls' | 'tcp', req: TraceResult['request']): { rule: Spec; path: string } | undefined {
  const spec = (vs.object.spec ?? {}) as Spec;
  const vsGateways = strings(spec.gateways);
  const rules = records(spec[section]);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const matches = records(rule.match);
    const admits = matches.length === 0 ? (vsGateways.length === 0 || vsGateways.includes('mesh')) : matches.some((m) => entryAdmits(m, section, vsGateways, req));
    if (admits) return { rule, path: `spec.${section}[${i}]` };
  }
  return undefined;
}

/** Where a route destination host leads: a gateway's Service, another Service, a ServiceEntry, or nothing known. */
export function intentTarget(inv: Inventory, host: string, vsNamespace: string, fromNamespace: string, subset?: string, port?: number): IntentTarget {
  const fqdn = toFqdn(host, vsNamespace, inv.clusterDomain);
  const extra = { ...(subset ? { subset } : {}), ...(port !== undefined ? { port } : {}) };
  const svc = serviceByHost(inv, fqdn, vsNamespace);
  if (svc) {
    const workloads = workloadsOfService(inv, svc);
    const gateways = workloads.filter((w) => gatewayRole(w));
    const names = (gateways.length > 0 ? gateways : workloads).map((w) => `${w.namespace}/${w.name}`);
    if (gateways.length > 0) {
      const role = gatewayRole(gateways[0]!)!;
      return { kind: 'gateway', host, fqdn, ...extra, namespace: svc.namespace, name: svc.name, workloads: names, role, description: `the ${role} ${names.join(', ')}` };
    }
    return { kind: 'service', host, fqdn, ...extra, namespace: svc.namespace, name: svc.name, workloads: names, description: `Service ${svc.namespace}/${svc.name}` };
  }
  const entry = lookupRegistryHost(inv, fqdn, fromNamespace);
  if (entry && entry.kind === 'ServiceEntry') {
    return { kind: 'serviceEntry', host, fqdn, ...extra, namespace: entry.namespace, name: entry.name, workloads: [], description: `${entry.host} (ServiceEntry ${entry.namespace}/${entry.name})` };
  }
  return { kind: 'unknown', host, fqdn, ...extra, workloads: [], description: `${fqdn}, which is neither a Service nor a ServiceEntry host` };
}

/**
 * For every VirtualService the trace shows as ignored (`decidedBy` notes that start with "Ignored"), the route its
 * first rule that admits the request at a sidecar would take. Rules of gateways and rules whose match Meshlens
 * cannot judge here are left out.
 */
export function traceIntents(inv: Inventory, result: TraceResult): TraceIntent[] {
  const out: TraceIntent[] = [];
  const fromNamespace = result.request.source.kind === 'outside' ? 'default' : result.request.source.namespace;
  const section = sectionOf(result.request.protocol);
  result.paths.forEach((path, pathIndex) => {
    path.hops.forEach((hop, hopIndex) => {
      for (const ignored of hop.decidedBy) {
        if (ignored.object.kind !== 'VirtualService' || !/^Ignored\b/.test(ignored.note)) continue;
        const vs = inv.byKey.get(refKey(ignored.object));
        if (!vs) continue;
        const found = firstRule(vs, section, result.request);
        const route = found ? records(found.rule.route) : [];
        const first = route.findIndex((r) => typeof (r.destination as Spec | undefined)?.host === 'string');
        if (!found || first < 0) continue;
        const dest = route[first]!.destination as Spec;
        const portSpec = dest.port as Spec | undefined;
        const target = intentTarget(
          inv, dest.host as string, vs.ref.namespace ?? 'default', fromNamespace,
          typeof dest.subset === 'string' ? dest.subset : undefined, typeof portSpec?.number === 'number' ? portSpec.number : undefined,
        );
        const routePath = `${found.path}.route[${first}]`;
        const at = positionOf(vs, routePath);
        const name = `VirtualService ${vs.ref.namespace}/${vs.ref.name}`;
        const hosts = strings(((vs.object.spec ?? {}) as Spec).hosts).filter((h) => hostMatches(h, result.request.host ?? result.request.sni ?? '')).join(', ') || strings(((vs.object.spec ?? {}) as Spec).hosts).join(', ');
        const via = `${target.fqdn}${target.subset ? `, subset ${target.subset}` : ''}`;
        const sentence = target.kind === 'gateway' || target.kind === 'service'
          ? `${name} routes ${hosts} from the mesh to ${via}: ${target.description}.`
          : `${name} routes ${hosts} from the mesh to ${target.description}.`;
        const rule: RuleRef = { object: { ...vs.ref }, path: routePath, note: sentence, ...(at.file !== undefined ? { file: at.file } : {}), ...(at.line !== undefined ? { line: at.line } : {}), ...(at.column !== undefined ? { column: at.column } : {}) };
        const whyIgnored = ignored.note.replace(/^Ignored:\s*/, '');
        if (!out.some((o) => o.pathIndex === pathIndex && refKey(o.rule.object) === refKey(rule.object) && o.rule.path === rule.path)) {
          out.push({ pathIndex, hopIndex, rule, target, sentence, whyIgnored });
        }
      }
    });
  });
  return out;
}

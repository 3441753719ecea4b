/**
 * What the tracer's form offers: the sources (workloads, gateway proxies) and URLs for the hosts the mesh knows —
 * Services' FQDNs and ServiceEntry hosts of the registry, and the server hosts of Gateways — each list bounded.
 */
import { isWildcard, registryEntries, type Inventory } from '@meshlens/mesh';
import type { TraceHostSuggestion, TraceSuggestions } from '@meshlens/model';
import { gatewayRole } from './intent.js';

/** At most this many of each kind: enough for a datalist, small enough for a mesh of 10,000 workloads. */
export const SUGGESTION_LIMIT = 500;

/** The URL scheme for a port, from its protocol or name the way Istio reads it (`http-web`, `grpc`, `tls`, `tcp`). */
export function schemeOf(port: { name?: string; protocol?: string; appProtocol?: string }, l4Protocol = false): 'http' | 'https' | 'grpc' | 'tls' | 'tcp' {
  // a Service's `protocol` is Kubernetes' L4 one (TCP, UDP): Istio reads the name and appProtocol, and so does this
  const words = [port.appProtocol, port.name, l4Protocol ? undefined : port.protocol].map((w) => (w ?? '').toLowerCase());
  for (const w of words) {
    if (w.startsWith('grpc-web') || w.startsWith('http2') || w === 'http' || w.startsWith('http-')) return 'http';
    if (w.startsWith('grpc')) return 'grpc';
    if (w.startsWith('https')) return 'https';
    if (w.startsWith('tls')) return 'tls';
    if (w === 'tcp' || w.startsWith('tcp-') || w.startsWith('mongo') || w.startsWith('mysql') || w.startsWith('redis')) return 'tcp';
  }
  return 'http';
}

/** `http://reviews.bookinfo.svc.cluster.local:9080`, `https://en.wikipedia.org` (default ports left out). */
export function urlOf(scheme: string, host: string, port: number): string {
  const dflt = (scheme === 'http' && port === 80) || ((scheme === 'https' || scheme === 'tls') && port === 443);
  return `${scheme}://${host}${dflt ? '' : `:${port}`}`;
}

function gatewayHosts(inv: Inventory): TraceHostSuggestion[] {
  const out: TraceHostSuggestion[] = [];
  for (const gw of inv.istio.Gateway) {
    const servers = Array.isArray(gw.object.spec?.servers) ? (gw.object.spec!.servers as unknown[]) : [];
    for (const s of servers) {
      const server = (s ?? {}) as { hosts?: unknown; port?: { number?: unknown; protocol?: unknown; name?: unknown } };
      const number = typeof server.port?.number === 'number' ? server.port.number : undefined;
      if (number === undefined) continue;
      const scheme = schemeOf({ protocol: typeof server.port?.protocol === 'string' ? server.port.protocol : undefined, name: typeof server.port?.name === 'string' ? server.port.name : undefined });
      const hosts = Array.isArray(server.hosts) ? server.hosts.filter((h): h is string => typeof h === 'string') : [];
      for (const written of hosts) {
        const host = written.includes('/') ? written.slice(written.indexOf('/') + 1) : written;
        if (!host || isWildcard(host)) continue;
        out.push({ url: urlOf(scheme, host, number), host, kind: 'Gateway', object: `${gw.ref.namespace}/${gw.ref.name}` });
      }
    }
  }
  return out;
}

function registryHosts(inv: Inventory): TraceHostSuggestion[] {
  const out: TraceHostSuggestion[] = [];
  for (const e of registryEntries(inv)) {
    if (isWildcard(e.host)) continue;
    const ports = e.ports.length > 0 ? e.ports : [{ number: 80, name: 'http' }];
    for (const p of ports) out.push({ url: urlOf(schemeOf(p, e.kind === 'Service'), e.host, p.number), host: e.host, kind: e.kind, object: `${e.namespace}/${e.name}` });
  }
  return out;
}

function bounded<T>(items: T[], limit: number): { items: T[]; truncated: boolean } {
  return items.length > limit ? { items: items.slice(0, limit), truncated: true } : { items, truncated: false };
}

/** The form's suggestions, filtered by `q` (a part of the text, any case) and cut at `limit` per kind. */
export function traceSuggestions(inv: Inventory, q: string | undefined, limit = SUGGESTION_LIMIT): TraceSuggestions {
  const needle = (q ?? '').trim().toLowerCase();
  const keep = (text: string) => needle === '' || text.toLowerCase().includes(needle);
  const workloads: string[] = [];
  const gateways: string[] = [];
  for (const w of inv.workloads) {
    const name = `${w.namespace}/${w.name}`;
    if (gatewayRole(w)) {
      if (keep(`gateway:${name}`)) gateways.push(`gateway:${name}`);
    } else if (keep(name)) workloads.push(name);
  }
  const seen = new Set<string>();
  const hosts = [...registryHosts(inv), ...gatewayHosts(inv)].filter((h) => {
    if (seen.has(h.url) || !keep(h.url)) return false;
    seen.add(h.url);
    return true;
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const w = bounded(workloads.sort(cmp), limit);
  const g = bounded(gateways.sort(cmp), limit);
  const h = bounded(hosts.sort((a, b) => cmp(a.url, b.url)), limit);
  return { workloads: w.items, gateways: g.items, hosts: h.items, truncated: w.truncated || g.truncated || h.truncated };
}

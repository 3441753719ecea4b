/**
 * The tracer's request from the trace page's URL state (`from=`, `url=`, headers, SNI, method, identities), read as
 * `meshlens trace` reads them (apps/server/src/trace-command.ts), for the what-if worker. Undefined when it is not
 * one: the server's trace says why.
 */
import type { TraceProtocol, TraceRequest, TraceSource } from '@meshlens/model';

const SCHEMES: Record<string, { protocol: TraceProtocol; port: number }> = {
  http: { protocol: 'http', port: 80 },
  https: { protocol: 'https', port: 443 },
  grpc: { protocol: 'grpc', port: 80 },
  tls: { protocol: 'tls', port: 443 },
  tcp: { protocol: 'tcp', port: 0 },
};

export interface TraceInput {
  from: string;
  url: string;
  headers?: string[];
  sni?: string | null;
  method?: string | null;
  principal?: string | null;
  requestPrincipal?: string | null;
}

export function sourceOf(from: string): TraceSource | undefined {
  if (from === 'outside') return { kind: 'outside' };
  const gateway = /^gateway:([^/]+)\/(.+)$/.exec(from);
  if (gateway) return { kind: 'gateway', namespace: gateway[1]!, name: gateway[2]! };
  const wl = /^([^/:]+)\/([^/]+)$/.exec(from);
  return wl ? { kind: 'workload', namespace: wl[1]!, name: wl[2]! } : undefined;
}

export function traceRequestOf(input: TraceInput): TraceRequest | undefined {
  const source = sourceOf(input.from);
  if (!source) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input.url) ? input.url : `http://${input.url}`);
  } catch {
    return undefined;
  }
  const scheme = SCHEMES[url.protocol.replace(':', '')];
  if (!scheme) return undefined;
  const port = url.port ? Number(url.port) : scheme.port;
  if (!port) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const headers: Record<string, string> = {};
  for (const h of input.headers ?? []) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':') ? host : undefined;
  const isL7 = scheme.protocol === 'http' || scheme.protocol === 'grpc';
  return {
    source,
    protocol: scheme.protocol,
    ...(ip ? { ip } : { host }),
    port,
    ...(isL7 ? { path: `${url.pathname}${url.search}`, method: (input.method ?? 'GET').toUpperCase(), headers } : {}),
    ...(scheme.protocol === 'https' || scheme.protocol === 'tls' ? { sni: input.sni ?? host } : {}),
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.requestPrincipal ? { requestPrincipal: input.requestPrincipal } : {}),
  };
}

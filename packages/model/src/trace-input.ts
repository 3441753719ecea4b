/**
 * What `meshlens trace`, `GET /api/trace` and the browser's what-if worker read a request from: `--from`
 * (`ns/workload`, `gateway:ns/name`, `outside`), a URL (`https://en.wikipedia.org/wiki`, `tcp://tcp-echo:9000`,
 * `reviews:9080/path`), headers, SNI, method, and the caller's identities. One reader, so the three agree; a bad
 * value throws a TraceInputError whose sentence names the CLI's flag (the API and the page word it their way).
 */
import type { TraceProtocol, TraceRequest, TraceSource } from './trace.js';

/** WHATWG URL, global in Node and in browsers; this package compiles without either's types, so its shape is here. */
interface ParsedUrl { protocol: string; port: string; hostname: string; pathname: string; search: string }
declare const URL: new (input: string) => ParsedUrl;

export class TraceInputError extends Error {}

export const TRACE_SCHEMES: Readonly<Record<string, { protocol: TraceProtocol; port: number }>> = {
  http: { protocol: 'http', port: 80 },
  https: { protocol: 'https', port: 443 },
  grpc: { protocol: 'grpc', port: 80 },
  tls: { protocol: 'tls', port: 443 },
  tcp: { protocol: 'tcp', port: 0 },
};

/** `ns/workload`, `gateway:ns/name`, or `outside`. */
export function parseTraceSource(from: string): TraceSource {
  if (from === 'outside') return { kind: 'outside' };
  const gateway = /^gateway:([^/]+)\/(.+)$/.exec(from);
  if (gateway) return { kind: 'gateway', namespace: gateway[1]!, name: gateway[2]! };
  const wl = /^([^/:]+)\/([^/]+)$/.exec(from);
  if (wl) return { kind: 'workload', namespace: wl[1]!, name: wl[2]! };
  throw new TraceInputError(`--from "${from}": expected <namespace>/<workload>, gateway:<namespace>/<name> or outside`);
}

/** The request of a URL; a URL without a scheme is http. The method is taken as given. */
export function parseTraceTarget(target: string, opts: { headers?: readonly string[]; method?: string; sni?: string }): Omit<TraceRequest, 'source'> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`;
  let url: ParsedUrl;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TraceInputError(`"${target}" is not a URL: write it like https://en.wikipedia.org or tcp://tcp-echo:9000`);
  }
  const scheme = TRACE_SCHEMES[url.protocol.replace(':', '')];
  if (!scheme) throw new TraceInputError(`scheme "${url.protocol}" is not one of ${Object.keys(TRACE_SCHEMES).join(', ')}`);
  const port = url.port ? Number(url.port) : scheme.port;
  if (!port) throw new TraceInputError(`"${target}": a ${url.protocol}// URL needs a port`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const headers: Record<string, string> = {};
  for (const h of opts.headers ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new TraceInputError(`-H "${h}": expected "name: value"`);
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':') ? host : undefined;
  const isL7 = scheme.protocol === 'http' || scheme.protocol === 'grpc';
  return {
    protocol: scheme.protocol,
    ...(ip ? { ip } : { host }),
    port,
    ...(isL7 ? { path: `${url.pathname}${url.search}`, method: opts.method ?? 'GET', headers } : {}),
    ...(scheme.protocol === 'https' || scheme.protocol === 'tls' ? { sni: opts.sni ?? host } : {}),
  };
}

/**
 * The caller's mTLS identity (`spiffe://<td>/ns/<ns>/sa/<sa>`, `<td>/ns/<ns>/sa/<sa>` or `<ns>/<sa>`) and a JWT
 * principal `<iss>/<sub>`, checked for their shape.
 */
export function parseTraceIdentity(opts: { principal?: string; requestPrincipal?: string }): Pick<TraceRequest, 'principal' | 'requestPrincipal'> {
  const out: Pick<TraceRequest, 'principal' | 'requestPrincipal'> = {};
  if (opts.principal !== undefined) {
    const p = opts.principal.trim();
    if (!/^(spiffe:\/\/)?[^/\s]+\/ns\/[^/\s]+\/sa\/[^/\s]+$/.test(p) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p)) {
      throw new TraceInputError(`--principal "${opts.principal}": expected spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount>, cluster.local/ns/<namespace>/sa/<serviceaccount> or <namespace>/<serviceaccount>`);
    }
    out.principal = p;
  }
  if (opts.requestPrincipal !== undefined) {
    const rp = opts.requestPrincipal.trim();
    const i = rp.lastIndexOf('/');
    if (i <= 0 || i === rp.length - 1 || /\s/.test(rp)) throw new TraceInputError(`--request-principal "${opts.requestPrincipal}": expected <issuer>/<subject>, e.g. https://accounts.example.com/alice`);
    out.requestPrincipal = rp;
  }
  return out;
}

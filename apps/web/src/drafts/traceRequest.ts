/**
 * The tracer's request from the trace page's URL state (`from=`, `url=`, headers, SNI, method, identities), read by the
 * same reader as `meshlens trace` and `GET /api/trace` (@meshlens/model's trace-input.ts), for the what-if worker.
 * Undefined when it is not one: the server's trace says why.
 */
import { parseTraceIdentity, parseTraceSource, parseTraceTarget, type TraceRequest, type TraceSource } from '@meshlens/model';

export interface TraceInput {
  from: string;
  url: string;
  headers?: string[];
  sni?: string | null;
  method?: string | null;
  principal?: string | null;
  requestPrincipal?: string | null;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export function sourceOf(from: string): TraceSource | undefined {
  return attempt(() => parseTraceSource(from));
}

export function traceRequestOf(input: TraceInput): TraceRequest | undefined {
  return attempt(() => ({
    source: parseTraceSource(input.from),
    // the method upper-cased, as GET /api/trace reads it
    ...parseTraceTarget(input.url, { headers: input.headers ?? [], method: (input.method ?? 'GET').toUpperCase(), ...(input.sni ? { sni: input.sni } : {}) }),
    ...parseTraceIdentity({ ...(input.principal ? { principal: input.principal } : {}), ...(input.requestPrincipal ? { requestPrincipal: input.requestPrincipal } : {}) }),
  }));
}

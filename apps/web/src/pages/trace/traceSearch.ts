/**
 * The tracer's search params (`/trace`): the request — `from` (`ns/workload`, `gateway:ns/name` or `outside`), `url`,
 * `header` (repeatable, `Name: value` each), `sni`, `method`, the caller's identity where it cannot be derived (`principal`,
 * a SPIFFE id or `ns/sa`) and a JWT principal (`requestPrincipal`, `iss/sub`) — and the shared window (`namespaces`, `duration`,
 * `queryTime`) whose telemetry is compared with the configuration. Pure, so the route file imports it without the page.
 */
import { validateWindowSearch, type WindowSearch } from '../../router/carry';
import { defined, repeatedParam, textParam, type RawSearch } from '../../router/search';
import { DEFAULT_DURATION, type EveryKey } from '../lists/listSearch';

export const TRACE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export interface TraceSearch extends WindowSearch {
  from?: string;
  url?: string;
  /** `Name: value`, in order (one `header=` per header in the URL). */
  header?: string[];
  sni?: string;
  /** Upper case; absent: GET. */
  method?: string;
  /** The caller's mTLS identity: `spiffe://cluster.local/ns/<ns>/sa/<sa>` or `<ns>/<sa>`. */
  principal?: string;
  /** The request's JWT principal `<iss>/<sub>`. */
  requestPrincipal?: string;
}

export function validateTraceSearch(raw: RawSearch): TraceSearch {
  const method = textParam(raw.method)?.trim().toUpperCase();
  return defined({
    ...validateWindowSearch(raw),
    from: textParam(raw.from)?.trim() || undefined,
    url: textParam(raw.url)?.trim() || undefined,
    header: repeatedParam(raw.header)?.map((h) => h.trim()).filter((h) => h.length > 0),
    sni: textParam(raw.sni)?.trim() || undefined,
    method: method && /^[A-Z]{1,20}$/.test(method) && method !== 'GET' ? method : undefined,
    principal: textParam(raw.principal)?.trim() || undefined,
    requestPrincipal: textParam(raw.requestPrincipal)?.trim() || undefined,
  });
}

/** The request of the page, as the form edits it and the API reads it. */
export interface TraceRequestState {
  from: string;
  url: string;
  headers: string[];
  sni: string;
  method: string;
  /** `--principal`: empty when the source's own identity applies. */
  principal: string;
  /** `--request-principal`: empty for a request without a JWT. */
  requestPrincipal: string;
}

export interface TraceState extends TraceRequestState {
  namespaces: string[] | null;
  duration: number;
  queryTime: number | null;
}

export const EMPTY_REQUEST: TraceRequestState = { from: '', url: '', headers: [], sni: '', method: 'GET', principal: '', requestPrincipal: '' };

export function traceStateFromSearch(search: TraceSearch): TraceState {
  return {
    namespaces: search.namespaces && search.namespaces.length > 0 ? search.namespaces : null,
    duration: search.duration ?? DEFAULT_DURATION,
    queryTime: search.queryTime ?? null,
    from: search.from ?? '',
    url: search.url ?? '',
    headers: search.header && search.header.length > 0 ? search.header : [],
    sni: search.sni ?? '',
    method: search.method ?? 'GET',
    principal: search.principal ?? '',
    requestPrincipal: search.requestPrincipal ?? '',
  };
}

/** The search for a state, every key present (`undefined`: left out, and not carried over from the page left). */
export function searchFromTraceState(s: TraceState): EveryKey<TraceSearch> {
  const headers = s.headers.map((h) => h.trim()).filter((h) => h.length > 0);
  const method = s.method.trim().toUpperCase();
  return {
    namespaces: s.namespaces ?? undefined,
    duration: s.duration !== DEFAULT_DURATION ? s.duration : undefined,
    queryTime: s.queryTime ?? undefined,
    from: s.from.trim() || undefined,
    url: s.url.trim() || undefined,
    header: headers.length > 0 ? headers : undefined,
    sni: s.sni.trim() || undefined,
    method: method && method !== 'GET' ? method : undefined,
    principal: s.principal.trim() || undefined,
    requestPrincipal: s.requestPrincipal.trim() || undefined,
  };
}

export function readTraceState(search: RawSearch): TraceState {
  return traceStateFromSearch(validateTraceSearch(search));
}

/** True when the page has a request to trace (both `from` and `url`). */
export function hasRequest(s: TraceRequestState): boolean {
  return s.from.trim() !== '' && s.url.trim() !== '';
}

/**
 * `GET /api/trace`'s query string for a state: the request, then the window (duration always, queryTime when
 * fixed), one `header=` per header. One state is one string: it is the query's cache key too.
 */
export function traceParams(s: TraceState): string {
  const p = new URLSearchParams();
  p.set('from', s.from.trim());
  p.set('url', s.url.trim());
  for (const h of s.headers.map((x) => x.trim()).filter(Boolean)) p.append('header', h);
  if (s.sni.trim()) p.set('sni', s.sni.trim());
  if (s.method.trim() && s.method.trim().toUpperCase() !== 'GET') p.set('method', s.method.trim().toUpperCase());
  if (s.principal.trim()) p.set('principal', s.principal.trim());
  if (s.requestPrincipal.trim()) p.set('requestPrincipal', s.requestPrincipal.trim());
  p.set('duration', String(s.duration));
  if (s.queryTime !== null) p.set('queryTime', String(s.queryTime));
  return p.toString();
}

/** A header row of the form: name and value. */
export interface HeaderRow {
  name: string;
  value: string;
}

/** `Name: value` → row (a text without a colon is all name, so the form shows what the URL had). */
export function headerRow(text: string): HeaderRow {
  const i = text.indexOf(':');
  return i < 0 ? { name: text.trim(), value: '' } : { name: text.slice(0, i).trim(), value: text.slice(i + 1).trim() };
}

/** Rows → `Name: value` texts, rows without a name left out. */
export function headerTexts(rows: HeaderRow[]): string[] {
  return rows.filter((r) => r.name.trim() !== '').map((r) => `${r.name.trim()}: ${r.value.trim()}`);
}

/** What is wrong with the form before it is sent, per field (the server says the rest, in its own words). */
export function requestProblems(r: TraceRequestState, rows: HeaderRow[]): { from?: string; url?: string; headers?: string; principal?: string; requestPrincipal?: string } {
  const out: { from?: string; url?: string; headers?: string; principal?: string; requestPrincipal?: string } = {};
  const from = r.from.trim();
  if (!from) out.from = 'Pick who sends the request: a workload (namespace/name), gateway:namespace/name, or outside.';
  else if (from !== 'outside' && !/^(gateway:)?[^/:\s]+\/[^/\s]+$/.test(from)) out.from = 'Write namespace/workload, gateway:namespace/name, or outside.';
  if (!r.url.trim()) out.url = 'Give the URL the request goes to, e.g. https://en.wikipedia.org or http://reviews:9080/reviews/0.';
  else if (/\s/.test(r.url.trim())) out.url = 'A URL has no spaces.';
  const unnamed = rows.findIndex((row) => row.name.trim() === '' && row.value.trim() !== '');
  if (unnamed >= 0) out.headers = `Header ${unnamed + 1} has a value but no name.`;
  else if (rows.some((row) => /[\s:]/.test(row.name.trim()))) out.headers = 'A header name has no spaces or colons.';
  const principal = r.principal.trim();
  if (principal && !/^(spiffe:\/\/)?[^/\s]+\/ns\/[^/\s]+\/sa\/[^/\s]+$/.test(principal) && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(principal)) {
    out.principal = 'Write spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount> or namespace/serviceaccount.';
  }
  const jwt = r.requestPrincipal.trim();
  if (jwt && (/\s/.test(jwt) || jwt.lastIndexOf('/') <= 0 || jwt.endsWith('/'))) out.requestPrincipal = 'Write issuer/subject, e.g. https://accounts.example.com/alice.';
  return out;
}

/**
 * Typed links between pages, for `<Link {...graphLink(…)}>` and `navigate(graphLink(…))`. Every link keeps the
 * scope (`cluster=`, `snapshot=`), and the namespace selection and time window when the target page reads them and
 * the link does not name them (router/carry.ts): a link names only what it changes.
 */
import { linkOptions } from '@tanstack/react-router';
import type { ObjectRef } from '@meshlens/model';
import type { ConfigListSearch } from '../pages/config/configSearch';
import { defined } from './search';

function selection(namespaces: string[] | null | undefined): string[] | undefined {
  return namespaces && namespaces.length > 0 ? namespaces : undefined;
}

/** The graph of some namespaces (the current selection when null), optionally only the nodes with findings, or finding a name. */
export function graphLink(namespaces: string[] | null, options: { findingsOnly?: boolean; find?: string } = {}) {
  return linkOptions({
    to: '/graph',
    search: defined({ namespaces: selection(namespaces), findings: options.findingsOnly ? ('only' as const) : undefined, find: options.find || undefined }),
  });
}

/** The Config list with these filters (the current namespace selection when it names none). */
export function configListLink(search: ConfigListSearch = {}) {
  return linkOptions({ to: '/config', search: defined({ ...search, namespaces: selection(search.namespaces) }) });
}

/**
 * The object page of `ref` (cluster-scoped objects use `-` as the namespace); `namespaces` keeps the selection for the
 * way back; `line` scrolls its YAML to that line and outlines it.
 */
export function objectLink(ref: ObjectRef, namespaces?: string[] | null, line?: number) {
  return linkOptions({
    to: '/config/$kind/$namespace/$name',
    params: { kind: ref.kind, namespace: ref.namespace ?? '-', name: ref.name },
    search: defined({ namespaces: selection(namespaces), line }),
  });
}

/** The request the tracer opens on: who sends it, the URL, headers (`Name: value`), SNI, method; none: an empty form. */
export interface TraceLinkRequest {
  from?: string | null;
  url?: string | null;
  headers?: string[];
  sni?: string;
  method?: string;
}

/** The route tracer with a request filled in (the window travels with the link, router/carry.ts). */
export function traceLink(request: TraceLinkRequest = {}) {
  const method = request.method?.toUpperCase();
  return linkOptions({
    to: '/trace',
    search: defined({
      from: request.from || undefined,
      url: request.url || undefined,
      header: request.headers && request.headers.length > 0 ? request.headers : undefined,
      sni: request.sni || undefined,
      method: method && method !== 'GET' ? method : undefined,
    }),
  });
}

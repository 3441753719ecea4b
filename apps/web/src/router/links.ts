/**
 * Typed links between pages, for `<Link {...graphLink(…)}>` and `navigate(graphLink(…))`. Every link keeps the
 * scope (`cluster=`, `snapshot=`), and the namespace selection and time window when the target page reads them and
 * the link does not name them (router/carry.ts): a link names only what it changes.
 */
import { linkOptions } from '@tanstack/react-router';
import type { GraphType, ObjectRef } from '@meshlens/model';
import type { ConfigListSearch } from '../pages/config/configSearch';
import { defined } from './search';

function selection(namespaces: string[] | null | undefined): string[] | undefined {
  return namespaces && namespaces.length > 0 ? namespaces : undefined;
}

/** What a graph link can ask for besides the namespaces: a filter, a find text, a graph type, idle nodes, a selection. */
export interface GraphLinkOptions {
  findingsOnly?: boolean;
  find?: string;
  /** Another graph type than the default (`workload`: workload nodes are `wl:<ns>:<name>`). */
  graphType?: GraphType;
  /** Show idle nodes (the target had no traffic in the window). */
  idle?: boolean;
  /** The node or edge id to select. */
  focus?: string;
}

/**
 * The graph of some namespaces (the current selection when null), optionally only the nodes with findings, finding a
 * name, of a graph type, with idle nodes, with a node selected.
 */
export function graphLink(namespaces: string[] | null, options: GraphLinkOptions = {}) {
  return linkOptions({
    to: '/graph',
    search: defined({
      namespaces: selection(namespaces),
      graphType: options.graphType && options.graphType !== 'versionedApp' ? options.graphType : undefined,
      findings: options.findingsOnly ? ('only' as const) : undefined,
      find: options.find || undefined,
      idle: options.idle ? true : undefined,
      focus: options.focus || undefined,
    }),
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

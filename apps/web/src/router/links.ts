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

/** The object page of `ref` (cluster-scoped objects use `-` as the namespace); `namespaces` keeps the selection for the way back. */
export function objectLink(ref: ObjectRef, namespaces?: string[] | null) {
  return linkOptions({
    to: '/config/$kind/$namespace/$name',
    params: { kind: ref.kind, namespace: ref.namespace ?? '-', name: ref.name },
    search: defined({ namespaces: selection(namespaces) }),
  });
}

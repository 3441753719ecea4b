/**
 * Going to a URL that is complete as it stands: opening a snapshot file, closing one, choosing another cluster.
 * Such a URL leaves a scope, so nothing is carried over from the page being left (router/carry.ts): every carried
 * key it does not name is named as `undefined`.
 */
import type { AnyRouter } from '@tanstack/react-router';
import { SCOPE_KEYS, WINDOW_KEYS } from './carry';
import { parseSearch, type RawSearch } from './search';

/** The search object of a complete href: its own params, and every carried key it leaves out set to undefined. */
export function exactSearch(href: string): { pathname: string; search: RawSearch } {
  const url = new URL(href, 'http://meshlens.invalid');
  const search: RawSearch = parseSearch(url.search);
  for (const key of [...SCOPE_KEYS, ...WINDOW_KEYS]) if (!(key in search)) search[key] = undefined;
  return { pathname: url.pathname, search };
}

export function navigateToHref(router: AnyRouter, href: string, options: { replace?: boolean } = {}): Promise<void> {
  const { pathname, search } = exactSearch(href);
  return router.navigate({ to: pathname, search, replace: options.replace ?? false });
}

/**
 * What travels with every in-app navigation, as search middlewares of the routes:
 * - the scope, `cluster=` and `snapshot=` (cluster/clusterParam.ts), on every page: the root route retains them;
 * - the namespace selection and the time window (`namespaces=`, `duration=`, `queryTime=`), on the pages that use
 *   them: each such route retains the ones it reads, so a link that names none keeps the current page's.
 * A link that names a key keeps its value; naming it with `undefined` drops it (how "Close snapshot" and the
 * cluster switcher leave a scope: router/navigateHref.ts).
 */
import { retainSearchParams } from '@tanstack/react-router';

export { SCOPE_KEYS, WINDOW_KEYS, validateNamespacesSearch, validateScopeSearch, validateWindowSearch, type NamespacesSearch, type ScopeSearch, type WindowSearch } from './windowSearch';
import type { NamespacesSearch, ScopeSearch, WindowSearch } from './windowSearch';
import { SCOPE_KEYS, WINDOW_KEYS } from './windowSearch';

/** On the root route: every page keeps the scope. */
export const retainScope = retainSearchParams<ScopeSearch>([...SCOPE_KEYS]);
/** On routes that read the namespace selection only (Config). */
export const retainNamespaces = retainSearchParams<NamespacesSearch>(['namespaces']);
/** On routes that read the selection and the time window (graph, and the Overview, lists and details to come). */
export const retainWindow = retainSearchParams<WindowSearch>([...WINDOW_KEYS]);

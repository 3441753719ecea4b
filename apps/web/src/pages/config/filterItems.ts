/** The Config page's filters and order, applied in the browser so typing and picking answer at once. */
import { kindLabel, type ConfigItem, type Severity } from '@meshlens/model';
import type { ConfigListState, ConfigSort } from './configSearch';

/** The text an item is searched in: kind (and its label), namespace/name, file, hosts, gateways, and labels as `key=value`. */
export function searchableText(item: ConfigItem): string {
  return [
    item.ref.kind,
    // `Gateway (Gateway API)`: the label the list shows
    kindLabel(item.ref.kind),
    `${item.ref.namespace ?? ''}/${item.ref.name}`,
    item.file ?? '',
    ...(item.hosts ?? []),
    ...(item.gateways ?? []),
    ...Object.entries(item.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ].join(' ').toLowerCase();
}

/**
 * Items passing the kind, severity and free-text filters. The text matches, case-insensitively, every
 * space-separated term somewhere in the item's kind, namespace, name, file, hosts, gateways or labels.
 */
export function filterItems(items: ConfigItem[], state: Pick<ConfigListState, 'kind' | 'severity' | 'text'>): ConfigItem[] {
  const terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((item) => {
    if (state.kind && item.ref.kind !== state.kind) return false;
    if (state.severity === 'ok' && item.severity) return false;
    if (state.severity !== 'any' && state.severity !== 'ok' && item.severity !== state.severity) return false;
    if (terms.length === 0) return true;
    const haystack = searchableText(item);
    return terms.every((t) => haystack.includes(t));
  });
}

const RANK: Record<Severity | 'none', number> = { error: 0, warning: 1, info: 2, none: 3 };

function byName(a: ConfigItem, b: ConfigItem): number {
  return (a.ref.namespace ?? '').localeCompare(b.ref.namespace ?? '') || a.ref.kind.localeCompare(b.ref.kind) || a.ref.name.localeCompare(b.ref.name);
}

/**
 * Items in the list's order: worst first (error, warning, info, no findings; then by namespace, kind and name),
 * or by name alone. A new array; the input is left as it is.
 */
export function sortItems(items: ConfigItem[], sort: ConfigSort): ConfigItem[] {
  const copy = [...items];
  if (sort === 'name') return copy.sort(byName);
  return copy.sort((a, b) => RANK[a.severity ?? 'none'] - RANK[b.severity ?? 'none'] || byName(a, b));
}

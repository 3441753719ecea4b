/**
 * Find and hide: plain text, matched case-insensitively against what a node shows (name, version,
 * namespace, badges) and its service/workload/app names. Several terms separated by commas match
 * any of them. Simpler than Kiali's expression language, and enough to spot a node by name.
 */

export function parseTerms(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

export interface Searchable {
  mlLabel?: string;
  /** A collapsed group: its members are searched instead of its label. */
  group?: { members: Array<{ id: string; name: string }> };
  namespace?: string;
  app?: string;
  workload?: string;
  service?: string;
  isBox?: string;
}

/** Whether a (non-box) node matches any term. */
export function nodeMatches(node: Searchable, terms: string[]): boolean {
  if (terms.length === 0 || node.isBox || node.group) return false;
  const haystack = [node.mlLabel, node.app, node.workload, node.service]
    .filter((s): s is string => typeof s === 'string')
    .join('\n')
    .toLowerCase();
  return terms.some((term) => haystack.includes(term));
}

/**
 * How many members of a collapsed group match any term: their name, and their id without the namespace (it holds
 * the app and version), as a drawn node matches by what it shows and by its app, workload and service.
 */
export function groupMatches(node: Searchable, terms: string[]): number {
  if (terms.length === 0 || !node.group) return 0;
  let count = 0;
  const ns = node.namespace ? `:${node.namespace}:` : null;
  for (const m of node.group.members) {
    const haystack = `${m.name}\n${ns ? m.id.replace(ns, ':') : m.id}`.toLowerCase();
    if (terms.some((term) => haystack.includes(term))) count++;
  }
  return count;
}

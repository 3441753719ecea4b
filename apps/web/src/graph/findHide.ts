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
  namespace?: string;
  app?: string;
  workload?: string;
  service?: string;
  isBox?: string;
}

/** Whether a (non-box) node matches any term. */
export function nodeMatches(node: Searchable, terms: string[]): boolean {
  if (terms.length === 0 || node.isBox) return false;
  const haystack = [node.mlLabel, node.app, node.workload, node.service]
    .filter((s): s is string => typeof s === 'string')
    .join('\n')
    .toLowerCase();
  return terms.some((term) => haystack.includes(term));
}

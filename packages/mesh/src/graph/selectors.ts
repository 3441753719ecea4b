/**
 * Label selectors for graph assembly, without the arrays `Object.keys`/`Object.entries` build per call:
 * a graph matches every workload against the Services and DestinationRule subsets of its namespace.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** True when a selector has at least one label (an empty selector selects nothing for a Service). */
export function hasLabels(selector: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  for (const k in selector) if (hasOwn.call(selector, k)) return true;
  return false;
}

/** `labelsMatch` of the inventory: every label of the selector (none: always) has the same value in `labels`. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const k in selector) if (hasOwn.call(selector, k) && labels[k] !== selector[k]) return false;
  return true;
}

/** Code-point string order: stable across locales (unlike localeCompare) and much cheaper. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts in place like `Array.prototype.sort` (stable, same result for the same comparator), by insertion
 * for short lists: the built-in sort allocates work space on every call, and the graph sorts thousands of
 * one- to three-element lists (response codes, flags, pods) per request.
 */
export function sortSmall<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > 16) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, item) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = item;
  }
  return list;
}

/** Code-point string order: stable across locales (unlike localeCompare) and much cheaper. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

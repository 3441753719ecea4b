/**
 * Text from the cluster (names, hosts, annotations) made safe to show: invisible and reordering characters are
 * written out, and what reaches the DOM or the canvas is capped (the full text stays in the title or the copy).
 */

// C0 (but tab and newline), DEL, C1; bidi controls (ALM, LRM/RLM, LRE…RLO, LRI…PDI); zero-width space, word joiner,
// BOM; line and paragraph separators. ZWJ/ZWNJ stay: emoji sequences and several scripts need them.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** `s` with control, bidi and invisible characters written as `\xNN` / `\uNNNN` (as the CLI prints them). */
export function visibleText(s: string): string {
  return s.replace(HIDDEN, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Whether `s` holds a character `visibleText` writes out. */
export function hasHiddenCharacters(s: string): boolean {
  HIDDEN.lastIndex = 0;
  const found = HIDDEN.test(s);
  HIDDEN.lastIndex = 0;
  return found;
}

/** At most `max` characters (code points) of `visibleText(s)`, ending in "…" when cut. */
export function shortText(s: string, max: number): string {
  const shown = [...visibleText(s)];
  return shown.length <= max ? shown.join('') : `${shown.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * How many characters the DOM gets: enough to fill any cell or heading before CSS cuts it with an ellipsis, few
 * enough that a 10,000-character name does not cost layout time on every row.
 */
export const DOM_TEXT_MAX = 400;

/** A label line on the graph canvas (node names, hosts): one line, capped. */
export const CANVAS_TEXT_MAX = 48;

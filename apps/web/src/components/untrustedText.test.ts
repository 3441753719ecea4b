import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters, shortText, visibleText } from './untrustedText';

describe('untrusted text', () => {
  it('writes out control, bidi and invisible characters as the CLI does, and keeps the rest', () => {
    expect(visibleText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(visibleText('invoice\u202etxt.exe')).toBe('invoice\\u202etxt.exe');
    expect(visibleText('pay\u200bments\u2066x\u2069\ufeff')).toBe('pay\\u200bments\\u2066x\\u2069\\ufeff');
    // Markup, script URLs, emoji with ZWJ, right-to-left letters, tab and newline stay as they are (React escapes markup).
    for (const s of ['<img src=x onerror=alert(1)>', 'javascript:alert(1)', '👨\u200d👩\u200d👧', 'שלום-مرحبا', 'a\tb\nc']) expect(visibleText(s)).toBe(s);
    expect([hasHiddenCharacters('a\u202eb'), hasHiddenCharacters('plain'), hasHiddenCharacters('a\u202eb')]).toEqual([true, false, true]);
  });

  it('cuts to a number of code points with an ellipsis, never inside a surrogate pair', () => {
    expect(shortText('abcdef', 6)).toBe('abcdef');
    expect(shortText('abcdefg', 6)).toBe('abcde…');
    expect(shortText('🔥🔥🔥🔥', 3)).toBe('🔥🔥…');
    expect(shortText('\u202eabc', 8)).toBe('\\u202ea…');
    expect([...shortText('x'.repeat(10_000), 48)]).toHaveLength(48);
  });
});

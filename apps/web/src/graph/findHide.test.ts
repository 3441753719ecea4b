import { describe, expect, it } from 'vitest';
import { nodeMatches, parseTerms } from './findHide';

describe('find and hide', () => {
  it('splits comma-separated terms, ignoring case and blanks', () => {
    expect(parseTerms(' Reviews, ,ratings ')).toEqual(['reviews', 'ratings']);
    expect(parseTerms('')).toEqual([]);
  });

  it('matches label lines and names, never boxes', () => {
    const node = { mlLabel: 'reviews\nv2', app: 'reviews', workload: 'reviews-v2' };
    expect(nodeMatches(node, ['v2'])).toBe(true);
    expect(nodeMatches(node, ['reviews-v2'])).toBe(true);
    expect(nodeMatches(node, ['ratings'])).toBe(false);
    expect(nodeMatches({ mlLabel: 'bookinfo', isBox: 'namespace' }, ['bookinfo'])).toBe(false);
    expect(nodeMatches(node, [])).toBe(false);
  });
});

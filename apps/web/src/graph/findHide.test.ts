import { describe, expect, it } from 'vitest';
import { groupMatches, nodeMatches, parseTerms } from './findHide';

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

describe('find inside collapsed groups', () => {
  const group = { namespace: 'team-07', isBox: undefined, group: { members: [{ id: 'vapp:team-07:svc-003:v1', name: 'svc-003 v1' }, { id: 'vapp:team-07:svc-003:v2', name: 'svc-003 v2' }, { id: 'vapp:team-07:web:v1', name: 'web v1' }] } };
  it('counts matching members by name and app, not by the namespace every member shares', () => {
    expect(groupMatches(group, ['svc-003'])).toBe(2);
    expect(groupMatches(group, ['v1'])).toBe(2);
    expect(groupMatches(group, ['team-07'])).toBe(0);
    expect(groupMatches(group, [])).toBe(0);
    // A group itself is never a plain match: its members are.
    expect(nodeMatches({ ...group, mlLabel: 'team-07\n+3' }, ['team'])).toBe(false);
  });
});

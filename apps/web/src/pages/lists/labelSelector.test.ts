import { describe, expect, it } from 'vitest';
import { formatSelector, matchesSelector, parseLabelSelector } from './labelSelector';

const reviewsV1 = { app: 'reviews', version: 'v1' };
const reviewsV2 = { app: 'reviews', version: 'v2', canary: 'true' };
const ratings = { app: 'ratings' };

function select(selector: string, labels: Record<string, string>): boolean {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return matchesSelector(labels, parsed.requirements);
}

describe('label selectors', () => {
  it('reads every requirement kubectl reads', () => {
    expect(parseLabelSelector('app=reviews, version!=v1,tier in (web, api),zone notin (a),canary,!legacy,env==prod')).toEqual({
      ok: true,
      requirements: [
        { key: 'app', op: 'eq', value: 'reviews' },
        { key: 'version', op: 'neq', value: 'v1' },
        { key: 'tier', op: 'in', values: ['web', 'api'] },
        { key: 'zone', op: 'notin', values: ['a'] },
        { key: 'canary', op: 'exists' },
        { key: 'legacy', op: 'absent' },
        { key: 'env', op: 'eq', value: 'prod' },
      ],
    });
  });

  it('selects with equality, inequality, sets and existence', () => {
    expect(select('app=reviews', reviewsV1)).toBe(true);
    expect(select('app=reviews', ratings)).toBe(false);
    expect(select('app=reviews,version!=v1', reviewsV1)).toBe(false);
    expect(select('app=reviews,version!=v1', reviewsV2)).toBe(true);
    // != and notin hold when the key is absent, as in Kubernetes
    expect(select('version!=v1', ratings)).toBe(true);
    expect(select('version notin (v1,v2)', ratings)).toBe(true);
    expect(select('version in (v1,v3)', reviewsV1)).toBe(true);
    expect(select('version in (v1,v3)', ratings)).toBe(false);
    expect(select('canary', reviewsV2)).toBe(true);
    expect(select('canary', reviewsV1)).toBe(false);
    expect(select('!canary', reviewsV1)).toBe(true);
    expect(select('', ratings)).toBe(true);
    expect(select('app.kubernetes.io/name=x', { 'app.kubernetes.io/name': 'x' })).toBe(true);
    expect(select('env=', { env: '' })).toBe(true);
  });

  it('says what is wrong instead of selecting nothing', () => {
    expect(parseLabelSelector('app=reviews,')).toEqual({ ok: false, error: 'An empty requirement: remove the extra comma.' });
    expect(parseLabelSelector('tier in (a,b')).toEqual({ ok: false, error: 'The parentheses do not balance.' });
    expect(parseLabelSelector('=v1')).toEqual({ ok: false, error: '"=v1" has no label key.' });
    expect(parseLabelSelector('app=re views')).toMatchObject({ ok: false, error: expect.stringContaining('"re views" is not a valid label value') });
    expect(parseLabelSelector('app reviews')).toMatchObject({ ok: false, error: expect.stringContaining('write key=value') });
  });

  it('writes a selector back in canonical form', () => {
    const parsed = parseLabelSelector(' app = reviews ,tier in ( web ,api ), !legacy');
    expect(parsed.ok && formatSelector(parsed.requirements)).toBe('app=reviews,tier in (web,api),!legacy');
  });
});

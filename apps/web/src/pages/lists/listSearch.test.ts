import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../router/search';
import { readListState, searchFromListState, validateListSearch } from './listSearch';

describe('list search params', () => {
  it('keeps valid values and leaves out invalid ones', () => {
    expect(validateListSearch(parseSearch('?namespaces=bookinfo,circuit-breaking&q=rev&label=app%3Dreviews,version!%3Dv1&health=Degraded,bogus,Failure&sidecar=missing&findings=error&sort=rate&order=asc&duration=300'))).toEqual({
      namespaces: ['bookinfo', 'circuit-breaking'],
      duration: 300,
      q: 'rev',
      label: 'app=reviews,version!=v1',
      // statuses in Kiali's order, whatever the URL's
      health: ['Failure', 'Degraded'],
      sidecar: 'missing',
      findings: 'error',
      sort: 'rate',
      order: 'asc',
    });
    expect(validateListSearch(parseSearch('?sort=size&order=up&sidecar=yes&findings=many&health=bogus&duration=-5&queryTime=abc&q='))).toEqual({});
  });

  it('accepts its own output (typed values from a navigation)', () => {
    const typed = validateListSearch(parseSearch('?health=Failure&sort=name&namespaces=a'));
    expect(validateListSearch(typed as Record<string, unknown>)).toEqual(typed);
  });

  it('round-trips a state through the URL, defaults left out', () => {
    const state = readListState(parseSearch('?namespaces=bookinfo&label=app%3Dreviews&sort=rate'));
    expect(state).toMatchObject({ namespaces: ['bookinfo'], label: 'app=reviews', sort: 'rate', order: 'desc', health: [], findings: null, duration: 600 });
    expect(stringifySearch(searchFromListState(state))).toBe('?namespaces=bookinfo&label=app%3Dreviews&sort=rate');
    expect(stringifySearch(searchFromListState(readListState({})))).toBe('');
    expect(stringifySearch(searchFromListState({ ...readListState({}), order: 'desc' }))).toBe('?order=desc');
  });
});

import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from '../../router/search';
import { readDetailState, searchFromDetailState, tabsOf, validateDetailSearch } from './detailSearch';

describe('detail search params', () => {
  it('validates the tab and the logs view', () => {
    expect(validateDetailSearch(parseSearch('?tab=logs&pod=httpbin-1&container=httpbin&proxy=false&logs=merged&tail=500&since=300&follow=true&logq=UO'))).toEqual({
      tab: 'logs', pod: 'httpbin-1', container: 'httpbin', proxy: false, logs: 'merged', tail: 500, since: 300, follow: true, logq: 'UO',
    });
    expect(validateDetailSearch(parseSearch('?tab=yaml&tail=7&since=12&logs=grid&follow=maybe'))).toEqual({});
  });
  it('writes the logs keys only while the logs tab is open', () => {
    const logs = readDetailState(parseSearch('?tab=logs&pod=p&follow=true&tail=500'));
    expect(stringifySearch(searchFromDetailState(logs))).toBe('?tab=logs&pod=p&tail=500&follow=true');
    expect(stringifySearch(searchFromDetailState({ ...logs, tab: 'traffic' }))).toBe('?tab=traffic');
    expect(stringifySearch(searchFromDetailState({ ...logs, tab: 'overview' }))).toBe('');
  });
  it('gives services no outbound tab', () => {
    expect(tabsOf('service')).toEqual(['overview', 'traffic', 'inbound', 'logs', 'config']);
    expect(tabsOf('workload')).toContain('outbound');
  });
});

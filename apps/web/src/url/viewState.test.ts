import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, decodeViewState, defaultNamespaces, encodeViewState, type ViewState } from './viewState';

describe('view state in the URL', () => {
  it('decodes an empty query string to the defaults', () => {
    expect(decodeViewState('')).toEqual(DEFAULT_VIEW);
  });

  it('round-trips every field', () => {
    const view: ViewState = {
      namespaces: ['bookinfo', 'default'],
      graphType: 'workload',
      duration: 3600,
      refresh: 0,
      layout: 'concentric',
      edgeLabels: 'responseTime',
      find: 'reviews',
      hide: 'unknown',
      idle: true,
      waypoints: true,
      queryTime: 1700000000,
      focus: 'edge-1',
      hops: 2,
      budget: 150,
      expand: ['team-04', 'team-07/reviews'],
      legend: true,
      zoom: 1.25,
      pan: { x: -120, y: 48 },
      findingsOnly: true,
      replayStart: 1699990000,
      replayEnd: 1700003600,
      replaySpeed: 2,
      replayAt: 1700000000,
    };
    const query = encodeViewState(view);
    expect(query).toBe(
      'namespaces=bookinfo,default&graphType=workload&duration=3600&refresh=0&layout=concentric&edgeLabels=responseTime&find=reviews&hide=unknown&idle=true&waypoints=true&queryTime=1700000000&focus=edge-1&hops=2&budget=150&expand=team-04,team-07/reviews&legend=true&zoom=1.25&pan=-120,48&findings=only&replayStart=1699990000&replayEnd=1700003600&replaySpeed=2&replayAt=1700000000',
    );
    expect(decodeViewState(`?${query}`)).toEqual(view);
  });

  it('leaves defaults out of the URL', () => {
    expect(encodeViewState(DEFAULT_VIEW)).toBe('');
    expect(encodeViewState({ ...DEFAULT_VIEW, namespaces: ['bookinfo'] })).toBe('namespaces=bookinfo');
  });

  it('tells an explicit empty selection from no selection', () => {
    expect(encodeViewState({ ...DEFAULT_VIEW, namespaces: [] })).toBe('namespaces=');
    expect(decodeViewState('namespaces=').namespaces).toEqual([]);
    expect(decodeViewState('').namespaces).toBeNull();
  });

  it('falls back to defaults on values it does not know', () => {
    const view = decodeViewState('graphType=bogus&duration=7&refresh=abc&layout=cose&edgeLabels=x&queryTime=-3&zoom=99&pan=1;2&hops=9&budget=-1');
    expect(view).toEqual(DEFAULT_VIEW);
  });

  it('keeps the groups to open that the server takes, and drops the rest of a hand-edited link', () => {
    expect(decodeViewState('expand=team-04,group:ns:team-05,team-07/reviews,Team-08,,team-09/a/b,team-04').expand).toEqual(['team-04', 'team-07/reviews']);
  });

  it('de-duplicates and trims namespaces', () => {
    expect(decodeViewState('namespaces=a,%20b,,a').namespaces).toEqual(['a', 'b']);
  });

  it('keeps find text with special characters intact', () => {
    const view = { ...DEFAULT_VIEW, find: 'a&b=c #1' };
    expect(decodeViewState(encodeViewState(view)).find).toBe('a&b=c #1');
  });

  it('selects all but the system namespaces by default', () => {
    expect(defaultNamespaces(['bookinfo', 'istio-system', 'kube-system', 'default'])).toEqual(['bookinfo', 'default']);
  });
});

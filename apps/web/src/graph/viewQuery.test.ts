import { describe, expect, it } from 'vitest';
import { decodeViewState } from '../url/viewState';
import { graphViewQueryOptions } from './viewQuery';
import { graphQueryTime, graphViewPath, graphViewQuery } from './viewPath';

describe("a view's graph query", () => {
  it('is what the page asks for: sorted namespaces and groups, the view parameters, the neighbourhood only with hops', () => {
    const view = decodeViewState('?namespaces=shop,bookinfo&graphType=workload&duration=3600&idle=true&edgeLabels=responseTime&budget=150&expand=team-07,team-04/reviews&focus=edge-1&zoom=1.5');
    const query = graphViewQuery(view, view.namespaces!, graphQueryTime(view));
    expect(query).toEqual({
      namespaces: ['bookinfo', 'shop'], graphType: 'workload', duration: 3600, queryTime: null, includeIdle: true, showWaypoints: false, responseTimes: true,
      budget: 150, expand: ['team-04/reviews', 'team-07'],
    });
    // A pan or a zoom is no part of it: the loader and the page share one cache entry whatever the viewport.
    expect(graphViewQuery({ ...view, zoom: 0.5, pan: { x: 3, y: 4 } }, view.namespaces!, null)).toEqual(query);
    const around = graphViewQuery({ ...view, hops: 2 }, ['bookinfo'], null);
    expect(around).toMatchObject({ focus: 'edge-1', hops: 2 });
    expect(graphViewPath(around!)).toContain('&focus=edge-1&hops=2');
    expect(graphViewQuery(view, [], null)).toBeNull();
  });

  it('asks for the replay frame, the replay start before a frame is chosen, else the URL queryTime', () => {
    const view = decodeViewState('?namespaces=bookinfo&queryTime=1700000000');
    expect(graphQueryTime(view)).toBe(1700000000);
    expect(graphQueryTime({ ...view, replayStart: 1699990000, replayEnd: 1700003600 })).toBe(1699990000);
    expect(graphQueryTime({ ...view, replayStart: 1699990000, replayEnd: 1700003600, replayAt: 1700000600 })).toBe(1700000600);
    expect(graphQueryTime({ ...view, queryTime: null })).toBeNull();
  });

  it('keeps a past graph for good and a live one a few seconds, so the page takes what the loader fetched', () => {
    const live = graphViewQuery(decodeViewState('?namespaces=bookinfo'), ['bookinfo'], null);
    expect(graphViewQueryOptions(live).staleTime).toBe(5_000);
    expect(graphViewQueryOptions({ ...live!, queryTime: 1700000000 }).staleTime).toBe(Infinity);
    expect(graphViewQueryOptions(live).queryKey).toEqual(['graph', live]);
  });
});

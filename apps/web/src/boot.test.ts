import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEarly, takeEarly } from './api/early';
import { firstDataPaths } from './boot';
import { findingsQueryOptions } from './config/api';
import { graphViewQueryOptions } from './graph/viewQuery';
import { graphQueryTime, graphViewPath, graphViewQuery } from './graph/viewPath';
import { decodeViewState } from './url/viewState';

describe('boot: the first data request of a page, as its route asks for it', () => {
  it('is the Overview\'s for / and /overview, with the window of the URL', () => {
    expect(firstDataPaths('/', '')).toEqual(['/api/overview?duration=600']);
    expect(firstDataPaths('/overview', '?duration=3600&queryTime=1767225600&q=team&sort=name')).toEqual(['/api/overview?duration=3600&queryTime=1767225600']);
    // what the page validates away, the request does not carry
    expect(firstDataPaths('/overview', '?duration=abc&queryTime=-5')).toEqual(['/api/overview?duration=600']);
  });

  it('is the list\'s for the list pages, namespaces sorted as the list query sorts them', () => {
    expect(firstDataPaths('/workloads', '?namespaces=b,a&duration=300')).toEqual(['/api/workloads?namespaces=a,b&duration=300']);
    expect(firstDataPaths('/services', '')).toEqual(['/api/services?duration=600']);
    expect(firstDataPaths('/applications', '?queryTime=1767225600')).toEqual(['/api/applications?duration=600&queryTime=1767225600']);
  });

  it('is the graph and the findings marking it for a graph whose namespaces are in the URL, as the route asks them', () => {
    const search = '?namespaces=shop,bookinfo&graphType=app&duration=300&edgeLabels=responseTime&budget=50&expand=shop&zoom=0.5';
    expect(firstDataPaths('/graph', search)).toEqual([
      '/api/graph?namespaces=bookinfo,shop&graphType=app&duration=300&budget=50&expand=shop',
      '/api/findings?namespaces=bookinfo,shop&include=references',
    ]);
    // the same URLs the page's queries fetch: the early responses are theirs
    const view = decodeViewState(search);
    const query = graphViewQuery(view, view.namespaces!, graphQueryTime(view))!;
    expect(graphViewPath(query)).toBe(firstDataPaths('/graph', search)[0]);
    expect(graphViewQueryOptions(query).queryKey).toEqual(['graph', query]);
    expect(findingsQueryOptions(query.namespaces, true).queryKey[1]).toBe('namespaces=bookinfo,shop&include=references');
    // a replay asks for its frame
    expect(firstDataPaths('/graph', '?namespaces=a&replayStart=1767225000&replayEnd=1767228600')[0]).toBe('/api/graph?namespaces=a&graphType=versionedApp&duration=600&queryTime=1767225000&responseTime=false&budget=300');
  });

  it('is none for the pages that start with something else', () => {
    // the graph without namespaces picks its default selection from the namespace list first
    expect(firstDataPaths('/graph', '')).toEqual([]);
    expect(firstDataPaths('/config', '')).toEqual([]);
    expect(firstDataPaths('/namespaces/a/workloads/b', '')).toEqual([]);
  });
});

describe('early responses', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are handed out once, and only while fresh', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetched.push(url);
      return Promise.resolve(new Response('{}'));
    });
    startEarly('/api/overview?duration=600');
    startEarly('/api/overview?duration=600');
    expect(fetched).toEqual(['/api/overview?duration=600']);
    expect(await takeEarly('/api/overview?duration=600')).toBeInstanceOf(Response);
    expect(takeEarly('/api/overview?duration=600')).toBeUndefined();
    startEarly('/api/workloads');
    expect(takeEarly('/api/workloads', Date.now() + 60_000)).toBeUndefined();
    expect(takeEarly('/api/never-started')).toBeUndefined();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEarly, takeEarly } from './api/early';
import { firstDataPath } from './boot';

describe('boot: the first data request of a page, as its route asks for it', () => {
  it('is the Overview\'s for / and /overview, with the window of the URL', () => {
    expect(firstDataPath('/', '')).toBe('/api/overview?duration=600');
    expect(firstDataPath('/overview', '?duration=3600&queryTime=1767225600&q=team&sort=name')).toBe('/api/overview?duration=3600&queryTime=1767225600');
    // what the page validates away, the request does not carry
    expect(firstDataPath('/overview', '?duration=abc&queryTime=-5')).toBe('/api/overview?duration=600');
  });

  it('is the list\'s for the list pages, namespaces sorted as the list query sorts them', () => {
    expect(firstDataPath('/workloads', '?namespaces=b,a&duration=300')).toBe('/api/workloads?namespaces=a,b&duration=300');
    expect(firstDataPath('/services', '')).toBe('/api/services?duration=600');
    expect(firstDataPath('/applications', '?queryTime=1767225600')).toBe('/api/applications?duration=600&queryTime=1767225600');
  });

  it('is none for the pages that start with something else', () => {
    expect(firstDataPath('/graph', '?namespaces=a')).toBeUndefined();
    expect(firstDataPath('/config', '')).toBeUndefined();
    expect(firstDataPath('/namespaces/a/workloads/b', '')).toBeUndefined();
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

import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from '@tanstack/react-router';
import { exactSearch } from './navigateHref';
import { routeTree } from './routeTree';
import { boolParam, enumParam, listParam, numberParam, parseSearch, searchText, stringifySearch, textParam, unixParam } from './search';
import { validateScopeSearch, validateWindowSearch } from './carry';
import { validateGraphSearch } from '../url/viewState';

describe('search strings', () => {
  it('keeps values as the URL wrote them: no JSON quoting, readable commas', () => {
    expect(parseSearch('?namespaces=a,b&duration=600&find=%22x%22&idle=true')).toEqual({ namespaces: 'a,b', duration: '600', find: '"x"', idle: 'true' });
    expect(stringifySearch({ namespaces: ['a', 'b'], duration: 600, idle: true, find: 'a&b=c #1', focus: undefined, pan: [1, -2] })).toBe(
      '?namespaces=a,b&duration=600&idle=true&find=a%26b%3Dc+%231&pan=1,-2',
    );
    expect(stringifySearch({ namespaces: [] })).toBe('?namespaces=');
    expect(stringifySearch({ x: undefined, y: null })).toBe('');
    expect(parseSearch('a=1&a=2')).toEqual({ a: '1' });
  });

  it('reads each kind of field from text or from its typed form', () => {
    expect(searchText(['a', 'b'])).toBe('a,b');
    expect(searchText({})).toBeNull();
    expect(listParam(' a, b,,a ')).toEqual(['a', 'b']);
    expect(listParam('')).toEqual([]);
    expect(listParam(undefined)).toBeUndefined();
    expect(enumParam('app', ['app', 'workload'] as const)).toBe('app');
    expect(enumParam(600, [60, 600])).toBe(600);
    expect(enumParam('nope', ['app'])).toBeUndefined();
    expect(numberParam('1.25')).toBe(1.25);
    expect(numberParam('1e3')).toBeUndefined();
    expect(numberParam('abc')).toBeUndefined();
    expect(unixParam('1700000000')).toBe(1700000000);
    expect(unixParam('-3')).toBeUndefined();
    expect(unixParam('1.5')).toBeUndefined();
    expect(boolParam('1')).toBe(true);
    expect(boolParam(false)).toBe(false);
    expect(boolParam('yes')).toBeUndefined();
    expect(textParam('')).toBeUndefined();
  });

  it('validators leave out what is absent or invalid, and accept their own output', () => {
    expect(validateScopeSearch({ cluster: 'prod', snapshot: '', other: 'x' })).toEqual({ cluster: 'prod' });
    expect(validateWindowSearch(parseSearch('?namespaces=a,b&duration=3600&queryTime=abc'))).toEqual({ namespaces: ['a', 'b'], duration: 3600 });
    const raw = parseSearch('?namespaces=bookinfo&graphType=app&duration=1800&zoom=1.5&pan=10,-20&idle=1&findings=only&replayStart=100&replayEnd=200&replayAt=150&layout=cose');
    const typed = validateGraphSearch(raw);
    expect(typed).toEqual({ namespaces: ['bookinfo'], graphType: 'app', duration: 1800, zoom: 1.5, pan: [10, -20], idle: true, findings: 'only', replayStart: 100, replayEnd: 200, replayAt: 150 });
    expect(validateGraphSearch({ ...typed })).toEqual(typed);
    expect(validateGraphSearch(parseSearch('?duration=7&refresh=abc&zoom=99&queryTime=0'))).toEqual({});
  });

  it('turns a complete href into a search that names every carried key it leaves out', () => {
    expect(exactSearch('/graph?namespaces=a&snapshot=S1')).toEqual({
      pathname: '/graph',
      search: { namespaces: 'a', snapshot: 'S1', cluster: undefined, duration: undefined, queryTime: undefined },
    });
  });
});

describe('scope, namespaces and window across navigations', () => {
  function routerAt(url: string) {
    const router = createRouter({ routeTree, history: createMemoryHistory({ initialEntries: [url] }), parseSearch, stringifySearch });
    // What links and navigate() compute, middlewares and validators included.
    const hrefOf = (options: Record<string, unknown>) => router.buildLocation({ ...options, _includeValidateSearch: true } as never).href;
    return { router, hrefOf };
  }

  it('keeps cluster and snapshot on every link, and the selection and window where the target reads them', async () => {
    const { router, hrefOf } = routerAt('/graph?namespaces=shop,bookinfo&duration=1800&queryTime=1700000000&graphType=app&cluster=prod&snapshot=S1');
    await router.load();
    expect(hrefOf({ to: '/config' })).toBe('/config?namespaces=shop,bookinfo&cluster=prod&snapshot=S1');
    expect(hrefOf({ to: '/config', search: { kind: 'Gateway' } })).toBe('/config?kind=Gateway&namespaces=shop,bookinfo&cluster=prod&snapshot=S1');
    expect(hrefOf({ to: '/graph' })).toBe('/graph?namespaces=shop,bookinfo&duration=1800&queryTime=1700000000&cluster=prod&snapshot=S1');
    // a link that names a value keeps it; one that names `undefined` drops it
    expect(hrefOf({ to: '/config', search: { namespaces: ['default'] } })).toBe('/config?namespaces=default&cluster=prod&snapshot=S1');
    expect(hrefOf({ to: '/graph', search: { namespaces: undefined, duration: undefined, queryTime: undefined, snapshot: undefined } })).toBe('/graph?cluster=prod');
    expect(hrefOf({ to: '/config/$kind/$namespace/$name', params: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' } })).toBe(
      '/config/VirtualService/istio-system/eg1?namespaces=shop,bookinfo&cluster=prod&snapshot=S1',
    );
  });

  it('comes back to the graph from the Config page with the selection, and without a window it never had', async () => {
    const { router, hrefOf } = routerAt('/config?namespaces=istio-system&severity=error&cluster=staging');
    await router.load();
    expect(hrefOf({ to: '/graph' })).toBe('/graph?namespaces=istio-system&cluster=staging');
  });

  it('reads every URL the console wrote before the router', () => {
    const { router } = routerAt('/graph');
    // [matched routes, params, the route the whole path matched]
    const pageOf = (url: string) => (router.getMatchedRoutes(new URL(url, 'http://meshlens.invalid').pathname) as unknown as [unknown, unknown, { id: string } | undefined])[2]?.id;
    expect(pageOf('/graph?namespaces=&graphType=workload')).toBe('/graph');
    expect(pageOf('/config')).toBe('/config');
    expect(pageOf('/config/Namespace/-/shop?line=3')).toBe('/config/$kind/$namespace/$name');
    expect(pageOf('/config/VirtualService/istio-system/eg1')).toBe('/config/$kind/$namespace/$name');
    // a path that is no page matches no page (the root route shows its not-found page: e2e/src/console.e2e.ts)
    expect(pageOf('/config/a/b')).not.toBe('/config/$kind/$namespace/$name');
    expect(pageOf('/nope')).toBeUndefined();
  });
});

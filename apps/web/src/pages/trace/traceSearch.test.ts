import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from '@tanstack/react-router';
import { routeTree } from '../../router/routeTree';
import { traceLink } from '../../router/links';
import { parseSearch, stringifySearch } from '../../router/search';
import {
  headerRow, headerTexts, readTraceState, requestProblems, searchFromTraceState, traceParams, traceStateFromSearch, validateTraceSearch,
} from './traceSearch';

describe('the tracer in the URL', () => {
  it('reads from, url, repeated headers, sni and method, and writes them back as they were', () => {
    const url = '?from=bookinfo-routing/productpage-v1&url=http://reviews:9080/reviews/0&header=end-user%3A+jason&header=Accept%3A+a%2C+b&sni=x.example&method=post&duration=1800';
    const raw = parseSearch(url);
    expect(raw.header).toEqual(['end-user: jason', 'Accept: a, b']);
    const search = validateTraceSearch(raw);
    expect(search).toEqual({
      from: 'bookinfo-routing/productpage-v1', url: 'http://reviews:9080/reviews/0', header: ['end-user: jason', 'Accept: a, b'], sni: 'x.example', method: 'POST', duration: 1800,
    });
    // validators accept their own output
    expect(validateTraceSearch({ ...search })).toEqual(search);
    // one header= per header, commas inside a value kept; slashes and colons readable
    expect(stringifySearch(searchFromTraceState(traceStateFromSearch(search)))).toBe(
      '?duration=1800&from=bookinfo-routing/productpage-v1&url=http://reviews:9080/reviews/0&header=end-user:+jason&header=Accept:+a,+b&sni=x.example&method=POST',
    );
    expect(parseSearch(stringifySearch(searchFromTraceState(traceStateFromSearch(search))))).toEqual({ ...raw, method: 'POST' });
  });

  it('leaves out what is empty or invalid, and GET (the default)', () => {
    expect(validateTraceSearch(parseSearch('?from=&url=%20&header=&method=GET&sni='))).toEqual({});
    expect(validateTraceSearch(parseSearch('?method=G%20T&header=a:1'))).toEqual({ header: ['a:1'] });
    expect(validateTraceSearch({ header: 'x: 1' })).toEqual({ header: ['x: 1'] });
    expect(readTraceState({})).toEqual({ namespaces: null, duration: 600, queryTime: null, from: '', url: '', headers: [], sni: '', method: 'GET', principal: '', requestPrincipal: '' });
  });

  it('asks the API with the request and the window, one header= per header', () => {
    const s = readTraceState(parseSearch('?from=default/pod1&url=https://en.wikipedia.org&header=x-a%3A+1&header=x-b%3A+2&queryTime=1790000000'));
    expect(traceParams(s)).toBe('from=default%2Fpod1&url=https%3A%2F%2Fen.wikipedia.org&header=x-a%3A+1&header=x-b%3A+2&duration=600&queryTime=1790000000');
    expect(new URLSearchParams(traceParams(s)).getAll('header')).toEqual(['x-a: 1', 'x-b: 2']);
  });

  it('turns header texts into form rows and back, and says what is wrong with the form', () => {
    expect(['end-user: jason', 'x-empty:', 'no-colon'].map(headerRow)).toEqual([{ name: 'end-user', value: 'jason' }, { name: 'x-empty', value: '' }, { name: 'no-colon', value: '' }]);
    expect(headerTexts([{ name: ' end-user ', value: ' jason ' }, { name: '', value: '' }])).toEqual(['end-user: jason']);
    const empty = { from: '', url: '', headers: [], sni: '', method: 'GET', principal: '', requestPrincipal: '' };
    expect(requestProblems(empty, [])).toEqual({
      from: 'Pick who sends the request: a workload (namespace/name), gateway:namespace/name, or outside.',
      url: 'Give the URL the request goes to, e.g. https://en.wikipedia.org or http://reviews:9080/reviews/0.',
    });
    expect(requestProblems({ ...empty, from: 'pod1', url: 'http://a b' }, [{ name: '', value: 'v' }])).toEqual({
      from: 'Write namespace/workload, gateway:namespace/name, or outside.', url: 'A URL has no spaces.', headers: 'Header 1 has a value but no name.',
    });
    expect(requestProblems({ ...empty, from: 'gateway:istio-system/istio-ingressgateway', url: 'x' }, [])).toEqual({});
    expect(requestProblems({ ...empty, from: 'outside', url: 'x' }, [{ name: 'a b', value: '' }])).toEqual({ headers: 'A header name has no spaces or colons.' });
    // the caller's identity: a SPIFFE id (with or without the scheme) or namespace/serviceaccount; a JWT principal issuer/subject
    for (const principal of ['spiffe://cluster.local/ns/shop/sa/frontend', 'cluster.local/ns/shop/sa/frontend', 'shop/frontend']) {
      expect(requestProblems({ ...empty, from: 'outside', url: 'x', principal, requestPrincipal: 'https://auth.example.com/alice' }, [])).toEqual({});
    }
    expect(requestProblems({ ...empty, from: 'outside', url: 'x', principal: 'frontend', requestPrincipal: 'alice' }, [])).toEqual({
      principal: 'Write spiffe://cluster.local/ns/<namespace>/sa/<serviceaccount> or namespace/serviceaccount.',
      requestPrincipal: 'Write issuer/subject, e.g. https://accounts.example.com/alice.',
    });
  });

  it('carries the caller identity and the JWT principal in the URL and to the API', () => {
    const s = readTraceState(parseSearch('?from=outside&url=http://orders.shop/orders&principal=shop/frontend&requestPrincipal=https://auth.example.com/alice'));
    expect([s.principal, s.requestPrincipal]).toEqual(['shop/frontend', 'https://auth.example.com/alice']);
    expect(stringifySearch(searchFromTraceState(s))).toBe('?from=outside&url=http://orders.shop/orders&principal=shop/frontend&requestPrincipal=https://auth.example.com/alice');
    expect(traceParams(s)).toBe('from=outside&url=http%3A%2F%2Forders.shop%2Forders&principal=shop%2Ffrontend&requestPrincipal=https%3A%2F%2Fauth.example.com%2Falice&duration=600');
  });

  it('links to the tracer keep the scope and the window, and the request travels only when a link names it', async () => {
    const router = createRouter({ routeTree, history: createMemoryHistory({ initialEntries: ['/graph?namespaces=default&duration=1800&cluster=prod'] }), parseSearch, stringifySearch });
    await router.load();
    const hrefOf = (options: object) => router.buildLocation({ ...options, _includeValidateSearch: true } as never).href;
    expect(hrefOf(traceLink())).toBe('/trace?namespaces=default&duration=1800&cluster=prod');
    expect(hrefOf(traceLink({ from: 'default/pod1', url: 'https://en.wikipedia.org', headers: ['a: 1', 'b: 2'], method: 'get' }))).toBe(
      '/trace?from=default/pod1&url=https://en.wikipedia.org&header=a:+1&header=b:+2&namespaces=default&duration=1800&cluster=prod',
    );
    await router.navigate({ href: '/trace?from=default/pod1&url=https://en.wikipedia.org&duration=1800' } as never);
    expect(hrefOf({ to: '/trace' })).toBe('/trace?namespaces=default&duration=1800&cluster=prod');
    expect(hrefOf({ to: '/workloads' })).toBe('/workloads?namespaces=default&duration=1800&cluster=prod');
  });
});

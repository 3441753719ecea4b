import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { crossOriginReason, hostAllowed, hostOnly, hostPolicy, inApiSpace, normalisedPath } from './request-guard.js';

describe('host allowlist', () => {
  it('answers a loopback server only by loopback names and the configured ones', () => {
    const policy = hostPolicy('127.0.0.1', ['meshlens.example.com', 'Ops.Example:443']);
    const answered = ['localhost:20080', '127.0.0.1:20080', '[::1]:20080', 'meshlens.example.com', 'ops.example', 'LOCALHOST'].filter((h) => hostAllowed(policy, h));
    expect(answered).toEqual(['localhost:20080', '127.0.0.1:20080', '[::1]:20080', 'meshlens.example.com', 'ops.example', 'LOCALHOST']);
    const refused = ['rebind.attacker.example:20080', '10.0.0.7:20080', 'localhost.attacker.example', '', 'meshlens.example.com.evil'].filter((h) => !hostAllowed(policy, h));
    expect(refused).toEqual(['rebind.attacker.example:20080', '10.0.0.7:20080', 'localhost.attacker.example', '', 'meshlens.example.com.evil']);
    expect(hostAllowed(policy, undefined)).toBe(false);
  });

  it('answers a server on all interfaces by any IP (NodePort, probes) and its own name, never a foreign DNS name', () => {
    const policy = hostPolicy('0.0.0.0');
    expect(['10.0.0.7:30080', '[fd00::1]:30080', '192.168.49.2', `${hostname()}:20080`].map((h) => hostAllowed(policy, h))).toEqual([true, true, true, true]);
    expect(hostAllowed(policy, 'rebind.attacker.example')).toBe(false);
  });

  it('reads hosts without port, brackets or trailing dot', () => {
    expect(['[::1]:8080', 'Example.COM.:443', '::1', '10.1.2.3:80', 'host'].map(hostOnly)).toEqual(['::1', 'example.com', '::1', '10.1.2.3', 'host']);
  });
});

describe('same-origin state changes', () => {
  const policy = hostPolicy('127.0.0.1');
  const post = (headers: Record<string, string>) => crossOriginReason('POST', { host: '127.0.0.1:20080', ...headers }, policy);

  it('lets reads through and programs without Origin (the CLI, curl)', () => {
    expect(crossOriginReason('GET', { host: 'x', origin: 'https://evil.example' }, policy)).toBeUndefined();
    expect(post({})).toBeUndefined();
    expect(post({ origin: 'http://127.0.0.1:20080', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
  });

  it('refuses another origin, another port, a null origin and cross-site fetches', () => {
    expect(post({ origin: 'https://evil.example' })).toBe('its Origin https://evil.example is not this console (127.0.0.1:20080)');
    expect(post({ origin: 'http://127.0.0.1:9999' })).toBe('its Origin http://127.0.0.1:9999 is not this console (127.0.0.1:20080)');
    expect(post({ origin: 'null' })).toBe('its Origin "null" is not this console');
    expect(post({ 'sec-fetch-site': 'cross-site' })).toBe('this POST comes from another site (Sec-Fetch-Site: cross-site)');
    expect(post({ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:20080' })).toBe('this POST comes from another site (Sec-Fetch-Site: same-site)');
  });
});

describe('path normalisation for unrouted requests', () => {
  it('lands every spelling of an API path in the API space', () => {
    const spellings = ['/api/graph', '/%61pi/graph', '/ap%69/graph', '//api/graph', '/api/./graph', '/x/../api/graph', '/API/graph', '/api;x=1/graph', '/api/graph%20', '/%2561pi/graph', 'http://x/api/graph', '/api%2Fgraph', '/api\\graph', '/api'];
    expect(spellings.filter((p) => !inApiSpace(p))).toEqual([]);
    expect(normalisedPath('http://x/%2561PI//graph/./x/../nodes;a?x=1#y')).toBe('/api/graph/nodes');
  });

  it('leaves the web app\'s pages outside it', () => {
    expect(['/', '/config/VirtualService/bookinfo/reviews', '/namespaces/api/workloads/x', '/apis', '/graph?namespaces=api'].filter(inApiSpace)).toEqual([]);
  });
});

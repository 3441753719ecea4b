import { describe, expect, it } from 'vitest';
import type { NamespaceOverview } from '@meshlens/model';
import { parseSearch, stringifySearch } from '../../router/search';
import { parseLabelSelector } from '../lists/labelSelector';
import { displayFor, readOverviewState, searchFromOverviewState, validateOverviewSearch } from './overviewSearch';
import { filterNamespaces, sortNamespaces } from './sortNamespaces';

const zero = { healthy: 0, degraded: 0, failure: 0, notReady: 0, noTraffic: 0 };
function ns(name: string, worstStatus: NamespaceOverview['worstStatus'], extra: Partial<{ failure: number; degraded: number; errors: number; warnings: number; rate: number; err: number; labels: Record<string, string> }> = {}): NamespaceOverview {
  return {
    name,
    labels: extra.labels ?? {},
    injection: { mode: 'enabled' },
    mtls: { mode: 'PERMISSIVE', source: 'default', workloadPolicies: [] },
    isControlPlane: false,
    counts: { applications: 1, workloads: 1, services: 1, istioObjects: 0 },
    health: { applications: { ...zero, failure: extra.failure ?? 0 }, workloads: { ...zero, degraded: extra.degraded ?? 0 }, services: zero },
    traffic: { requestRate: extra.rate ?? 0, ...(extra.err !== undefined ? { errorPercent: extra.err } : {}) },
    findings: { error: extra.errors ?? 0, warning: extra.warnings ?? 0, info: 0 },
    worstStatus,
  };
}

const namespaces = [
  ns('bookinfo', 'Degraded', { degraded: 2, rate: 10, err: 3, labels: { 'istio-injection': 'enabled' } }),
  ns('circuit-breaking', 'Failure', { failure: 1, rate: 20, err: 40 }),
  ns('egress', 'Failure', { failure: 1, rate: 2, err: 50, errors: 3 }),
  ns('idle', 'NA'),
  ns('ingress', 'Healthy', { rate: 30, err: 0, warnings: 1 }),
  ns('mirroring', 'Healthy', { rate: 5, err: 0 }),
];

describe('overview ordering and filters', () => {
  it('sorts worst first: status, failing entities, degraded, findings, error share, rate, name', () => {
    expect(sortNamespaces(namespaces, 'worst').map((n) => n.name)).toEqual(['egress', 'circuit-breaking', 'bookinfo', 'ingress', 'mirroring', 'idle']);
  });
  it('sorts by name, rate and error share', () => {
    expect(sortNamespaces(namespaces, 'name').map((n) => n.name)).toEqual(['bookinfo', 'circuit-breaking', 'egress', 'idle', 'ingress', 'mirroring']);
    expect(sortNamespaces(namespaces, 'rate').map((n) => n.name)).toEqual(['ingress', 'circuit-breaking', 'bookinfo', 'mirroring', 'egress', 'idle']);
    expect(sortNamespaces(namespaces, 'errors').map((n) => n.name).slice(0, 3)).toEqual(['egress', 'circuit-breaking', 'bookinfo']);
  });
  it('filters by name and by a label selector on the namespace', () => {
    expect(filterNamespaces(namespaces, 'INGR', []).map((n) => n.name)).toEqual(['ingress']);
    const sel = parseLabelSelector('istio-injection=enabled');
    expect(sel.ok && filterNamespaces(namespaces, '', sel.requirements).map((n) => n.name)).toEqual(['bookinfo']);
  });
});

describe('overview search params', () => {
  it('validates and round-trips, defaults left out', () => {
    expect(validateOverviewSearch(parseSearch('?sort=rate&display=table&q=book&label=team%3Dx&duration=3600&bogus=1'))).toEqual({ sort: 'rate', display: 'table', q: 'book', label: 'team=x', duration: 3600 });
    expect(validateOverviewSearch(parseSearch('?sort=size&display=grid'))).toEqual({});
    const state = readOverviewState(parseSearch('?sort=name&namespaces=bookinfo'));
    expect(state).toMatchObject({ sort: 'name', namespaces: ['bookinfo'], display: null, duration: 600 });
    expect(stringifySearch(searchFromOverviewState(state))).toBe('?namespaces=bookinfo&sort=name');
  });
  it('shows cards up to 12 namespaces and a table beyond, unless the URL says which', () => {
    const state = readOverviewState({});
    expect(displayFor(state, 12)).toBe('cards');
    expect(displayFor(state, 13)).toBe('table');
    expect(displayFor({ ...state, display: 'table' }, 3)).toBe('table');
  });
});

import { describe, expect, it } from 'vitest';
import type { EntityRowBase, EntityStatus } from '@meshlens/model';
import { parseLabelSelector } from './labelSelector';
import { compareWorstFirst, filterRows, sortRows } from './sortRows';

function row(name: string, status: EntityStatus, extra: { ns?: string; rate?: number; err?: number; error?: number; warning?: number; labels?: Record<string, string>; sidecar?: boolean } = {}): EntityRowBase {
  return {
    namespace: extra.ns ?? 'shop',
    name,
    labels: extra.labels ?? { app: name },
    health: { status },
    missingSidecar: extra.sidecar ?? false,
    ambient: false,
    istioConfig: { objects: [], badges: [] },
    traffic: { requestRate: extra.rate ?? 0, ...(extra.err !== undefined ? { errorPercent: extra.err } : {}) },
    findings: { error: extra.error ?? 0, warning: extra.warning ?? 0, info: 0 },
  };
}

const rows = [
  row('ratings', 'Healthy', { rate: 5, err: 0 }),
  row('details', 'NA'),
  row('reviews', 'Degraded', { rate: 9, err: 2 }),
  row('httpbin', 'Failure', { ns: 'circuit-breaking', rate: 20, err: 30 }),
  row('productpage', 'Degraded', { rate: 9, err: 5 }),
  row('fortio', 'Healthy', { ns: 'circuit-breaking', rate: 5, err: 0, warning: 1 }),
  row('legacy', 'NotReady', { sidecar: true }),
];
const names = (list: EntityRowBase[]) => list.map((r) => r.name);

describe('sorting the entity lists', () => {
  it('puts the worst first: status, then error share, then findings, then rate, then name', () => {
    expect(names(sortRows(rows, 'health'))).toEqual(['httpbin', 'productpage', 'reviews', 'legacy', 'fortio', 'ratings', 'details']);
    expect(names([...rows].sort(compareWorstFirst))).toEqual(names(sortRows(rows, 'health')));
  });

  it('reverses a column and keeps equal rows by namespace and name', () => {
    expect(names(sortRows(rows, 'health', 'desc'))).toEqual(['details', 'ratings', 'fortio', 'legacy', 'reviews', 'productpage', 'httpbin']);
    // fortio and ratings have the same rate: namespace then name, A→Z, in both directions
    expect(names(sortRows(rows, 'rate'))).toEqual(['httpbin', 'productpage', 'reviews', 'fortio', 'ratings', 'details', 'legacy']);
    expect(names(sortRows(rows, 'rate', 'asc'))).toEqual(['details', 'legacy', 'fortio', 'ratings', 'productpage', 'reviews', 'httpbin']);
  });

  it('sorts by name, namespace, error share and findings', () => {
    expect(names(sortRows(rows, 'name'))).toEqual(['details', 'fortio', 'httpbin', 'legacy', 'productpage', 'ratings', 'reviews']);
    expect(names(sortRows(rows, 'namespace'))).toEqual(['fortio', 'httpbin', 'details', 'legacy', 'productpage', 'ratings', 'reviews']);
    expect(names(sortRows(rows, 'errors')).slice(0, 3)).toEqual(['httpbin', 'productpage', 'reviews']);
    expect(names(sortRows(rows, 'findings'))[0]).toBe('fortio');
  });
});

describe('filtering the entity lists', () => {
  const none = { name: '', selector: [], health: [], missingSidecar: false, findings: null } as const;
  it('filters by name words, label selector, health, sidecar and findings', () => {
    expect(names(filterRows(rows, { ...none, name: 'RE' }))).toEqual(['reviews']);
    const sel = parseLabelSelector('app in (reviews,ratings)');
    expect(sel.ok && names(filterRows(rows, { ...none, selector: sel.requirements }))).toEqual(['ratings', 'reviews']);
    expect(names(filterRows(rows, { ...none, health: ['Failure', 'Degraded'] }))).toEqual(['reviews', 'httpbin', 'productpage']);
    expect(names(filterRows(rows, { ...none, missingSidecar: true }))).toEqual(['legacy']);
    expect(names(filterRows(rows, { ...none, findings: 'warning' }))).toEqual(['fortio']);
    expect(names(filterRows(rows, { ...none, findings: 'error' }))).toEqual([]);
  });
});

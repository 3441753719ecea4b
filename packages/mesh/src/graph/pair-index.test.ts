import { describe, expect, it } from 'vitest';
import { PairIndex } from './pair-index.js';

/** The labels of a request from `src` to `dst` (workload `name` in namespace `ns`), reported by `reporter`. */
const pair = (src: [string, string], dst: [string, string], extra: Record<string, string> = {}) => ({
  source_workload_namespace: src[0], source_workload: src[1], source_canonical_service: src[1], source_canonical_revision: 'v1',
  destination_workload_namespace: dst[0], destination_workload: dst[1], destination_service: `${dst[1]}.${dst[0]}.svc.cluster.local`,
  destination_service_name: dst[1], destination_service_namespace: dst[0], request_protocol: 'http', destination_port: '8080', ...extra,
});

describe('PairIndex', () => {
  it('keeps pairs apart that differ only in their namespaces (the same workload names in every namespace)', () => {
    const index = new PairIndex<string>();
    for (let i = 0; i < 50; i++) index.set(pair([`team-${i}`, 'web'], [`team-${i}`, 'api']), `team-${i}`);
    index.set(pair(['team-1', 'web'], ['team-2', 'api']), 'cross');
    for (let i = 0; i < 50; i++) expect(index.get(pair([`team-${i}`, 'web'], [`team-${i}`, 'api']))).toBe(`team-${i}`);
    expect(index.get(pair(['team-1', 'web'], ['team-2', 'api']))).toBe('cross');
    expect(index.get(pair(['team-1', 'web'], ['team-3', 'api']))).toBeUndefined();
  });

  it('finds a pair whatever the other labels (response codes, reporter), and a set replaces the value', () => {
    const index = new PairIndex<number>();
    index.set(pair(['a', 'web'], ['b', 'api'], { response_code: '200', reporter: 'source' }), 1);
    expect(index.get(pair(['a', 'web'], ['b', 'api'], { response_code: '503', reporter: 'destination' }))).toBe(1);
    index.set(pair(['a', 'web'], ['b', 'api']), 2);
    expect(index.get(pair(['a', 'web'], ['b', 'api']))).toBe(2);
    // A different port or protocol is another pair.
    expect(index.get(pair(['a', 'web'], ['b', 'api'], { destination_port: '9090' }))).toBeUndefined();
    // Missing workloads (unknown destinations) read as ''.
    const unknown = { ...pair(['a', 'web'], ['b', 'api']), destination_workload: undefined, destination_workload_namespace: undefined };
    index.set(unknown, 3);
    expect(index.get({ ...unknown, destination_workload: '' })).toBe(3);
  });
});

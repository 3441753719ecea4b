import type { NodeData } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { formatNodeRate, nodeKind, rateName } from './describe';

const base: NodeData = { id: 'n', nodeType: 'service', namespace: 'bookinfo' };

describe('side panel words', () => {
  it('names node kinds', () => {
    expect(nodeKind(base)).toBe('Service');
    expect(nodeKind({ ...base, isEgressCluster: 'PassthroughCluster' })).toBe('Unregistered egress (PassthroughCluster)');
    expect(nodeKind({ ...base, isServiceEntry: { hosts: ['a'], location: 'MESH_EXTERNAL', namespace: 'x', name: 'a' } })).toBe('Service entry (external)');
    expect(nodeKind({ ...base, nodeType: 'workload', isGateway: { egressInfo: { hostnames: [] } } })).toBe('Egress gateway');
  });

  it('names rates with units', () => {
    expect(rateName('httpIn5xx')).toBe('HTTP in 5xx');
    expect(rateName('weird')).toBe('weird');
    expect(formatNodeRate('tcpIn', 2048)).toBe('2 KiB/s');
    expect(formatNodeRate('httpOut', 3.456)).toBe('3.5 rps');
  });
});

import { describe, expect, it } from 'vitest';
import type { AppliedConfig, ConfigObjectResponse, Finding, NodeData } from '@meshlens/model';
import { edgeFindings, edgeRoutingObjects, findingKey, findingLines, findingObjects, mergeFindings, nodeFindings, otherNamespaces } from './panelFindings';

const finding = (over: Partial<Finding> & Pick<Finding, 'code' | 'object'>): Finding => ({ severity: 'error', message: 'm', path: 'spec', references: [], ...over });
// seed 001 on the demo: the findings of default and istio-system
const mls1001 = finding({ code: 'MLS1001', object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.hosts[0]', references: [{ object: { kind: 'Pod', namespace: 'default', name: 'pod1' } }] });
const mls1002 = finding({ code: 'MLS1002', object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.gateways[1]', references: [{ object: { kind: 'Gateway', namespace: 'istio-system', name: 'egressgateway' } }] });
const kia0203 = finding({ code: 'KIA0203', object: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, path: 'spec.subsets[0].labels', references: [{ object: { kind: 'Service', namespace: 'istio-system', name: 'istio-egressgateway' } }, { object: { kind: 'Pod', namespace: 'default', name: 'pod1' } }] });
const mls1005 = finding({ code: 'MLS1005', severity: 'warning', object: { kind: 'Deployment', namespace: 'istio-system', name: 'istio-egressgateway' }, path: 'metadata.name' });
// in the server's order (file order)
const all = [mls1001, mls1002, kia0203, mls1005];

const pod1: NodeData = { id: 'app:default:pod1', nodeType: 'app', namespace: 'default', workload: 'pod1', app: 'pod1', pods: [{ name: 'pod1', hasSidecar: true }] };
const passthrough: NodeData = { id: 'egress:PassthroughCluster', nodeType: 'service', namespace: 'unknown', isEgressCluster: 'PassthroughCluster' };
const egw: NodeData = { id: 'wl:istio-system:istio-egressgateway', nodeType: 'workload', namespace: 'istio-system', workload: 'istio-egressgateway', destServices: [{ namespace: 'istio-system', name: 'istio-egressgateway' }] };

describe("the panel's findings", () => {
  it("a node's: those the graph marks it with, worst first", () => {
    expect(nodeFindings(pod1, all).map((f) => f.code)).toEqual(['KIA0203', 'MLS1001']);
    expect(nodeFindings(egw, all).map((f) => f.code)).toEqual(['KIA0203', 'MLS1005']);
    expect(nodeFindings({ ...pod1, isBox: 'namespace' }, all)).toEqual([]);
  });

  it("an edge's: those of the objects that route it and of its destination", () => {
    const rules = [
      { rule: { object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.tls[0].route[0]', note: 'n' }, line: 20, role: 'meant' as const },
      { rule: { object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, path: 'spec.hosts[0]', note: 'n' }, line: 8, role: 'decided' as const },
      { rule: { object: { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, path: 'data.mesh', note: 'n' }, line: 13, role: 'decided' as const },
    ];
    const applied: AppliedConfig[] = [{ ref: { kind: 'Gateway', namespace: 'istio-system', name: 'egressgateway' }, via: 'gateway', badges: ['GW'], findings: { error: 0, warning: 0, info: 0 }, findingList: [] }];
    const sidecar: AppliedConfig = { ref: { kind: 'Sidecar', namespace: 'default', name: 'default' }, via: 'namespace', badges: ['SC'], findings: { error: 0, warning: 0, info: 0 }, findingList: [] };
    const routing = edgeRoutingObjects(rules, applied, [sidecar, { ...sidecar, ref: { kind: 'PeerAuthentication', namespace: 'default', name: 'strict' } }]);
    expect(routing).toEqual([
      { ref: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }, how: 'Meant to route it (spec.tls[0].route[0]), not applied', line: 20 },
      { ref: { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' }, how: 'Decides its route (data.mesh)', line: 13 },
      { ref: { kind: 'Gateway', namespace: 'istio-system', name: 'egressgateway' }, how: 'Applies to the destination: a gateway serving it' },
      { ref: { kind: 'Sidecar', namespace: 'default', name: 'default' }, how: 'Applies to the source: namespace-wide (no selector)' },
    ]);
    expect(edgeFindings(passthrough, routing.map((o) => o.ref), all).map((f) => f.code)).toEqual(['MLS1001', 'MLS1002']);
    expect(edgeFindings(egw, [], all).map((f) => f.code)).toEqual(['KIA0203', 'MLS1005']);
    expect(otherNamespaces(routing.map((o) => o.ref), ['default'])).toEqual(['istio-system']);
  });

  it("places each finding on its object page's line, and merges answers", () => {
    const page = { findings: [{ ...mls1001, yamlLine: 8 }, { ...mls1002, yamlLine: 11 }] } as ConfigObjectResponse;
    expect([...findingLines([page, undefined])]).toEqual([[findingKey(mls1001), 8], [findingKey(mls1002), 11]]);
    expect(findingKey(mls1001)).toBe('VirtualService/istio-system/eg1#MLS1001#spec.hosts[0]');
    expect(findingObjects([mls1001, mls1002, finding({ code: 'MLS0000', object: { kind: 'File', name: 'x.yaml' } })])).toEqual([{ kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' }]);
    expect(mergeFindings([mls1001, kia0203], undefined, [{ ...mls1001 }, mls1002])).toEqual([mls1001, kia0203, mls1002]);
  });
});

import { describe, expect, it } from 'vitest';
import { emptyFindNotice, missingFocusNotice, parseNodeId } from './graphNotice';

describe("the graph's words when a target is not on screen", () => {
  const graph = { namespaces: ['istio-system'], graphType: 'workload' as const };

  it('parses node ids', () => {
    expect(parseNodeId('wl:istio-system:istio-egressgateway')).toEqual({ kind: 'wl', namespace: 'istio-system', name: 'istio-egressgateway' });
    expect(parseNodeId('vapp:bookinfo:reviews:v2')).toEqual({ kind: 'vapp', namespace: 'bookinfo', name: 'reviews:v2' });
    expect(parseNodeId('egress:PassthroughCluster')).toEqual({ kind: 'egress' });
  });

  it('a selected node that is not drawn: idle nodes hidden, namespace not selected, or not defined', () => {
    expect(missingFocusNotice('wl:istio-system:istio-egressgateway', graph, false)).toEqual({
      text: 'The workload istio-system/istio-egressgateway is not in this graph: it had no traffic in this window, and idle nodes are hidden.', offerIdle: true,
    });
    expect(missingFocusNotice('wl:default:pod1', graph, false)).toEqual({
      text: 'The workload default/pod1 is not in this graph: its namespace default is not selected. Add it in the namespace picker.', offerIdle: false,
    });
    expect(missingFocusNotice('wl:istio-system:gone', { ...graph, graphType: 'versionedApp' }, true).text).toBe(
      'The workload istio-system/gone is not in this graph, even with idle nodes shown: the mesh does not define it in this window. The workload graph draws every workload as its own node.',
    );
  });

  it('a find that matches nothing', () => {
    expect(emptyFindNotice('eg1', graph, false)).toEqual({
      text: 'Nothing in this graph of istio-system matches “eg1”. Idle nodes are hidden: what you look for may have had no traffic.', offerIdle: true,
    });
    expect(emptyFindNotice('eg1', graph, true).offerIdle).toBe(false);
  });
});

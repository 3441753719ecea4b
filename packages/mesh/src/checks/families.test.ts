import { describe, expect, it } from 'vitest';
import { findingsOf } from './__fixtures__/load.js';

// Whole-list assertions: each bad fixture lists exactly the findings it must produce; each good fixture none.
describe('DestinationRule checks', () => {
  it('report unknown hosts, subsets without pods or labels, duplicate subsets, missing CA and mTLS contradicting STRICT', () => {
    expect(findingsOf('base.yaml', 'dr-bad.yaml')).toEqual([
      'KIA0201 DestinationRule shop/reviews spec.host @148',
      'KIA0201 DestinationRule shop/reviews-again spec.host @7',
      'KIA0203 DestinationRule shop/reviews-again spec.subsets[1].labels @12',
      'KIA0209 DestinationRule shop/reviews-again spec.subsets[2].name @13',
      'KIA0202 DestinationRule shop/ghost spec.host @21',
      'KIA0207 DestinationRule shop/ratings spec.trafficPolicy.tls.mode @32',
      'MLS0202 DestinationRule shop/ratings spec.trafficPolicy.portLevelSettings[0].tls.mode @35',
    ]);
  });
});

describe('Gateway checks', () => {
  it('report a selector without pods, a port the Service does not offer, a missing Secret and overlapping Gateways', () => {
    expect(findingsOf('base.yaml', 'gw-bad.yaml')).toEqual([
      'KIA0302 Gateway shop/typo spec.selector @7',
      'KIA0301 Gateway shop/a spec.servers[0].port.number @22',
      'MLS0301 Gateway shop/a spec.servers[1].port.number @24',
      'MLS0302 Gateway shop/a spec.servers[1].tls.credentialName @26',
      'KIA0301 Gateway shop/b spec.servers[0].port.number @37',
    ]);
  });
});

describe('ServiceEntry checks', () => {
  it('report TCP without addresses, conflicting protocols and duplicate host:port', () => {
    expect(findingsOf('base.yaml', 'se-bad.yaml')).toEqual([
      'MLS0401 ServiceEntry shop/db spec.ports[0].protocol @11',
      'KIA1212 ServiceEntry shop/api-http spec.hosts[0] @19',
      'KIA1212 ServiceEntry shop/api-https spec.hosts[0] @31',
      'KIA1211 ServiceEntry shop/web-1 spec.hosts[0] @43',
      'KIA1211 ServiceEntry shop/web-2 spec.hosts[0] @54',
    ]);
  });

  it('find nothing when addresses are given and each host:port is declared once', () => {
    expect(findingsOf('base.yaml', 'se-good.yaml')).toEqual([]);
  });
});

describe('selector checks (Sidecar, PeerAuthentication, AuthorizationPolicy)', () => {
  it('report selector-less duplicates, selectors without pods, overlapping selectors and unknown source namespaces', () => {
    expect(findingsOf('base.yaml', 'selectors-bad.yaml')).toEqual([
      'KIA0002 Sidecar shop/one spec @6',
      'KIA0002 Sidecar shop/two spec @15',
      'KIA0004 Sidecar shop/nothing spec.workloadSelector.labels @26',
      'KIA0003 PeerAuthentication shop/reviews-a spec.selector.matchLabels @35',
      'KIA0003 PeerAuthentication shop/reviews-v1 spec.selector.matchLabels @45',
      'KIA0101 AuthorizationPolicy shop/allow spec.rules[0].from[0].source.namespaces[1] @59',
    ]);
  });
});

describe('Service, workload and injection checks', () => {
  it('report port names, untargeted ports, namespaces without or with several injection labels, pods without sidecar', () => {
    expect(findingsOf('base.yaml', 'services-bad.yaml')).toEqual([
      'MLS0501 Namespace /plain metadata @3',
      'MLS0503 Namespace /confused metadata.labels @10',
      'KIA0601 Service shop/details spec.ports[0].name @23',
      'KIA0701 Service shop/details spec.ports[0].targetPort @25',
      'MLS0502 Pod shop/lonely spec.containers @34',
    ]);
  });
});

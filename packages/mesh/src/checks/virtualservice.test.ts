import { describe, expect, it } from 'vitest';
import { findingsOf } from './__fixtures__/load.js';

describe('VirtualService checks', () => {
  it('find nothing on correct routing, gateway binding and subsets', () => {
    expect(findingsOf('base.yaml', 'vs-good.yaml')).toEqual([]);
  });

  it('report unknown hosts, ports, subsets, gateways, weights, duplicates and conflicting mesh hosts', () => {
    expect(findingsOf('base.yaml', 'vs-bad.yaml')).toEqual([
      'KIA1106 VirtualService shop/reviews spec.hosts[0] @7',
      'KIA1102 VirtualService shop/reviews spec.gateways[0] @8',
      'MLS0101 VirtualService shop/reviews spec.gateways[0] @8',
      'KIA1107 VirtualService shop/reviews spec.http[0].route[0].destination.subset @11',
      'KIA1104 VirtualService shop/reviews spec.http[0].route[0].weight @12',
      'MLS0103 VirtualService shop/reviews spec.http[1] @13',
      'KIA1101 VirtualService shop/reviews spec.http[1].route[0].destination.host @14',
      'MLS0106 VirtualService shop/reviews spec.http[1].mirror.port.number @15',
      'MLS0103 VirtualService shop/reviews spec.http[2] @16',
      'KIA1105 VirtualService shop/reviews spec.http[2].route[1].destination @19',
      'KIA1106 VirtualService shop/reviews-too spec.hosts[0] @28',
      'MLS0102 VirtualService shop/reviews-too spec.http[0].route[0].destination.host @31',
    ]);
  });
});

describe('VirtualService rule order', () => {
  it('reports rules after a catch-all, repeated matches, and URI prefixes shadowed by shorter ones', () => {
    expect(findingsOf('base.yaml', 'vs-order.yaml')).toEqual([
      'MLS0103 VirtualService shop/ordered spec.http[1] @15',
      'MLS0104 VirtualService shop/ordered spec.http[1].match[0] @17',
      'MLS0104 VirtualService shop/ordered spec.http[2].match[1] @24',
      'MLS0103 VirtualService shop/ordered spec.http[4] @30',
    ]);
  });

  it('finds nothing in a well-ordered VirtualService', () => {
    expect(findingsOf('base.yaml', 'vs-good.yaml').filter((l) => /^MLS010[34]/.test(l))).toEqual([]);
  });
});

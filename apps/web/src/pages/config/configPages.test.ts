import { describe, expect, it } from 'vitest';
import { formatRef, kindLabel, type ConfigItem, type Finding } from '@meshlens/model';
import { objectApiPath } from '../../config/api';
import { summaryByNamespace } from '../../config/namespaceFindings';
import { parseSearch, stringifySearch } from '../../router/search';
import { configListFromSearch, DEFAULT_CONFIG_LIST, searchFromConfigList, validateConfigListSearch, validateConfigObjectSearch } from './configSearch';
import { filterItems, sortItems } from './filterItems';
import { findingsByLine, markerTitle } from './markers';

const finding = (over: Partial<Finding> & Pick<Finding, 'code' | 'object'>): Finding => ({ severity: 'error', message: 'm', path: 'spec', references: [], ...over });

describe('Config page search params', () => {
  const decode = (search: string) => configListFromSearch(validateConfigListSearch(parseSearch(search)));
  const encode = (state: typeof DEFAULT_CONFIG_LIST) => stringifySearch(searchFromConfigList(state));

  it('round-trips the filters through the URL, leaving defaults out', () => {
    const state = { namespaces: ['istio-system', 'shop'], kind: 'DestinationRule', severity: 'error' as const, text: 'egress gw', sort: 'name' as const };
    expect(encode(state)).toBe('?namespaces=istio-system,shop&kind=DestinationRule&severity=error&q=egress+gw&sort=name');
    expect(decode(encode(state))).toEqual(state);
    expect(encode(DEFAULT_CONFIG_LIST)).toBe('');
    expect(decode('')).toEqual(DEFAULT_CONFIG_LIST);
  });

  it('drops values it does not know instead of failing', () => {
    expect(decode('?kind=<script>&severity=fatal&sort=random')).toEqual(DEFAULT_CONFIG_LIST);
    expect(validateConfigListSearch({ kind: '<script>', severity: 'fatal', q: '' })).toEqual({});
  });

  it('accepts its own output (a navigation passes typed values through the validator)', () => {
    const typed = validateConfigListSearch({ namespaces: ['a', 'b'], severity: 'warning', sort: 'name' });
    expect(typed).toEqual({ namespaces: ['a', 'b'], severity: 'warning', sort: 'name' });
    expect(validateConfigListSearch({ ...typed })).toEqual(typed);
  });

  it('reads an object page\'s line and selection', () => {
    expect(validateConfigObjectSearch(parseSearch('?namespaces=istio-system&line=11'))).toEqual({ namespaces: ['istio-system'], line: 11 });
    expect(validateConfigObjectSearch(parseSearch('?line=0'))).toEqual({});
    expect(validateConfigObjectSearch(parseSearch('?line=abc&namespaces='))).toEqual({ namespaces: [] });
  });
});

describe('Config page filters and order', () => {
  const item = (kind: string, ns: string, name: string, severity?: ConfigItem['severity'], extra: Partial<ConfigItem> = {}): ConfigItem => ({
    ref: { kind, namespace: ns, name }, apiVersion: 'networking.istio.io/v1', ...(severity ? { severity } : {}), counts: { error: 0, warning: 0, info: 0 }, ...extra,
  });
  // seed 001's egress objects, as GET /api/config lists them
  const items = [
    item('DestinationRule', 'istio-system', 'egressgateway', 'error', { hosts: ['istio-egressgateway.istio-system.svc.cluster.local'] }),
    item('Gateway', 'istio-system', 'egressgateway', undefined, { hosts: ['*.wikipedia.org'] }),
    item('VirtualService', 'istio-system', 'eg1', 'error', { file: 'scenarios/egress-gateway-broken.yaml', hosts: ['*.wikipedia.org'], gateways: ['mesh', 'egressgateway'] }),
    item('Gateway', 'bookinfo', 'bookinfo-gateway', 'warning', { hosts: ['*'], labels: { app: 'bookinfo', tier: 'edge' } }),
    item('ServiceEntry', 'default', 'wiki', 'info', { hosts: ['en.wikipedia.org'] }),
    item('Sidecar', 'bookinfo', 'default'),
  ];
  const names = (list: ConfigItem[]) => list.map((i) => `${i.ref.kind}/${i.ref.name}`);
  const base = { kind: '', severity: 'any' as const, text: '' };

  it('filters by kind, severity and text', () => {
    expect(names(filterItems(items, { ...base, severity: 'error' }))).toEqual(['DestinationRule/egressgateway', 'VirtualService/eg1']);
    expect(names(filterItems(items, { ...base, severity: 'ok' }))).toEqual(['Gateway/egressgateway', 'Sidecar/default']);
    expect(names(filterItems(items, { ...base, kind: 'Gateway', severity: 'warning' }))).toEqual(['Gateway/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, text: 'EGRESS broken' }))).toEqual(['VirtualService/eg1']);
  });

  it('finds objects by the hosts, gateways and labels they name, not only by name', () => {
    expect(names(filterItems(items, { ...base, text: 'wikipedia' }))).toEqual(['Gateway/egressgateway', 'VirtualService/eg1', 'ServiceEntry/wiki']);
    expect(names(filterItems(items, { ...base, text: 'en.wikipedia.org' }))).toEqual(['ServiceEntry/wiki']);
    expect(names(filterItems(items, { ...base, text: 'svc.cluster.local' }))).toEqual(['DestinationRule/egressgateway']);
    expect(names(filterItems(items, { ...base, text: 'mesh eg1' }))).toEqual(['VirtualService/eg1']);
    expect(names(filterItems(items, { ...base, text: 'tier=edge' }))).toEqual(['Gateway/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, text: 'app=bookinfo wikipedia' }))).toEqual([]);
  });

  it('sorts worst first, then by namespace, kind and name; or by name alone', () => {
    expect(names(sortItems(items, 'severity'))).toEqual([
      'DestinationRule/egressgateway', 'VirtualService/eg1', 'Gateway/bookinfo-gateway', 'ServiceEntry/wiki', 'Sidecar/default', 'Gateway/egressgateway',
    ]);
    expect(names(sortItems(items, 'name'))).toEqual([
      'Gateway/bookinfo-gateway', 'Sidecar/default', 'ServiceEntry/wiki', 'DestinationRule/egressgateway', 'Gateway/egressgateway', 'VirtualService/eg1',
    ]);
    // the input keeps its order
    expect(names(items)[0]).toBe('DestinationRule/egressgateway');
  });

  it('sums findings per namespace, busiest first', () => {
    const findings = [
      finding({ code: 'KIA0301', severity: 'warning', object: { kind: 'Gateway', namespace: 'bookinfo', name: 'g' } }),
      finding({ code: 'MLS1001', object: { kind: 'VirtualService', namespace: 'istio-system', name: 'eg1' } }),
      finding({ code: 'KIA0201', severity: 'info', object: { kind: 'Namespace', name: 'shop' } }),
      finding({ code: 'MLS0000', object: { kind: 'File', name: 'bad.yaml' } }),
    ];
    expect(summaryByNamespace(findings)).toEqual([
      { namespace: 'istio-system', error: 1, warning: 0, info: 0 },
      { namespace: 'bookinfo', error: 0, warning: 1, info: 0 },
      { namespace: 'shop', error: 0, warning: 0, info: 1 },
    ]);
  });
});

describe('YAML markers', () => {
  it('groups findings by line with the worst severity, ignoring lines outside the text', () => {
    const f = (code: string, severity: Finding['severity'], yamlLine?: number) => ({ ...finding({ code, severity, object: { kind: 'DestinationRule', name: 'x' } }), message: `${code} says`, ...(yamlLine ? { yamlLine } : {}) });
    const entries = findingsByLine([f('MLS1004', 'warning', 10), f('KIA0203', 'error', 10), f('A', 'info', 3), f('B', 'info', 40), f('C', 'info')], 12);
    expect(entries.map((e) => `${e.line} ${e.severity} ${e.findings.map((x) => x.code).join(',')}`)).toEqual(['3 info A', '10 error MLS1004,KIA0203']);
    expect(markerTitle(entries[1]!)).toBe('Warning MLS1004: MLS1004 says\nError KIA0203: KIA0203 says');
  });
});

describe('Gateway API kinds on the Config pages', () => {
  const GW = 'Gateway.gateway.networking.k8s.io';
  const item = (kind: string, ns: string, name: string, apiVersion: string, extra: Partial<ConfigItem> = {}): ConfigItem => ({
    ref: { kind, namespace: ns, name }, apiVersion, counts: { error: 0, warning: 0, info: 0 }, ...extra,
  });
  const items = [
    item('Gateway', 'bookinfo', 'bookinfo-gateway', 'networking.istio.io/v1', { hosts: ['*'] }),
    item(GW, 'bookinfo', 'bookinfo-gateway', 'gateway.networking.k8s.io/v1'),
    item('HTTPRoute.gateway.networking.k8s.io', 'bookinfo', 'bookinfo', 'gateway.networking.k8s.io/v1', { gateways: ['bookinfo-gateway'] }),
  ];
  const names = (list: ConfigItem[]) => list.map((i) => `${kindLabel(i.ref.kind)}/${i.ref.name}`);
  const base = { kind: '', severity: 'any' as const, text: '' };

  it('labels the kinds as people read them: the Gateway API Gateway apart from Istio\'s', () => {
    expect(kindLabel(GW)).toBe('Gateway (Gateway API)');
    expect(kindLabel('Gateway')).toBe('Gateway');
    expect(kindLabel('HTTPRoute.gateway.networking.k8s.io')).toBe('HTTPRoute');
    expect(formatRef({ kind: GW, namespace: 'bookinfo', name: 'bookinfo-gateway' })).toBe('Gateway (Gateway API) bookinfo/bookinfo-gateway');
  });

  it('filters by the qualified kind without mixing the two Gateways, and finds them by their label', () => {
    expect(names(filterItems(items, { ...base, kind: GW }))).toEqual(['Gateway (Gateway API)/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, kind: 'Gateway' }))).toEqual(['Gateway/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, text: 'gateway api' }))).toEqual(['Gateway (Gateway API)/bookinfo-gateway']);
    expect(names(filterItems(items, { ...base, text: 'httproute bookinfo-gateway' }))).toEqual(['HTTPRoute/bookinfo']);
  });

  it('keeps a qualified kind in the URL and drops malformed ones', () => {
    const decode = (search: string) => configListFromSearch(validateConfigListSearch(parseSearch(search)));
    const state = { ...DEFAULT_CONFIG_LIST, kind: GW };
    expect(stringifySearch(searchFromConfigList(state))).toBe(`?kind=${GW}`);
    expect(decode(`?kind=${GW}`)).toEqual(state);
    expect(decode('?kind=Gateway.').kind).toBe('');
    expect(decode('?kind=Gateway.Gateway').kind).toBe('');
  });

  it('builds the object page\'s API path from the qualified kind', () => {
    expect(objectApiPath({ kind: GW, namespace: 'bookinfo', name: 'bookinfo-gateway' })).toBe(`/api/config/${GW}/bookinfo/bookinfo-gateway`);
    expect(objectApiPath({ kind: 'GatewayClass.gateway.networking.k8s.io', namespace: '-', name: 'istio' })).toBe('/api/config/GatewayClass.gateway.networking.k8s.io/-/istio');
  });
});

import { describe, expect, it } from 'vitest';
import type { NamespaceInfo } from '@meshlens/model';
import { countsText, filterNamespaceOptions, namespaceOptions, namespacesWithProblems, toggleNamespace } from './namespacePicker';

const ns = (name: string, labels: Record<string, string> = {}, counts = { services: 1, workloads: 2, istioObjects: 0 }): NamespaceInfo => ({ name, labels, injection: labels['istio-injection'] === 'enabled', counts });

describe('namespace picker', () => {
  const listed = [
    ns('bookinfo', { 'istio-injection': 'enabled' }),
    ns('bookinfo-routing', { 'istio-injection': 'enabled', team: 'web' }),
    ns('default', { 'istio-injection': 'enabled' }),
    ns('egress'),
    ns('istio-system', { 'kubernetes.io/metadata.name': 'istio-system' }, { services: 5, workloads: 4, istioObjects: 3 }),
    ...Array.from({ length: 30 }, (_, i) => ns(`team-${String(i).padStart(2, '0')}`)),
  ];
  const findings = [
    { namespace: 'istio-system', error: 5, warning: 4, info: 0 },
    { namespace: 'bookinfo-routing', error: 0, warning: 1, info: 2 },
    { namespace: 'egress', error: 0, warning: 0, info: 1 },
  ];

  it('lists the server\'s namespaces, then selected ones it does not know, with their findings once loaded', () => {
    const options = namespaceOptions(listed, ['bookinfo', 'gone'], findings);
    expect(options).toHaveLength(36);
    expect(options.at(-1)).toEqual({ name: 'gone', listed: false, labels: {}, injection: false, findings: { error: 0, warning: 0, info: 0 } });
    expect(options.find((o) => o.name === 'istio-system')!.findings).toEqual({ error: 5, warning: 4, info: 0 });
    expect(namespaceOptions(listed, [], undefined)[0]!.findings).toBeUndefined();
  });

  it('filters by name and by label, names that start with the text first', () => {
    const options = namespaceOptions(listed, [], findings);
    const names = (q: string) => filterNamespaceOptions(options, q).map((o) => o.name);
    expect(names('BOOK')).toEqual(['bookinfo', 'bookinfo-routing']);
    expect(names('system')).toEqual(['istio-system']);
    expect(names('i')).toEqual(['istio-system', 'bookinfo', 'bookinfo-routing', 'default']);
    expect(names('istio-injection=enabled')).toEqual(['bookinfo', 'bookinfo-routing', 'default']);
    expect(names('team=web routing')).toEqual(['bookinfo-routing']);
    expect(names('team-2')).toHaveLength(10);
    expect(names('nothing-like-this')).toEqual([]);
    expect(names('  ')).toHaveLength(35);
  });

  it('"with problems" picks namespaces with errors or warnings, not info alone', () => {
    expect(namespacesWithProblems(namespaceOptions(listed, [], findings))).toEqual(['bookinfo-routing', 'istio-system']);
    expect(namespacesWithProblems(namespaceOptions(listed, [], undefined))).toEqual([]);
  });

  it('toggles one namespace and keeps the selection in the list\'s order', () => {
    const options = namespaceOptions(listed, [], findings);
    expect(toggleNamespace(['istio-system'], 'bookinfo', options)).toEqual(['bookinfo', 'istio-system']);
    expect(toggleNamespace(['bookinfo', 'istio-system'], 'bookinfo', options)).toEqual(['istio-system']);
    expect(toggleNamespace(['zz-unknown'], 'default', options)).toEqual(['default', 'zz-unknown']);
  });

  it('says how big a namespace is, leaving out zeros', () => {
    expect(countsText({ services: 5, workloads: 4, istioObjects: 3 })).toBe('5 svc · 4 wl · 3 Istio');
    expect(countsText({ services: 0, workloads: 1, istioObjects: 0 })).toBe('1 wl');
    expect(countsText(undefined)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { createDemoSource } from './static-source.js';
import { scopedSource } from './scoped-source.js';
import type { MeshSource } from './source.js';

describe('scopedSource', () => {
  it('answers from the selected source on every access, and as "nothing live" where that source has no live parts', async () => {
    const demo = createDemoSource({ seed: 1 });
    const events: string[] = [];
    const live: MeshSource = {
      ...createDemoSource({ seed: 2 }),
      name: 'cluster prod',
      kind: 'kubernetes',
      subscribe: () => () => events.push('unsubscribed'),
      visibility: () => ({ complete: false, hiddenKinds: ['Secret'], hiddenNamespaces: [], forbidden: [] }),
      synced: async () => false,
      close: async () => void events.push('closed'),
    };
    let selected: MeshSource = live;
    const scoped = scopedSource(() => selected, live);
    expect([scoped.name, scoped.kind, scoped.inventory()]).toEqual([live.name, 'kubernetes', live.inventory()]);
    expect(scoped.visibility!().hiddenKinds).toEqual(['Secret']);
    expect(await scoped.synced!()).toBe(false);
    scoped.subscribe!(() => {})();
    selected = demo;
    expect([scoped.name, scoped.kind, scoped.telemetry, scoped.defaultNamespaces]).toEqual([demo.name, 'demo', demo.telemetry, demo.defaultNamespaces]);
    expect(scoped.status()).toEqual(demo.status());
    expect(scoped.visibility!()).toEqual({ complete: true, hiddenKinds: [], hiddenNamespaces: [], forbidden: [] });
    expect(await scoped.synced!()).toBe(true);
    expect(typeof scoped.subscribe!(() => {})).toBe('function');
    await scoped.close!();
    expect(events).toEqual(['unsubscribed', 'closed']);
    // A shape without live parts gives none: routes then know not to wait or subscribe.
    const plain = scopedSource(() => demo, demo, { kind: 'files' });
    expect([plain.subscribe, plain.visibility, plain.synced, plain.close, plain.kind]).toEqual([undefined, undefined, undefined, undefined, 'files']);
  });
});

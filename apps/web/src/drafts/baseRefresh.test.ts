import { describe, expect, it } from 'vitest';
import { baseRefresher } from './baseRefresh';
import type { DraftBase } from './protocol';

const base = (version: string | undefined, objects = 1): DraftBase => ({ source: 'Demo mesh', clusterDomain: 'cluster.local', objects: Array.from({ length: objects }, (_, i) => ({ ref: { kind: 'Service', namespace: 'shop', name: `s${i}` }, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` } }, origin: { source: 'cluster' } }) as never), errors: [], ...(version ? { version } : {}) });

describe('refreshing the drafts\' live objects', () => {
  it('loads once, then asks with the version: a 304 changes nothing, a new version is loaded into the workers', async () => {
    let server = base('v1');
    const asked: Array<string | undefined> = [];
    const applied: string[] = [];
    const r = baseRefresher(async (version) => {
      asked.push(version);
      return version === server.version ? null : server;
    }, async (b) => { applied.push(`${b.version}:${b.objects.length}`); });
    expect(await r.refresh()).toBe(false); // the first load is not a change
    expect(await r.refresh()).toBe(false); // 304
    server = base('v2', 3);
    expect(await r.refresh()).toBe(true);
    expect(r.version()).toBe('v2');
    expect([asked, applied]).toEqual([[undefined, 'v1', 'v1'], ['v1:1', 'v2:3']]);
  });

  it('shares one request between refreshes running at once, and never refreshes a base without a version', async () => {
    let calls = 0;
    const r = baseRefresher(async () => { calls++; return base(calls === 1 ? 'v1' : 'v2'); }, async () => undefined);
    await r.refresh();
    expect(await Promise.all([r.refresh(), r.refresh()])).toEqual([true, true]);
    expect(calls).toBe(2);
    let unversioned = 0;
    const old = baseRefresher(async () => { unversioned++; return base(undefined); }, async () => undefined);
    await old.refresh();
    expect([await old.refresh(), unversioned]).toEqual([false, 1]);
  });

  it('a failed refresh rejects and leaves the loaded version in place', async () => {
    let fail = false;
    const r = baseRefresher(async () => { if (fail) throw new Error('The Meshlens server did not answer'); return base('v1'); }, async () => undefined);
    await r.refresh();
    fail = true;
    await expect(r.refresh()).rejects.toThrow('did not answer');
    expect(r.version()).toBe('v1');
  });
});

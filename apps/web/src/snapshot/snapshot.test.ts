import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '@meshlens/model';
import { absoluteTime, bannerText, fileNameFrom, formatBytes, snapshotPath, snapshotSource } from './snapshotText';

const health = (kind: 'demo' | 'snapshot', extra = {}): HealthResponse => ({
  status: 'ok',
  version: '0.1.0',
  sources: [{ name: kind === 'snapshot' ? 'Snapshot of Demo mesh taken 2026-11-22T04:04:11Z' : 'Demo mesh', kind, state: 'ready', objects: 90, errors: [], telemetry: { kind: 'samples' }, ...extra }],
});

describe('snapshot words', () => {
  it('banners only a snapshot source, naming its origin and the capture time with its zone', () => {
    expect(snapshotSource(health('demo'))).toBeUndefined();
    const s = snapshotSource(health('snapshot', { capturedAt: '2026-11-22T04:04:11Z', snapshotOf: 'Demo mesh' }))!;
    expect(bannerText(s, 'en-GB', 'UTC')).toBe('Offline snapshot of Demo mesh, captured 22 Nov 2026, 04:04:11 UTC — nothing here is live.');
    expect(bannerText(s, 'en-US', 'Europe/Paris')).toBe('Offline snapshot of Demo mesh, captured Nov 22, 2026, 5:04:11 AM GMT+1 — nothing here is live.');
    // An older server without the fields still gets a truthful banner.
    expect(bannerText(snapshotSource(health('snapshot'))!, 'en-GB', 'UTC')).toBe('Offline snapshot of Snapshot of Demo mesh taken 2026-11-22T04:04:11Z — nothing here is live.');
    expect(absoluteTime('not a time')).toBe('not a time');
  });

  it('asks for the view on screen and keeps the server\'s file name', () => {
    expect(snapshotPath({ namespaces: ['b', 'a'], graphType: 'app', duration: 600, queryTime: 1763776800 })).toBe('/api/snapshot?namespaces=a%2Cb&graphType=app&duration=600&queryTime=1763776800');
    expect(fileNameFrom('attachment; filename="meshlens-snapshot-20261122T040411Z.json.gz"', 'x')).toBe('meshlens-snapshot-20261122T040411Z.json.gz');
    expect(fileNameFrom('attachment; filename="../etc/passwd"', 'fallback.gz')).toBe('fallback.gz');
    expect(fileNameFrom(null, 'fallback.gz')).toBe('fallback.gz');
    expect([formatBytes(900), formatBytes(82302), formatBytes(3 * 1024 * 1024)]).toEqual(['900 B', '80.4 KiB', '3.00 MiB']);
  });
});

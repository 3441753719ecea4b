import { describe, expect, it } from 'vitest';
import type { HealthResponse } from '@meshlens/model';
import { absoluteTime, bannerText, fileNameFrom, formatBytes, snapshotPath, snapshotSource } from './snapshotText';
import { dragHasFiles, hrefForOpened, hrefLeavingSnapshot, openErrorText, progressText, uploadError } from './openSnapshot';

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

describe('opening a file from the browser', () => {
  it('goes to the captured view with the file\'s id, leaving any cluster', () => {
    expect(hrefForOpened({ id: 'Q1w2E3r4T5y6U7i8O9p0Aa', view: 'namespaces=bookinfo-routing,payments&graphType=app&duration=600&queryTime=1763776800' }))
      .toBe('/graph?namespaces=bookinfo-routing,payments&graphType=app&duration=600&queryTime=1763776800&snapshot=Q1w2E3r4T5y6U7i8O9p0Aa');
    expect(hrefForOpened({ id: 'S1', view: 'namespaces=a&cluster=prod&snapshot=old' })).toBe('/graph?namespaces=a&snapshot=S1');
    // A bundle made by hand, with no view: the graph's defaults.
    expect(hrefForOpened({ id: 'S1', view: '' })).toBe('/graph?snapshot=S1');
  });

  it('leaves the file for the server\'s own source, dropping what named its objects and moments', () => {
    expect(hrefLeavingSnapshot('/', '?namespaces=a&graphType=app&snapshot=S1&queryTime=1&focus=n1&zoom=2&pan=1,2&replayStart=1&replayEnd=2&edgeLabels=requestRate'))
      .toBe('/?graphType=app&edgeLabels=requestRate');
    expect(hrefLeavingSnapshot('/config/VirtualService/bookinfo/reviews', '?snapshot=S1')).toBe('/config');
    expect(hrefLeavingSnapshot('/config', '?snapshot=S1&kinds=Gateway')).toBe('/config?kinds=Gateway');
  });

  it('reacts to dragged files only, reports progress, and does not repeat the file name', () => {
    expect(dragHasFiles(['text/plain', 'Files'])).toBe(true);
    expect(dragHasFiles(['text/uri-list'])).toBe(false);
    expect(dragHasFiles(undefined)).toBe(false);
    expect([progressText(null), progressText({ loaded: 0, total: 0 }), progressText({ loaded: 37, total: 100 }), progressText({ loaded: 120, total: 100 })]).toEqual([null, null, '37%', '100%']);
    expect(openErrorText('notes.txt', 'notes.txt: not JSON; is it a file written by `meshlens snapshot`?')).toBe('Could not open the snapshot: notes.txt: not JSON; is it a file written by `meshlens snapshot`?');
    expect(uploadError(400, 'Bad Request', { message: 'x.gz: not JSON' }, 'http://m').message).toBe('x.gz: not JSON');
    expect(uploadError(413, 'Request Entity Too Large', undefined, 'http://m').message).toBe('the file is larger than the proxy in front of Meshlens accepts (HTTP 413); raise its request body limit (Meshlens takes up to 64 MiB), or open the file with `meshlens serve --snapshot FILE`');
    expect(uploadError(502, 'Bad Gateway', undefined, 'http://m').message).toBe('The Meshlens server at http://m did not answer (HTTP 502 Bad Gateway); is `meshlens serve` running?');
    expect(openErrorText('a.gz', 'The Meshlens server at http://x did not answer; is `meshlens serve` running?')).toBe('Could not open a.gz: The Meshlens server at http://x did not answer; is `meshlens serve` running?');
  });
});

/**
 * Snapshot bundles end to end: "Download snapshot" on the live demo, then `meshlens serve --snapshot FILE`
 * reopens it with no cluster and no simulator — same graph, same findings, and a banner saying it is not live;
 * and the same file dropped on the start page of a server reading something else entirely opens there, offline.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS, clickEdge, launchBrowser, REPO_ROOT, screenshot, startServer, type RunningServer } from './harness.js';

const NS = 'bookinfo-routing';
const VIEW = `/graph?namespaces=${NS}&graphType=versionedApp&edgeLabels=requestRate&refresh=0`;

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

/**
 * The graph with its config-health markers: Bookinfo routing has findings, and their "CFG" marks arrive with the
 * findings query, after the graph itself.
 */
async function waitForMarkedGraph(page: Page): Promise<void> {
  await waitForGraph(page);
  await page.waitForFunction(() => (window as any).__meshlensCy?.nodes().some((n: any) => String(n.data('mlLabel') ?? '').includes('CFG')), undefined, { timeout: 30_000 });
}

/** Node ids and labels, and edges, of the graph on screen. */
async function graphState(page: Page): Promise<{ nodes: string[]; edges: string[] }> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    return {
      nodes: cy.nodes().map((n: any) => `${n.id()} ${n.data('mlLabel') ?? ''}`).sort(),
      edges: cy.edges().map((e: any) => `${e.data('source')} -> ${e.data('target')}`).sort(),
    };
  });
}

/** The Config page's findings summary for every namespace. */
/** Selects the productpage v1 → reviews v2 edge and returns its request chart's text alternative and the charts' warnings. */
async function edgeChart(page: Page): Promise<{ label: string | null; warnings: string[] }> {
  await clickEdge(page, 'productpage v1', 'reviews v2');
  const requests = page.getByTestId('chart-requests');
  await requests.waitFor({ timeout: 15_000 });
  return { label: await requests.locator('[role="img"]').getAttribute('aria-label'), warnings: await page.locator('.chart-warning').allTextContents() };
}

async function configCounts(page: Page, base: string, namespaces: string[]): Promise<{ summary: string | null; count: string | null }> {
  await page.goto(`${base}/config?namespaces=${namespaces.join(',')}`);
  await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="config-summary"]', { timeout: 30_000 });
  return { summary: await page.getAttribute('[data-testid="config-summary"]', 'aria-label'), count: await page.textContent('[data-testid="config-count"]') };
}

/** The view a bundle file was taken for. */
function decodeSnapshotView(bytes: Buffer): string {
  return (JSON.parse(gunzipSync(bytes).toString('utf8')) as { view: string }).view;
}

describe('snapshot bundle from the demo, reopened offline', () => {
  let live: RunningServer;
  let offline: RunningServer | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    live = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await offline?.stop();
    await live?.stop();
  });

  it('downloads the view as a snapshot and reopens it with the same graph, findings and a banner', async () => {
    const namespaces = ((await (await fetch(`${live.url}/api/namespaces`)).json()) as { namespaces: Array<{ name: string }> }).namespaces.map((n) => n.name);

    await page.goto(`${live.url}${VIEW}`);
    await waitForMarkedGraph(page);
    expect(await page.$('[data-testid="snapshot-banner"]')).toBeNull();
    const liveGraph = await graphState(page);
    expect(liveGraph.edges.length).toBeGreaterThan(3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-snapshot').click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^meshlens-snapshot-\d{8}T\d{6}Z\.json\.gz$/);
    mkdirSync(`${ARTIFACTS}snapshot`, { recursive: true });
    const file = `${ARTIFACTS}snapshot/${name}`;
    copyFileSync(await download.path(), file);
    const size = statSync(file).size;
    console.log(`demo snapshot: ${name}, ${size} bytes`);
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(300_000);
    await expect.poll(() => page.textContent('[data-testid="snapshot-status"]')).toContain(`Saved ${name}`);
    await screenshot(page, 'snapshot-live-downloaded');
    const liveConfig = await configCounts(page, live.url, namespaces);
    expect(liveConfig.summary).toMatch(/\d+ errors?/);

    offline = await startServer(['serve', '--snapshot', file]);
    expect(offline.output()).toContain('serving Snapshot of Demo mesh taken');
    // No namespaces in the URL: the offline console opens on the captured view.
    await page.goto(`${offline.url}/graph?edgeLabels=requestRate&refresh=0`);
    await page.waitForFunction((ns) => new URL(location.href).searchParams.get('namespaces') === ns, NS, { timeout: 30_000 });
    await waitForGraph(page);
    const banner = await page.waitForSelector('[data-testid="snapshot-banner"]', { timeout: 30_000 });
    // The absolute capture time with its zone, e.g. "Nov 22, 2026, 4:03:48 AM UTC"; the file name carries the same moment.
    const [, , mm, ss] = /T(\d{2})(\d{2})(\d{2})Z/.exec(name)!;
    expect(await banner.textContent()).toMatch(new RegExp(`^Offline snapshot of Demo mesh, captured .*\\d{4}.*${mm}:${ss}.*(UTC|GMT|[+-]\\d).* — nothing here is live\\.`));
    expect(await banner.textContent()).toContain('To open another file, drop it on the page or use “Open snapshot”.');
    // Config markers (CFG) arrive with the findings, after the graph: wait for the whole picture.
    await expect.poll(() => graphState(page), { timeout: 15_000 }).toEqual(liveGraph);
    const axe = await new AxeBuilder({ page }).include('[data-testid="snapshot-banner"]').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await screenshot(page, 'snapshot-offline-graph');

    // The charts of an edge, recorded in the bundle, equal the live ones over the same window — with the console's
    // clock standing at the capture, not running on past the recorded window.
    const offlineChart = await edgeChart(page);
    expect(offlineChart.warnings).toEqual([]);
    expect(await page.getByTestId('time-live').textContent()).toBe('At capture');
    await screenshot(page, 'snapshot-offline-charts');
    const queryTime = new URLSearchParams(decodeSnapshotView(readFileSync(file))).get('queryTime');
    await page.goto(`${live.url}${VIEW}&queryTime=${queryTime}`);
    await waitForGraph(page);
    expect(await edgeChart(page)).toEqual(offlineChart);
    expect(offlineChart.label).toMatch(/^Request rate over .*: 2xx average \d+(\.\d+)? rps, peak/);

    const offlineConfig = await configCounts(page, offline.url, namespaces);
    expect(offlineConfig).toEqual(liveConfig);
    expect(await page.$('[data-testid="snapshot-banner"]')).not.toBeNull();
    await screenshot(page, 'snapshot-offline-config');
  });
});

/** Drags `bytes` as a file named `name` over the page and drops it, as a person dragging it from their desktop. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(({ name, b64 }) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], name, { type: 'application/gzip' }));
    return dt;
  }, { name, b64: bytes.toString('base64') });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: transfer });
  // The overlay says what dropping does before the file is let go.
  await page.waitForSelector('[data-testid="snapshot-drop"]', { timeout: 5_000 });
  expect(await page.textContent('[data-testid="snapshot-drop"]')).toBe('Drop a Meshlens snapshot file to open it offline');
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

describe('a snapshot file dropped on the start page of another server', () => {
  let live: RunningServer;
  let laptop: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    live = await startServer(['serve', '--demo']);
    // The laptop's server reads a few manifests: nothing of the demo mesh, no telemetry.
    laptop = await startServer(['serve', '-f', `${REPO_ROOT}apps/server/src/__fixtures__/config`]);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await laptop?.stop();
    await live?.stop();
  });

  it('opens it offline with the same graph and findings, reloads, refuses a bad file, and closes back to the server\'s own view', async () => {
    // The bundle as the demo's "Download snapshot" writes it.
    const bundle = Buffer.from(await (await fetch(`${live.url}/api/snapshot?namespaces=${NS}&graphType=versionedApp&duration=600`)).arrayBuffer());
    const view = new URLSearchParams(decodeSnapshotView(bundle));
    await page.goto(`${live.url}/graph?${view.toString().replace(/%2C/g, ',')}&edgeLabels=requestRate&refresh=0`);
    await waitForMarkedGraph(page);
    const liveGraph = await graphState(page);
    const namespaces = ((await (await fetch(`${live.url}/api/namespaces`)).json()) as { namespaces: Array<{ name: string }> }).namespaces.map((n) => n.name);
    const liveConfig = await configCounts(page, live.url, namespaces);

    await page.goto(`${laptop.url}/graph?refresh=0&edgeLabels=requestRate`);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('namespaces') === 'shop', undefined, { timeout: 30_000 });
    expect(await page.$('[data-testid="snapshot-banner"]')).toBeNull();
    const hint = await page.waitForSelector('[data-testid="open-snapshot"]');
    expect(await hint.textContent()).toBe('Open snapshot');

    await dropFile(page, 'incident-4711.json.gz', bundle);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('snapshot'), undefined, { timeout: 30_000 });
    const url = new URL(page.url());
    expect(url.searchParams.get('namespaces')).toBe(NS);
    expect(url.searchParams.get('queryTime')).toBe(view.get('queryTime'));
    await waitForGraph(page);
    // Config markers (CFG) arrive with the findings, after the graph: wait for the whole picture.
    await expect.poll(() => graphState(page), { timeout: 15_000 }).toEqual(liveGraph);
    const banner = await page.waitForSelector('[data-testid="snapshot-banner"]');
    expect(await banner.textContent()).toMatch(/^Offline snapshot of Demo mesh, captured .* — nothing here is live\. .*Close snapshot$/);
    const axe = await new AxeBuilder({ page }).include('.app-header').include('[data-testid="snapshot-banner"]').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await screenshot(page, 'snapshot-dropped-graph');

    // The Config page of the file, through the header's link: the snapshot travels with it.
    await page.click('[data-testid="nav-config"]');
    await page.waitForSelector('[data-testid="config-summary"]', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('snapshot')).toBe(url.searchParams.get('snapshot'));
    await page.goto(`${laptop.url}/config?namespaces=${namespaces.join(',')}&snapshot=${url.searchParams.get('snapshot')}`);
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    expect({ summary: await page.getAttribute('[data-testid="config-summary"]', 'aria-label'), count: await page.textContent('[data-testid="config-count"]') }).toEqual(liveConfig);

    // A reload keeps it: the server still holds the file.
    await page.goto(url.toString());
    await waitForGraph(page);
    // Config markers (CFG) arrive with the findings, after the graph: wait for the whole picture.
    await expect.poll(() => graphState(page), { timeout: 15_000 }).toEqual(liveGraph);

    // A file that is not a snapshot, through the keyboard's way in (the button's file chooser): a sentence, and the
    // snapshot on screen stays.
    const bad = `${ARTIFACTS}snapshot/notes.txt`;
    mkdirSync(`${ARTIFACTS}snapshot`, { recursive: true });
    writeFileSync(bad, 'post-mortem notes, not a snapshot');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="open-snapshot"]')]);
    await chooser.setFiles(bad);
    const error = await page.waitForSelector('[data-testid="open-snapshot-status"][role="alert"]', { timeout: 30_000 });
    expect(await error.textContent()).toBe('Could not open the snapshot: notes.txt: not JSON; is it a file written by `meshlens snapshot`?×');
    await screenshot(page, 'snapshot-open-error');
    expect(new URL(page.url()).searchParams.get('snapshot')).toBe(url.searchParams.get('snapshot'));
    await page.click('[aria-label="Close message"]');

    // Close: back to the laptop's own manifests.
    await page.click('[data-testid="leave-snapshot"]');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('snapshot'), undefined, { timeout: 10_000 });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('namespaces') === 'shop', undefined, { timeout: 30_000 });
    expect(await page.$('[data-testid="snapshot-banner"]')).toBeNull();

    // A link to a file the server no longer holds (restarted, or closed as least recently used) says what to do.
    await page.goto(`${laptop.url}/graph?snapshot=AAAAAAAAAAAAAAAAAAAAAA&namespaces=${NS}`);
    const gone = await page.waitForSelector('[data-testid="snapshot-banner"][role="alert"]', { timeout: 30_000 });
    expect(await gone.textContent()).toBe('The snapshot file this page shows is not open on the server any more (it keeps the 8 most recently opened files in memory, and none across a restart). Drop the file on the page again, or choose it with "Open snapshot".Back to the server\'s own view');
    await screenshot(page, 'snapshot-gone');
    expect(readFileSync(bad, 'utf8')).toContain('notes');
  });
});

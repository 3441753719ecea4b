/**
 * Snapshot bundles end to end: "Download snapshot" on the live demo, then `meshlens serve --snapshot FILE`
 * reopens it with no cluster and no simulator — same graph, same findings, and a banner saying it is not live.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const NS = 'bookinfo-routing';
const VIEW = `/?namespaces=${NS}&graphType=versionedApp&edgeLabels=requestRate&refresh=0`;

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
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
async function configCounts(page: Page, base: string, namespaces: string[]): Promise<{ summary: string | null; count: string | null }> {
  await page.goto(`${base}/config?namespaces=${namespaces.join(',')}`);
  await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="config-summary"]', { timeout: 30_000 });
  return { summary: await page.getAttribute('[data-testid="config-summary"]', 'aria-label'), count: await page.textContent('[data-testid="config-count"]') };
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
    await waitForGraph(page);
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
    await page.goto(`${offline.url}/?edgeLabels=requestRate&refresh=0`);
    await page.waitForFunction((ns) => new URL(location.href).searchParams.get('namespaces') === ns, NS, { timeout: 30_000 });
    await waitForGraph(page);
    const banner = await page.waitForSelector('[data-testid="snapshot-banner"]', { timeout: 30_000 });
    // The absolute capture time with its zone, e.g. "Nov 22, 2026, 4:03:48 AM UTC"; the file name carries the same moment.
    const [, , mm, ss] = /T(\d{2})(\d{2})(\d{2})Z/.exec(name)!;
    expect(await banner.textContent()).toMatch(new RegExp(`^Offline snapshot of Demo mesh, captured .*\\d{4}.*${mm}:${ss}.*(UTC|GMT|[+-]\\d).* — nothing here is live\\.`));
    expect(await banner.textContent()).toContain('meshlens serve --snapshot FILE');
    expect(await graphState(page)).toEqual(liveGraph);
    const axe = await new AxeBuilder({ page }).include('[data-testid="snapshot-banner"]').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await screenshot(page, 'snapshot-offline-graph');

    const offlineConfig = await configCounts(page, offline.url, namespaces);
    expect(offlineConfig).toEqual(liveConfig);
    expect(await page.$('[data-testid="snapshot-banner"]')).not.toBeNull();
    await screenshot(page, 'snapshot-offline-config');
  });
});

/**
 * Ambient mode in the browser, on the demo's ambient Bookinfo (namespace ambient-bookinfo: no sidecars, ztunnel,
 * a waypoint for reviews): by default the waypoint is hidden and productpage's calls go straight to the reviews
 * versions, counted once; "Show waypoints" (in the URL) draws productpage -> waypoint -> reviews with the same rate;
 * edges say which proxy reported them; a trace from productpage goes through the waypoint and agrees with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, screenshot, startServer, waitForGraph, type RunningServer } from './harness.js';

const NS = 'ambient-bookinfo';

interface Drawn {
  nodes: Array<{ id: string; label: string; isBox: boolean; isWaypoint: boolean }>;
  edges: Array<{ source: string; target: string; rate: number; telemetry: unknown }>;
}

async function graphState(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
    return {
      nodes: cy.nodes().map((n: any) => ({ id: n.id(), label: n.data('label'), isBox: !!n.data('isBox'), isWaypoint: !!n.data('isWaypoint') })),
      edges: cy.edges().map((e: any) => {
        const t = e.data('traffic') ?? {};
        return { source: e.source().data('label'), target: e.target().data('label'), rate: Number(t.rates?.http ?? t.rates?.tcp ?? 0), telemetry: e.data('telemetry') };
      }),
    };
  });
}

const pairs = (g: Drawn) => g.edges.map((e) => `${e.source} -> ${e.target}`).sort();
const sum = (g: Drawn, pred: (e: Drawn['edges'][number]) => boolean) => Math.round(g.edges.filter(pred).reduce((a, e) => a + e.rate, 0) * 100) / 100;

describe('ambient Bookinfo on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let hidden: Drawn;

  it('hides the waypoint by default: productpage calls the reviews versions directly, each edge saying who reported it', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload`);
    await waitForGraph(page);
    hidden = await graphState(page);
    expect(hidden.nodes.some((n) => n.isWaypoint)).toBe(false);
    expect(pairs(hidden)).toEqual(expect.arrayContaining(['productpage-v1 -> reviews-v1', 'productpage-v1 -> reviews-v2', 'productpage-v1 -> reviews-v3', 'productpage-v1 -> details-v1']));
    // every edge names the proxy its numbers came from (sidecar, waypoint or ztunnel)
    expect(hidden.edges.every((e) => e.telemetry !== undefined)).toBe(true);
    expect(await page.isChecked('[data-testid="waypoints"]')).toBe(false);
  });

  it('"Show waypoints" draws productpage -> waypoint -> reviews, keeps it in the URL and counts each request once', async () => {
    await page.check('[data-testid="waypoints"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('waypoints') === 'true');
    await page.waitForFunction(() => ((window as any).__meshlensCy?.nodes().filter((n: any) => n.data('isWaypoint')).length ?? 0) > 0, undefined, { timeout: 30_000 });
    await waitForGraph(page);
    const shown = await graphState(page);
    const waypoint = shown.nodes.find((n) => n.isWaypoint)!;
    expect(waypoint.label).toBe('waypoint');
    expect(pairs(shown)).toEqual(expect.arrayContaining(['productpage-v1 -> waypoint', 'waypoint -> reviews-v1', 'waypoint -> reviews-v2', 'waypoint -> reviews-v3']));
    expect(pairs(shown)).not.toContain('productpage-v1 -> reviews-v1');
    // the same requests either way: into the waypoint = what went straight to the reviews versions when hidden
    const direct = sum(hidden, (e) => e.source === 'productpage-v1' && e.target.startsWith('reviews-'));
    expect(direct).toBeGreaterThan(0);
    expect(Math.abs(sum(shown, (e) => e.source === 'productpage-v1' && e.target === 'waypoint') - direct)).toBeLessThan(0.05);
    expect(Math.abs(sum(shown, (e) => e.source === 'waypoint') - direct)).toBeLessThan(0.05);
    await screenshot(page, 'ambient-waypoints-shown');

    // a reload keeps the choice
    await page.reload();
    await waitForGraph(page);
    expect((await graphState(page)).nodes.some((n) => n.isWaypoint)).toBe(true);
    expect(await page.isChecked('[data-testid="waypoints"]')).toBe(true);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).exclude('canvas').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  it('traces productpage -> reviews through the waypoint, in agreement with its reports', async () => {
    await page.goto(`${server.url}/trace?from=${NS}/productpage-v1&url=${encodeURIComponent('http://reviews.ambient-bookinfo:9080/')}`);
    await page.waitForSelector('[data-testid="trace-result"] [data-testid="trace-step"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="trace-loading"]', { state: 'detached' });
    const text = (await page.textContent('[data-testid="trace-result"]')) ?? '';
    expect(text).toContain('ambient-bookinfo/waypoint');
    expect(text).toContain('waypoint, HBONE port 15008');
    expect(text).not.toMatch(/no HTTP traffic from productpage-v1 to ambient-bookinfo\/waypoint/);
    await screenshot(page, 'ambient-trace');
  });
});

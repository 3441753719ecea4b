/**
 * The Overview in a real browser on the demo mesh: `/` lands on it, the demo's namespaces come worst first with
 * the control plane on top, the filters and the order live in the URL (Back, Forward and reload keep them), each
 * namespace links to its graph, lists and config, and the page passes an axe scan at 1440×900 and 1280×800, light
 * and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, param, type RunningServer, startServer } from './harness.js';

const DEMO_NAMESPACES = [
  'ambient-bookinfo', 'bookinfo-abort', 'bookinfo-faults', 'bookinfo-routing', 'bookinfo-shifting', 'bookinfo-shifting-80-20', 'bookinfo-timeouts',
  'circuit-breaking', 'default', 'egress', 'egress-registry-only', 'egress-router', 'gwapi-bookinfo', 'gwapi-egress', 'gwapi-ingress', 'ingress', 'istio-io-tcp-traffic-shifting',
  'istio-system', 'mirroring', 'sni', 'sni-conflict',
];
const RANK: Record<string, number> = { Failure: 0, Degraded: 1, NotReady: 2, Healthy: 3, NA: 4 };

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Namespace and status of each entry, in page order (table rows or cards). */
async function entries(page: Page): Promise<Array<{ name: string; status: string }>> {
  await page.waitForSelector('[data-testid="ns-row"], [data-testid="ns-card"]', { timeout: 30_000 });
  return page.$$eval('[data-testid="ns-row"], [data-testid="ns-card"]', (els) => els.map((e) => ({ name: (e as HTMLElement).dataset.namespace ?? '', status: (e as HTMLElement).dataset.status ?? '' })));
}


describe('the Overview on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lands on the Overview from /, and lists every demo namespace worst first', async () => {
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/overview$/);
    const shown = await entries(page);
    const interactive = Date.now() - started;
    expect(shown.map((e) => e.name).sort()).toEqual(DEMO_NAMESPACES);
    // worst first: statuses never get better going down, and the server's own verdicts are what is shown
    const ranks = shown.map((e) => RANK[e.status]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const api = (await (await fetch(`${server.url}/api/overview`)).json()) as { namespaces: Array<{ name: string; worstStatus: string }> };
    expect(Object.fromEntries(shown.map((e) => [e.name, e.status]))).toEqual(Object.fromEntries(api.namespaces.map((n) => [n.name, n.worstStatus])));
    expect(shown[0]!.status).toBe('Failure');
    // 21 namespaces: more than a dozen, so a table; its health column is the sorted one
    expect(await page.getAttribute('[data-testid="ns-table"] th[aria-sort="ascending"]', 'title')).toContain('worst status');
    console.log(`Overview interactive (demo, ${DEMO_NAMESPACES.length} namespaces): ${interactive} ms`);
  });

  it('shows the control plane: istiod with its version and revision, and the gateways with their health', async () => {
    const istiod = await page.textContent('[data-testid="cp-istiod"]');
    expect(istiod).toMatch(/1\/1 ready/);
    expect(istiod).toMatch(/version 1\.\d+\.\d+/);
    expect(istiod).toContain('revision default');
    const gateways = await page.$$eval('[data-testid="cp-gateway"]', (els) => els.map((e) => (e as HTMLElement).dataset.name));
    expect(gateways).toEqual(expect.arrayContaining(['istio-ingressgateway', 'istio-egressgateway']));
    expect(await page.textContent('[data-testid="cp-gateways"]')).toMatch(/ingress · 1\/1/);
  });

  it('says health, mTLS, injection and findings in words, not colour alone', async () => {
    const row = page.locator('[data-testid="ns-row"][data-namespace="istio-system"]');
    const text = await row.textContent();
    expect(text).toMatch(/Degraded|Failing|Healthy/);
    expect(text).toContain('mTLS permissive');
    expect(text).toContain('no injection');
    expect(await row.locator('.severity-counts').getAttribute('aria-label')).toMatch(/\d+ errors?/);
    const bar = await page.locator('[data-testid="ns-row"][data-namespace="circuit-breaking"] .health-bar-counts .visually-hidden').first().textContent();
    expect(bar).toMatch(/^Apps: .*(failing|degraded|healthy)/);
  });

  it('filters by name and label and orders by name, in the URL; Back, Forward and reload keep each view', async () => {
    await page.fill('[data-testid="ov-name"]', 'bookinfo');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'bookinfo');
    expect((await entries(page)).map((e) => e.name).sort()).toEqual(DEMO_NAMESPACES.filter((n) => n.includes('bookinfo')));
    // eight namespaces (six Istio-API bookinfos, the ambient one and the Gateway API one): cards now
    expect(await page.locator('[data-testid="ns-card"]').count()).toBe(8);
    await page.selectOption('[data-testid="ov-sort"]', 'name');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
    expect((await entries(page)).map((e) => e.name)).toEqual(DEMO_NAMESPACES.filter((n) => n.includes('bookinfo')));
    await page.reload();
    expect((await entries(page)).map((e) => e.name)).toEqual(DEMO_NAMESPACES.filter((n) => n.includes('bookinfo')));
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('sort'));
    expect(param(page, 'q')).toBe('bookinfo');
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
    // a label selector on the namespaces' labels; a broken one says so instead of hiding everything
    await page.goto(`${server.url}/overview?label=meshlens.io/scenario%3Dcircuit-breaking`);
    expect((await entries(page)).map((e) => e.name)).toEqual(['circuit-breaking']);
    await page.fill('[data-testid="ov-label"]', 'app in (a');
    await page.waitForSelector('#ov-label-problem:has-text("parentheses")');
    expect((await entries(page)).length).toBe(DEMO_NAMESPACES.length);
  });

  it('links each namespace to its graph, its lists and its config', async () => {
    await page.goto(`${server.url}/overview?display=cards&q=circuit`);
    const card = page.locator('[data-testid="ns-card"][data-namespace="circuit-breaking"]');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('[data-testid="ns-graph-link"]').getAttribute('href')).toBe('/graph?namespaces=circuit-breaking');
    expect(await card.locator('[data-testid="ns-workloads-link"]').getAttribute('href')).toBe('/workloads?namespaces=circuit-breaking');
    expect(await card.locator('[data-testid="ns-config-link"]').getAttribute('href')).toBe('/config?namespaces=circuit-breaking');
    expect(await card.locator('[data-testid="ns-sparkline"]').getAttribute('aria-label')).toMatch(/^Requests over the window: peak [\d.]+ rps/);
    await card.locator('[data-testid="ns-workloads-link"]').click();
    await page.waitForURL(/\/workloads\?namespaces=circuit-breaking$/);
    await page.waitForSelector('[data-testid="entity-row"]', { timeout: 30_000 });
    await page.goBack();
    await page.waitForURL(/\/overview\?display=cards&q=circuit$/);
    await card.locator('[data-testid="ns-graph-link"]').click();
    await page.waitForURL(/\/graph\?namespaces=circuit-breaking/);
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  });

  // Both themes and both sizes: contrast depends on the theme, overlaps on the size.
  for (const [viewport, scheme] of [[{ width: 1440, height: 900 }, 'light'], [{ width: 1280, height: 800 }, 'dark']] as const) {
    it(`passes an axe scan at ${viewport.width}×${viewport.height}, ${scheme}, as table and as cards`, async () => {
      const ctx = await browser.newContext({ viewport, colorScheme: scheme });
      await ctx.addInitScript((t) => localStorage.setItem('meshlens-theme', t), scheme);
      const p = await ctx.newPage();
      try {
        await p.goto(`${server.url}/overview`);
        await p.waitForSelector('[data-testid="ns-row"]', { timeout: 30_000 });
        expect(await seriousViolations(p)).toEqual([]);
        await p.goto(`${server.url}/overview?display=cards`);
        await p.waitForSelector('[data-testid="ns-card"]', { timeout: 30_000 });
        expect(await seriousViolations(p)).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }
});

/**
 * The lists of applications, workloads and services in a real browser on the demo mesh: namespaces, filters and sort
 * come from the URL and go back to it (Back, Forward and reload keep each view), rows carry health in words, labels
 * and Istio badges spelled out, the table renders only the rows in view, and every list passes an axe scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, param, type RunningServer, startServer } from './harness.js';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function rowNames(page: Page): Promise<string[]> {
  await page.waitForSelector('[data-testid="entity-row"], [data-testid="list-empty"]', { timeout: 30_000 });
  return page.$$eval('[data-testid="entity-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.name ?? ''));
}


describe('entity lists on the demo mesh', () => {
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

  it('lists the workloads of circuit-breaking, worst first, with health, labels and Istio badges in words', async () => {
    await page.goto(`${server.url}/workloads?namespaces=circuit-breaking`);
    expect((await rowNames(page)).sort()).toEqual(['fortio-deploy', 'httpbin']);
    const statuses = await page.$$eval('[data-testid="entity-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.status));
    const rank = { Failure: 0, Degraded: 1, NotReady: 2, Healthy: 3, NA: 4 } as Record<string, number>;
    expect(statuses.map((s) => rank[s!])).toEqual([...statuses.map((s) => rank[s!])].sort((a, b) => a - b));
    const httpbin = page.locator('[data-testid="entity-row"][data-name="httpbin"]');
    expect(await httpbin.locator('[data-testid="row-health"]').textContent()).toMatch(/^.(Failing|Degraded|Healthy|No traffic)$/);
    expect(await httpbin.locator('[data-badge="CB"]').getAttribute('title')).toBe('Circuit breaker (connection pool or outlier detection)');
    expect(await httpbin.locator('[data-badge="DR"]').getAttribute('title')).toBe('DestinationRule');
    expect(await httpbin.locator('.label-chip').allTextContents()).toEqual(['app=httpbin', 'version=v1']);
    expect(await httpbin.locator('[data-testid="entity-link"]').getAttribute('href')).toBe('/namespaces/circuit-breaking/workloads/httpbin?namespaces=circuit-breaking');
    expect(await page.textContent('[data-testid="list-count"]')).toBe('2 of 2 workloads');
  });

  it('sorts by a column header, in the URL, and Back, Forward and reload keep each order', async () => {
    await page.click('[data-testid="sort-name"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'name');
    expect(await rowNames(page)).toEqual(['fortio-deploy', 'httpbin']);
    expect(await page.getAttribute('th:has([data-testid="sort-name"])', 'aria-sort')).toBe('ascending');
    await page.click('[data-testid="sort-name"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('order') === 'desc');
    expect(await rowNames(page)).toEqual(['httpbin', 'fortio-deploy']);
    await page.reload();
    expect(await rowNames(page)).toEqual(['httpbin', 'fortio-deploy']);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('order'));
    expect(await rowNames(page)).toEqual(['fortio-deploy', 'httpbin']);
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('order') === 'desc');
    expect(await rowNames(page)).toEqual(['httpbin', 'fortio-deploy']);
  });

  it('filters by a label selector, and says what is wrong with one it cannot read', async () => {
    await page.goto(`${server.url}/workloads?namespaces=bookinfo-routing`);
    expect((await rowNames(page)).sort()).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
    await page.fill('[data-testid="list-label"]', 'app=reviews,version!=v1');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('label') === 'app=reviews,version!=v1');
    expect((await rowNames(page)).sort()).toEqual(['reviews-v2', 'reviews-v3']);
    await page.reload();
    expect((await rowNames(page)).sort()).toEqual(['reviews-v2', 'reviews-v3']);
    await page.fill('[data-testid="list-label"]', 'version in (v2');
    expect(await page.textContent('[data-testid="list-label-problem"]')).toBe('The parentheses do not balance. Not applied.');
    expect(await page.getAttribute('[data-testid="list-label"]', 'aria-invalid')).toBe('true');
    await page.fill('[data-testid="list-label"]', 'version in (v2,v3),!nope');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('label') === 'version in (v2,v3),!nope');
    expect((await rowNames(page)).sort()).toEqual(['reviews-v2', 'reviews-v3']);
    // a filter that matches nothing says so and offers to clear the filters
    await page.fill('[data-testid="list-name"]', 'nothing-like-this');
    await page.waitForSelector('[data-testid="list-empty"]:has-text("No workload matches these filters")');
    await page.click('[data-testid="list-empty"] button');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('label') && !new URL(location.href).searchParams.has('q'));
    expect((await rowNames(page)).length).toBe(6);
  });

  it('switches between applications, workloads and services, keeping the namespaces', async () => {
    await page.goto(`${server.url}/workloads?namespaces=bookinfo-routing&health=Failure,Degraded,NotReady,Healthy,NA`);
    await rowNames(page);
    expect(param(page, 'health')).toBe('Failure,Degraded,NotReady,Healthy,NA');
    await page.click('[data-testid="kind-services"]');
    await page.waitForURL(/\/services\?namespaces=bookinfo-routing$/);
    expect((await rowNames(page)).sort()).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    expect(await page.textContent('[data-testid="entity-row"][data-name="reviews"]')).toContain('http 9080/TCP');
    await page.click('[data-testid="kind-applications"]');
    await page.waitForURL(/\/applications\?namespaces=bookinfo-routing$/);
    expect((await rowNames(page)).sort()).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    expect(await page.textContent('[data-testid="entity-row"][data-name="reviews"]')).toContain('v1, v2, v3');
    await page.click('[data-testid="entity-row"][data-name="reviews"] [data-testid="entity-link"]');
    await page.waitForURL(/\/namespaces\/bookinfo-routing\/applications\/reviews\?namespaces=bookinfo-routing$/);
    await page.waitForSelector('[data-testid="detail-tabs"]', { timeout: 30_000 });
    await page.goBack();
    await page.waitForURL(/\/applications\?namespaces=bookinfo-routing$/);
  });

  it('renders only the rows in view of a long list', async () => {
    await page.goto(`${server.url}/workloads`);
    await page.waitForSelector('[data-testid="entity-row"]', { timeout: 30_000 });
    const total = Number(await page.getAttribute('[data-testid="entity-table"]', 'data-rows'));
    expect(total).toBeGreaterThan(60);
    const rendered = await page.locator('[data-testid="entity-row"]').count();
    expect(rendered).toBeLessThan(total);
    expect(await page.getAttribute('[data-testid="entity-table"]', 'aria-rowcount')).toBe(String(total + 1));
    // scrolled to the end, the last rows are there
    await page.$eval('[data-testid="entity-table-scroll"]', (el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="entity-row"]')].some((r) => r.getAttribute('aria-rowindex') === String(n + 1)), total);
  });

  for (const [viewport, scheme] of [[{ width: 1440, height: 900 }, 'light'], [{ width: 1280, height: 800 }, 'dark']] as const) {
    it(`passes an axe scan of each list at ${viewport.width}×${viewport.height}, ${scheme}`, async () => {
      const ctx = await browser.newContext({ viewport, colorScheme: scheme });
      await ctx.addInitScript((t) => localStorage.setItem('meshlens-theme', t), scheme);
      const p = await ctx.newPage();
      try {
        for (const path of ['/applications?namespaces=bookinfo-routing', '/workloads?namespaces=circuit-breaking,egress-router', '/services']) {
          await p.goto(`${server.url}${path}`);
          await p.waitForSelector('[data-testid="entity-row"]', { timeout: 30_000 });
          expect(await seriousViolations(p)).toEqual([]);
        }
      } finally {
        await ctx.close();
      }
    });
  }
});

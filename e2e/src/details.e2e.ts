/**
 * Detail pages in a real browser on the demo mesh: a workload's pods (IPs, host aliases, the proxy), its logs with
 * Envoy response flags explained, a service's versions, routing weights and VirtualService, keyboard tabs kept in the
 * URL, the one-hop node graph, the way to and from the graph page, a snapshot's "no logs", and axe scans.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { clickEdge, launchBrowser, param, REPO_ROOT, type RunningServer, screenshot, startServer } from './harness.js';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}


async function openDetail(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid="detail-tabs"]', { timeout: 30_000 });
}

/** Clicks the graph node `id` on the graph page, as a person would, and waits for it to be selected. */
async function clickNode(page: Page, id: string): Promise<string> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  const at = await page.evaluate((nodeId) => {
    const cy = (window as any).__meshlensCy;
    const node = cy.$id(nodeId);
    const p = node.renderedPosition();
    const rect = cy.container().getBoundingClientRect();
    return { id: node.id() as string, x: rect.left + p.x, y: rect.top + p.y };
  }, id);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, at.id);
  return at.id;
}

describe('detail pages on the demo mesh', () => {
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

  it("shows httpbin's pod, its pod IP and the istio-proxy, the Service that selects it and its DestinationRule", async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin`);
    const pod = page.locator('[data-testid="pod-row"]');
    await pod.first().waitFor();
    expect(await pod.count()).toBe(1);
    expect(await pod.getAttribute('data-pod')).toMatch(/^httpbin-/);
    expect(await pod.locator('[data-testid="pod-ip"]').textContent()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await pod.locator('[data-testid="pod-container"]').evaluateAll((cs) => cs.map((c) => (c as HTMLElement).dataset.container))).toEqual(['httpbin', 'istio-proxy']);
    expect(await pod.locator('[data-container="istio-proxy"]').textContent()).toMatch(/istio-proxy 1\.\d+\.\d+/);
    expect(await page.textContent('[data-testid="workload-services"]')).toContain('httpbin');
    expect(await page.getAttribute('[data-testid="applied-object"][data-kind="DestinationRule"] [data-testid="applied-link"]', 'href')).toBe('/config/DestinationRule/circuit-breaking/httpbin');
    // the one-hop graph: httpbin and its caller; clicking the caller opens its page
    await page.waitForSelector('[data-testid="mini-graph"][data-laid-out="true"]', { timeout: 30_000 });
    const at = await page.evaluate(() => {
      const cy = (window as any).__meshlensMiniCy;
      const node = cy.nodes().filter((n: any) => n.data('workload') === 'fortio-deploy')[0];
      const p = node.renderedPosition();
      const rect = cy.container().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForURL(/\/namespaces\/circuit-breaking\/workloads\/fortio-deploy/);
    await page.goBack();
    await page.waitForURL(/\/namespaces\/circuit-breaking\/workloads\/httpbin$/);
  });

  it('moves between tabs with the arrow keys, keeps the tab in the URL, and Back, Forward and reload keep it', async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin`);
    await page.focus('[data-testid="tab-overview"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'traffic');
    expect(await page.getAttribute('[data-testid="tab-traffic"]', 'aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-traffic');
    await page.waitForSelector('[data-testid="traffic-row"][data-peer="fortio-deploy"]', { timeout: 30_000 });
    await page.keyboard.press('End');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'config');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('tab'));
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'config');
    await page.waitForSelector('[data-testid="panel-config"] [data-testid="applied-object"]');
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'traffic');
    await page.reload();
    await page.waitForSelector('[data-testid="traffic-row"]', { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="tab-traffic"]', 'aria-selected')).toBe('true');
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tab') === 'config');
  });

  it("shows the inbound charts over the page's window", async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin?tab=inbound`);
    await page.waitForSelector('[data-testid="chart-requests"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="chart-requests"] [role="img"]').getAttribute('aria-label')).toMatch(/rps|req/i);
  });

  it("shows httpbin's logs, its application container and istio-proxy side by side, then merged", async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin?tab=logs`);
    await page.waitForSelector('[data-testid="log-pane-proxy"] [data-testid="log-line"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="log-pane-app"] [data-testid="log-line"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="log-pane-proxy"] [data-testid="log-code"]').first().textContent()).toMatch(/^\d{3}$/);
    await page.selectOption('[data-testid="log-layout"]', 'merged');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('logs') === 'merged');
    const containers = await page.$$eval('[data-testid="log-pane-merged"] [data-testid="log-line"]', (ls) => [...new Set(ls.map((l) => (l as HTMLElement).dataset.container))].sort());
    expect(containers).toEqual(['httpbin', 'istio-proxy']);
  });

  it("httpbin's logs tab says which requests never reached it (UO at fortio's proxy) and leads to those lines", async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin?tab=logs`);
    const item = page.locator('[data-testid="logs-unreached"] [data-testid="unreached-item"]');
    await item.first().waitFor({ timeout: 30_000 });
    expect(await item.evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.caller} ${(e as HTMLElement).dataset.flag}`))).toEqual(['wl:circuit-breaking:fortio-deploy UO']);
    expect(await item.first().textContent()).toMatch(/^UO fortio-deploy \(circuit-breaking\): [\d.]+ rps answered by its own proxy\. UpstreamOverflow: Circuit breaking/);
    await screenshot(page, 'details-httpbin-logs-unreached');
    await page.click('[data-testid="unreached-logs-link"]');
    await page.waitForURL(/\/namespaces\/circuit-breaking\/workloads\/fortio-deploy\?/);
    expect(param(page, 'tab')).toBe('logs');
    expect(param(page, 'logq')).toBe('UO');
    await page.waitForSelector('[data-testid="log-pane-proxy"] [data-testid="log-line"]', { timeout: 30_000 });
    const lines = await page.$$eval('[data-testid="log-pane-proxy"] [data-testid="log-line"]', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ 503 UO /);
  });

  it("highlights the UO lines of httpbin's caller (circuit breaking), explains the flag, and filters on it", async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/fortio-deploy?tab=logs&tail=500`);
    const flag = page.locator('[data-testid="log-pane-proxy"] [data-testid="log-flag"][data-flag="UO"]').first();
    await flag.waitFor({ timeout: 30_000 });
    expect(await flag.getAttribute('title')).toMatch(/^UO UpstreamOverflow: Circuit breaking/);
    expect(await page.textContent('[data-testid="flag-legend"]')).toContain('UpstreamOverflow');
    await page.fill('[data-testid="log-filter"]', 'UO');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('logq') === 'UO');
    const lines = await page.$$eval('[data-testid="log-pane-proxy"] [data-testid="log-line"]', (ls) => ls.map((l) => l.textContent ?? ''));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/ 503 UO /);
    // the traffic tab of httpbin's caller says the same in numbers
    await page.click('[data-testid="tab-traffic"]');
    await page.waitForSelector('[data-testid="traffic-outbound"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="traffic-outbound"]')).toMatch(/UO \d/);
  });

  it('follows the logs as a stream, and stops reading it when the tab is left', async () => {
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin?tab=logs&proxy=false`);
    await page.waitForSelector('[data-testid="log-pane-app"] [data-testid="log-line"]', { timeout: 30_000 });
    const streams: string[] = [];
    const ended: string[] = [];
    page.on('request', (r) => { if (r.url().includes('follow=true')) streams.push(r.url()); });
    page.on('requestfailed', (r) => { if (r.url().includes('follow=true')) ended.push(r.url()); });
    page.on('requestfinished', (r) => { if (r.url().includes('follow=true')) ended.push(r.url()); });
    await page.click('[data-testid="log-follow"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('follow') === 'true');
    expect(await page.getAttribute('[data-testid="log-follow"]', 'aria-pressed')).toBe('true');
    await page.waitForSelector('[data-testid="log-pane-app"] [data-testid="log-line"]', { timeout: 30_000 });
    expect(streams.length).toBe(1);
    await page.click('[data-testid="tab-overview"]');
    await expect.poll(() => ended.length, { timeout: 10_000 }).toBe(1);
    // the follow setting belongs to the logs tab: leaving it drops it from the URL
    expect(param(page, 'follow')).toBeNull();
  });

  it("shows the egress router's legacy-client host aliases", async () => {
    await openDetail(page, `${server.url}/namespaces/egress-router/workloads/legacy-client`);
    const aliases = await page.locator('[data-testid="host-alias"]').allTextContents();
    expect(aliases).toContain('203.0.113.25 → billing.partner.example');
  });

  it('shows the reviews service of bookinfo-routing: v1, v2 and v3 behind it, and the VirtualService that routes it', async () => {
    await openDetail(page, `${server.url}/namespaces/bookinfo-routing/services/reviews`);
    await page.waitForSelector('[data-testid="backend-row"]');
    const versions = await page.$$eval('[data-testid="backend-row"]', (rs) => rs.map((r) => (r as HTMLElement).dataset.version));
    expect(versions).toEqual(['v1', 'v2', 'v3']);
    const vs = page.locator('[data-testid="route-vs"]').first();
    expect(await vs.textContent()).toBe('reviews');
    expect(await vs.getAttribute('href')).toBe('/config/VirtualService/bookinfo-routing/reviews');
    expect(await page.textContent('[data-testid="service-routes"]')).toContain('end-user');
    expect(await page.getAttribute('[data-testid="applied-object"][data-kind="VirtualService"] [data-testid="applied-link"]', 'href')).toBe('/config/VirtualService/bookinfo-routing/reviews');
    // a service has no outbound charts
    expect(await page.locator('[data-testid="tab-outbound"]').count()).toBe(0);
    await vs.click();
    await page.waitForURL(/\/config\/VirtualService\/bookinfo-routing\/reviews/);
    await page.goBack();
    await page.waitForSelector('[data-testid="backend-row"]');
  });

  it('says when an entity does not exist, and where to look', async () => {
    await page.goto(`${server.url}/namespaces/circuit-breaking/workloads/nope`);
    const banner = await page.waitForSelector('[data-testid="detail-error"]', { timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/^Not found\. .*See the workloads of circuit-breaking/);
  });

  it("goes from a graph node's \"Open details\" to its page, and back to the graph focused on it", async () => {
    await page.goto(`${server.url}/graph?namespaces=circuit-breaking&graphType=workload`);
    await clickNode(page, 'wl:circuit-breaking:httpbin');
    const open = page.getByTestId('open-details');
    expect(await open.getAttribute('href')).toBe('/namespaces/circuit-breaking/workloads/httpbin?namespaces=circuit-breaking');
    await open.click();
    await page.waitForURL(/\/namespaces\/circuit-breaking\/workloads\/httpbin\?namespaces=circuit-breaking$/);
    await page.waitForSelector('[data-testid="detail-tabs"]', { timeout: 30_000 });
    await page.click('[data-testid="detail-graph-link"]');
    await page.waitForURL(/\/graph\?/);
    expect(param(page, 'focus')).toBe('wl:circuit-breaking:httpbin');
    expect(param(page, 'graphType')).toBe('workload');
    expect(param(page, 'namespaces')).toBe('circuit-breaking');
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
    await expect.poll(async () => page.getByTestId('side-panel').innerText(), { timeout: 15_000 }).toContain('httpbin');
    expect(await page.evaluate(() => (window as any).__meshlensCy.$(':selected').map((e: any) => e.id()))).toEqual(['wl:circuit-breaking:httpbin']);
    // an edge links both of its ends (the workload graph draws fortio-deploy calling the httpbin Service)
    await clickEdge(page, 'fortio-deploy', 'httpbin');
    expect(await page.getByTestId('open-source-details').getAttribute('href')).toBe('/namespaces/circuit-breaking/workloads/fortio-deploy?namespaces=circuit-breaking');
    expect(await page.getByTestId('open-target-details').getAttribute('href')).toBe('/namespaces/circuit-breaking/services/httpbin?namespaces=circuit-breaking');
  });

  for (const [viewport, scheme] of [[{ width: 1440, height: 900 }, 'light'], [{ width: 1280, height: 800 }, 'dark']] as const) {
    it(`passes an axe scan of every tab at ${viewport.width}×${viewport.height}, ${scheme}`, async () => {
      const ctx = await browser.newContext({ viewport, colorScheme: scheme });
      await ctx.addInitScript((t) => localStorage.setItem('meshlens-theme', t), scheme);
      const p = await ctx.newPage();
      const wait: Record<string, string> = {
        overview: '[data-testid="pod-row"]',
        traffic: '[data-testid="traffic-row"]',
        inbound: '[data-testid="charts"], [data-testid="charts-empty"]',
        outbound: '[data-testid="charts"], [data-testid="charts-empty"]',
        logs: '[data-testid="log-line"]',
        config: '[data-testid="applied-object"], [data-testid="config-empty"]',
      };
      try {
        // Every tab of a workload in one theme and size, of a service in the other, and an application's overview.
        const pages: Array<[string, string[]]> =
          scheme === 'light'
            ? [['/namespaces/circuit-breaking/workloads/fortio-deploy', Object.keys(wait)]]
            : [['/namespaces/bookinfo-routing/services/reviews', Object.keys(wait)], ['/namespaces/bookinfo-routing/applications/reviews', ['overview']]];
        for (const [path, tabs] of pages) {
          for (const tab of tabs) {
            if (path.includes('/services/') && tab === 'outbound') continue;
            await p.goto(`${server.url}${path}?tab=${tab}`);
            await p.waitForSelector(wait[tab]!, { timeout: 30_000 });
            expect(await seriousViolations(p), `${path} ${tab}`).toEqual([]);
          }
        }
      } finally {
        await ctx.close();
      }
    }, 180_000);
  }
});

describe('detail pages on a snapshot', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshlens-details-')), 'demo.json.gz');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/server/bin/meshlens.js'), 'snapshot', '--out', file, '--namespaces', 'circuit-breaking'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`meshlens snapshot failed:\n${run.stderr}`);
    server = await startServer(['serve', '--snapshot', file]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says that snapshots do not carry logs, and still shows the pods', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openDetail(page, `${server.url}/namespaces/circuit-breaking/workloads/httpbin?tab=logs`);
    const message = await page.waitForSelector('[data-testid="logs-unavailable"]', { timeout: 30_000 });
    expect(await message.textContent()).toContain('Snapshots do not carry logs.');
    await page.click('[data-testid="tab-overview"]');
    await page.waitForSelector('[data-testid="pod-row"]', { timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

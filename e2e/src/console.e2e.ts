/**
 * The console as a whole on the demo mesh: the router (Back, Forward and reload keep each page's state; the scope
 * and the namespace selection travel between pages; unknown paths say so), the namespace picker, dark mode, the
 * graph from the keyboard and Escape, the Config list's order and search, and no console error on a page load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, param, type RunningServer, screenshot, startServer } from './harness.js';

const NS = 'bookinfo-routing';

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const rows = (page: Page) =>
  page.$$eval('[data-testid="config-row"]', (trs) => trs.map((tr) => `${(tr as HTMLElement).dataset.severity} ${(tr as HTMLElement).dataset.kind} ${tr.querySelector('a')?.textContent}`));
const chips = (page: Page) => page.locator('[data-testid="ns-chips"] [data-ns]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ns')));

describe('the console on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the graph, the Config list and an object page without a console error or warning', async () => {
    const pages: Array<[string, (p: Page) => Promise<unknown>]> = [
      ['/', (p) => p.waitForLoadState('networkidle')],
      ['/graph', waitForGraph],
      [`/graph?namespaces=${NS}&graphType=app`, waitForGraph],
      ['/config', (p) => p.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 })],
      ['/config/VirtualService/istio-system/eg1', (p) => p.waitForSelector('.cm-finding-marker', { timeout: 30_000 })],
    ];
    for (const [path, ready] of pages) {
      const fresh = await context.newPage();
      const problems: string[] = [];
      fresh.on('console', (m: ConsoleMessage) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
      fresh.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      fresh.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`); });
      await fresh.goto(`${server.url}${path}`);
      await ready(fresh);
      // the first refreshes and the lazily loaded page code have had time to complain
      await fresh.waitForTimeout(1_500);
      expect(problems, path).toEqual([]);
      await fresh.close();
    }
  });

  it('loads each page family on its own: the Config list does not fetch the graph code', async () => {
    const fresh = await context.newPage();
    const scripts: string[] = [];
    fresh.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    await fresh.goto(`${server.url}/config`);
    await fresh.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    expect(scripts.some((s) => /ConfigPage/.test(s))).toBe(true);
    expect(scripts.filter((s) => /GraphPage|ObjectPage/.test(s))).toEqual([]);
    await fresh.close();
  });

  it('Back, Forward and reload keep the graph view and the Config filters; the scope and selection travel', async () => {
    const apiCalls: string[] = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(r.url()); });
    await page.goto(`${server.url}/graph?namespaces=${NS}&cluster=ctx-a`);
    await waitForGraph(page);
    await page.getByTestId('graph-type').selectOption('app');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('graphType') === 'app');
    await page.getByTestId('edge-labels').selectOption('requestRate');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('edgeLabels') === 'requestRate');
    expect(param(page, 'cluster')).toBe('ctx-a');
    // The header's Config link keeps the selection and the scope (its href too, for a new tab).
    expect(await page.getByTestId('nav-config').getAttribute('href')).toBe(`/config?namespaces=${NS}&cluster=ctx-a`);
    await page.getByTestId('nav-config').click();
    await page.waitForURL(`${server.url}/config?namespaces=${NS}&cluster=ctx-a`);
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    await page.getByTestId('config-severity').selectOption('warning');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'warning');
    expect(new Set((await rows(page)).map((r) => r.split(' ')[0]))).toEqual(new Set(['warning']));

    await page.goBack();
    await page.waitForFunction(() => location.pathname === '/config' && !new URL(location.href).searchParams.has('severity'));
    expect(await page.getByTestId('config-severity').inputValue()).toBe('any');
    await page.goBack();
    await waitForGraph(page);
    expect(new URL(page.url()).pathname).toBe('/graph');
    expect(await page.getByTestId('graph-type').inputValue()).toBe('app');
    expect(await page.getByTestId('edge-labels').inputValue()).toBe('requestRate');
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('edgeLabels'));
    expect(await page.getByTestId('edge-labels').inputValue()).toBe('none');
    expect(await page.getByTestId('graph-type').inputValue()).toBe('app');

    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('edgeLabels') === 'requestRate');
    await page.goForward();
    await page.waitForURL(/\/config\?/);
    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'warning');
    await page.reload();
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    expect(await page.getByTestId('config-severity').inputValue()).toBe('warning');
    expect(new Set((await rows(page)).map((r) => r.split(' ')[0]))).toEqual(new Set(['warning']));
    // Every API request of every page named the scope.
    const scoped = apiCalls.filter((u) => !/\/api\/(clusters|auth)/.test(u));
    expect(scoped.length).toBeGreaterThan(5);
    expect(scoped.filter((u) => new URL(u).searchParams.get('cluster') !== 'ctx-a')).toEqual([]);
    page.removeAllListeners('request');

    // An object page keeps the selection for the way back, and its graph link carries it on.
    await page.locator('[data-testid="config-row"] a').first().click();
    await page.waitForURL(/\/config\/[^/]+\/[^/]+\/[^/?]+\?namespaces=bookinfo-routing&cluster=ctx-a$/);
    await page.waitForSelector('#object-title');
    expect(await page.getByTestId('nav-graph').getAttribute('href')).toBe(`/graph?namespaces=${NS}&cluster=ctx-a`);
    await page.reload();
    await page.waitForSelector('#object-title');
    expect(param(page, 'cluster')).toBe('ctx-a');
  });

  it('says there is no page at an unknown path, and links to the pages there are', async () => {
    for (const path of ['/nope', '/config/VirtualService/only-two']) {
      await page.goto(`${server.url}${path}`);
      const notFound = page.getByTestId('not-found');
      await notFound.waitFor();
      expect(await notFound.locator('h2').textContent()).toBe(`No page at ${path}`);
    }
    expect(await page.getByTestId('not-found').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['/overview', '/graph', '/applications', '/workloads', '/services', '/config']);
    await page.getByTestId('not-found').locator('a', { hasText: 'Config page' }).click();
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
  });

  it('the namespace picker searches, selects from the keyboard, and shows the selection as chips', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}`);
    await waitForGraph(page);
    expect(await chips(page)).toEqual([NS]);
    await page.getByTestId('ns-picker-toggle').click();
    const search = page.getByTestId('ns-search');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('ns-search');
    const options = () => page.locator('[data-testid="ns-listbox"] [role="option"]').evaluateAll((os) => os.map((o) => `${o.getAttribute('data-ns')}${o.getAttribute('aria-selected') === 'true' ? '*' : ''}`));
    expect((await options()).length).toBeGreaterThan(10);
    await search.fill('egress');
    // names that start with the text first, then those that have it elsewhere (in a label too)
    expect((await options()).slice(0, 3)).toEqual(['egress', 'egress-registry-only', 'egress-router']);
    // The arrows move the active option (aria-activedescendant), Enter adds it.
    await search.press('ArrowDown');
    const active = await search.getAttribute('aria-activedescendant');
    const activeName = await page.locator(`[id="${active}"]`).getAttribute('data-ns');
    await search.press('Enter');
    await page.waitForFunction((n) => (new URL(location.href).searchParams.get('namespaces') ?? '').split(',').includes(n!), activeName);
    expect(await options()).toContain(`${activeName}*`);
    await screenshot(page, 'console-ns-picker');
    expect(await seriousViolations(page, '[data-testid="ns-picker"]')).toEqual([]);
    // Bulk choices.
    await search.fill('');
    const problems = page.getByTestId('ns-problems');
    await expect.poll(() => problems.isDisabled(), { timeout: 15_000 }).toBe(false);
    await problems.click();
    await page.waitForFunction(() => (new URL(location.href).searchParams.get('namespaces') ?? '').includes('istio-system'));
    expect(param(page, 'namespaces')!.split(',')).toContain('istio-system');
    await page.getByTestId('ns-none').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('namespaces') === '');
    await page.getByTestId('ns-all').click();
    await page.waitForFunction(() => (new URL(location.href).searchParams.get('namespaces') ?? '').split(',').length > 10);
    // Escape closes the list and gives the focus back to its button.
    await page.keyboard.press('Escape');
    await page.getByTestId('ns-popover').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('ns-picker-toggle');
    // Chips: the first few, then "+N more"; × removes one.
    await page.goto(`${server.url}/graph?namespaces=${NS},istio-system`);
    await waitForGraph(page);
    expect(await chips(page)).toEqual([NS, 'istio-system']);
    await page.getByRole('button', { name: 'Remove istio-system' }).click();
    await page.waitForFunction((ns) => new URL(location.href).searchParams.get('namespaces') === ns, NS);
    expect(await chips(page)).toEqual([NS]);
  });

  it('reaches nodes and edges from the keyboard, spells out badges, and Escape closes what is open', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}`);
    await waitForGraph(page);
    await page.getByTestId('graph').focus();
    await expect.poll(() => page.getByTestId('graph-tooltip').textContent()).toContain('istio-ingressgateway');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('graph-tooltip').textContent()).toContain('productpage v1');
    expect(await page.getByTestId('graph-tooltip').textContent()).toContain('VirtualService · Request routing');
    expect(await page.getByTestId('graph-announce').textContent()).toMatch(/^productpage v1\. .*Enter selects\.$/);
    await page.keyboard.press(']');
    await expect.poll(() => page.getByTestId('graph-tooltip').textContent()).toMatch(/^productpage v1 → /);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (new URL(location.href).searchParams.get('focus') ?? '').length > 0);
    await expect.poll(() => page.getByTestId('side-panel').innerText()).toMatch(/^Edge · HTTP$/im);
    await screenshot(page, 'console-keyboard-edge');
    // Escape clears the selection: the side panel goes back to the graph's summary.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('focus'));
    await expect.poll(() => page.getByTestId('side-panel').innerText()).toContain('Select a node or an edge');

    // A node selected with the mouse, then Escape from inside the side panel.
    const node = await page.evaluate(() => {
      const cy = (window as any).__meshlensCy;
      const n = cy.nodes().filter((x: any) => x.data('label') === 'reviews v2' || (x.data('app') === 'reviews' && x.data('version') === 'v2'))[0];
      const p = n.renderedPosition();
      const rect = cy.container().getBoundingClientRect();
      return { id: n.id(), x: rect.left + p.x, y: rect.top + p.y };
    });
    await page.mouse.move(node.x, node.y);
    await expect.poll(() => page.getByTestId('graph-tooltip').textContent()).toContain('VirtualService · Request routing');
    await page.mouse.click(node.x, node.y);
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, node.id);
    await page.getByRole('button', { name: 'Clear selection' }).focus();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('focus'));

    // The legend fits at 1280×800 and closes with Escape.
    await page.getByTestId('legend-toggle').check();
    const legend = page.getByTestId('legend');
    await legend.waitFor();
    const fits = await legend.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.getBoundingClientRect().bottom <= window.innerHeight);
    expect(fits).toBe(true);
    await screenshot(page, 'console-legend');
    await page.keyboard.press('Escape');
    await legend.waitFor({ state: 'detached' });
    expect(param(page, 'legend')).toBeNull();

    // The export menu closes with Escape and gives the focus back to its button.
    await page.getByTestId('export-toggle').click();
    await page.getByTestId('export-panel').waitFor();
    await page.getByTestId('export-scale-1').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('export-panel').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-toggle');
  });

  it('the chart legends show values, not "Time: –", until the pointer is over a chart', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}`);
    await waitForGraph(page);
    await page.getByTestId('graph').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const chart = page.getByTestId('chart-requests');
    await chart.waitFor({ timeout: 15_000 });
    const legend = await chart.locator('.u-legend').innerText();
    expect(legend).not.toMatch(/Time|–|--/);
    expect(legend).toMatch(/2xx:?\s*[\d.]+ (k?rps|req\/s) latest/);
    // the node panel also lists findings and routing objects: the chart may start below the panel's fold
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => chart.locator('.u-legend').innerText()).toMatch(/At:?\s*\d/);
  });

  it('the Config list puts the worst first and finds objects by the hosts they name', async () => {
    await page.goto(`${server.url}/config`);
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    const rank: Record<string, number> = { error: 0, warning: 1, info: 2, ok: 3 };
    const order = (await rows(page)).map((r) => rank[r.split(' ')[0]!]!);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBe(0);
    await page.getByTestId('config-text').fill('wikipedia');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'wikipedia');
    await expect.poll(() => rows(page)).toEqual(['error VirtualService eg1', 'ok Gateway egressgateway']);
    expect(await page.locator('[data-testid="config-row"] .config-hosts').allTextContents()).toEqual(['*.wikipedia.org · via mesh, egressgateway', '*.wikipedia.org']);
    await screenshot(page, 'console-config-wikipedia');
    await page.reload();
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    expect(await rows(page)).toEqual(['error VirtualService eg1', 'ok Gateway egressgateway']);
    // By name instead.
    await page.getByTestId('config-sort').selectOption('name');
    await expect.poll(() => rows(page)).toEqual(['ok Gateway egressgateway', 'error VirtualService eg1']);
  });

  it('follows the system\'s dark mode, switches from the header, remembers the choice, and passes axe in dark', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const p = await dark.newPage();
    const theme = () => p.evaluate(() => document.documentElement.dataset.theme);
    const canvasFill = () => p.evaluate(() => (window as any).__meshlensCy.nodes().filter((n: any) => !n.data('isBox'))[0].style('background-color'));
    await p.goto(`${server.url}/graph?namespaces=${NS}`);
    await waitForGraph(p);
    expect(await theme()).toBe('dark');
    expect(await p.getByTestId('theme-switch').inputValue()).toBe('system');
    expect(await canvasFill()).toBe('rgb(34,42,53)');
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'console-graph-dark');
    await p.getByTestId('theme-switch').selectOption('light');
    expect(await theme()).toBe('light');
    await expect.poll(canvasFill).toBe('rgb(255,255,255)');
    await p.reload();
    await waitForGraph(p);
    expect(await theme()).toBe('light');
    await p.getByTestId('theme-switch').selectOption('dark');
    expect(await theme()).toBe('dark');
    for (const [path, ready] of [
      ['/config', '[data-testid="config-row"]'],
      ['/config/DestinationRule/istio-system/egressgateway', '.cm-finding-marker'],
    ] as const) {
      await p.goto(`${server.url}${path}`);
      await p.waitForSelector(ready, { timeout: 30_000 });
      expect(await theme()).toBe('dark');
      expect(await seriousViolations(p), path).toEqual([]);
    }
    await screenshot(p, 'console-object-dark');
    await p.getByTestId('theme-switch').selectOption('system');
    expect(await p.evaluate(() => localStorage.getItem('meshlens-theme'))).toBeNull();
    expect(await theme()).toBe('dark');
    await dark.close();
  });
});

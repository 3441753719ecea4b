/**
 * The route tracer in a real browser on the demo mesh: seed 001's request (default/pod1 → https://en.wikipedia.org)
 * leaves through PassthroughCluster, names VirtualService istio-system/eg1 with a link to its line, and says the
 * configuration meant the egress gateway; the form is filled from the URL and writes it back (Back and Forward step
 * through requests); the page is reached from the header, a workload's page and the graph's side panel; and axe
 * scans at 1440×900 light and 1280×800 dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { clickEdge, launchBrowser, param, type RunningServer, screenshot, startServer } from './harness.js';

const SEED_001 = '/trace?from=default/pod1&url=https://en.wikipedia.org';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits for a trace whose steps are drawn (the result of the request now in the URL). */
async function traced(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="trace-result"] [data-testid="trace-step"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="trace-loading"]', { state: 'detached' });
}

describe('the route tracer on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('seed 001: PassthroughCluster, VirtualService istio-system/eg1 named with a working link, and the egress gateway the configuration meant', async () => {
    await page.goto(`${server.url}${SEED_001}`);
    await traced(page);
    // the form is filled from the URL
    expect(await page.getByTestId('trace-from').inputValue()).toBe('default/pod1');
    expect(await page.getByTestId('trace-url').inputValue()).toBe('https://en.wikipedia.org');
    expect(await page.getByTestId('trace-method').inputValue()).toBe('GET');
    // one path, delivered through PassthroughCluster
    expect(await page.locator('[data-testid="trace-path"]').count()).toBe(1);
    expect(await page.getByTestId('trace-outcome').textContent()).toBe('Delivered');
    expect(await page.getByTestId('trace-destination').textContent()).toBe('to PassthroughCluster → en.wikipedia.org:443');
    expect(await page.locator('[data-testid="trace-step"]').first().innerText()).toMatch(/^workload default\/pod1 \(1 pod\)\s*→\s*to\s*PassthroughCluster → en\.wikipedia\.org:443\s*HTTPS/);
    // the diagram: pod1 → PassthroughCluster seen; the gateway path VirtualService eg1 meant, drawn dashed
    const nodes = await page.locator('[data-testid="diagram-node"]').evaluateAll((ns) => ns.map((n) => `${n.getAttribute('data-kind')} ${n.getAttribute('data-observed')}`));
    expect(nodes).toEqual(['workload true', 'passthrough true', 'workload true', 'service false', 'gateway false']);
    expect(await page.locator('[data-testid="trace-diagram"] svg').getAttribute('aria-label')).toBe(
      'The configuration sends it: default/pod1 → PassthroughCluster. VirtualService istio-system/eg1 meant (not applied): default/pod1 → istio-egressgateway.istio-system.svc.cluster.local (configuration only) → istio-system/istio-egressgateway (configuration only)',
    );
    // the rule that decided, with its YAML path and sentence
    const eg1 = page.locator('[data-testid="trace-rule"][data-object="VirtualService istio-system/eg1"]');
    expect(await eg1.locator('[data-testid="trace-yaml-path"]').textContent()).toBe('spec.hosts[0]');
    expect(await eg1.textContent()).toContain('Ignored: VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org');
    // what the ignored rule meant
    expect(await page.getByTestId('trace-intent').innerText()).toMatch(/^What VirtualService istio-system\/eg1 meant: VirtualService istio-system\/eg1 routes \*\.wikipedia\.org from the mesh to istio-egressgateway\.istio-system\.svc\.cluster\.local, subset wildcard: the egress gateway istio-system\/istio-egressgateway\./);
    // the telemetry box: agrees with the trace, and the sentence on what the configuration meant
    expect(await page.getByTestId('trace-telemetry').getAttribute('data-verdict')).toBe('agrees');
    expect(await page.getByTestId('telemetry-summary').textContent()).toMatch(/^In the last 10 minutes default\/pod1 sent [\d.]+ KiB\/s of TCP to PassthroughCluster, as the configuration says/);
    expect(await page.locator('[data-testid="telemetry-edge"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-peer')))).toEqual(['PassthroughCluster']);
    const disagreement = await page.getByTestId('trace-disagreement').innerText();
    expect(disagreement).toMatch(/^Configuration and telemetry differ\s+The configuration meant the egress gateway istio-system\/istio-egressgateway: VirtualService istio-system\/eg1 routes \*\.wikipedia\.org from the mesh to istio-egressgateway\.istio-system\.svc\.cluster\.local, subset wildcard \(spec\.tls\[0\]\.route\[0\]\), but the sidecar of default\/pod1 never applies it, because no Service or ServiceEntry defines en\.wikipedia\.org\. The telemetry agrees with the trace, not with that intent: in the last 10 minutes default\/pod1 sent [\d.]+ KiB\/s of TCP to PassthroughCluster and nothing to the egress gateway\.$/);
    await screenshot(page, 'trace-seed-001');
    // the link opens eg1's page at the line the rule is written on
    const link = eg1.getByTestId('trace-rule-link');
    expect(await link.textContent()).toBe('VirtualService istio-system/eg1');
    expect(await link.getAttribute('href')).toBe('/config/VirtualService/istio-system/eg1?line=8');
    await link.click();
    await page.waitForURL(/\/config\/VirtualService\/istio-system\/eg1\?line=8$/);
    const focused = await page.waitForSelector('.cm-finding-line-focus', { timeout: 30_000 });
    expect(await focused.textContent()).toContain('*.wikipedia.org');
    await screenshot(page, 'trace-eg1-at-line');
    await page.goBack();
    await traced(page);
    expect(new URL(page.url()).pathname).toBe('/trace');
  });

  it('passes an axe scan at 1440×900 in light', async () => {
    await page.goto(`${server.url}${SEED_001}`);
    await traced(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('writes the form into the URL: a new request is a history entry, and Back and Forward step through them', async () => {
    await page.goto(`${server.url}${SEED_001}`);
    await traced(page);
    await page.getByTestId('trace-from').fill('bookinfo-routing/productpage-v1');
    await page.getByTestId('trace-url').fill('http://reviews.bookinfo-routing.svc.cluster.local:9080/reviews/0');
    await page.getByTestId('trace-add-header').click();
    await page.getByTestId('trace-header-name').fill('end-user');
    await page.getByTestId('trace-header-value').fill('jason');
    await page.getByTestId('trace-submit').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('from') === 'bookinfo-routing/productpage-v1');
    expect(new URL(page.url()).search).toBe('?from=bookinfo-routing/productpage-v1&url=http://reviews.bookinfo-routing.svc.cluster.local:9080/reviews/0&header=end-user:+jason');
    await page.waitForFunction(() => document.querySelector('[data-testid="trace-destination"]')?.textContent?.includes('reviews-v2'), undefined, { timeout: 30_000 });
    expect(await page.getByTestId('trace-destination').textContent()).toBe('to workload bookinfo-routing/reviews-v2 (1 pod)');
    expect(await page.locator('[data-testid="trace-rule"][data-object="VirtualService bookinfo-routing/reviews"] [data-testid="trace-yaml-path"]').allTextContents()).toEqual([
      'spec.http[0]', 'spec.http[0].match[0].headers.end-user', 'spec.http[0].route[0]',
    ]);
    // retries are a limit of this path
    expect(await page.getByTestId('trace-limits').innerText()).toMatch(/Retries\s+2 attempts/);
    await screenshot(page, 'trace-bookinfo-jason');

    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('from') === 'default/pod1');
    await traced(page);
    expect(await page.getByTestId('trace-from').inputValue()).toBe('default/pod1');
    expect(await page.locator('[data-testid="trace-header-row"]').count()).toBe(0);
    expect(await page.getByTestId('trace-destination').textContent()).toBe('to PassthroughCluster → en.wikipedia.org:443');

    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('from') === 'bookinfo-routing/productpage-v1');
    await traced(page);
    expect(await page.getByTestId('trace-header-name').inputValue()).toBe('end-user');
    expect(await page.getByTestId('trace-header-value').inputValue()).toBe('jason');
    expect(await page.getByTestId('trace-destination').textContent()).toBe('to workload bookinfo-routing/reviews-v2 (1 pod)');
  });

  it('shows each weighted path with its share, and a path\'s limits: the connection pool that overflows with 503 UO', async () => {
    await page.goto(`${server.url}/trace?from=bookinfo-shifting-80-20/productpage-v1&url=http://reviews:9080/reviews/0`);
    await traced(page);
    expect(await page.locator('[data-testid="trace-path"] h3').allTextContents()).toEqual(['Path 1 of 2 · 80% of requests', 'Path 2 of 2 · 20% of requests']);
    expect(await page.locator('[data-testid="trace-destination"]').allTextContents()).toEqual([
      'to workload bookinfo-shifting-80-20/reviews-v1 (1 pod)', 'to workload bookinfo-shifting-80-20/reviews-v3 (1 pod)',
    ]);
    await screenshot(page, 'trace-weighted');
    await page.goto(`${server.url}/trace?from=circuit-breaking/fortio-deploy&url=http://httpbin:8000/get`);
    await traced(page);
    expect(await page.getByTestId('trace-limits').innerText()).toMatch(/Connection pool\s+max 1 connection, 1 pending request.*requests beyond it fail with 503 \(Envoy flag UO\) · DestinationRule circuit-breaking\/httpbin/);
    expect(await page.getByTestId('telemetry-edges').first().innerText()).toMatch(/UO/);
    expect(await page.getByTestId('telemetry-summary').textContent()).toMatch(/^In the last 10 minutes circuit-breaking\/fortio-deploy sent [\d.]+ rps of HTTP to circuit-breaking\/httpbin, as the configuration says; [\d.]+% of them failed \(Envoy flag UO\)\.$/);
    await screenshot(page, 'trace-circuit-breaking');
  });

  it('says what is wrong with the form before sending it, and what the server refused after', async () => {
    await page.goto(`${server.url}/trace`);
    await page.waitForSelector('[data-testid="trace-empty"]');
    expect(await page.getByTestId('trace-empty').innerText()).toContain('Trace a request through the mesh.');
    expect(await page.getByTestId('trace-example').getAttribute('href')).toBe(SEED_001);
    await page.getByTestId('trace-submit').click();
    expect(await page.getByTestId('trace-from').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('trace-from');
    expect(new URL(page.url()).search).toBe('');
    await page.getByTestId('trace-from').fill('default/pod2');
    await page.getByTestId('trace-url').fill('http://reviews:9080');
    await page.getByTestId('trace-url').press('Enter');
    const error = await page.waitForSelector('[data-testid="trace-error"]', { timeout: 30_000 });
    expect(await error.innerText()).toBe('Nothing to trace from. The server refused this request: No workload or pod "pod2" in namespace "default" of Demo mesh; its workloads: pod1. GET /api/trace/suggestions lists the sources. Pick a source the form suggests, then press Trace.');
    await screenshot(page, 'trace-error');
  });

  it("is reached from a workload's page and from the header", async () => {
    await page.goto(`${server.url}/namespaces/default/workloads/pod1`);
    await page.waitForSelector('[data-testid="detail-tabs"]', { timeout: 30_000 });
    const link = page.getByTestId('detail-trace-link');
    expect(await link.textContent()).toBe('Trace a request from here');
    await link.click();
    await page.waitForURL(/\/trace\?from=default\/pod1$/);
    expect(await page.getByTestId('trace-from').inputValue()).toBe('default/pod1');
    expect(await page.getByTestId('trace-url').inputValue()).toBe('');
    await page.waitForSelector('[data-testid="trace-empty"]');
    await page.getByTestId('trace-url').fill('https://en.wikipedia.org');
    await page.getByTestId('trace-url').press('Enter');
    await page.waitForURL((u) => u.search === '?from=default/pod1&url=https://en.wikipedia.org');
    await traced(page);

    await page.goto(`${server.url}/overview`);
    await page.getByTestId('nav-trace').click();
    await page.waitForURL(/\/trace$/);
    await page.waitForSelector('[data-testid="trace-empty"]');
    expect(await page.getByTestId('nav-trace').getAttribute('aria-current')).toBe('page');
  });

  it("is reached from a workload node's side panel and from an edge, whose URL is its Service's", async () => {
    await page.goto(`${server.url}/graph?namespaces=bookinfo-routing&graphType=workload&focus=wl:bookinfo-routing:productpage-v1`);
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
    const nodeLink = page.getByTestId('node-trace-link');
    await nodeLink.waitFor({ timeout: 15_000 });
    expect(await nodeLink.getAttribute('href')).toBe('/trace?from=bookinfo-routing/productpage-v1&namespaces=bookinfo-routing');
    await clickEdge(page, 'productpage-v1', 'reviews-v2');
    const edgeLink = page.getByTestId('edge-trace-link');
    await page.waitForFunction(() => document.querySelector('[data-testid="edge-trace-link"]')?.getAttribute('href')?.includes('url='), undefined, { timeout: 15_000 });
    expect(await edgeLink.getAttribute('href')).toBe('/trace?from=bookinfo-routing/productpage-v1&url=http://reviews.bookinfo-routing.svc.cluster.local:9080&namespaces=bookinfo-routing');
    await screenshot(page, 'trace-graph-edge-panel');
    await edgeLink.click();
    await page.waitForURL(/\/trace\?/);
    await traced(page);
    expect(param(page, 'url')).toBe('http://reviews.bookinfo-routing.svc.cluster.local:9080');
    expect(await page.getByTestId('trace-url').inputValue()).toBe('http://reviews.bookinfo-routing.svc.cluster.local:9080');
  });

  it('keeps the header on one line at 1280×800, and passes an axe scan in dark', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await dark.addInitScript(() => localStorage.setItem('meshlens-theme', 'dark'));
    const p = await dark.newPage();
    await p.goto(`${server.url}${SEED_001}`);
    await traced(p);
    expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // every part of the header on the header's one row
    const rows = await p.evaluate(() => {
      const header = document.querySelector('.app-header')!;
      const tops = [...header.children].map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
      return { height: header.getBoundingClientRect().height, spread: Math.max(...tops) - Math.min(...tops) };
    });
    expect(rows.height).toBeLessThan(52);
    expect(rows.spread).toBeLessThan(12);
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'trace-seed-001-dark');
    await p.getByTestId('trace-telemetry').scrollIntoViewIfNeeded();
    await screenshot(p, 'trace-seed-001-dark-telemetry');
    await p.goto(`${server.url}/trace`);
    await p.waitForSelector('[data-testid="trace-empty"]');
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'trace-empty-dark');
    await dark.close();
  });
});

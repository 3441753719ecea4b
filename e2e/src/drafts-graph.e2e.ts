/**
 * The graph "now" and "with drafts" in a real browser on the demo mesh: seed 001's three fixes as the change set
 * (brought in by a share link, as drafts.e2e.ts opens one), the graph of default + istio-system in Compare mode from
 * the URL. With the drafts, the demo's simulated traffic, re-run in the browser, sends default/pod1's TLS calls to the
 * egress gateway and on to the wikipedia ServiceEntry, where now they leave through PassthroughCluster. The mode
 * survives a reload, the browser only ever GETs, and the page passes axe in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { edgeClickPoint, launchBrowser, param, REPO_ROOT, startServer, waitForGraph, type RunningServer } from './harness.js';

const FIXES = readFileSync(join(REPO_ROOT, 'packages/mesh/src/drafts.seed-001-fixes.yaml'), 'utf8');
const docs = FIXES.split(/^---$/m).map((d) => `${d.replace(/^(#.*\n)+/, '').trim()}\n`);
const SHOTS = '/tmp/shots/drafts-graph/';
/** The change set as a share link's `drafts=` (deflate-raw, base64url), as shareLink.ts writes it. */
const DRAFTS_PARAM = deflateRawSync(Buffer.from(JSON.stringify(docs.map((t) => ({ t }))))).toString('base64url');
const GRAPH = '/graph?namespaces=default,istio-system&graphType=versionedApp';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The graph's edges leaving the egress path's nodes: `source → target protocol: mark` (the diff class drawn: added, removed, changed, or same). */
async function egressEdges(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    return cy.edges()
      .filter((e: any) => ['pod1', 'istio-egressgateway'].includes(e.source().data('label')))
      .map((e: any) => `${e.source().data('label')} → ${e.target().data('label')} ${e.data('traffic').protocol}: ${['added', 'removed', 'changed'].find((c) => e.hasClass(`diff-${c}`)) ?? 'same'}`)
      .sort();
  });
}

/** Waits until the bar shows `mode` with its graph computed and drawn. */
async function ready(page: Page, mode: 'now' | 'drafts' | 'compare'): Promise<void> {
  try {
    await page.waitForSelector(`[data-testid="whatif-bar"][data-mode="${mode}"][data-ready="true"]`, { timeout: 45_000 });
  } catch (e) {
    const bar = await page.locator('[data-testid="whatif-bar"]').evaluateAll((b) => b.map((x) => `${(x as HTMLElement).dataset.mode}/${(x as HTMLElement).dataset.ready}: ${x.textContent}`));
    throw new Error(`the what-if bar did not get ready in mode ${mode}: ${JSON.stringify(bar)} (${(e as Error).message})`);
  }
  await waitForGraph(page);
}

describe('the graph now and with drafts on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('request', (r) => { if (r.url().startsWith(server.url)) requests.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('Compare from the URL: pod1\'s TLS calls go to the egress gateway and on to the wikipedia ServiceEntry (added), not PassthroughCluster (removed)', async () => {
    await page.goto(`${server.url}${GRAPH}&whatif=compare&drafts=${DRAFTS_PARAM}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="drafts-count"]')?.textContent === '3');
    await ready(page, 'compare');
    expect(await egressEdges(page)).toEqual([
      'istio-egressgateway → wikipedia tcp: added',
      'pod1 → PassthroughCluster http: same',
      'pod1 → PassthroughCluster tcp: removed',
      'pod1 → istio-egressgateway tcp: added',
    ]);
    expect(await page.getByTestId('whatif-status').textContent()).toMatch(/^2 edges added, 1 edge removed, 2 nodes added\. \(\d+ ms in your browser\)( · updating: .+…)?$/);
    expect(await page.getByTestId('whatif-note').textContent()).toBe('With drafts: the demo\'s simulated traffic re-run in your browser over the live objects with your drafts in place.');
    expect(await page.getByTestId('whatif-legend').locator('li').allTextContents()).toEqual([
      'added with the drafts', 'goes away with the drafts', 'split changes (labelled was → with drafts)',
    ]);
    // the share link's drafts= has left the address; the mode stays
    expect([param(page, 'drafts'), param(page, 'whatif')]).toEqual([null, 'compare']);
  });

  it('the panel of the added edge says what changed and links to the full trace, which compares too', async () => {
    const id = await page.evaluate(() => (window as any).__meshlensCy.edges().filter((e: any) => e.source().data('label') === 'pod1' && e.target().data('label') === 'istio-egressgateway')[0].id());
    // (its middle lies on another line where the layout crosses them: the point nearest it that is this edge's)
    const at = await edgeClickPoint(page, id);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('[data-testid="whatif-panel"][data-diff="added"]');
    expect(await page.getByTestId('whatif-panel-sentence').textContent()).toBe('This edge appears with the drafts (new: 100%): no traffic takes it now.');
    expect(await page.getByTestId('whatif-request').allTextContents()).toEqual([
      'default/pod1 → tls://en.wikipedia.org:443now: PassthroughCluster; with drafts: gateway istio-system/istio-egressgateway. Full trace',
      'default/pod1 → tls://ko.wikipedia.org:443now: PassthroughCluster; with drafts: gateway istio-system/istio-egressgateway. Full trace',
    ]);
    // the side panel does not explain the drafted edge with the live configuration
    await page.getByTestId('edge-drafts-only').waitFor();
    expect(await page.locator('.side-panel').textContent()).not.toContain('Why it differs from the configuration');
    const href = await page.getByTestId('whatif-trace-link').first().getAttribute('href');
    const link = new URL(href!, server.url);
    expect([link.pathname, link.searchParams.get('from'), link.searchParams.get('url')]).toEqual(['/trace', 'default/pod1', 'tls://en.wikipedia.org:443']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}compare-1440-light.png` });
  });

  it('"With drafts" shows the re-simulated graph alone; "Now" the window as the server drew it; each mode is in the URL', async () => {
    await page.getByTestId('whatif-mode-drafts').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('whatif') === 'drafts');
    await ready(page, 'drafts');
    expect(await egressEdges(page)).toEqual([
      'istio-egressgateway → wikipedia tcp: same',
      'pod1 → PassthroughCluster http: same',
      'pod1 → istio-egressgateway tcp: same',
    ]);
    // a graph of its own, drawn as any graph: no compare styles to explain
    expect(await page.getByTestId('whatif-legend').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}with-drafts-1440-light.png` });
    await page.getByTestId('whatif-mode-now').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('whatif') === null);
    await ready(page, 'now');
    await page.waitForFunction(() => !(window as any).__meshlensCy.edges().some((e: any) => e.target().data('label') === 'istio-egressgateway'));
    expect(await egressEdges(page)).toEqual(['pod1 → PassthroughCluster http: same', 'pod1 → PassthroughCluster tcp: same']);
    expect(await page.getByTestId('whatif-mode-now').getAttribute('aria-pressed')).toBe('true');
  });

  it('Compare survives a reload, and a graph view change keeps it; dark at 1280×800 passes axe', async () => {
    await page.getByTestId('whatif-mode-compare').click();
    await ready(page, 'compare');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'dark'); });
    await page.reload();
    await ready(page, 'compare');
    expect(param(page, 'whatif')).toBe('compare');
    expect(await egressEdges(page)).toContain('pod1 → istio-egressgateway tcp: added');
    // selecting the removed edge writes the view's own keys (focus=): the mode stays
    await page.evaluate(() => {
      const cy = (window as any).__meshlensCy;
      cy.edges().filter((e: any) => e.source().data('label') === 'pod1' && e.hasClass('diff-removed'))[0].emit('tap');
    });
    await page.waitForSelector('[data-testid="whatif-panel"][data-diff="removed"]');
    expect([param(page, 'whatif'), param(page, 'focus')]).toEqual(['compare', 'app:default:pod1->egress:PassthroughCluster:tcp']);
    expect(await page.getByTestId('whatif-panel-sentence').textContent()).toBe('This edge goes away with the drafts (was 100% → gone): its traffic is sent elsewhere.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}compare-1280-dark.png` });
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'light'); });
  });

  it('the browser only ever sent GETs to the server: nothing was posted or applied', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect(requests).toContain('GET /api/drafts/base');
  });
});

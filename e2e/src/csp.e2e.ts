/**
 * The Content-Security-Policy in a real browser on the demo mesh: the pages that use every library with its own
 * ways (cytoscape and its data: marker images, uPlot charts, CodeMirror's <style>, the layout worker) and the PNG
 * and SVG exports (blob: images) run without a single CSP violation; the console's own POSTs keep their Origin under
 * the Referrer-Policy; and what the policy is for does happen: inline script, style attributes and framing refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './harness.js';

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

const CSP_MESSAGE = /content.security.policy|refused to (load|apply|execute|frame|connect|create)/i;

describe('content security policy on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** CSP violations of `page`: securitypolicyviolation events and console messages. */
  const violations: string[] = [];

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    // Before any of the page's scripts, in every document (not subject to the page's CSP).
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__cspViolations ??= []).push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
      });
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (CSP_MESSAGE.test(m.text())) violations.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens `path`, waits for `selector`, and returns the violations seen on the way (events and console). */
  async function visit(path: string, selector: string): Promise<string[]> {
    const response = await page.goto(`${server.url}${path}`);
    expect(response?.headers()['content-security-policy'], path).toMatch(/^default-src 'self';script-src 'self';/);
    await page.waitForSelector(selector, { timeout: 30_000 });
    // Late work: lazy chunks, the layout worker, charts drawing.
    await page.waitForTimeout(500);
    return collected();
  }

  async function collected(): Promise<string[]> {
    const events = await page.evaluate(() => window.__cspViolations ?? []);
    return [...events, ...violations.splice(0)];
  }

  async function waitForGraph(): Promise<void> {
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
    await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
  }

  async function download(testId: string): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(testId).click()]);
    const { readFile } = await import('node:fs/promises');
    return readFile(await file.path());
  }

  it('the overview renders with no violation', async () => {
    expect(await visit('/overview', '[data-testid="ns-row"], [data-testid="ns-card"]')).toEqual([]);
  });

  it('the graph (cytoscape, layout worker) renders, and PNG and SVG export, with no violation', async () => {
    expect(await visit('/graph?namespaces=bookinfo-routing&graphType=versionedApp&edgeLabels=requestRate&refresh=0', '[data-testid="graph"]')).toEqual([]);
    await waitForGraph();
    await page.getByTestId('export-toggle').click();
    const png = await download('export-png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
    const svg = (await download('export-svg')).toString('utf8');
    expect(svg).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(await collected()).toEqual([]);
  });

  it('a graph with configuration markers (data: images) renders with no violation', async () => {
    expect(await visit('/graph?namespaces=default,istio-system&graphType=workload&idle=true&refresh=0', '[data-testid="graph"]')).toEqual([]);
    await waitForGraph();
    const markers = await page.evaluate(() => (window as any).__meshlensCy.nodes().filter((n: any) => String(n.style('background-image')).startsWith('data:')).length);
    expect(markers).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    expect(await collected()).toEqual([]);
  });

  it('a workload detail page (charts, logs) renders with no violation', async () => {
    expect(await visit('/namespaces/circuit-breaking/workloads/httpbin?tab=inbound', '[data-testid="chart-requests"] canvas')).toEqual([]);
    expect(await visit('/namespaces/circuit-breaking/workloads/httpbin?tab=logs', '[data-testid="log-pane-app"] [data-testid="log-line"]')).toEqual([]);
  });

  it('the config pages (list, and the YAML editor with its <style>) render styled, with no violation', async () => {
    expect(await visit('/config?namespaces=istio-system', '[data-testid="config-row"]')).toEqual([]);
    expect(await visit('/config/VirtualService/istio-system/eg1', '.cm-editor .cm-content')).toEqual([]);
    // CodeMirror's own stylesheet applied: its editor is a flex box (display: block without it).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.cm-editor')!).display)).toBe('flex');
  });

  it("a form POST to the console keeps its Origin (Referrer-Policy same-origin, not no-referrer) and passes the same-origin check", async () => {
    await visit('/overview', '[data-testid="ns-row"], [data-testid="ns-card"]');
    // Under no-referrer, Chromium sends `Origin: null` with a form POST (fetch keeps the origin), which is refused (403).
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/auth/logout')),
      page.evaluate(() => {
        const form = Object.assign(document.createElement('form'), { method: 'POST', action: '/api/auth/logout', enctype: 'text/plain' });
        document.body.append(form);
        form.submit();
      }),
    ]);
    const headers = await response.request().allHeaders();
    expect([headers.origin, headers.referer]).toEqual([server.url, `${server.url}/overview`]);
    expect(response.status()).toBe(200);
    await page.waitForURL(/\/api\/auth\/logout$/);
    await page.waitForLoadState('load');
    expect(await collected()).toEqual([]);
  });

  it('refuses inline script and style attributes (the detector sees them)', async () => {
    await visit('/overview', '[data-testid="ns-row"], [data-testid="ns-card"]');
    const ran = await page.evaluate(async () => {
      (window as any).__inlineRan = false;
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      const div = document.createElement('div');
      div.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.append(div);
      await new Promise((r) => setTimeout(r, 200));
      return { script: (window as any).__inlineRan as boolean, style: getComputedStyle(div).color };
    });
    expect(ran).toEqual({ script: false, style: expect.not.stringMatching(/rgb\(1, 2, 3\)/) });
    const seen = await collected();
    expect(seen.some((v) => v.startsWith('script-src-elem blocked inline'))).toBe(true);
    expect(seen.some((v) => v.startsWith('style-src-attr blocked inline'))).toBe(true);
    await page.evaluate(() => { window.__cspViolations = []; });
  });

  it('cannot be framed by another page (frame-ancestors none)', async () => {
    const host = await context.newPage();
    const messages: string[] = [];
    host.on('console', (m) => messages.push(m.text()));
    await host.setContent(`<iframe id="f" src="${server.url}/overview"></iframe>`);
    await expect.poll(() => messages.some((m) => /frame-ancestors 'none'/.test(m)), { timeout: 10_000 }).toBe(true);
    const frame = host.frames().find((f) => f !== host.mainFrame());
    expect(frame && (await frame.$('[data-testid="ns-row"], [data-testid="ns-card"]'))).toBeFalsy();
    await host.close();
  });
});

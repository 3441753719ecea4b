/**
 * "The graph explains in place" on the demo (seed 001): from the graph of `default`, the pod1 → PassthroughCluster edge
 * says why its traffic is there (VirtualService istio-system/eg1 meant the egress gateway), its findings link to the
 * object page at their line, and from that object page "show in the graph" lands on the egress gateway, selected,
 * although it is idle and in another namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, param, screenshot, startServer, type RunningServer } from './harness.js';

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.nodes().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

/** Clicks a node drawn with this label, as a person would, and waits for the selection to reach the URL. */
async function clickNode(page: Page, label: string): Promise<string> {
  const node = await page.evaluate((l) => {
    const cy = (window as any).__meshlensCy;
    const n = cy.nodes().filter((x: any) => x.data('label') === l && !x.data('isBox'))[0];
    const p = n.renderedPosition();
    const rect = cy.container().getBoundingClientRect();
    return { id: n.id() as string, x: rect.left + p.x, y: rect.top + p.y };
  }, label);
  await page.mouse.click(node.x, node.y);
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, node.id);
  return node.id;
}

/** Serious or critical WCAG A/AA violations inside the side panel. */
async function panelViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('[data-testid="side-panel"]').withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const EDGE = 'app:default:pod1->egress:PassthroughCluster:tcp';

describe('the graph explains in place (demo, seed 001)', () => {
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

  it("the pod1 → PassthroughCluster edge says the configuration meant the egress gateway, and why it was not used", async () => {
    await page.goto(`${server.url}/graph?namespaces=default`);
    await waitForGraph(page);
    expect(await clickNode(page, 'pod1')).toBe('app:default:pod1');
    const panel = page.getByTestId('side-panel');
    // the node's own findings, explained in place (not just counted)
    const nodeFindings = panel.getByTestId('node-findings');
    await nodeFindings.waitFor();
    expect(await nodeFindings.getByTestId('panel-finding').evaluateAll((items) => items.map((i) => i.getAttribute('data-code')))).toEqual(['KIA0203', 'MLS1001']);
    expect(await nodeFindings.locator('[data-code="KIA0203"]').innerText()).toContain('Subset "wildcard" selects version=v1');

    // pod1 sends two kinds of traffic to PassthroughCluster: the TCP one is the TLS to *.wikipedia.org
    await panel.locator('.edge-list li', { hasText: 'TCP' }).getByRole('button', { name: 'to PassthroughCluster' }).click();
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, EDGE);

    const why = panel.getByTestId('why-section');
    await why.getByTestId('why-sentence').waitFor({ timeout: 30_000 });
    expect(await why.getAttribute('data-reason')).toBe('passthrough');
    expect(await why.getByTestId('why-sentence').innerText()).toBe(
      'The configuration (VirtualService istio-system/eg1) meant this traffic (HTTPS to en.wikipedia.org:443 from default/pod1) for the egress gateway istio-system/istio-egressgateway, but it went to PassthroughCluster.',
    );
    expect(await why.getByTestId('why-because').innerText()).toBe(
      'VirtualService istio-system/eg1 names *.wikipedia.org, but no Service or ServiceEntry defines en.wikipedia.org, so the sidecar builds no route for it.',
    );
    // the deciding rules, each linked to its object page at its line
    const rules = why.getByTestId('why-rule-link');
    expect(await rules.allInnerTexts()).toEqual([
      'VirtualService istio-system/eg1 spec.tls[0].route[0] (line 20)',
      'VirtualService istio-system/eg1 spec.hosts[0] (line 8)',
      'ConfigMap istio-system/istio data.mesh (line 13)',
    ]);
    expect(await rules.first().getAttribute('href')).toMatch(/^\/config\/VirtualService\/istio-system\/eg1\?(.*&)?line=20/);
    // the host came from the source proxy's access log (Istio reports none for TCP), and the full trace is one click away
    expect(await why.innerText()).toContain("Traced for https://en.wikipedia.org from default/pod1: the host the source proxy's access log names");
    const traceHref = new URL((await why.getByTestId('why-trace-link').getAttribute('href'))!, server.url);
    expect(traceHref.pathname).toBe('/trace');
    expect(traceHref.searchParams.get('from')).toBe('default/pod1');
    expect(traceHref.searchParams.get('url')).toBe('https://en.wikipedia.org');

    // the edge's findings: the VirtualService's, with message and fix
    const edgeFindings = panel.getByTestId('edge-findings');
    expect(await edgeFindings.getByTestId('panel-finding').evaluateAll((items) => items.map((i) => i.getAttribute('data-code')))).toEqual(['MLS1001', 'MLS1002']);
    const mls1001 = edgeFindings.locator('[data-code="MLS1001"]');
    expect(await mls1001.innerText()).toContain('Fix: Create a ServiceEntry for *.wikipedia.org');
    // and the objects on its route
    expect(await panel.getByTestId('edge-routing-objects').locator('li').evaluateAll((items) => items.map((i) => `${i.getAttribute('data-kind')} ${i.getAttribute('data-name')}`))).toEqual([
      'VirtualService eg1',
      'ConfigMap istio',
    ]);
    await screenshot(page, 'graph-explain-edge');

    // a finding's link opens its object page at the finding's line
    await mls1001.getByTestId('panel-finding-link').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-code="MLS1001"] [data-testid="panel-finding-link"]')?.getAttribute('data-line') === '8');
    expect(await mls1001.getByTestId('panel-finding-link').innerText()).toBe('VirtualService istio-system/eg1, line 8');
    await mls1001.getByTestId('panel-finding-link').click();
    await page.waitForURL((u) => u.pathname === '/config/VirtualService/istio-system/eg1');
    expect(param(page, 'line')).toBe('8');
    const focused = page.locator('.cm-finding-line-focus');
    await focused.waitFor();
    expect((await focused.innerText()).trim()).toBe('- "*.wikipedia.org"');
  });

  it('from the eg1 object page, "show in the graph" lands on the idle egress gateway, selected', async () => {
    const link = page.getByTestId('graph-link');
    await link.waitFor();
    expect(await link.innerText()).toBe('Show what eg1 configures in the graph: workload istio-system/istio-egressgateway');
    await link.click();
    await page.waitForURL((u) => u.pathname === '/graph');
    expect(param(page, 'focus')).toBe('wl:istio-system:istio-egressgateway');
    expect(param(page, 'idle')).toBe('true');
    expect(param(page, 'graphType')).toBe('workload');
    expect(param(page, 'namespaces')?.split(',')).toEqual(['default', 'istio-system']);
    await waitForGraph(page);
    await page.waitForFunction(() => (window as any).__meshlensCy.$id('wl:istio-system:istio-egressgateway').selected() === true, undefined, { timeout: 30_000 });
    const panel = page.getByTestId('side-panel');
    await panel.getByRole('heading', { name: /istio-egressgateway/ }).waitFor();
    expect(await panel.locator('.panel-title').innerText()).toBe('EGRESS GATEWAY\nistio-egressgateway');
    expect(await panel.innerText()).toContain('Yes: no traffic in the window');
    // what applies to it, linked
    const applied = panel.getByTestId('node-applied-objects');
    await applied.waitFor();
    expect(await applied.locator('li').evaluateAll((items) => items.map((i) => `${i.getAttribute('data-kind')} ${i.getAttribute('data-name')}`))).toEqual([
      'DestinationRule egressgateway',
      'Gateway egressgateway',
      'VirtualService eg1',
    ]);
    expect(await page.getByTestId('graph-footer').innerText()).toMatch(/^\d+ nodes/);
    await screenshot(page, 'graph-explain-object-link');
  });

  it('the Why section and findings pass an axe scan, light and dark, at 1280×800', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
      const p = await context.newPage();
      await p.goto(`${server.url}/graph?namespaces=default&focus=${encodeURIComponent(EDGE)}`);
      await waitForGraph(p);
      await p.getByTestId('why-sentence').waitFor({ timeout: 30_000 });
      await p.getByTestId('edge-findings').waitFor();
      expect(await panelViolations(p), colorScheme).toEqual([]);
      // nothing in the panel is wider than the panel (no clipped text)
      const overflow = await p.evaluate(() => {
        const panel = document.querySelector('[data-testid="side-panel"]')!.getBoundingClientRect();
        return [...document.querySelectorAll('[data-testid="why-section"] *, [data-testid="edge-findings"] *')]
          .filter((el) => el.getBoundingClientRect().right > panel.right + 1)
          .map((el) => el.textContent?.slice(0, 40));
      });
      expect(overflow, colorScheme).toEqual([]);
      await screenshot(p, `graph-explain-edge-1280-${colorScheme}`);
      await context.close();
    }
  });

  it('a target the graph cannot show is explained in words, with the way to show it', async () => {
    // the same target without idle nodes: the panel says why it is missing and offers them
    await page.goto(`${server.url}/graph?namespaces=istio-system&graphType=workload&focus=wl:istio-system:istio-egressgateway`);
    await waitForGraph(page);
    const notice = page.getByTestId('focus-missing');
    await notice.waitFor();
    expect(await notice.innerText()).toBe('The workload istio-system/istio-egressgateway is not in this graph: it had no traffic in this window, and idle nodes are hidden. Show idle nodes');
    await notice.getByTestId('show-idle').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('idle') === 'true');
    await page.waitForFunction(() => (window as any).__meshlensCy?.$id('wl:istio-system:istio-egressgateway').selected() === true, undefined, { timeout: 30_000 });
    // a find that matches nothing says so too
    await page.goto(`${server.url}/graph?namespaces=default&find=eg1`);
    await waitForGraph(page);
    const empty = page.getByTestId('find-empty');
    await empty.waitFor();
    expect(await empty.innerText()).toBe('Nothing in this graph of default matches “eg1”. Idle nodes are hidden: what you look for may have had no traffic. Show idle nodes');
  });
});

/** The demo's graph page in a real browser: Bookinfo renders, an edge's side panel reads right, graph types switch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { edgeClickPoint, launchBrowser, screenshot, startServer, waitForGraph, type RunningServer } from './harness.js';

const NS = 'bookinfo-routing';

interface CyNode { id: string; label: string; box: { x1: number; y1: number; x2: number; y2: number }; isBox: boolean; data: Record<string, unknown> }
interface CyEdge { id: string; source: string; target: string; data: Record<string, unknown> }

async function graphState(page: Page): Promise<{ nodes: CyNode[]; edges: CyEdge[] }> {
  return page.evaluate(() => {
    const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
    return {
      nodes: cy.nodes().map((n: any) => ({ id: n.id(), label: n.data('label'), isBox: !!n.data('isBox'), data: n.data(), box: n.renderedBoundingBox({ includeLabels: true, includeOverlays: false }) })),
      edges: cy.edges().map((e: any) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), data: e.data() })),
    };
  });
}

function overlaps(a: CyNode['box'], b: CyNode['box']): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

describe('graph page on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws Bookinfo with its versions and calls, labels not overlapping', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=versionedApp`);
    await waitForGraph(page);
    const { nodes, edges } = await graphState(page);
    const labels = nodes.filter((n) => !n.isBox).map((n) => n.label);
    for (const expected of ['productpage v1', 'details v1', 'reviews v1', 'reviews v2', 'ratings v1', 'istio-ingressgateway']) {
      expect(labels).toContain(expected);
    }
    // request routing sends only jason to v2 and nobody to v3
    expect(labels).not.toContain('reviews v3');
    const byLabel = new Map(nodes.map((n) => [n.id, n.label]));
    const pairs = edges.map((e) => `${byLabel.get(e.source)} -> ${byLabel.get(e.target)}`);
    for (const expected of ['istio-ingressgateway -> productpage v1', 'productpage v1 -> details v1', 'productpage v1 -> reviews v1', 'productpage v1 -> reviews v2', 'reviews v2 -> ratings v1']) {
      expect(pairs).toContain(expected);
    }
    // reviews v1 never calls ratings
    expect(pairs).not.toContain('reviews v1 -> ratings v1');
    const leaves = nodes.filter((n) => !n.isBox);
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        expect(overlaps(leaves[i]!.box, leaves[j]!.box), `${leaves[i]!.label} overlaps ${leaves[j]!.label}`).toBe(false);
      }
    }
    await screenshot(page, 'graph-bookinfo-versioned');
  });

  it('selecting an edge shows its traffic in the side panel and puts it in the URL', async () => {
    const { nodes, edges } = await graphState(page);
    const id = (label: string) => nodes.find((n) => n.label === label)!.id;
    const edge = edges.find((e) => e.source === id('productpage v1') && e.target === id('reviews v2'))!;
    expect(edge).toBeDefined();
    const at = await edgeClickPoint(page, edge.id);
    await page.mouse.click(at.x, at.y);
    const panel = page.getByTestId('side-panel');
    await expect.poll(async () => panel.innerText(), { timeout: 10_000 }).toContain('reviews v2');
    // Latency comes with the panel's charts (a range query for this edge alone), after the rates.
    await expect.poll(async () => panel.innerText(), { timeout: 15_000 }).toMatch(/p95/i);
    const text = await panel.innerText();
    expect(text).toMatch(/productpage v1/);
    expect(text).toMatch(/HTTP/i);
    expect(text).toMatch(/req\/s|rps/i);
    expect(new URL(page.url()).searchParams.get('focus')).toBe(edge.id);
    await screenshot(page, 'graph-edge-selected');
  });

  it('switches graph type and keeps the view in the URL', async () => {
    await page.getByTestId('graph-type').selectOption('app');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('graphType') === 'app');
    await waitForGraph(page);
    await expect.poll(async () => (await graphState(page)).nodes.filter((n) => !n.isBox).map((n) => n.label).sort(), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['details', 'productpage', 'ratings', 'reviews']));
    const { nodes } = await graphState(page);
    expect(nodes.filter((n) => !n.isBox && /^reviews/.test(n.label))).toHaveLength(1);
    // Reloading the URL reproduces the same view.
    await page.reload();
    await waitForGraph(page);
    expect(await page.getByTestId('graph-type').inputValue()).toBe('app');
    await screenshot(page, 'graph-bookinfo-app');
  });

  it('passes an accessibility scan', async () => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

/**
 * Incident-review outputs on the demo mesh in a real browser: PNG and SVG pictures with caption and
 * legend, CSV/DOT/JSON data, a copied link that reopens the same picture, and positions that survive
 * a reload, new nodes and a time-window change.
 */
import { readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const NS = 'bookinfo-routing';
const VIEW = `/graph?namespaces=${NS}&graphType=versionedApp&edgeLabels=requestRate&refresh=0`;

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

/** Non-box nodes with their model positions, label and selection. */
async function nodeState(page: Page): Promise<Array<{ id: string; label: string; x: number; y: number; selected: boolean }>> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    return cy
      .nodes()
      .filter((n: any) => !n.data('isBox'))
      .map((n: any) => ({ id: n.id(), label: n.data('mlLabel'), x: n.position('x'), y: n.position('y'), selected: n.selected() }))
      .sort((a: any, b: any) => (a.id < b.id ? -1 : 1));
  });
}

async function renderedPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.evaluate((nodeId) => {
    const cy = (window as any).__meshlensCy;
    const p = cy.$id(nodeId).renderedPosition();
    const rect = cy.container().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, id);
}

let downloads = 0;

async function download(page: Page, testId: string): Promise<{ name: string; data: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  mkdirSync(`${ARTIFACTS}exports`, { recursive: true });
  copyFileSync(path, `${ARTIFACTS}exports/${++downloads}-${testId}-${file.suggestedFilename()}`);
  return { name: file.suggestedFilename(), data: readFileSync(path) };
}

function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('export, copy link and stable layout on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let version = '';
  /** The timestamp of the last graph the page received (the end of the window on screen). */
  let lastGraphTimestamp = 0;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('response', (response) => {
      if (response.url().includes('/api/graph?') && response.ok()) {
        void response.json().then((body: { timestamp: number }) => { lastGraphTimestamp = body.timestamp; }).catch(() => undefined);
      }
    });
    version = (await (await fetch(`${server.url}/api/health`)).json()).version;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('exports PNGs whose size follows the scale, with caption and legend bands', async () => {
    await page.goto(`${server.url}${VIEW}`);
    await waitForGraph(page);
    await page.getByTestId('export-toggle').click();
    await page.getByTestId('export-scale-1').check();
    const one = await download(page, 'export-png');
    expect(one.name).toMatch(new RegExp(`^meshlens-${NS}-versionedApp-\\d{8}T\\d{4,6}Z\\.png$`));
    await page.getByTestId('export-scale-2').check();
    const two = await download(page, 'export-png');
    await page.getByTestId('export-scale-4').check();
    await page.getByTestId('export-bg-dark').check();
    const four = await download(page, 'export-png');
    const s1 = pngSize(one.data);
    const s2 = pngSize(two.data);
    const s4 = pngSize(four.data);
    expect(s1.width).toBeGreaterThanOrEqual(640);
    expect(one.data.length).toBeGreaterThan(20_000);
    // Caption and legend are drawn at the same scale as the graph: the whole picture scales.
    expect(Math.abs(s2.width - 2 * s1.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(s2.height - 2 * s1.height)).toBeLessThanOrEqual(4);
    expect(Math.abs(s4.width - 4 * s1.width)).toBeLessThanOrEqual(4);
    expect(Math.abs(s4.height - 4 * s1.height)).toBeLessThanOrEqual(8);
    // The graph canvas is taller than the graph itself would be without the bands.
    const graphPng = await page.evaluate(async () => {
      const blob: Blob = await (window as any).__meshlensCy.png({ output: 'blob-promise', full: true, scale: 1 });
      const bitmap = await createImageBitmap(blob);
      return { width: bitmap.width, height: bitmap.height };
    });
    expect(s1.height).toBeGreaterThan(graphPng.height + 150);
    // Visible part: the canvas size (not the whole graph) at the scale.
    await page.getByTestId('export-area-visible').check();
    await page.getByTestId('export-scale-1').check();
    await page.getByTestId('export-bg-light').check();
    const visible = pngSize((await download(page, 'export-png')).data);
    const canvas = await page.evaluate(() => ({ w: (window as any).__meshlensCy.width(), h: (window as any).__meshlensCy.height() }));
    expect(Math.abs(visible.width - Math.max(640, canvas.w + 32))).toBeLessThanOrEqual(2);
    await page.getByTestId('export-area-full').check();
    await expect.poll(() => page.getByTestId('export-status').innerText()).toMatch(/^Saved meshlens-/);
    await screenshot(page, 'export-menu');
    // The open menu is part of the page: labelled controls, enough contrast.
    const results = await new AxeBuilder({ page }).include('.graph-actions').withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('exports an SVG that parses as XML and carries caption, namespaces, node labels and legend', async () => {
    const svg = await download(page, 'export-svg');
    expect(svg.name).toMatch(/\.svg$/);
    const text = svg.data.toString('utf8');
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
      const error = doc.querySelector('parsererror');
      return {
        error: error ? error.textContent : null,
        root: doc.documentElement.nodeName,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
        width: Number(doc.documentElement.getAttribute('width')),
        height: Number(doc.documentElement.getAttribute('height')),
      };
    }, text);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    const all = parsed.texts.join('\n');
    expect(all).toContain(`Namespaces: ${NS}`);
    // A window that crosses midnight UTC names both dates ("… 23:51:01 – 2026-12-05 00:01:01 UTC").
    expect(all).toMatch(
      /Time window: \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?(–| – \d{4}-\d\d-\d\d )\d\d:\d\d(:\d\d)? UTC \(10 min\)/,
    );
    expect(all).toContain('Versioned app graph');
    expect(all).toContain(`Meshlens ${version}`);
    expect(all).toContain('edge labels: request rate');
    const labels = (await nodeState(page)).map((n) => n.label.split('\n')[0]!);
    for (const label of new Set(labels)) expect(all, `node label ${label}`).toContain(label);
    expect(all).toMatch(/\d+(\.\d+)? rps/);
    for (const legend of ['Nodes', 'App', 'Healthy', 'Edges (width grows with rate)', 'Gateway']) expect(all).toContain(legend);
    // Render the SVG on its own to look at it.
    const view = await context.newPage();
    await view.setContent(`<body style="margin:0;background:#888">${text.replace(/^<\?xml[^>]*>/, '')}</body>`);
    await view.setViewportSize({ width: Math.min(1600, Math.ceil(parsed.width)), height: Math.min(1400, Math.ceil(parsed.height)) });
    await screenshot(view, 'export-svg-rendered');
    await view.close();
  });

  it('exports CSV, DOT and JSON of the same view', async () => {
    const edges = await page.evaluate(() => (window as any).__meshlensCy.edges().length as number);
    const csv = (await download(page, 'export-csv')).data.toString('utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('source,target,source_namespace,target_namespace,protocol,rate,rate_unit,error_percent,p50_ms,p95_ms,p99_ms,health,flags,reporter');
    expect(csv).toHaveLength(edges + 1);
    expect(csv.some((row) => /^istio-ingressgateway,productpage,/.test(row) || /^istio-ingressgateway,productpage v1,/.test(row))).toBe(true);
    const dot = (await download(page, 'export-dot')).data.toString('utf8');
    expect(dot.startsWith('digraph meshlens {')).toBe(true);
    expect(dot.split('\n').filter((l) => l.includes(' -> '))).toHaveLength(edges);
    expect(dot).toContain(`label="${NS}";`);
    const json = JSON.parse((await download(page, 'export-json')).data.toString('utf8'));
    expect(json.namespaces).toEqual([NS]);
    expect(json.elements.edges).toHaveLength(edges);
  });

  it('copies a link that reopens the same nodes, selection, zoom and pan at the same moment', async () => {
    // Close the export menu: it sits over the graph's top-right corner.
    if ((await page.getByTestId('export-toggle').getAttribute('aria-expanded')) === 'true') await page.getByTestId('export-toggle').click();
    // This page has lived through live refreshes: its stable layout kept old nodes where they were while the traffic
    // changed. Re-layout gives the graph's own deterministic picture, the one a fresh profile computes too — once the
    // refresh is off, so no new window (with an edge more or less) arrives between the re-layout and the link.
    await page.getByTestId('refresh').selectOption('0');
    await expect.poll(() => page.evaluate(() => new URL(location.href).searchParams.get('refresh')), { timeout: 5_000 }).toBe('0');
    // Wait for the layout Re-layout starts, not for a footer that may already read "dagre" from an earlier one.
    const layoutsBefore = Number(await page.getByTestId('graph').getAttribute('data-layouts'));
    await page.getByTestId('relayout').click();
    await expect.poll(async () => Number(await page.getByTestId('graph').getAttribute('data-layouts')), { timeout: 15_000 }).toBeGreaterThan(layoutsBefore);
    await expect.poll(async () => page.getByTestId('graph-footer').innerText(), { timeout: 15_000 }).not.toMatch(/saved positions|kept/);
    const nodes = await nodeState(page);
    const target = nodes.find((n) => n.label.startsWith('reviews v2'))!;
    expect(target).toBeDefined();
    const at = await renderedPoint(page, target.id);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, target.id);
    await page.evaluate(() => {
      const cy = (window as any).__meshlensCy;
      cy.zoom({ level: cy.zoom() * 1.3, renderedPosition: { x: 300, y: 200 } });
      cy.panBy({ x: -40, y: 25 });
    });
    const before = await page.evaluate(() => {
      const cy = (window as any).__meshlensCy;
      return { zoom: cy.zoom(), pan: cy.pan() };
    });
    await page.getByTestId('copy-link').click();
    const link = await page.getByTestId('copy-link-url').inputValue();
    const params = new URL(link).searchParams;
    expect(lastGraphTimestamp).toBeGreaterThan(0);
    expect(Number(params.get('queryTime'))).toBe(lastGraphTimestamp);
    expect(params.get('focus')).toBe(target.id);
    expect(params.get('refresh')).toBe('0');
    expect(Number(params.get('zoom'))).toBeCloseTo(before.zoom, 2);
    expect(params.get('pan')).toBe(`${Math.round(before.pan.x)},${Math.round(before.pan.y)}`);
    await screenshot(page, 'copy-link-source');

    // Another person: a fresh browser profile (no saved positions) opening the link.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page2 = await other.newPage();
    // Their findings answer late (a busy server): the picture must not depend on when the CFG marks arrive.
    await page2.route('**/api/findings**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page2.goto(link);
    await waitForGraph(page2);
    await expect.poll(async () => (await nodeState(page2)).find((n) => n.selected)?.id, { timeout: 10_000 }).toBe(target.id);
    const theirs = await nodeState(page2);
    expect(theirs.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    // Same deterministic layout, so the same model positions…
    for (const n of theirs) {
      const mine = nodes.find((m) => m.id === n.id)!;
      expect(Math.abs(n.x - mine.x) + Math.abs(n.y - mine.y), n.id).toBeLessThan(1);
    }
    // …and the same viewport: the selected node sits at the same spot on screen.
    const view2 = await page2.evaluate(() => ({ zoom: (window as any).__meshlensCy.zoom(), pan: (window as any).__meshlensCy.pan() }));
    expect(view2.zoom).toBeCloseTo(before.zoom, 2);
    expect(Math.abs(view2.pan.x - before.pan.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(view2.pan.y - before.pan.y)).toBeLessThanOrEqual(1);
    const p1 = await renderedPoint(page, target.id);
    const p2 = await renderedPoint(page2, target.id);
    expect(Math.abs(p1.x - p2.x) + Math.abs(p1.y - p2.y)).toBeLessThan(2);
    await screenshot(page2, 'copy-link-opened');
    await other.close();
  });

  it('falls back to a selected text field when the clipboard is unavailable, and uses the clipboard when allowed', async () => {
    // A browser without the async clipboard API (old browser, plain-http origin): the link is shown, selected.
    const without = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await without.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
    const p1 = await without.newPage();
    await p1.goto(`${server.url}${VIEW}`);
    await waitForGraph(p1);
    await p1.getByTestId('copy-link').click();
    await expect.poll(() => p1.getByTestId('copy-link-result').innerText()).toContain('did not allow copying');
    const selected = await p1.evaluate(() => {
      const input = document.querySelector('[data-testid="copy-link-url"]') as HTMLInputElement;
      return { all: input.selectionStart === 0 && input.selectionEnd === input.value.length, value: input.value, focused: document.activeElement === input };
    });
    expect(selected.all).toBe(true);
    expect(new URL(selected.value).searchParams.get('queryTime')).toMatch(/^\d+$/);
    await screenshot(p1, 'copy-link-fallback');
    await without.close();

    const allowed = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await allowed.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const p2 = await allowed.newPage();
    await p2.goto(`${server.url}${VIEW}`);
    await waitForGraph(p2);
    await p2.getByTestId('copy-link').click();
    await expect.poll(() => p2.getByTestId('copy-link-result').innerText()).toContain('Link copied');
    const clip = await p2.evaluate(() => navigator.clipboard.readText());
    expect(clip).toBe(await p2.getByTestId('copy-link-url').inputValue());
    await allowed.close();
  });

  it('keeps dragged and existing nodes in place across a reload, new nodes and a time-window change; Re-layout resets', async () => {
    await page.goto(`${server.url}${VIEW}`);
    await waitForGraph(page);
    const initial = await nodeState(page);
    const dragged = initial.find((n) => n.label.startsWith('details'))!;
    const from = await renderedPoint(page, dragged.id);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + 70, { steps: 8 });
    await page.mouse.move(from.x + 90, from.y + 130, { steps: 8 });
    await page.mouse.up();
    const afterDrag = await nodeState(page);
    const moved = afterDrag.find((n) => n.id === dragged.id)!;
    expect(Math.hypot(moved.x - dragged.x, moved.y - dragged.y)).toBeGreaterThan(50);
    const byId = (list: typeof initial) => new Map(list.map((n) => [n.id, n]));
    const expectSame = (list: typeof initial, reference: typeof initial) => {
      const ref = byId(reference);
      for (const n of list) {
        const r = ref.get(n.id);
        if (!r) continue;
        expect(Math.abs(n.x - r.x) + Math.abs(n.y - r.y), `${n.id} moved`).toBeLessThan(0.5);
      }
    };

    await page.reload();
    await waitForGraph(page);
    expectSame(await nodeState(page), afterDrag);
    await expect.poll(() => page.getByTestId('graph-footer').innerText()).toContain('saved positions');
    await screenshot(page, 'stable-after-reload');

    // New nodes (idle ones appear): existing nodes stay, the new ones are placed without overlap.
    await page.getByTestId('idle').check();
    await page.waitForFunction((n) => (window as any).__meshlensCy.nodes().filter((x: any) => !x.data('isBox')).length > n, afterDrag.length, { timeout: 15_000 });
    await waitForGraph(page);
    const withIdle = await nodeState(page);
    expectSame(withIdle, afterDrag);
    expect(withIdle.length).toBeGreaterThan(afterDrag.length);
    await expect.poll(() => page.getByTestId('graph-footer').innerText()).toMatch(/kept, \d+ new placed/);
    await screenshot(page, 'stable-new-nodes');
    await page.getByTestId('idle').uncheck();

    // Another time window: an hour earlier, absolute.
    const url = new URL(page.url());
    url.searchParams.set('queryTime', String(Math.floor(Date.now() / 1000) - 3600));
    url.searchParams.set('duration', '1800');
    await page.goto(url.toString());
    await waitForGraph(page);
    expectSame(await nodeState(page), afterDrag);

    // Re-layout forgets the drag.
    await page.getByTestId('relayout').click();
    await expect.poll(async () => {
      const n = (await nodeState(page)).find((m) => m.id === dragged.id)!;
      return Math.hypot(n.x - moved.x, n.y - moved.y) > 50;
    }, { timeout: 15_000 }).toBe(true);
    await screenshot(page, 'stable-relayout');
  });
});

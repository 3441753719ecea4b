/**
 * The graph at real scale: the demo's every namespace packed to the screen's shape, a generated mesh of 1,000
 * workloads collapsed into namespace groups (node budget), a group opened with one click and kept through a reload,
 * find inside collapsed groups, and a node's neighbourhood from the URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { syntheticMesh } from '../../bench/src/synthetic-mesh.js';
import { GRAPH_WINDOW, MESH_1K_GRAPH, writeMeshFiles } from '../../bench/src/benchmarks/graph-browser.js';
import { launchBrowser, param, screenshot, startServer, type RunningServer } from './harness.js';

async function waitForLayout(page: Page, after = 0): Promise<void> {
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-testid="graph"]');
    return el?.getAttribute('data-layout-done') === 'true' && Number(el.getAttribute('data-layouts')) > n;
  }, after, { timeout: 90_000 });
}

const layouts = (page: Page) => page.getAttribute('[data-testid="graph"]', 'data-layouts').then(Number);

interface Seen {
  zoom: number;
  ratio: number;
  leaves: string[];
  groups: Array<{ id: string; key: string; count: number; unhealthy: number; health: string }>;
  found: string[];
}

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
    const bb = cy.elements(':visible').renderedBoundingBox({ includeLabels: true });
    return {
      zoom: cy.zoom(),
      ratio: bb.h / bb.w,
      leaves: cy.nodes().filter((n: any) => !n.data('isBox') && !n.data('group')).map((n: any) => n.id()),
      groups: cy.nodes().filter((n: any) => n.data('group')).map((n: any) => ({ id: n.id(), key: n.data('group').key, count: n.data('group').count, unhealthy: n.data('group').unhealthy, health: n.data('health') })),
      found: cy.nodes('.find-match').map((n: any) => n.id()),
    };
  });
}

/** A real click on a node's shape. */
async function clickNode(page: Page, id: string): Promise<void> {
  const at = await page.evaluate((nodeId) => {
    const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
    const p = cy.getElementById(nodeId).renderedPosition();
    const r = cy.container().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
  await page.mouse.click(at.x, at.y);
}

describe('the demo, every namespace', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('packs the namespace boxes to the screen: drawn height/width within 0.4-1.6 at 1440×900', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const namespaces = ((await (await fetch(`${server.url}/api/namespaces`)).json()) as { namespaces: Array<{ name: string }> }).namespaces.map((n) => n.name);
    await page.goto(`${server.url}/graph?namespaces=${namespaces.join(',')}`);
    await waitForLayout(page);
    const s = await seen(page);
    await screenshot(page, 'graph-scale-demo-all');
    expect(s.leaves.length).toBeGreaterThan(50);
    expect(s.groups).toEqual([]);
    expect(s.ratio).toBeGreaterThan(0.4);
    expect(s.ratio).toBeLessThan(1.6);
    expect(await page.textContent('[data-testid="graph-footer"]')).toContain('layout: packed');
    // Labels drawn at fit (cytoscape skips a label whose size on screen is below its min-zoomed-font-size).
    const labelPx = await page.evaluate(() => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      const node = cy.nodes().filter((n: any) => !n.data('isBox'))[0];
      return parseFloat(node.style('font-size')) * cy.zoom() - parseFloat(node.style('min-zoomed-font-size'));
    });
    expect(labelPx).toBeGreaterThanOrEqual(0);
    await page.close();
  });
});

describe('a mesh of 1,000 workloads', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    const mesh = syntheticMesh(MESH_1K_GRAPH);
    dir = mkdtempSync(join(tmpdir(), 'meshlens-e2e-scale-'));
    const files = writeMeshFiles(mesh, dir);
    server = await startServer(['serve', '-f', files.manifests, '--samples', files.samples]);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    base = `${server.url}/graph?namespaces=${mesh.namespaces.join(',')}&duration=${GRAPH_WINDOW.duration}&queryTime=${GRAPH_WINDOW.queryTime}&refresh=0`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('collapses into namespace groups above the node budget, saying how many are unhealthy', async () => {
    await page.goto(base);
    await waitForLayout(page);
    const s = await seen(page);
    expect(s.groups).toHaveLength(20);
    expect(s.leaves).toEqual([]);
    expect(s.groups.map((g) => g.count).reduce((a, b) => a + b, 0)).toBe(1000);
    for (const g of s.groups) {
      expect(g.id).toBe(`group:ns:${g.key}`);
      if (g.unhealthy > 0) expect(['Degraded', 'Failure']).toContain(g.health);
    }
    const note = await page.textContent('[data-testid="grouping-note"]');
    expect(note).toContain('20 of 1000 nodes drawn');
    await screenshot(page, 'graph-scale-1k-groups');
  });

  /** Nodes (boxes and their names included) drawn under the scale bar. */
  const underScaleBar = () =>
    page.evaluate(() => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      const bar = document.querySelector('[data-testid="graph-scale-bar"]')!.getBoundingClientRect();
      const box = cy.container().getBoundingClientRect();
      return cy.nodes().filter((n: any) => {
        const b = n.renderedBoundingBox({ includeLabels: true });
        return b.x1 + box.left < bar.right && b.x2 + box.left > bar.left && b.y1 + box.top < bar.bottom && b.y2 + box.top > bar.top;
      }).map((n: any) => n.id());
    });

  it('keeps every node clear of the scale bar drawn over the canvas', async () => {
    expect(await underScaleBar()).toEqual([]);
  });

  it('expands a group with one click, keeps it in the URL and through a reload', async () => {
    const before = await layouts(page);
    // Every element that stays is kept as it is (not removed and added again): opening a group restyles what changed.
    const kept = await page.evaluate(() => {
      const w = window as unknown as { __meshlensCy: any; __before: Set<unknown> };
      w.__before = new Set(w.__meshlensCy.elements().toArray());
      // The click never reaches cytoscape as a press (graph/groupPress.ts): no grab, no restyle, no redraw of the picture.
      (w as unknown as { __pressed: string[] }).__pressed = [];
      w.__meshlensCy.on('grab tapstart', 'node', (e: any) => (w as unknown as { __pressed: string[] }).__pressed.push(`${e.type} ${e.target.id()}`));
      return w.__meshlensCy.edges().filter((e: any) => e.source().id() !== 'group:ns:team-04' && e.target().id() !== 'group:ns:team-04').length;
    });
    await clickNode(page, 'group:ns:team-04');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('expand') === 'team-04', undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __pressed: string[] }).__pressed)).toEqual([]);
    await waitForLayout(page, before);
    const same = await page.evaluate(() => {
      const w = window as unknown as { __meshlensCy: any; __before: Set<unknown> };
      const now = w.__meshlensCy.elements().toArray();
      return { edges: now.filter((e: any) => e.isEdge() && w.__before.has(e)).length, groups: now.filter((e: any) => e.isNode() && e.data('group') && w.__before.has(e)).length };
    });
    expect(same).toEqual({ edges: kept, groups: 19 });
    let s = await seen(page);
    expect(s.leaves.filter((id) => id.includes(':team-04:'))).toHaveLength(50);
    expect(s.groups.map((g) => g.key)).not.toContain('team-04');
    expect(s.groups).toHaveLength(19);
    // The scale bar grew a line ("Expanded: team-04"); the picture is fitted below it.
    expect(await underScaleBar()).toEqual([]);
    await page.reload();
    await waitForLayout(page);
    s = await seen(page);
    expect(param(page, 'expand')).toBe('team-04');
    expect(s.leaves.filter((id) => id.includes(':team-04:'))).toHaveLength(50);
    expect(await underScaleBar()).toEqual([]);
    // The copied link carries the open group too.
    expect(await page.isVisible('[data-testid="collapse-team-04"]')).toBe(true);
    await screenshot(page, 'graph-scale-1k-expanded');
  });

  it('finds inside collapsed groups and opens one from its match', async () => {
    await page.goto(`${base}&find=svc-003`);
    await waitForLayout(page);
    await page.waitForSelector('[data-testid="find-in-group"]');
    expect(await page.textContent('[data-testid="find-in-group"]')).toContain('40 matches inside 20 groups');
    expect(await page.textContent('#find-count')).toBe('40 found');
    expect((await seen(page)).found).toHaveLength(20);
    // The matches' line makes the bar taller after the picture was fitted: the picture is fitted again below it.
    await expect.poll(underScaleBar, { timeout: 5000 }).toEqual([]);
    const before = await layouts(page);
    await page.click('[data-testid="expand-team-00"]');
    await waitForLayout(page, before);
    expect(param(page, 'expand')).toBe('team-00');
    const s = await seen(page);
    expect(s.found.filter((id) => id.includes(':team-00:')).sort()).toEqual(['vapp:team-00:svc-003:v1', 'vapp:team-00:svc-003:v2']);
    expect(s.found.filter((id) => id.startsWith('group:'))).toHaveLength(19);
  });

  it('shows a node’s neighbourhood from the URL (focus and hops), and the whole graph again', async () => {
    await page.goto(`${base}&budget=0&focus=vapp:team-04:svc-001:v1&hops=1`);
    await waitForLayout(page);
    const s = await seen(page);
    const { edges, neighbours } = await page.evaluate(() => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      const center = cy.getElementById('vapp:team-04:svc-001:v1');
      return { edges: cy.edges().length, neighbours: center.neighborhood('node').map((n: any) => n.id()) };
    });
    expect(s.leaves).toContain('vapp:team-04:svc-001:v1');
    expect(s.leaves.length).toBeLessThan(60);
    expect(s.leaves.length).toBe(neighbours.length + 1);
    expect(edges).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="neighbourhood-note"]')).toContain('Neighbourhood of svc-001 v1 (team-04), 1 hop');
    await screenshot(page, 'graph-scale-1k-neighbourhood');
    const before = await layouts(page);
    await page.click('[data-testid="show-whole-graph"]');
    await waitForLayout(page, before);
    expect(param(page, 'hops')).toBeNull();
    expect((await seen(page)).leaves.length).toBe(1000);
  });

  it('selects an edge of the whole graph with a click on its line, though a large graph’s edges take no pointer events', async () => {
    await page.goto(`${base}&budget=0`);
    await waitForLayout(page);
    // Zoomed in four times (then eight, then twelve, where the font's metrics packed the picture tighter), where lines
    // are far enough apart to aim at one.
    const fitted = await page.evaluate(() => (window as unknown as { __meshlensCy: any }).__meshlensCy.zoom() as number);
    let target: { id: string; x: number; y: number; events: string; edges: number } | null = null;
    for (const factor of [4, 8, 12]) {
      await page.evaluate((level) => {
        const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
        cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      }, fitted * factor);
      await page.waitForTimeout(300);
      // The middle of a long edge, on the canvas itself, away from every node, 5 px from every other edge, and clear of the controls drawn over it.
      target = await page.evaluate(() => {
        const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
        const box = cy.container().getBoundingClientRect();
        const lines = cy.edges().map((e: any) => ({ id: e.id(), a: e.source().renderedPosition(), b: e.target().renderedPosition() }));
        const distance = (x: number, y: number, { a, b }: { a: { x: number; y: number }; b: { x: number; y: number } }) => {
          const dx = b.x - a.x;
          const dy = b.y - a.y;
          const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy || 1)));
          return Math.hypot(a.x + t * dx - x, a.y + t * dy - y);
        };
        const nodes = cy.nodes().filter((n: any) => !n.hasClass('box-flat')).map((n: any) => n.renderedBoundingBox({ includeLabels: false }));
        for (const e of cy.edges()) {
          const a = e.source().renderedPosition();
          const b = e.target().renderedPosition();
          const m = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
          if (Math.hypot(b.x - a.x, b.y - a.y) < 60 || m.x < 40 || m.y < 40 || m.x > cy.width() - 40 || m.y > cy.height() - 40) continue;
          if (nodes.some((bb: any) => m.x > bb.x1 - 6 && m.x < bb.x2 + 6 && m.y > bb.y1 - 6 && m.y < bb.y2 + 6)) continue;
          if (document.elementFromPoint(box.left + m.x, box.top + m.y)?.tagName !== 'CANVAS') continue;
          if (lines.some((l: any) => l.id !== e.id() && distance(m.x, m.y, l) < 5)) continue;
          return { id: e.id() as string, x: box.left + m.x, y: box.top + m.y, events: e.style('events') as string, edges: cy.edges().length as number };
        }
        return null;
      });
      if (target) break;
    }
    expect(target, 'an edge line to aim at').not.toBeNull();
    expect(target!.edges).toBeGreaterThan(1000);
    expect(target!.events).toBe('no');
    await page.mouse.click(target!.x, target!.y);
    await expect.poll(() => param(page, 'focus'), { timeout: 10_000 }).toBe(target!.id);
    // The side panel shows that edge.
    await expect.poll(async () => page.getByTestId('side-panel').innerText(), { timeout: 10_000 }).toMatch(/^Edge · (HTTP|TCP|GRPC)/im);
    // Zoomed out, a click on the canvas 20 px or more from every edge and node clears the selection.
    await page.evaluate(() => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      cy.zoom({ level: cy.zoom() / 16, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    });
    await page.waitForTimeout(300);
    const empty = await page.evaluate(() => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      const box = cy.container().getBoundingClientRect();
      const lines = cy.edges().map((e: any) => [e.source().renderedPosition(), e.target().renderedPosition()]);
      // (the same distance as above; each page.evaluate runs on its own)
      const far = (x: number, y: number) => lines.every(([a, b]: Array<{ x: number; y: number }>) => {
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy || 1)));
        return Math.hypot(a.x + t * dx - x, a.y + t * dy - y) > 20;
      });
      for (let y = 20; y < cy.height() - 20; y += 15) {
        for (let x = 20; x < cy.width() - 20; x += 15) {
          if (document.elementFromPoint(box.left + x, box.top + y)?.tagName !== 'CANVAS') continue;
          if (cy.nodes().some((n: any) => { const bb = n.renderedBoundingBox({ includeLabels: false }); return !n.hasClass('box-flat') && x > bb.x1 - 20 && x < bb.x2 + 20 && y > bb.y1 - 20 && y < bb.y2 + 20; })) continue;
          if (far(x, y)) return { x: box.left + x, y: box.top + y };
        }
      }
      return null;
    });
    expect(empty, 'an empty spot of the canvas').not.toBeNull();
    await page.mouse.click(empty!.x, empty!.y);
    await expect.poll(() => param(page, 'focus'), { timeout: 10_000 }).toBeNull();
  });

  it('drags a collapsed group where it is dropped: a press on a group that moves is a drag, not a click', async () => {
    await page.goto(base);
    await waitForLayout(page);
    const id = 'group:ns:team-07';
    const where = () => page.evaluate((nodeId) => {
      const cy = (window as unknown as { __meshlensCy: any }).__meshlensCy;
      const n = cy.getElementById(nodeId);
      const r = cy.container().getBoundingClientRect();
      return { x: r.left + n.renderedPosition().x, y: r.top + n.renderedPosition().y, model: { ...n.position() }, zoom: cy.zoom() as number };
    }, id);
    const before = await where();
    const layoutsBefore = await layouts(page);
    await page.evaluate(() => {
      const w = window as unknown as { __meshlensCy: any; __grabbed: string[] };
      w.__grabbed = [];
      w.__meshlensCy.on('grab', 'node', (e: any) => w.__grabbed.push(e.target.id()));
    });
    // The press is held from cytoscape (a click opens the group without its restyle and redraw), and handed back once it moves.
    await page.mouse.move(before.x, before.y);
    await page.mouse.down();
    await page.mouse.move(before.x + 60, before.y + 40, { steps: 6 });
    await page.mouse.up();
    const after = await where();
    expect(Math.abs((after.model.x - before.model.x) * before.zoom - 60)).toBeLessThan(2);
    expect(Math.abs((after.model.y - before.model.y) * before.zoom - 40)).toBeLessThan(2);
    expect(await page.evaluate(() => (window as unknown as { __grabbed: string[] }).__grabbed)).toEqual([id]);
    expect(param(page, 'expand')).toBeNull();
    expect(await layouts(page)).toBe(layoutsBefore);
    // Dropped is saved: a reload draws it where it was dropped.
    await page.reload();
    await waitForLayout(page);
    const reloaded = await where();
    expect(Math.abs(reloaded.model.x - after.model.x)).toBeLessThan(1);
    expect(Math.abs(reloaded.model.y - after.model.y)).toBeLessThan(1);
    // A press whose release the page never saw (let go outside the window: the next move has no button down) is dropped:
    // the group neither follows the pointer nor opens.
    await page.mouse.move(reloaded.x, reloaded.y);
    await page.mouse.down();
    await page.evaluate(({ x, y }) => window.dispatchEvent(new MouseEvent('mousemove', { clientX: x + 50, clientY: y + 50, buttons: 0, bubbles: true })), { x: reloaded.x, y: reloaded.y });
    await page.mouse.move(reloaded.x + 80, reloaded.y + 20, { steps: 4 });
    await page.mouse.up();
    const still = await where();
    expect([still.model.x, still.model.y]).toEqual([reloaded.model.x, reloaded.model.y]);
    expect(param(page, 'expand')).toBeNull();
  });
});

/// <reference lib="dom" />
/**
 * The graph page in Chromium at 1440×900, for the demo's every namespace (~80 nodes in 20 boxes) and for a generated
 * mesh of 1,000 workloads and ~5,000 edges served by `meshlens serve -f … --samples …`:
 *
 * - ready: navigation start to the layout done (`data-layout-done`) and the next frame painted;
 * - the longest main-thread task from navigation to ready (PerformanceObserver `longtask`);
 * - frames per second while the graph is zoomed and panned with the mouse wheel and drags for ~2 s.
 *
 * The 1k mesh is measured as a user first sees it (the node budget collapses it into groups) and whole (`budget=0`,
 * every node drawn): the second is what the budget saves, and the rendering's own scale.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Benchmark } from '../benchmark.js';
import { startServe, writeMeshFiles } from '../serve-cli.js';
import { syntheticMesh } from '../synthetic-mesh.js';

const CHROMIUM = process.env.MESHLENS_CHROMIUM ?? '/usr/bin/chromium';
// Copied from browser-pages.ts: the machine's flags, and no omnibox popup (its hidden renderer costs a core).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'];

/** 20 namespaces × 50 workloads (25 apps × 2 versions), 5 calls each: 1,000 workloads, ~5,000 edges. */
export const MESH_1K_GRAPH = { namespaces: 20, workloadsPerNamespace: 50, versions: 2, edgesPerWorkload: 5, sourceOnlyShare: 0.1, tcpShare: 0.1 };
export const GRAPH_WINDOW = { duration: 600, queryTime: 1767225600 };

export { writeMeshFiles } from '../serve-cli.js';

interface Served {
  demo: { child: ChildProcess; url: string; namespaces: string[] };
  mesh: { child: ChildProcess; url: string; namespaces: string[]; dir: string; describe: string };
  browser: Browser;
  context: BrowserContext;
  users: number;
}
let served: Promise<Served> | undefined;

async function acquire(): Promise<Served> {
  served ??= (async () => {
    const demo = await startServe(['--demo']);
    const nsList = (await (await fetch(`${demo.url}/api/namespaces`)).json()) as { namespaces: Array<{ name: string }> };
    const m = syntheticMesh(MESH_1K_GRAPH);
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-graph-'));
    const files = writeMeshFiles(m, dir);
    const mesh = await startServe(['-f', files.manifests, '--samples', files.samples]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    return {
      demo: { ...demo, namespaces: nsList.namespaces.map((n) => n.name) },
      mesh: { ...mesh, namespaces: m.namespaces, dir, describe: `${m.workloads} workloads, ${m.edges} edges in ${m.namespaces.length} namespaces` },
      browser, context, users: 0,
    };
  })();
  const s = await served;
  s.users++;
  return s;
}

async function release(): Promise<void> {
  const s = await served;
  if (!s || --s.users > 0) return;
  served = undefined;
  await s.browser.close();
  for (const child of [s.demo.child, s.mesh.child]) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(s.mesh.dir, { recursive: true, force: true });
}

interface Measured {
  ready: number;
  longestTask: number;
  fps: number;
  nodes: number;
  layout: string;
}

/** Opens the graph, waits for the layout, then zooms and pans for ~2 s while counting frames. */
async function measure(page: Page, url: string): Promise<Measured> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 120_000 });
  const ready = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
  const longestTask = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  const info = await page.evaluate(() => {
    const cy = (window as unknown as { __meshlensCy: { nodes: () => { length: number } } }).__meshlensCy;
    return { nodes: cy.nodes().length, layout: document.querySelector('[data-testid="graph-footer"]')?.textContent?.split('layout: ')[1] ?? '' };
  });
  const box = await page.locator('[data-testid="graph"]').boundingBox();
  if (!box) throw new Error('no graph canvas');
  const cx = box.x + box.width / 2;
  const cyPos = box.y + box.height / 2;
  await page.mouse.move(cx, cyPos);
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, i % 6 < 3 ? -240 : 240);
    await page.waitForTimeout(60);
  }
  // Pan: drag the background (a press on empty canvas moves the viewport).
  await page.mouse.move(box.x + 30, box.y + box.height - 60);
  await page.mouse.down();
  for (let i = 0; i < 20; i++) {
    await page.mouse.move(box.x + 30 + i * 12, box.y + box.height - 60 - i * 6);
    await page.waitForTimeout(30);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean };
    w.__stop = true;
    return w.__frames;
  });
  const seconds = (Date.now() - started) / 1000;
  return { ready, longestTask, fps: frames.length / seconds, ...info };
}

function graphBenchmark(name: string, which: 'demo' | 'mesh', query: (s: Served) => string): Benchmark<Served & { seen?: string }> {
  let seen = '';
  return {
    name: `browser graph: ${name}`,
    target: { ms: which === 'demo' ? 2000 : 4000 },
    iterations: 4,
    warmup: 1,
    setup: acquire,
    async run(s) {
      const page = await s.context.newPage();
      try {
        const target = s[which];
        const r = await measure(page, `${target.url}/graph?${query(s)}`);
        seen = `${r.nodes} cytoscape nodes, layout ${r.layout}; longest main-thread task ${Math.round(r.longestTask)} ms; ${r.fps.toFixed(1)} frames/s zooming and panning`;
        return { elapsedMs: r.ready };
      } finally {
        await page.close();
      }
    },
    describe: (s) => `${which === 'demo' ? `demo, ${s.demo.namespaces.length} namespaces` : s.mesh.describe}; navigation to layout done and painted, 1440×900; last run: ${seen}`,
    teardown: release,
  };
}

const windowQuery = `duration=${GRAPH_WINDOW.duration}&queryTime=${GRAPH_WINDOW.queryTime}&refresh=0`;

export default [
  graphBenchmark('demo, all namespaces (ready)', 'demo', (s) => `namespaces=${s.demo.namespaces.join(',')}&refresh=0`),
  graphBenchmark('1k workloads, node budget 300 (ready)', 'mesh', (s) => `namespaces=${s.mesh.namespaces.join(',')}&${windowQuery}`),
  graphBenchmark('1k workloads, every node (ready)', 'mesh', (s) => `namespaces=${s.mesh.namespaces.join(',')}&${windowQuery}&budget=0`),
] as Benchmark<any>[];

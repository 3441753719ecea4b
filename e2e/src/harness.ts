/**
 * Starts the real `meshlens` CLI as a child process and Debian's Chromium through playwright-core,
 * so browser tests exercise exactly what a user runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const CLI = fileURLToPath(new URL('../../apps/server/bin/meshlens.js', import.meta.url));
export const CHROMIUM = process.env.MESHLENS_CHROMIUM ?? '/usr/bin/chromium';

export interface RunningServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `meshlens <args> --port 0 --host 127.0.0.1` and waits for the log line that gives its URL. */
export async function startServer(args: string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, ...args, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`meshlens did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /at (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`meshlens exited with code ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Launches Debian's Chromium headless (never a downloaded browser). */
/**
 * The machine's flags, and no omnibox popup: headless Chromium 156 keeps its hidden WebUI renderer
 * (chrome://omnibox-popup.top-chrome) busy through every navigation, CPU a windowed browser does not spend and that
 * the tests' timings would otherwise share with it.
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'] as const;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
  });
}

/** Saves a screenshot under e2e/artifacts/ and returns its path. */
/** One search parameter of the page's current URL (views live in the URL). */
export const param = (page: Page, name: string): string | null => new URL(page.url()).searchParams.get(name);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Where to click an edge as a person aims at one: the point of its line nearest its middle that cytoscape's own hit
 * test gives to that edge (not to a node, a label or another line crossing it there), a pixel either way included
 * (mouse events come in whole pixels), and that no page control covers. Page coordinates, whole pixels.
 */
export async function edgeClickPoint(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate((id) => {
    const cy = (window as any).__meshlensCy;
    const renderer = cy.renderer();
    const edge = cy.$id(id);
    const rect = cy.container().getBoundingClientRect();
    const [a, m, b] = [edge.renderedSourceEndpoint(), edge.renderedMidpoint(), edge.renderedTargetEndpoint()];
    // Along source → middle → target (a curved edge passes through its middle), from the middle outwards.
    const along = (t: number) => (t <= 0.5 ? { x: a.x + (m.x - a.x) * t * 2, y: a.y + (m.y - a.y) * t * 2 } : { x: m.x + (b.x - m.x) * (t - 0.5) * 2, y: m.y + (b.y - m.y) * (t - 0.5) * 2 });
    // What a press at these client coordinates lands on, as cytoscape finds it on mousedown.
    const under = (x: number, y: number) => {
      const [mx, my] = renderer.projectIntoViewport(x, y);
      return renderer.findNearestElement(mx, my, true, false)?.id();
    };
    const steps = [0.5, ...Array.from({ length: 24 }, (_, i) => 0.5 + (i % 2 ? -1 : 1) * 0.0125 * (Math.floor(i / 2) + 1))];
    for (const t of steps) {
      const p = along(t);
      const x = Math.round(rect.left + p.x);
      const y = Math.round(rect.top + p.y);
      if ([[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]].some(([dx, dy]) => under(x + dx!, y + dy!) !== id)) continue;
      if (document.elementFromPoint(x, y)?.tagName !== 'CANVAS') continue;
      return { x, y };
    }
    return null;
  }, edgeId);
  if (!point) throw new Error(`no point of edge ${edgeId} is clear to click: other elements or controls cover all of it`);
  return point;
}

/**
 * Clicks the edge between the nodes labelled `source` and `target` (as a person would, near its middle) and waits
 * for the selection to reach the URL; returns the edge's id.
 */
export async function clickEdge(page: Page, source: string, target: string): Promise<string> {
  const edgeId = await page.evaluate(([s, t]) => {
    const cy = (window as any).__meshlensCy;
    return cy.edges().filter((e: any) => e.source().data('label') === s && e.target().data('label') === t)[0].id();
  }, [source, target] as const);
  const at = await edgeClickPoint(page, edgeId);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('focus') === id, edgeId);
  return edgeId;
}

/** The namespaces the picker offers: opens it, reads its list, and closes it again. */
export async function pickerNamespaces(page: Page): Promise<string[]> {
  const toggle = page.getByTestId('ns-picker-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const names = await page.locator('[data-testid="ns-listbox"] [role="option"]').evaluateAll((options) => options.map((o) => o.getAttribute('data-ns') ?? ''));
  await page.keyboard.press('Escape');
  return names;
}

/** The graph page has laid out its graph and drawn at least one edge (`window.__meshlensCy`, set by the graph view). */
export async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

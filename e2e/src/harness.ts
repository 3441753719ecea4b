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
 * Clicks the middle of the edge between the nodes labelled `source` and `target` (as a person would) and waits for
 * the selection to reach the URL; returns the edge's id.
 */
export async function clickEdge(page: Page, source: string, target: string): Promise<string> {
  const edgeId = await page.evaluate(([s, t]) => {
    const cy = (window as any).__meshlensCy;
    return cy.edges().filter((e: any) => e.source().data('label') === s && e.target().data('label') === t)[0].id();
  }, [source, target] as const);
  const mid = await page.evaluate((id) => {
    const cy = (window as any).__meshlensCy;
    const p = cy.$id(id).renderedMidpoint();
    const rect = cy.container().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, edgeId);
  await page.mouse.click(mid.x, mid.y);
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

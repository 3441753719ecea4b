/// <reference lib="dom" />
/**
 * What-if drafts in Chromium: the time from a keystroke in the draft editor (a VirtualService's page, "Edit as
 * draft") to the check's answer painted — the drafted inventory's findings, the findings removed and added, and the
 * current trace (the request last traced, with and without the drafts) — computed by the engine in the page's web
 * worker. On the demo mesh (target 50 ms) and on a synthetic mesh of about 10,000 objects (target 200 ms).
 * The worker's own time for the check is printed with the result.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import type { Benchmark } from '../benchmark.js';
import { launchChromium } from '../browser.js';
import { startServe } from '../serve-cli.js';
import { syntheticMesh } from '../synthetic-mesh.js';

interface State {
  child: ChildProcess;
  dir?: string;
  browser: Browser;
  page: Page;
  objects: string;
  workerMs: number[];
}

interface Case {
  /** The served mesh: args of `meshlens serve`, the object to draft and the request to trace. */
  serve(): Promise<{ args: string[]; dir?: string; object: string; trace: { from: string; url: string }; objects: string }>;
}

const demo: Case = {
  async serve() {
    return { args: ['--demo'], object: 'VirtualService/istio-system/eg1', trace: { from: 'default/pod1', url: 'https://en.wikipedia.org' }, objects: 'the demo mesh' };
  },
};

const tenThousand: Case = {
  async serve() {
    // 555 namespaces × (10 workloads, their pods and Services, VirtualServices, DestinationRules): about 10,000 objects
    const m = syntheticMesh({ namespaces: 555, workloadsPerNamespace: 10, versions: 2, edgesPerWorkload: 3, sourceOnlyShare: 0.1, tcpShare: 0.1 });
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-drafts-'));
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests);
    const byNamespace = new Map<string, string[]>();
    for (const o of m.inventory.objects) {
      const ns = o.ref.namespace ?? '_cluster';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), JSON.stringify(o.object)]);
    }
    for (const [ns, docs] of byNamespace) writeFileSync(join(manifests, `${ns}.yaml`), `${docs.join('\n---\n')}\n`);
    const vs = m.inventory.istio.VirtualService[0]!;
    const host = (vs.object.spec as { hosts: string[] }).hosts[0]!;
    const client = m.inventory.workloads.find((w) => w.namespace === vs.ref.namespace && !w.isGatewayProxy)!;
    return {
      args: ['-f', manifests], dir, object: `VirtualService/${vs.ref.namespace}/${vs.ref.name}`,
      trace: { from: `${client.namespace}/${client.name}`, url: `http://${host}` },
      objects: `${m.inventory.objects.length} objects (${m.namespaces.length} namespaces, ${m.workloads} workloads)`,
    };
  },
};

async function setup(c: Case): Promise<State> {
  const served = await c.serve();
  const { child, url } = await startServe(served.args);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // the request the editor traces after each edit: the one last traced on the trace page
  await context.addInitScript((trace) => {
    localStorage.setItem('meshlens-drafts-trace', JSON.stringify(trace));
    localStorage.removeItem('meshlens-drafts');
  }, served.trace);
  const page = await context.newPage();
  await page.goto(`${url}/config/${served.object}`);
  await page.click('[data-testid="edit-as-draft"]', { timeout: 120_000 });
  // the first check loads the live objects into the worker: not what an edit costs
  await page.waitForSelector('[data-testid="draft-status"][data-checking="false"]:has-text("Checked")', { timeout: 300_000 });
  await page.waitForSelector('[data-testid="draft-trace-drafted"]', { timeout: 60_000 });
  await page.evaluate(() => {
    const w = window as unknown as { __keyAt: number };
    document.addEventListener('keydown', () => { w.__keyAt = performance.now(); }, true);
  });
  await page.click('[data-testid="draft-editor"] .cm-content');
  await page.keyboard.press('Control+End');
  return { child, dir: served.dir, browser, page, objects: served.objects, workerMs: [] };
}

async function teardown(s: State): Promise<void> {
  await s.browser.close();
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  if (s.dir) rmSync(s.dir, { recursive: true, force: true });
}

/** One keystroke (a comment character at the end of the draft): keydown to the check's answer painted, timed in the page. */
async function edit(s: State): Promise<{ elapsedMs: number }> {
  // armed before the key is pressed: resolves on the first frame after the next answer is rendered
  await s.page.evaluate(() => {
    const w = window as unknown as { __answered: Promise<{ paintedAt: number; status: string }> };
    const el = document.querySelector<HTMLElement>('[data-testid="draft-status"]')!;
    const seq = el.dataset.seq;
    w.__answered = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (el.dataset.checking !== 'false' || el.dataset.seq === seq) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve({ paintedAt: performance.now(), status: el.textContent ?? '' }));
      });
      observer.observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
    });
  });
  await s.page.keyboard.type('#');
  const { keyAt, paintedAt, status } = await s.page.evaluate(async () => {
    const w = window as unknown as { __keyAt: number; __answered: Promise<{ paintedAt: number; status: string }> };
    const a = await w.__answered;
    return { keyAt: w.__keyAt, ...a };
  });
  const worker = /in ([\d.]+) ms/.exec(status);
  if (worker) s.workerMs.push(Number(worker[1]));
  return { elapsedMs: paintedAt - keyAt };
}

function bench(name: string, c: Case, ms: number): Benchmark<State> {
  return {
    name: `browser: draft re-check after an edit (findings + trace), ${name}`,
    target: { ms },
    iterations: 15,
    warmup: 3,
    setup: () => setup(c),
    run: edit,
    teardown,
    describe: (s) => {
      const w = [...s.workerMs].sort((a, b) => a - b);
      return `${s.objects}; keydown → answer painted; the worker's own check (parse, overlay, incremental checks, diff, two traces): median ${w[Math.floor(w.length / 2)] ?? '?'} ms`;
    },
  };
}

export default [bench('demo mesh', demo, 50), bench('about 10k objects', tenThousand, 200)];

/**
 * Hostile strings through every page, panel and export: `meshlens serve -f e2e/fixtures/hostile` (names, hosts and
 * annotations holding markup, script URLs, template injection, bidi overrides, zero-width and control characters,
 * spreadsheet formulas and 10,000-character strings) in a real Chromium whose alert/confirm/prompt and `dialog`
 * event fail the test. On every view: nothing runs, no payload element exists, no CSP violation, no horizontal
 * overflow, long strings cut with their full text in a tooltip, bidi controls isolated or written out, axe passes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, startServer, waitForGraph, type RunningServer } from './harness.js';

const NS = 'hostile-lab';
const IMG = '<img src=x onerror=window.__pwned=1>';
const SVG = '"><svg onload=window.__pwned=1>';
const JS = 'javascript:alert(1)';
const TPL = "{{constructor.constructor('alert(1)')()}}";
const BIDI = 'invoice\u202Etxt.exe';
const ZW = 'pay\u200Bments\u200D';
const CSV = "=cmd|' /C calc'!A0";
const ANSI = '\u001b[31mred-alert\u001b[0m';
const EMOJI = '🔥-שלום-مرحبا';
const LONG_NAME = `long-${'abcdefghij'.repeat(999)}end00`;
const LONG_HOST = `api.${'segment-12'.repeat(998)}.example.com`;
const HOSTILE_WORKLOADS = [IMG, SVG, JS, TPL, BIDI, ZW, CSV, ANSI, EMOJI, LONG_NAME];
const SHOTS = '/tmp/shots/hostile/';

/** How the console writes control, bidi and invisible characters (components/untrustedText.ts). */
const visible = (s: string) =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });

declare global {
  interface Window {
    __pwned?: unknown;
    __trapped?: string[];
    __cspViolations?: string[];
  }
}

const CSP_MESSAGE = /content.security.policy|refused to (load|apply|execute|frame|connect|create)/i;

/** What `inspect` reports of a view: every list must be empty. */
interface Inspection {
  ran: string[];
  payloadElements: string[];
  scriptHrefs: string[];
  overflow: string[];
  untruncated: string[];
  bidi: string[];
  longTexts: number;
}

/** Runs in the page: the checks every view must pass. */
function inspectPage(): Inspection {
  const ran: string[] = [];
  if (window.__pwned !== undefined) ran.push(`window.__pwned = ${String(window.__pwned)}`);
  ran.push(...(window.__trapped ?? []), ...(window.__cspViolations ?? []).map((v) => `CSP: ${v}`));

  const payloadElements: string[] = [];
  for (const el of document.querySelectorAll('img[src="x"], svg[onload], iframe, object, embed, script:not([src]), base')) payloadElements.push(el.outerHTML.slice(0, 120));
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) payloadElements.push(`${el.tagName.toLowerCase()}[${attr}]`);
  }
  const scriptHrefs = [...document.querySelectorAll('[href], [src], [action], [formaction], [xlink\\:href]')]
    .flatMap((el) => ['href', 'src', 'action', 'formaction', 'xlink:href'].map((a) => el.getAttribute(a) ?? ''))
    .filter((v) => /^\s*(javascript|vbscript|data:text\/html)/i.test(v.replace(/[\u0000-\u0020]/g, '')));

  // No horizontal scroll, and no container wider than its parent (cut or wrapped text, not pushed layout).
  const overflow: string[] = [];
  const root = document.scrollingElement!;
  if (root.scrollWidth > window.innerWidth) overflow.push(`document ${root.scrollWidth} > ${window.innerWidth}`);
  const containers = 'main, aside, nav, header, section, form, table, dl, ul, .entity-main, .entity-head, .config-head, .side-panel, .panel-title, .finding-card, .trace-main, .graph-actions, .breadcrumb';
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  for (const el of document.querySelectorAll(containers)) {
    const parent = el.parentElement;
    if (!parent || el.closest('.cm-editor, .vtable-scroll')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.position === 'absolute' || style.position === 'fixed') continue;
    const w = el.getBoundingClientRect().width;
    const pw = parent.getBoundingClientRect().width;
    if (w > pw + 1 && getComputedStyle(parent).overflowX === 'visible') overflow.push(`${name(el)} ${Math.round(w)}px in ${name(parent)} ${Math.round(pw)}px`);
  }
  // Text that does not fit its box (a long word neither wrapped nor cut) spills out of it.
  for (const el of document.querySelectorAll<HTMLElement>('.banner, .finding-card, .panel-section, dd, td, li, p, h1, h2, h3, .help-text')) {
    if (el.closest('.cm-editor, .vtable-scroll, .table-wrap') || getComputedStyle(el).overflowX !== 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 2 && el.clientWidth > 0) overflow.push(`${name(el)} content ${el.scrollWidth}px in ${el.clientWidth}px`);
  }
  // Cluster text never reaches past the viewport or past the box that clips it.
  const untruncated: string[] = [];
  let longTexts = 0;
  for (const el of document.querySelectorAll<HTMLElement>('[data-untrusted]')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    let clip = window.innerWidth;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') clip = Math.min(clip, a.getBoundingClientRect().right);
    }
    if (Math.min(rect.right, clip) > window.innerWidth + 1) untruncated.push(`${name(el)} reaches ${Math.round(rect.right)}px: ${el.title.slice(0, 60)}`);
    const title = el.getAttribute('title') ?? '';
    if (title.length > 300) {
      longTexts++;
      const style = getComputedStyle(el);
      const cut = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 || (el.textContent ?? '').endsWith('…');
      const styled = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
      if (!cut || !styled) untruncated.push(`${name(el)} not cut (cut ${cut}, ellipsis/clamp ${styled}): ${title.slice(0, 60)}`);
      if (rect.height > 80) untruncated.push(`${name(el)} is ${Math.round(rect.height)}px tall: ${title.slice(0, 60)}`);
    }
  }
  // Raw bidi controls only inside an isolating element (or not at all: the console writes them out).
  const bidi: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/[\u202a-\u202e\u2066-\u2069]/.test(node.nodeValue ?? '')) continue;
    let isolated = false;
    for (let a = node.parentElement; a && !isolated; a = a.parentElement) {
      const ub = getComputedStyle(a).unicodeBidi;
      isolated = a.tagName === 'BDI' || a.hasAttribute('dir') || /isolate|plaintext/.test(ub) || a.classList.contains('cm-content');
    }
    if (!isolated) bidi.push(`${name(node.parentElement!)}: ${JSON.stringify((node.nodeValue ?? '').slice(0, 60))}`);
  }
  for (const el of document.querySelectorAll('[title]')) {
    if (/[\u202a-\u202e\u2066-\u2069]/.test(el.getAttribute('title') ?? '')) bidi.push(`${name(el)} title holds a raw bidi control`);
  }
  return { ran, payloadElements, scriptHrefs, overflow, untruncated, bidi, longTexts };
}

describe('hostile strings on every page, panel and export', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const consoleProblems: string[] = [];

  async function newContext(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, colorScheme, acceptDownloads: true });
    // Before any of the page's scripts, in every document: traps for what an injected handler would call.
    await ctx.addInitScript(() => {
      window.__trapped = [];
      for (const fn of ['alert', 'confirm', 'prompt', 'print', 'open'] as const) {
        (window as any)[fn] = (...args: unknown[]) => { window.__trapped!.push(`${fn}(${args.map(String).join(', ')})`); return null; };
      }
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__cspViolations ??= []).push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} ${e.sample}`);
      });
    });
    return ctx;
  }

  async function newPage(ctx: BrowserContext): Promise<Page> {
    const p = await ctx.newPage();
    p.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
    p.on('console', (m) => { if (CSP_MESSAGE.test(m.text())) consoleProblems.push(`console: ${m.text()}`); });
    p.on('pageerror', (e) => consoleProblems.push(`page error: ${e.message.slice(0, 300)}`));
    return p;
  }

  beforeAll(async () => {
    server = await startServer(['serve', '-f', 'e2e/fixtures/hostile', '--samples', 'e2e/fixtures/hostile/istio-metrics.samples']);
    browser = await launchBrowser();
    context = await newContext({ width: 1280, height: 800 }, 'light');
    page = await newPage(context);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    // What the server said (warnings, errors), for a failure's context.
    if (server && /error|warn/i.test(server.output())) console.log(server.output().slice(-3000));
  });

  /** All checks of the current view, plus axe; `label` names the view in failures. */
  async function check(p: Page, label: string, { axe = true }: { axe?: boolean } = {}): Promise<Inspection> {
    // Late work: lazy chunks, charts, the graph's layout.
    await p.waitForTimeout(300);
    const result = await p.evaluate(inspectPage);
    expect({ view: label, ...result, longTexts: undefined, dialogs, consoleProblems }).toEqual({
      view: label, ran: [], payloadElements: [], scriptHrefs: [], overflow: [], untruncated: [], bidi: [], longTexts: undefined, dialogs: [], consoleProblems: [],
    });
    if (axe) {
      const results = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa']).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${label}: ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
    return result;
  }

  async function visit(path: string, selector: string, label = path): Promise<Inspection> {
    await page.goto(`${server.url}${path}`);
    await page.waitForSelector(selector, { timeout: 30_000 });
    return check(page, label);
  }

  /** The full text of the UntrustedText elements of the view. */
  const titles = (p: Page, scope = 'body') => p.locator(`${scope} [data-untrusted]`).evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));

  it('the Overview and the application, workload and service lists', { timeout: 120_000 }, async () => {
    await visit(`/overview?namespaces=${NS}`, '[data-testid="ns-row"], [data-testid="ns-card"]');
    for (const kind of ['applications', 'workloads', 'services']) {
      const result = await visit(`/${kind}?namespaces=${NS}`, '[data-testid="entity-link"]');
      const names = await titles(page, '.vtable');
      // Every hostile name is listed, whole in its tooltip (control and bidi characters written out).
      for (const n of HOSTILE_WORKLOADS) expect(names.includes(visible(n)), `${kind}: ${visible(n).slice(0, 40)}`).toBe(true);
      expect(result.longTexts, `${kind}: the 10,000-character name`).toBeGreaterThan(0);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: `${SHOTS}workloads-1440-light.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    // The bidi override is shown written out, not applied.
    expect(await page.getByTestId('entity-link').filter({ hasText: 'invoice\\u202etxt.exe' }).count()).toBe(1);
  });

  it('the detail pages of every hostile workload, with every tab of the worst ones', { timeout: 300_000 }, async () => {
    const enc = encodeURIComponent;
    for (const name of HOSTILE_WORKLOADS) {
      const tabs = name === LONG_NAME || name === IMG || name === BIDI ? ['overview', 'traffic', 'inbound', 'outbound', 'logs', 'config'] : ['overview'];
      for (const tab of tabs) {
        await page.goto(`${server.url}/namespaces/${NS}/workloads/${enc(name)}?tab=${tab}&namespaces=${NS}`);
        await page.waitForSelector('[data-testid="detail-name"]');
        // The server's API refuses names Kubernetes would refuse (a 400, or 414 for the long one): the page says so.
        await page.waitForSelector('[role="tabpanel"], [data-testid="detail-error"]', { timeout: 30_000 });
        await page.waitForTimeout(tab === 'overview' ? 800 : 400);
        await check(page, `workload ${visible(name).slice(0, 30)} ${tab}`);
        expect(await page.getByTestId('detail-name').getAttribute('title')).toBe(visible(name));
      }
    }
    await page.goto(`${server.url}/namespaces/${NS}/workloads/${enc(LONG_NAME)}?tab=overview&namespaces=${NS}`);
    await page.waitForSelector('[data-testid="detail-name"]');
    const title = await page.getByTestId('detail-name').boundingBox();
    // Two lines of the name at most, not 10,000 characters' worth.
    expect(title!.height).toBeLessThan(60);
    await page.screenshot({ path: `${SHOTS}workload-long-1280-light.png` });
    for (const [kind, name] of [['services', LONG_NAME], ['services', IMG], ['services', 'frontend'], ['applications', SVG], ['applications', BIDI]] as const) {
      for (const tab of ['overview', 'traffic', 'config']) {
        await page.goto(`${server.url}/namespaces/${NS}/${kind}/${enc(name)}?tab=${tab}&namespaces=${NS}`);
        await page.waitForSelector('[data-testid="detail-name"]');
        await page.waitForSelector('[role="tabpanel"], [data-testid="detail-error"]', { timeout: 30_000 });
        await check(page, `${kind} ${visible(name).slice(0, 30)} ${tab}`);
      }
    }
    await page.goto(`${server.url}/namespaces/${NS}/workloads/frontend-v1?tab=overview&namespaces=${NS}`);
    await page.waitForSelector('[data-testid="detail-name"]');
    await page.waitForTimeout(800);
    await check(page, 'frontend-v1 overview');
  });

  it('the Config list and the object pages (YAML and findings)', { timeout: 180_000 }, async () => {
    await visit(`/config?namespaces=${NS}`, '[data-testid="config-row"]');
    await page.screenshot({ path: `${SHOTS}config-1280-light.png` });
    const objects: Array<[string, string]> = [
      ['VirtualService', 'frontend'], ['VirtualService', 'legacy-routes'], ['DestinationRule', IMG], ['DestinationRule', 'frontend'],
      ['ServiceEntry', 'external-long'], ['ServiceEntry', JS], ['AuthorizationPolicy', SVG], ['AuthorizationPolicy', 'frontend-allow'], ['Gateway', 'public-gateway'],
    ];
    for (const [kind, name] of objects) {
      await visit(`/config/${kind}/${NS}/${encodeURIComponent(name)}?namespaces=${NS}`, '.cm-editor .cm-content', `${kind} ${visible(name).slice(0, 30)}`);
      expect(await page.getByTestId('object-name').getAttribute('title')).toBe(visible(`${NS}/${name}`));
    }
    await page.goto(`${server.url}/config/VirtualService/${NS}/frontend?namespaces=${NS}`);
    await page.waitForSelector('.cm-editor .cm-content');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: `${SHOTS}config-object-1440-light.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the graph: every hostile node and edge in the side panel and the tooltip, find and hide', { timeout: 300_000 }, async () => {
    for (const graphType of ['workload', 'versionedApp', 'service']) {
      await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=${graphType}&refresh=0`);
      await waitForGraph(page);
      await check(page, `graph ${graphType}`);
    }
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0&edgeLabels=requestRate`);
    await waitForGraph(page);
    // The canvas label is capped: the picture does not grow 10,000 characters wide.
    const labels: string[] = await page.evaluate(() => (window as any).__meshlensCy.nodes().map((n: any) => String(n.data('mlLabel'))));
    expect(Math.max(...labels.flatMap((l) => l.split('\n')).map((l) => [...l].length))).toBeLessThanOrEqual(48);
    const bb = await page.evaluate(() => (window as any).__meshlensCy.elements().boundingBox());
    expect(bb.w).toBeLessThan(3000);
    const ids: Array<{ id: string; node: boolean }> = await page.evaluate(() =>
      (window as any).__meshlensCy.elements().filter((e: any) => !e.data('isBox')).map((e: any) => ({ id: e.id(), node: e.isNode() })));
    expect(ids.filter((e) => e.node).length).toBeGreaterThanOrEqual(12);
    for (const { id, node } of ids) {
      // Select as a person would: a click on the node, or on the middle of the edge; the URL's focus follows.
      const at = await page.evaluate(([eid, isNode]) => {
        const cy = (window as any).__meshlensCy;
        const el = cy.$id(eid);
        const p = isNode ? el.renderedPosition() : el.renderedMidpoint();
        const rect = cy.container().getBoundingClientRect();
        return { x: rect.left + p.x, y: rect.top + p.y };
      }, [id, node] as const);
      await page.mouse.click(at.x, at.y);
      const selected = await page.waitForFunction((eid) => new URL(location.href).searchParams.get('focus') === eid, id, { timeout: 3_000 }).then(() => true, () => false);
      if (!selected) {
        // Overlapping elements: open the selection from the URL instead.
        await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0&edgeLabels=requestRate&focus=${encodeURIComponent(id)}`);
        await waitForGraph(page);
      }
      await page.waitForSelector('[data-testid="side-panel"] .panel-title');
      await check(page, `panel ${id.slice(0, 60)}`, { axe: node && /img|long/.test(id) });
      await page.keyboard.press('Escape');
    }
    // Hover tooltips over each node of the whole graph (one page, no navigation between).
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0`);
    await waitForGraph(page);
    let tips = 0;
    for (const { id } of ids.filter((e) => e.node)) {
      const at = await page.evaluate((eid) => {
        const cy = (window as any).__meshlensCy;
        const p = cy.$id(eid).renderedPosition();
        const rect = cy.container().getBoundingClientRect();
        return { x: rect.left + p.x, y: rect.top + p.y };
      }, id);
      await page.mouse.move(at.x, at.y);
      const tip = page.getByTestId('graph-tooltip');
      if (await tip.isVisible().catch(() => false)) {
        tips++;
        const box = (await tip.boundingBox())!;
        expect(box.height, `tooltip of ${id.slice(0, 40)}`).toBeLessThan(200);
        await check(page, `tooltip ${id.slice(0, 40)}`, { axe: false });
      }
    }
    expect(tips).toBeGreaterThan(0);
    // Find and hide with hostile strings (URL state, as a bookmark would carry them).
    for (const [param, text] of [['find', IMG], ['find', BIDI], ['hide', SVG], ['find', LONG_NAME.slice(0, 300)], ['hide', TPL]] as const) {
      await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0&${param}=${encodeURIComponent(text)}`);
      await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
      await check(page, `${param} ${visible(text).slice(0, 30)}`, { axe: false });
    }
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0&focus=${encodeURIComponent(ids.find((e) => e.node && e.id.includes('long'))!.id)}`);
    await waitForGraph(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SHOTS}graph-long-panel-1440-light.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the trace page, from a hostile workload and to a hostile host', { timeout: 120_000 }, async () => {
    const enc = encodeURIComponent;
    for (const [from, url] of [
      [`${NS}/loadgen`, 'http://frontend:8080/'],
      [`${NS}/frontend-v1`, `http://${IMG}.example.com/`],
      [`${NS}/frontend-v1`, `http://${LONG_HOST}/`],
      [`${NS}/${SVG}`, `http://${BIDI}.example.net/${ANSI}`],
      [`${NS}/${LONG_NAME}`, `https://${JS}/`],
    ] as const) {
      await page.goto(`${server.url}/trace?namespaces=${NS}&from=${enc(from)}&url=${enc(url)}`);
      await page.waitForSelector('main', { timeout: 30_000 });
      await page.waitForTimeout(1500);
      await check(page, `trace ${visible(from).slice(0, 30)} ${visible(url).slice(0, 40)}`);
    }
    await page.goto(`${server.url}/trace?namespaces=${NS}&from=${enc(`${NS}/loadgen`)}&url=${enc('http://frontend:8080/')}`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${SHOTS}trace-1280-light.png` });
  });

  it('exports PNG, SVG, CSV and DOT with the hostile strings escaped', async () => {
    await page.goto(`${server.url}/graph?namespaces=${NS}&graphType=workload&refresh=0&edgeLabels=requestRate`);
    await waitForGraph(page);
    await page.getByTestId('export-toggle').click();
    const download = async (testId: string): Promise<Buffer> => {
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(testId).click()]);
      const data = readFileSync((await file.path())!);
      writeFileSync(`${SHOTS}export-${file.suggestedFilename()}`, data);
      return data;
    };
    const png = await download('export-png');
    expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    // The canvas labels are capped, so the picture (caption included) keeps a sane width.
    expect(png.readUInt32BE(16)).toBeLessThan(6000);

    const svg = (await download('export-svg')).toString('utf8');
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
      const all = [...doc.querySelectorAll('*')];
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        scripts: doc.querySelectorAll('script, foreignObject, iframe').length,
        handlers: all.flatMap((el) => el.getAttributeNames().filter((a) => /^on/i.test(a))),
        hrefs: all.flatMap((el) => ['href', 'xlink:href'].map((a) => el.getAttribute(a)).filter((v): v is string => v !== null)),
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
      };
    }, svg);
    expect({ ...parsed, texts: undefined }).toEqual({ error: null, scripts: 0, handlers: [], hrefs: [], texts: undefined });
    const texts = parsed.texts.join('\n');
    expect(texts).toContain(IMG.slice(0, 30));
    expect(texts).toContain(visible(BIDI));
    expect(texts).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/);
    // Escaped in the source: no raw markup from a label.
    expect(svg).toContain('&lt;img src=x onerror=window.__pwned=1&gt;');
    expect(svg).not.toContain('<img');
    expect(svg).not.toMatch(/<svg onload/i);

    const csv = (await download('export-csv')).toString('utf8');
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['source', 'target', 'source_namespace', 'target_namespace', 'protocol', 'rate', 'rate_unit', 'error_percent', 'p50_ms', 'p95_ms', 'p99_ms', 'health', 'flags', 'reporter']);
    expect(rows.every((r) => r.length === 14)).toBe(true);
    const cells = rows.flat();
    // No cell a spreadsheet would run as a formula (numbers aside: a negative number is a number).
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c))).toEqual([]);
    const targets = rows.slice(1).map((r) => r[1]!);
    expect(targets).toContain(`'${CSV}`);
    expect(targets).toContain(IMG);
    expect(targets).toContain(SVG);
    expect(targets).toContain(LONG_NAME);
    expect(targets).toContain(ANSI);

    const dot = (await download('export-dot')).toString('utf8');
    expect(dotProblems(dot)).toEqual([]);
    expect(dot).toContain(`label="\\"><svg onload=window.__pwned=1>"`);
    expect(dot).toContain(`"${LONG_NAME}"`);
    await page.screenshot({ path: `${SHOTS}export-menu-1280-light.png` });
    await check(page, 'export menu open');
  });

  it('light at 1440×900 and dark at 1280×800 screenshots hold the layout', { timeout: 180_000 }, async () => {
    const enc = encodeURIComponent;
    const views: Array<[string, string, string]> = [
      ['workloads', `/workloads?namespaces=${NS}`, '[data-testid="entity-link"]'],
      ['workload-long', `/namespaces/${NS}/workloads/${enc(LONG_NAME)}?namespaces=${NS}`, '[data-testid="detail-name"]'],
      ['workload-bidi', `/namespaces/${NS}/workloads/${enc(BIDI)}?namespaces=${NS}`, '[data-testid="detail-name"]'],
      ['config', `/config?namespaces=${NS}`, '[data-testid="config-row"]'],
      ['config-vs', `/config/VirtualService/${NS}/frontend?namespaces=${NS}`, '.cm-editor .cm-content'],
      ['graph', `/graph?namespaces=${NS}&graphType=workload&refresh=0`, '[data-testid="graph"][data-layout-done="true"]'],
    ];
    for (const [scheme, viewport] of [['light', { width: 1440, height: 900 }], ['dark', { width: 1280, height: 800 }]] as const) {
      const ctx = await newContext(viewport, scheme);
      const p = await newPage(ctx);
      for (const [name, path, selector] of views) {
        await p.goto(`${server.url}${path}`);
        await p.waitForSelector(selector, { timeout: 30_000 });
        await p.waitForTimeout(800);
        await p.screenshot({ path: `${SHOTS}${name}-${viewport.width}-${scheme}.png` });
        await check(p, `${name} ${scheme} ${viewport.width}`);
      }
      await ctx.close();
    }
  });
});

/** RFC 4180: quoted cells with doubled quotes, CRLF rows; throws on a malformed file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted cell at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') { i++; continue; }
    if (text.startsWith('\r\n', i)) { i += 2; rows.push(row); row = []; continue; }
    if (i >= text.length) { rows.push(row); break; }
    throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

/**
 * A parse check of the DOT file (graphviz is not installed): every statement on its own line, every string closed
 * on its line with escaped quotes and backslashes, braces balanced, identifiers either quoted or plain words.
 */
function dotProblems(dot: string): string[] {
  const problems: string[] = [];
  const lines = dot.trimEnd().split('\n');
  if (lines[0] !== 'digraph meshlens {') problems.push(`first line ${lines[0]}`);
  if (lines.at(-1) !== '}') problems.push(`last line ${lines.at(-1)}`);
  let depth = 0;
  lines.forEach((line, n) => {
    // Tokens: a quoted string ("…" with \" and \\ escapes), a word, or punctuation.
    const token = /\s*("(?:[^"\\\r\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|-?\d+(?:\.\d+)?|->|[{}[\];,=])/y;
    let at = 0;
    while (at < line.length) {
      token.lastIndex = at;
      const m = token.exec(line);
      if (!m) {
        if (line.slice(at).trim() === '') break;
        problems.push(`line ${n + 1}: cannot read ${JSON.stringify(line.slice(at, at + 40))}`);
        return;
      }
      if (m[1] === '{') depth++;
      if (m[1] === '}') depth--;
      at = token.lastIndex;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f]/.test(line)) problems.push(`line ${n + 1}: raw control character`);
  });
  if (depth !== 0) problems.push(`braces unbalanced by ${depth}`);
  return problems;
}

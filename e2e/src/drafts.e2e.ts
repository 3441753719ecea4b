/**
 * What-if drafts in a real browser on the demo mesh: seed 001's three fixes written as drafts (the DestinationRule
 * and VirtualService edited on their pages, a new ServiceEntry from the Config page) remove its findings, send the
 * traced request through the egress gateway, download as a change set that `meshlens validate --with` finds clean,
 * and never make the browser send anything but GETs to the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, REPO_ROOT, screenshot, startServer, type RunningServer } from './harness.js';

const FIXES = readFileSync(join(REPO_ROOT, 'packages/mesh/src/drafts.seed-001-fixes.yaml'), 'utf8');
const docs = FIXES.split(/^---$/m).map((d) => `${d.replace(/^(#.*\n)+/, '').trim()}\n`);
const [SERVICE_ENTRY, DESTINATION_RULE, VIRTUAL_SERVICE] = docs as [string, string, string];

async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="draft-editor"] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** `code object` of a findings list once the check after the last edit has answered. */
async function listed(page: Page, testId: string): Promise<string[]> {
  await page.waitForSelector('[data-testid="draft-status"][data-checking="false"]');
  return page.$$eval(`[data-testid="${testId}-item"]`, (items) => items.map((i) => `${(i as HTMLElement).dataset.code} ${(i as HTMLElement).dataset.object}`));
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('what-if drafts on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const methods: string[] = [];

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    page.on('request', (r) => { if (r.url().startsWith(server.url)) methods.push(`${r.method()} ${new URL(r.url()).pathname}`); });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('edits the DestinationRule as a draft: subset wildcard selecting the egress gateway removes KIA0203, checked as you type', async () => {
    await page.goto(`${server.url}/config/DestinationRule/istio-system/egressgateway`);
    await page.getByTestId('edit-as-draft').click();
    await page.waitForSelector('[data-testid="draft-editor"] .cm-content');
    // a parse error is told with its line
    await replaceEditorText(page, 'apiVersion: v1\nkind: [\n');
    await page.waitForSelector('[data-testid="draft-parse-error"]');
    expect(await page.getByTestId('draft-parse-error').first().getAttribute('data-line')).toMatch(/^[23]$/);
    await replaceEditorText(page, DESTINATION_RULE);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="removed-findings-item"]').length > 0);
    expect(await listed(page, 'removed-findings')).toEqual(['KIA0203 DestinationRule istio-system/egressgateway']);
    expect(await listed(page, 'added-findings')).toEqual([]);
    expect(await page.getByTestId('drafts-count').textContent()).toBe('1');
  });

  it('the editor page passes an axe scan (light and dark), and is screenshotted at 1440×900 and 1280×800', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drafts-editor-1440-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'dark'); });
    await page.reload();
    await page.getByTestId('edit-as-draft').click();
    await page.waitForSelector('[data-testid="draft-status"][data-checking="false"]');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drafts-editor-1440-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'drafts-editor-1280-dark');
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'light'); });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await page.getByTestId('edit-as-draft').click();
    await page.waitForSelector('[data-testid="draft-status"][data-checking="false"]');
    await screenshot(page, 'drafts-editor-1280-light');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('edits VirtualService eg1 (a tls rule at the egress gateway) and adds a ServiceEntry from the Config page: the seed-001 findings are gone', async () => {
    await page.goto(`${server.url}/config/VirtualService/istio-system/eg1`);
    await page.getByTestId('edit-as-draft').click();
    await replaceEditorText(page, VIRTUAL_SERVICE);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="removed-findings-item"]').length >= 2);
    await page.goto(`${server.url}/config`);
    await page.getByTestId('config-new-draft').click();
    await page.waitForSelector('[data-testid="draft-dialog"] [data-testid="draft-editor"] .cm-content');
    await replaceEditorText(page, SERVICE_ENTRY);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="removed-findings-item"]').length >= 3);
    expect((await listed(page, 'removed-findings')).sort()).toEqual([
      'KIA0203 DestinationRule istio-system/egressgateway',
      'MLS1001 VirtualService istio-system/eg1',
      'MLS1002 VirtualService istio-system/eg1',
    ]);
    expect(await listed(page, 'added-findings')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drafts-dialog-1440-light');
    await page.getByTestId('draft-close').click();
    expect(await page.getByTestId('drafts-count').textContent()).toBe('3');
    await page.getByTestId('drafts-toggle').click();
    expect(await page.getByTestId('drafts-item').allTextContents()).toEqual([
      expect.stringContaining('DestinationRule istio-system/egressgateway'),
      expect.stringContaining('VirtualService istio-system/eg1'),
      expect.stringContaining('ServiceEntry istio-system/wikipedia'),
    ]);
    await screenshot(page, 'drafts-menu-1440-light');
  });

  it('the trace of default/pod1 → https://en.wikipedia.org goes through the egress gateway with the drafts (now: PassthroughCluster)', async () => {
    await page.keyboard.press('Escape');
    await page.goto(`${server.url}/trace?from=default/pod1&url=https://en.wikipedia.org`);
    await page.waitForSelector('[data-testid="trace-drafted-path"]', { timeout: 30_000 });
    const hops = (id: string) => page.$$eval(`[data-testid="${id}-hop"]`, (li) => li.map((l) => `${(l as HTMLElement).dataset.to}: ${l.textContent}`));
    expect(await hops('trace-now')).toEqual(['passthrough: default/pod1 → PassthroughCluster → en.wikipedia.org:443']);
    expect(await hops('trace-drafted')).toEqual([
      'service: default/pod1 → service istio-egressgateway.istio-system.svc.cluster.local:443 (subset wildcard)',
      'gateway: service istio-egressgateway.istio-system.svc.cluster.local:443 (subset wildcard) → gateway istio-system/istio-egressgateway:443',
      'serviceEntry: gateway istio-system/istio-egressgateway:443 → ServiceEntry istio-system/wikipedia (en.wikipedia.org:443)',
      'external: ServiceEntry istio-system/wikipedia (en.wikipedia.org:443) → en.wikipedia.org:443 (external)',
    ]);
    expect(await page.getByTestId('trace-drafted-path').getAttribute('data-outcome')).toBe('delivered');
    await screenshot(page, 'drafts-trace-1440-light');
  });

  it('the downloaded change set re-validates clean for the seed-001 codes with meshlens validate --with', async () => {
    await page.getByTestId('drafts-toggle').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('drafts-download').click()]);
    expect(download.suggestedFilename()).toBe('changes.yaml');
    const file = join(mkdtempSync(join(tmpdir(), 'meshlens-drafts-')), 'changes.yaml');
    await download.saveAs(file);
    const run = (...extra: string[]) => {
      try {
        return execFileSync(process.execPath, [join(REPO_ROOT, 'apps/server/bin/meshlens.js'), 'validate', '-f', 'packages/demo/scenarios', '-o', 'json', ...extra], { cwd: REPO_ROOT, encoding: 'utf8' });
      } catch (e) {
        return (e as { stdout: string }).stdout; // exit 1: other demo findings remain
      }
    };
    const seed = (out: string) => (JSON.parse(out) as { findings: Array<{ code: string; aliases?: string[]; object: { namespace?: string } }> }).findings
      .filter((f) => f.object.namespace === 'istio-system' && [f.code, ...(f.aliases ?? [])].some((c) => ['MLS1001', 'MLS1002', 'MLS1003', 'MLS1004', 'KIA0203'].includes(c)))
      .map((f) => f.code);
    expect(seed(run())).toEqual(['MLS1001', 'MLS1002', 'KIA0203']);
    expect(seed(run('--with', file))).toEqual([]);
  });

  it('copies the change set as a kubectl apply -f - command, and as a link that opens it in another browser', async () => {
    await page.goto(`${server.url}/config`);
    await page.getByTestId('drafts-toggle').click();
    await page.getByTestId('drafts-copy-kubectl').click();
    await page.waitForSelector('[data-testid="drafts-note"]');
    const command = await page.evaluate(() => navigator.clipboard.readText());
    expect(command.startsWith("kubectl apply -f - <<'MESHLENS_DRAFTS'\napiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule")).toBe(true);
    expect(command.endsWith('\nMESHLENS_DRAFTS\n')).toBe(true);
    await page.getByTestId('drafts-toggle').click();
    await page.getByTestId('drafts-share').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="drafts-note"]')?.textContent?.includes('Copied a link'));
    const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('meshlens-drafts') ?? '[]') as Array<{ text: string }>);
    // the link's drafts= is the change set, deflated and base64url-encoded, which a script can make too
    const made = deflateRawSync(Buffer.from(JSON.stringify(stored.map((d: any) => ({ t: d.text, ...(d.base ? { b: d.base } : {}) }))))).toString('base64url');
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fresh = await other.newPage();
    fresh.on('request', (r) => { if (r.url().startsWith(server.url)) methods.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    await fresh.goto(`${server.url}/trace?from=default/pod1&url=https://en.wikipedia.org&drafts=${made}`);
    await fresh.waitForFunction(() => document.querySelector('[data-testid="drafts-count"]')?.textContent === '3');
    expect(new URL(fresh.url()).searchParams.get('drafts')).toBeNull();
    await fresh.waitForSelector('[data-testid="trace-drafted-path"][data-outcome="delivered"]', { timeout: 30_000 });
    expect(link.searchParams.get('drafts')).toBeTruthy();
    await other.close();
  });

  it('reviews the change set as a diff against the live objects', async () => {
    await page.goto(`${server.url}/config`);
    await page.getByTestId('drafts-toggle').click();
    await page.getByTestId('drafts-review').click();
    const diff = await page.getByTestId('draft-diff').textContent();
    expect(diff).toContain('-       version: v1');
    expect(diff).toContain('+       istio: egressgateway');
    expect(diff).toContain('ServiceEntry istio-system/wikipedia (new)');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drafts-review-1440-light');
    await page.getByTestId('draft-review-close').click();
  });

  it('the header menu, dark, at 1280×800', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'dark'); });
    await page.reload();
    await page.getByTestId('drafts-toggle').click();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'drafts-menu-1280-dark');
    await page.keyboard.press('Escape');
    await page.evaluate(() => { localStorage.setItem('meshlens-theme', 'light'); });
  });

  it('the browser only ever sent GETs to the server: nothing was applied', () => {
    expect(methods.length).toBeGreaterThan(0);
    expect(methods.filter((m) => !m.startsWith('GET '))).toEqual([]);
  });
});

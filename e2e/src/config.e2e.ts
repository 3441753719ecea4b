/**
 * Config health in a real browser on the demo mesh: seed 001's objects show their YAML with a marker at each
 * finding's line, the Config list filters by severity, the graph keeps only nodes with findings, and both
 * pages pass an axe scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

interface Marker { line: number; severity: string; codes: string; title: string; lineText: string }

/** The gutter markers of the YAML view, each with the text of the editor line it sits on. */
async function markers(page: Page): Promise<Marker[]> {
  await page.waitForSelector('.cm-finding-marker', { timeout: 30_000 });
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent ?? '');
    return [...document.querySelectorAll<HTMLElement>('.cm-finding-marker')].map((m) => ({
      line: Number(m.dataset.line),
      severity: m.dataset.severity ?? '',
      codes: m.dataset.codes ?? '',
      title: m.title,
      lineText: lines[Number(m.dataset.line) - 1] ?? '',
    }));
  });
}

async function findingCards(page: Page): Promise<Array<{ code: string; line: string; text: string }>> {
  return page.$$eval('[data-testid="finding"]', (cards) => cards.map((c) => ({ code: (c as HTMLElement).dataset.code ?? '', line: (c as HTMLElement).dataset.line ?? '', text: c.textContent ?? '' })));
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('config health pages on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows VirtualService eg1 with a marker at each finding line and the findings explained', async () => {
    await page.goto(`${server.url}/config/VirtualService/istio-system/eg1`);
    expect(await markers(page)).toEqual([
      { line: 8, severity: 'error', codes: 'MLS1001', title: expect.stringMatching(/^Error MLS1001: No Service or ServiceEntry defines \*\.wikipedia\.org/), lineText: '  - "*.wikipedia.org"' },
      // the dead end at the egress gateway is told once: MLS1002, with MLS1003 as its alias
      { line: 11, severity: 'error', codes: 'MLS1002', title: expect.stringMatching(/^Error MLS1002: This VirtualService binds gateway istio-system\/egressgateway.*\(MLS1003\)\.$/s), lineText: '  - egressgateway' },
    ]);
    const cards = await findingCards(page);
    expect(cards.map((c) => `${c.code}@${c.line}`)).toEqual(['MLS1001@8', 'MLS1002@11']);
    expect(cards[0]!.text).toContain('PassthroughCluster');
    expect(cards[0]!.text).toContain('from default/pod1 (the likely client');
    expect(cards[0]!.text).toContain('Create a ServiceEntry for *.wikipedia.org');
    expect(cards[1]!.text).toContain('spec.gateways[1]');
    expect(await page.textContent('[data-testid="finding"][data-code="MLS1002"] [data-testid="finding-aliases"]')).toBe('also MLS1003');
    expect(await page.textContent('[data-testid="object-counts"]')).toContain('2');
    expect(await page.$$eval('[data-testid="references"] a', (as) => as.map((a) => a.textContent))).toEqual([
      'Gateway istio-system/egressgateway', 'Service istio-system/istio-egressgateway', 'DestinationRule istio-system/egressgateway',
    ]);
    await screenshot(page, 'config-object-eg1');
    // the "line" button of a finding puts the line in the URL and outlines it in the editor
    await page.click('[data-testid="finding"][data-code="MLS1002"] button');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('line') === '11');
    expect(await page.$$eval('.cm-finding-line-focus', (ls) => ls.map((l) => l.textContent))).toEqual(['  - egressgateway']);
  });

  it('follows a reference to the DestinationRule, whose subset finding is told once on the labels line', async () => {
    // (the name sits in a <bdi> inside the link: matched by the link's accessible name)
    await page.getByTestId('references').getByRole('link', { name: 'DestinationRule istio-system/egressgateway', exact: true }).click();
    await page.waitForURL(/\/config\/DestinationRule\/istio-system\/egressgateway/);
    await page.waitForSelector('#object-title:has-text("istio-system/egressgateway")');
    const found = await markers(page);
    expect(found.map((m) => ({ line: m.line, severity: m.severity, codes: m.codes, lineText: m.lineText }))).toEqual([
      { line: 10, severity: 'error', codes: 'KIA0203', lineText: '    labels:' },
    ]);
    expect(found[0]!.title).toMatch(/^Error KIA0203 \(IST0173\): Subset "wildcard" selects version=v1/);
    expect(found[0]!.title).toContain('default/pod1 (set on the pod by hand) carries version=v1');
    expect(found[0]!.title).toContain('(MLS1004).');
    const cards = await findingCards(page);
    expect(cards.map((c) => `${c.code}@${c.line}`)).toEqual(['KIA0203@10']);
    expect(cards[0]!.text).toContain('also MLS1004');
    expect(cards[0]!.text).toContain('carries version=v1');
    expect(cards[0]!.text).not.toContain('more');
    expect(await page.$$eval('[data-testid="finding"][data-code="KIA0203"] .finding-refs a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['/config/Service/istio-system/istio-egressgateway', '/config/Pod/default/pod1']);
    expect(await page.$$eval('[data-testid="referenced-by"] a', (as) => as.map((a) => a.textContent))).toEqual(['VirtualService istio-system/eg1']);
    // Back returns to eg1
    await page.goBack();
    await page.waitForSelector('#object-title:has-text("istio-system/eg1")');
    await screenshot(page, 'config-object-dr');
  });

  it("shows on Pod default/pod1's page the findings of other objects that involve it, and where", async () => {
    await page.goto(`${server.url}/config/DestinationRule/istio-system/egressgateway`);
    await page.locator('[data-testid="finding"][data-code="KIA0203"] .finding-refs').getByRole('link', { name: 'Pod default/pod1', exact: true }).click();
    await page.waitForURL(/\/config\/Pod\/default\/pod1/);
    await page.waitForSelector('[data-testid="involving"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="no-findings"]')).toBe('No findings on this object itself, but 2 findings of other objects involve it (below).');
    const involving = await page.$$eval('[data-testid="involving"] [data-testid="finding"]', (cards) => cards.map((c) => ({
      code: (c as HTMLElement).dataset.code,
      involvement: c.querySelector('[data-testid="involvement"]')?.textContent,
      owner: c.querySelector('[data-testid="involving-object"]')?.getAttribute('href'),
    })));
    expect(involving).toEqual([
      { code: 'MLS1001', involvement: expect.stringMatching(/^Involves this object — the client traced/), owner: '/config/VirtualService/istio-system/eg1' },
      { code: 'KIA0203', involvement: expect.stringMatching(/^Involves this object at metadata\.labels line 7 — carries version=v1 \(set on the pod itself\)\. Finding of DestinationRule istio-system\/egressgateway$/), owner: '/config/DestinationRule/istio-system/egressgateway' },
    ]);
    // "line 7" outlines the pod's labels in its YAML
    await page.click('[data-testid="involving"] [data-code="KIA0203"] [data-testid="involvement"] button');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('line') === '7');
    expect(await page.$$eval('.cm-finding-line-focus', (ls) => ls.map((l) => l.textContent))).toEqual(['  labels:']);
    await screenshot(page, 'config-object-pod1-involved');
  });

  it('says what to do for an object that does not exist', async () => {
    await page.goto(`${server.url}/config/VirtualService/istio-system/nope`);
    const banner = await page.waitForSelector('[data-testid="object-error"]', { timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/Not found\. .*No VirtualService istio-system\/nope in the inventory.*Back to the Config list/);
  });

  it('lists the objects of istio-system and filters them by severity, in the URL', async () => {
    await page.goto(`${server.url}/config?namespaces=istio-system`);
    await page.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    const rows = () => page.$$eval('[data-testid="config-row"]', (trs) => trs.map((tr) => `${(tr as HTMLElement).dataset.severity} ${(tr as HTMLElement).dataset.kind} ${tr.querySelector('a')?.textContent}`));
    // worst first, then by namespace, kind and name
    expect(await rows()).toEqual([
      'error DestinationRule egressgateway',
      'error VirtualService eg1',
      'warning Deployment istio-egressgateway',
      'warning Service istio-egressgateway',
      'ok Gateway egressgateway',
    ]);
    // one per problem: KIA0203+MLS1004 and MLS1002+MLS1003 count once each
    expect(await page.getAttribute('[data-testid="config-summary"]', 'aria-label')).toBe('3 errors, 4 warnings');
    await page.selectOption('[data-testid="config-severity"]', 'error');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('severity') === 'error');
    expect(await rows()).toEqual(['error DestinationRule egressgateway', 'error VirtualService eg1']);
    expect(await page.textContent('[data-testid="config-count"]')).toBe('2 of 5 objects · 3 errors, 0 warnings, 0 info');
    await screenshot(page, 'config-list-errors');
    await page.reload();
    await page.waitForSelector('[data-testid="config-row"]');
    expect(await rows()).toEqual(['error DestinationRule egressgateway', 'error VirtualService eg1']);
    await page.fill('[data-testid="config-text"]', 'eg1');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="config-row"]').length === 1);
    await page.click('[data-testid="config-row"] a');
    await page.waitForURL(/\/config\/VirtualService\/istio-system\/eg1\?namespaces=istio-system/);
    await page.waitForSelector('.cm-finding-marker');
  });

  it('keeps only the graph nodes with findings, marked, when asked', async () => {
    await page.goto(`${server.url}/graph?namespaces=default,istio-system&graphType=workload&idle=true`);
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
    await page.waitForFunction(() => ((window as any).__meshlensCy?.nodes('.config-error').length ?? 0) > 0, undefined, { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="config-badge"] .severity-counts', 'aria-label')).toBe('3 errors, 4 warnings');
    const before = await page.evaluate(() => (window as any).__meshlensCy.nodes().filter((n: any) => !n.data('isBox')).length);
    await page.check('[data-testid="findings-only"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('findings') === 'only');
    await page.waitForFunction((n) => (window as any).__meshlensCy.nodes().filter((x: any) => !x.data('isBox')).length < n, before, { timeout: 30_000 });
    const nodes = await page.evaluate(() =>
      (window as any).__meshlensCy.nodes().filter((n: any) => !n.data('isBox')).map((n: any) => `${n.id()} ${['config-error', 'config-warning', 'config-info'].filter((c) => n.hasClass(c)).join(',')} ${n.data('mlConfig').codes.join(',')}`).sort(),
    );
    // pod1 is the client MLS1001 traces from and carries the subset's labels (KIA0203, telling MLS1004); the egress
    // gateway carries VirtualService eg1 (MLS1001, MLS1002 telling MLS1003) and its hand-made Deployment shadows the
    // installed one (MLS0000, MLS1005)
    expect(nodes).toEqual(['wl:default:pod1 config-error MLS1001,KIA0203', 'wl:istio-system:istio-egressgateway config-error MLS1001,MLS1002,MLS0000,MLS1005']);
    await screenshot(page, 'graph-findings-only');
    // the Config link of the toolbar opens the Config page on the same namespaces
    await page.click('[data-testid="config-badge"]');
    await page.waitForURL(/\/config\?namespaces=default,istio-system/);
    await page.waitForSelector('[data-testid="config-row"]');
  });

  it('passes an axe scan on the Config page and on an object page', async () => {
    const scan = await context.newPage();
    await scan.goto(`${server.url}/config?namespaces=istio-system`);
    await scan.waitForSelector('[data-testid="config-row"]', { timeout: 30_000 });
    expect(await seriousViolations(scan)).toEqual([]);
    await scan.goto(`${server.url}/config/DestinationRule/istio-system/egressgateway`);
    await scan.waitForSelector('.cm-finding-marker', { timeout: 30_000 });
    expect(await seriousViolations(scan)).toEqual([]);
    await scan.close();
  });
});

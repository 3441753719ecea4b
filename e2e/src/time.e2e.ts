/**
 * Time in a real browser on the demo mesh: durations from the server, the graph at a past moment, a replay
 * link that reopens paused on its frame and plays on, and uPlot charts of the selected edge in the side panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { TimeOptionsResponse } from '@meshlens/model';
import { clickEdge, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const NS = 'bookinfo-routing';
const VIEW = `/graph?namespaces=${NS}&graphType=versionedApp&edgeLabels=requestRate`;

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

/** Edge request rates by "source -> target" label, as drawn. */
async function edgeRates(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    const out: Record<string, number> = {};
    for (const e of cy.edges()) {
      const traffic = e.data('traffic');
      if (traffic?.protocol === 'http') out[`${e.source().data('label') ?? e.source().id()} -> ${e.target().data('label') ?? e.target().id()}`] = traffic.rates.http ?? 0;
    }
    return out;
  });
}

async function nodePositions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    const out: Record<string, { x: number; y: number }> = {};
    for (const n of cy.nodes()) if (!n.data('isBox')) out[n.id()] = { x: Math.round(n.position('x')), y: Math.round(n.position('y')) };
    return out;
  });
}

function param(page: Page, name: string): string | null {
  return new URL(page.url()).searchParams.get(name);
}

describe('time on the demo mesh', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let options: TimeOptionsResponse;
  const graphRequests: string[] = [];

  beforeAll(async () => {
    server = await startServer(['serve', '--demo']);
    options = (await (await fetch(`${server.url}/api/time-options`)).json()) as TimeOptionsResponse;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('request', (r) => {
      if (r.url().includes('/api/graph?')) graphRequests.push(r.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('offers the durations the server allows, with its default selected', async () => {
    await page.goto(`${server.url}${VIEW}`);
    await waitForGraph(page);
    const select = page.getByTestId('duration');
    await expect.poll(async () => select.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value))), { timeout: 10_000 })
      .toEqual(options.durations.map((d) => d.seconds));
    expect(await select.locator('option').allInnerTexts()).toEqual(options.durations.map((d) => `Last ${d.label}`));
    expect(Number(await select.inputValue())).toBe(options.defaultDuration);
    // The demo offers windows the built-in list never had.
    expect(options.durations.map((d) => d.label)).toContain('30d');
    expect(await page.getByTestId('time-live').getAttribute('aria-pressed')).toBe('true');
  });

  it('shows the graph at a past moment: other rates, queryTime in the URL and in the request, refresh off', async () => {
    const liveRates = await edgeRates(page);
    expect(Object.keys(liveRates)).toContain('productpage v1 -> reviews v2');
    const before = Math.floor(Date.now() / 1000);
    graphRequests.length = 0;
    await page.getByTestId('time-back').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('queryTime'));
    const queryTime = Number(param(page, 'queryTime'));
    // one 10 minute window before the server's now
    expect(queryTime).toBeGreaterThanOrEqual(before - 600 - 5);
    expect(queryTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 600 + 5);
    await expect.poll(() => graphRequests.some((u) => new URL(u).searchParams.get('queryTime') === String(queryTime)), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => JSON.stringify(await edgeRates(page)), { timeout: 15_000 }).not.toBe(JSON.stringify(liveRates));
    expect(await page.getByTestId('time-live').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('refresh').isDisabled()).toBe(true);

    // Typing a moment in the user's zone: the URL holds exactly that instant.
    const typed = await page.evaluate(() => {
      const d = new Date(Date.now() - 2 * 3600 * 1000);
      d.setSeconds(0, 0);
      const p = (n: number) => String(n).padStart(2, '0');
      return { value: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00`, unix: d.getTime() / 1000 };
    });
    await page.getByTestId('query-time').fill(typed.value);
    await page.waitForFunction((t) => new URL(location.href).searchParams.get('queryTime') === String(t), typed.unix);
    await expect.poll(() => graphRequests.some((u) => new URL(u).searchParams.get('queryTime') === String(typed.unix)), { timeout: 10_000 }).toBe(true);
    expect(await page.getByText(/UTC[+−]\d\d:\d\d/).first().isVisible()).toBe(true);
    // the footer names the end of the window the graph was built for
    const shown = await page.evaluate((t) => new Date(t * 1000).toLocaleTimeString(), typed.unix);
    await expect.poll(() => page.getByTestId('graph-footer').innerText(), { timeout: 10_000 }).toContain(shown);
    await screenshot(page, 'time-past-moment');

    // Live again: no queryTime, refresh back on.
    await page.getByTestId('time-live').click();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('queryTime'));
    expect(await page.getByTestId('refresh').isDisabled()).toBe(false);
  });

  it('opens a replay link paused on its frame, plays on, and keeps node positions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const start = now - 3600;
    const end = now - 600;
    // a 10 minute window steps 120 s per frame; frame 6 (index 5)
    const at = start + 5 * 120;
    await page.goto(`${server.url}${VIEW}&replayStart=${start}&replayEnd=${end}&replayAt=${at}&replaySpeed=2`);
    await waitForGraph(page);
    const position = page.getByTestId('replay-position');
    await expect.poll(() => position.innerText(), { timeout: 10_000 }).toMatch(/^Frame 6 of 26: 10m window ending /);
    expect(await page.getByTestId('replay-scrubber').inputValue()).toBe('5');
    expect(await page.getByTestId('replay-play').getAttribute('aria-label')).toBe('Play replay');
    expect(await page.getByTestId('replay-speed').inputValue()).toBe('2');
    expect(graphRequests.some((u) => new URL(u).searchParams.get('queryTime') === String(at))).toBe(true);
    await screenshot(page, 'time-replay-paused');
    // Paused means paused: the frame does not move by itself.
    await page.waitForTimeout(1500);
    expect(Number(param(page, 'replayAt'))).toBe(at);
    const positionsBefore = await nodePositions(page);

    await page.getByTestId('replay-play').click();
    await page.waitForFunction((t) => Number(new URL(location.href).searchParams.get('replayAt')) >= t + 3 * 120, at, { timeout: 15_000 });
    await page.getByTestId('replay-play').click();
    const pausedAt = Number(param(page, 'replayAt'));
    expect((pausedAt - start) % 120).toBe(0);
    expect(Number(param(page, 'queryTime'))).toBe(pausedAt);
    await expect.poll(() => position.innerText()).toMatch(new RegExp(`^Frame ${(pausedAt - start) / 120 + 1} of 26`));
    // The graph moved with the frames but its nodes stayed where they were.
    await expect.poll(() => graphRequests.some((u) => new URL(u).searchParams.get('queryTime') === String(pausedAt))).toBe(true);
    const positionsAfter = await nodePositions(page);
    for (const [id, p] of Object.entries(positionsAfter)) if (positionsBefore[id]) expect(p, id).toEqual(positionsBefore[id]);
    // Reloading the link reopens the same frame, paused.
    await page.reload();
    await waitForGraph(page);
    expect(Number(param(page, 'replayAt'))).toBe(pausedAt);
    expect(await page.getByTestId('replay-play').getAttribute('aria-label')).toBe('Play replay');
    await screenshot(page, 'time-replay-after-play');

    // At 10× frames come faster than the graph loads: playback waits instead of piling up requests.
    let inFlight = 0;
    let maxInFlight = 0;
    const graphOnly = (r: { url: () => string }) => r.url().includes('/api/graph?');
    page.on('request', (r) => { if (graphOnly(r)) maxInFlight = Math.max(maxInFlight, ++inFlight); });
    page.on('requestfinished', (r) => { if (graphOnly(r)) inFlight--; });
    page.on('requestfailed', (r) => { if (graphOnly(r)) inFlight--; });
    await page.getByTestId('replay-speed').selectOption('10');
    await page.getByTestId('replay-play').click();
    // it plays to the last frame and stops there
    await page.waitForFunction((t) => Number(new URL(location.href).searchParams.get('replayAt')) === t, end, { timeout: 15_000 });
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('aria-label')).toBe('Play replay');
    await expect.poll(() => position.innerText()).toMatch(/^Frame 26 of 26: .* end of replay$/);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(2);
  });

  it('charts the selected edge over the window', async () => {
    await page.goto(`${server.url}${VIEW}`);
    await waitForGraph(page);
    await clickEdge(page, 'productpage v1', 'reviews v2');
    const requests = page.getByTestId('chart-requests');
    await requests.waitFor({ timeout: 15_000 });
    expect(await requests.locator('canvas').count()).toBeGreaterThan(0);
    const label = await requests.locator('[role="img"]').getAttribute('aria-label');
    expect(label).toMatch(/^Request rate over the last 10m: 2xx average \d+(\.\d+)? rps, peak \d+(\.\d+)? rps, latest \d+(\.\d+)? rps\.$/);
    const latency = await page.getByTestId('chart-latency').locator('[role="img"]').getAttribute('aria-label');
    expect(latency).toMatch(/p50 average [\d.]+ m?s.*p95 average [\d.]+ m?s.*p99 average [\d.]+ m?s/);
    expect(await page.getByTestId('chart-errors').count()).toBe(1);
    // an HTTP edge has no TCP chart
    expect(await page.getByTestId('chart-tcp').count()).toBe(0);
    // the text alternative carries the numbers too
    expect(await requests.locator('table.visually-hidden').textContent()).toMatch(/2xx[\d.]+ rps[\d.]+ rps[\d.]+ rps/);
    await page.getByTestId('side-panel').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'time-edge-charts');
  });

  it('passes an accessibility scan with the charts and the replay bar open', async () => {
    await page.getByTestId('replay-toggle').click();
    await page.getByTestId('replay-bar').waitFor();
    await page.getByTestId('chart-requests').waitFor({ timeout: 15_000 });
    await screenshot(page, 'time-replay-and-charts');
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

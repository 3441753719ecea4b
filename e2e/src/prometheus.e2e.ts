/**
 * The UI against Debian's real Prometheus, filled by backfill with `meshlens demo export-metrics`: the graph at
 * a past moment equals the one the simulator draws, durations follow Prometheus' retention and scrape interval,
 * edge charts carry Prometheus' numbers, and with Prometheus stopped the page keeps the configured topology
 * under a warning that names Prometheus and what to do, instead of an error page.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { HealthResponse, MetricsResponse, TimeOptionsResponse } from '@meshlens/model';
import { startLocalPrometheus, type LocalPrometheus } from '@meshlens/sources';
import { clickEdge, launchBrowser, REPO_ROOT, screenshot, startServer, type RunningServer } from './harness.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'apps/server/bin/meshlens.js');
const NS = 'bookinfo-routing';
const INTERVAL = 60;
// Last sample on the scrape grid a few minutes ago; a queryTime on the grid gives rate() exactly the simulator's window.
const END = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL - 300;
const QUERY_TIME = END - 600;
const VIEW = `/graph?namespaces=${NS}&graphType=versionedApp&edgeLabels=requestRate&duration=600&queryTime=${QUERY_TIME}`;

interface Drawn { nodes: string[]; edges: Record<string, number> }

async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
  await page.waitForFunction(() => ((window as any).__meshlensCy?.nodes().length ?? 0) > 0, undefined, { timeout: 30_000 });
}

/** Node labels and "source -> target" edges with their total request rate, as cytoscape draws them. */
async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const cy = (window as any).__meshlensCy;
    const label = (n: any) => String(n.data('label') ?? n.id());
    const nodes = cy.nodes().filter((n: any) => !n.data('isBox')).map(label).sort();
    const edges: Record<string, number> = {};
    for (const e of cy.edges()) {
      const rates = e.data('traffic')?.rates ?? {};
      edges[`${label(e.source())} -> ${label(e.target())}`] = Number(rates.http ?? rates.grpc ?? rates.tcp ?? 0);
    }
    return { nodes, edges };
  });
}

async function openView(page: Page, url: string): Promise<Drawn> {
  await page.goto(url);
  await waitForGraph(page);
  // The graph is drawn once the edges with traffic are there (a past window never refreshes by itself).
  await page.waitForFunction(() => ((window as any).__meshlensCy?.edges().length ?? 0) > 0, undefined, { timeout: 30_000 });
  return drawn(page);
}

describe('the UI over a real Prometheus filled with the demo\'s history', () => {
  let dir: string | undefined;
  let prom: LocalPrometheus | undefined;
  let server: RunningServer | undefined;
  let demo: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let fromSimulator: Drawn;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshlens-e2e-prom-'));
    const file = join(dir, 'demo.om');
    // 1.5 h every 60 s: enough for a 10 minute window at QUERY_TIME and a chart over it, in a few seconds.
    await run(process.execPath, [CLI, 'demo', 'export-metrics', '--hours', '1.5', '--interval', String(INTERVAL), '--end', String(END), '--out', file], { cwd: REPO_ROOT });
    // Retention 3h: the durations offered must stop there (the simulator offers up to 30d).
    prom = await startLocalPrometheus({ openMetricsFile: file, scrapeInterval: `${INTERVAL}s`, retention: '3h' });
    await rm(file, { force: true }); // 200+ MB of text, no longer needed once the blocks exist
    [server, demo, browser] = await Promise.all([
      startServer(['serve', '--demo', '--prometheus', prom.url, '--prometheus-timeout', '3']),
      startServer(['serve', '--demo']),
      launchBrowser(),
    ]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    // What the simulator alone draws for the same moment, as the reference.
    fromSimulator = await openView(page, `${demo.url}${VIEW}`);
  }, 90_000);

  afterAll(async () => {
    const bounded = (p: Promise<unknown> | undefined) => Promise.race([p?.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await bounded(browser?.close());
    await Promise.all([bounded(server?.stop()), bounded(demo?.stop()), bounded(prom?.stop())]);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 40_000);

  it('draws Bookinfo at a past moment with the nodes, edges and rates the simulator gives', async () => {
    expect(fromSimulator.nodes).toEqual(expect.arrayContaining(['istio-ingressgateway', 'productpage v1', 'details v1', 'reviews v1', 'reviews v2', 'ratings v1']));
    expect(Object.keys(fromSimulator.edges)).toEqual(expect.arrayContaining(['productpage v1 -> reviews v2', 'reviews v2 -> ratings v1']));

    const fromProm = await openView(page, `${server!.url}${VIEW}`);
    expect(fromProm.nodes).toEqual(fromSimulator.nodes);
    expect(Object.keys(fromProm.edges).sort()).toEqual(Object.keys(fromSimulator.edges).sort());
    const traffic = Object.entries(fromProm.edges).filter(([, r]) => r > 0);
    expect(traffic.length).toBeGreaterThanOrEqual(5);
    for (const [pair, rate] of Object.entries(fromProm.edges)) {
      const sim = fromSimulator.edges[pair]!;
      expect(Math.abs(rate - sim), `${pair}: ${rate} from Prometheus vs ${sim} from the simulator`).toBeLessThanOrEqual(0.005 * Math.max(rate, sim, 1e-6));
    }
    expect(await page.locator('.banner').count()).toBe(0);
    await screenshot(page, 'prometheus-graph');
  });

  it('says in the header and /api/health that telemetry comes from that Prometheus', async () => {
    await expect.poll(() => page.getByTestId('source-status').innerText(), { timeout: 10_000 }).toMatch(/Prometheus telemetry/);
    expect(await page.getByTestId('source-status').innerText()).not.toMatch(/simulated/);
    const health = (await (await fetch(`${server!.url}/api/health`)).json()) as HealthResponse;
    expect(health.sources.map((s) => s.telemetry)).toEqual([{ kind: 'prometheus', url: prom!.url }]);
  });

  it('offers the durations Prometheus\' retention and scrape interval allow, not the simulator\'s', async () => {
    const options = (await (await fetch(`${server!.url}/api/time-options`)).json()) as TimeOptionsResponse;
    const simOptions = (await (await fetch(`${demo!.url}/api/time-options`)).json()) as TimeOptionsResponse;
    expect(options).toMatchObject({ telemetry: 'prometheus', scrapeInterval: INTERVAL, retention: 3 * 3600, defaultDuration: 600 });
    // no 1m (under two scrapes), nothing past the 3h retention
    expect(options.durations.map((d) => d.label)).toEqual(['5m', '10m', '30m', '1h', '3h']);
    expect(simOptions.durations.map((d) => d.label)).toEqual(expect.arrayContaining(['1m', '3h', '30d']));
    const select = page.getByTestId('duration');
    await expect.poll(() => select.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value))), { timeout: 10_000 })
      .toEqual(options.durations.map((d) => d.seconds));
    expect(Number(await select.inputValue())).toBe(600);
  });

  it('charts the selected edge with Prometheus\' numbers', async () => {
    const metrics = page.waitForResponse((r) => r.url().includes('/api/metrics?'), { timeout: 15_000 });
    await clickEdge(page, 'productpage v1', 'reviews v2');
    const response = await metrics;
    const body = (await response.json()) as MetricsResponse;
    expect(body.end).toBe(QUERY_TIME);
    expect(body.warnings ?? []).toEqual([]);
    const requests = body.series.find((s) => s.id === 'requests.2xx')!;
    expect(requests.values.length).toBeGreaterThan(1);
    expect(requests.values.every((v) => v !== null && v > 0)).toBe(true);
    // The same series from the simulator agree: these are the demo's counters, read back through Prometheus.
    // (Asked with the same grid: the server picks step and rate window from the telemetry's scrape interval.)
    const asked = new URL(response.url()).searchParams;
    for (const [k, v] of Object.entries({ start: body.start, end: body.end, step: body.step, rateInterval: body.rateInterval })) asked.set(k, String(v));
    const sim = (await (await fetch(`${demo!.url}/api/metrics?${asked}`)).json()) as MetricsResponse;
    expect(sim.timestamps).toEqual(body.timestamps);
    const simRequests = sim.series.find((s) => s.id === 'requests.2xx')!;
    requests.values.forEach((v, i) => expect(Math.abs(v! - simRequests.values[i]!), `point ${i}`).toBeLessThanOrEqual(0.005 * v!));

    const chart = page.getByTestId('chart-requests');
    await chart.waitFor({ timeout: 15_000 });
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    const label = (await chart.locator('[role="img"]').getAttribute('aria-label')) ?? '';
    const m = /^Request rate over .*: 2xx average ([\d.]+) rps, peak ([\d.]+) rps, latest ([\d.]+) rps\.$/.exec(label);
    expect(m, label).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![3])).toBeGreaterThan(0);
    const latency = (await page.getByTestId('chart-latency').locator('[role="img"]').getAttribute('aria-label')) ?? '';
    expect(latency).toMatch(/p50 average [\d.]+ m?s.*p95 average [\d.]+ m?s.*p99 average [\d.]+ m?s/);
    await page.getByTestId('side-panel').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'prometheus-edge-charts');
  });

  it('keeps the configured topology under a warning naming Prometheus when it stops', async () => {
    // Live, with Prometheus up: traffic (the backfill reaches into the last 10 minutes) and no banner.
    const live = await openView(page, `${server!.url}/graph?namespaces=${NS}&graphType=versionedApp&duration=600`);
    expect(Object.values(live.edges).some((r) => r > 0)).toBe(true);
    expect(await page.locator('.banner').count()).toBe(0);

    await prom!.stop();
    // The next refreshes: the server may answer from its few-second cache first, then says Prometheus is gone.
    const banner = page.locator('.banner-warning');
    const statuses: number[] = [];
    page.on('response', (r) => { if (r.url().includes('/api/graph?')) statuses.push(r.status()); });
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await page.waitForTimeout(500);
      return banner.count();
    }, { timeout: 20_000, interval: 500 }).toBe(1);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const text = await banner.innerText();
    expect(text).toContain(`Prometheus at ${prom!.url} is unreachable`);
    expect(text).toContain('check that Prometheus is running and reachable from the Meshlens server, or pass another --prometheus URL');
    expect(text).toContain('the graph shows the configured topology without traffic');
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await page.locator('.banner-error').count()).toBe(0);
    expect(await page.getByTestId('empty-state').count()).toBe(0);
    // The topology from the configuration is still drawn, without stale traffic.
    await expect.poll(async () => Object.values((await drawn(page)).edges).every((r) => r === 0), { timeout: 10_000 }).toBe(true);
    const down = await drawn(page);
    // every configured version, reviews v3 too (idle nodes are shown when there is no traffic to tell)
    expect(down.nodes).toEqual(['details v1', 'productpage v1', 'ratings v1', 'reviews v1', 'reviews v2', 'reviews v3']);
    await screenshot(page, 'prometheus-down');
  });

  it('passes an accessibility scan with the warning banner', async () => {
    await page.locator('.banner-warning').waitFor();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

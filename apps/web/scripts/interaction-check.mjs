// Behaviour check of the built SPA against fixtures (no server): selection in the URL, positions kept
// across refreshes, namespace toggling, Back. Prints one line per check and exits non-zero on failure.
//   npm run build --workspace @meshlens/web && node apps/web/scripts/interaction-check.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const fixtures = join(here, '..', 'test-fixtures');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
  try {
    const body = await readFile(join(dist, file));
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const json = async (name) => JSON.parse(await readFile(join(fixtures, name), 'utf8'));
const graph = await json('bookinfo-graph.json');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
let graphCalls = 0;
const graphUrls = [];
await page.route('**/api/**', async (route) => {
  const url = new URL(route.request().url());
  if (url.pathname === '/api/health') return route.fulfill({ json: await json('health.json') });
  if (url.pathname === '/api/namespaces') return route.fulfill({ json: await json('namespaces.json') });
  graphCalls++;
  graphUrls.push(url.search);
  // Every later answer has the same nodes with different rates, as a refresh would.
  const body = structuredClone(graph);
  if (graphCalls > 1) for (const e of body.elements.edges) e.data.traffic.rates[e.data.traffic.protocol] *= 2;
  return route.fulfill({ json: body });
});

let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failed++;
};
const layoutDone = () => page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 10000 });

await page.goto(`${base}/?refresh=0`);
await layoutDone();
check('default namespaces written to the URL', new URL(page.url()).searchParams.get('namespaces') === 'bookinfo,default', page.url());
check('graph request', graphUrls[0] === '?namespaces=bookinfo,default&graphType=versionedApp&duration=600', graphUrls[0]);
const before = await page.evaluate(() => window.__meshlensCy.getElementById('vapp_bookinfo_ratings_v1').position());

await page.evaluate(() => window.__meshlensCy.getElementById('vapp_bookinfo_ratings_v1').emit('tap'));
await page.waitForFunction(() => location.search.includes('focus=vapp_bookinfo_ratings_v1'));
const panel = await page.getByTestId('side-panel').innerText();
check('tap selects a node into the URL and the panel', panel.includes('ratings v1') && panel.includes('Degraded'), panel.slice(0, 60).replace(/\n/g, ' | '));
check('node is selected in cytoscape', await page.evaluate(() => window.__meshlensCy.getElementById('vapp_bookinfo_ratings_v1').selected()));

await page.getByRole('button', { name: 'Refresh now' }).click();
await page.waitForFunction(() => window.__meshlensCy.getElementById('e1').data('traffic').rates.http > 10);
const after = await page.evaluate(() => window.__meshlensCy.getElementById('vapp_bookinfo_ratings_v1').position());
check('refresh updates data and keeps positions', before.x === after.x && before.y === after.y, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
check('selection survives a refresh', await page.evaluate(() => window.__meshlensCy.getElementById('vapp_bookinfo_ratings_v1').selected()));

await page.getByTestId('ns-select').selectOption(['bookinfo']);
await page.waitForFunction(() => new URLSearchParams(location.search).get('namespaces') === 'bookinfo');
check('selectOption on ns-select updates the URL', true);
await page.locator('#ns-select option[value="default"]').click();
await page.waitForFunction(() => new URLSearchParams(location.search).get('namespaces') === 'bookinfo,default');
check('a plain click adds a namespace', true);

await page.getByTestId('graph-type').selectOption('workload');
await page.waitForFunction(() => location.search.includes('graphType=workload'));
check('graph type in the URL, focus cleared', !page.url().includes('focus='), page.url());
await page.goBack();
await page.waitForFunction(() => !location.search.includes('graphType=workload'));
check('Back restores the previous view', (await page.getByTestId('graph-type').inputValue()) === 'versionedApp');

await page.getByTestId('find').fill('reviews');
await page.waitForFunction(() => window.__meshlensCy.nodes('.find-match').length > 0);
const found = await page.evaluate(() => window.__meshlensCy.nodes('.find-match').map((n) => n.id()).sort());
check('find highlights matching nodes', found.length === 4, found.join(','));
await page.getByTestId('hide').fill('unknown');
await page.waitForFunction(() => window.__meshlensCy.getElementById('unknown').hasClass('hidden'));
check('hide hides matching nodes', true);

await page.reload();
await layoutDone();
check('reload reproduces find/hide from the URL', (await page.getByTestId('find').inputValue()) === 'reviews' && (await page.evaluate(() => window.__meshlensCy.getElementById('unknown').hasClass('hidden'))));

await page.keyboard.press('Tab');
const firstFocus = await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent);
check('keyboard reaches the toolbar first', ['All', 'ns-select'].includes(firstFocus), String(firstFocus));

await browser.close();
server.close();
console.log(failed ? `${failed} checks failed` : 'all checks passed');
process.exit(failed ? 1 : 0);

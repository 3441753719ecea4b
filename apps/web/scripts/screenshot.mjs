// Visual check of the built SPA without a server: serves dist/, answers /api/** from test-fixtures/
// through Playwright routing, and writes screenshots to scripts/out/. Optional: AXE_PATH=/path/to/axe.min.js
// runs an axe-core scan of each view and prints the violations.
//   npm run build --workspace @meshlens/web && node apps/web/scripts/screenshot.mjs
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const fixtures = join(here, '..', 'test-fixtures');
const out = join(here, 'out');
await mkdir(out, { recursive: true });

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
  try {
    const body = await readFile(join(dist, file));
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const json = async (name) => JSON.parse(await readFile(join(fixtures, name), 'utf8'));
const graph = await json('bookinfo-graph.json');
const namespaces = await json('namespaces.json');
const health = await json('health.json');
// A synthetic 1,200-node mesh: checks the fast layout path and that the page stays usable at scale.
function bigGraph(count = 1200) {
  const nodes = [{ data: { id: 'box_a', nodeType: 'box', namespace: 'a', isBox: 'namespace' } }, { data: { id: 'box_b', nodeType: 'box', namespace: 'b', isBox: 'namespace' } }];
  const edges = [];
  for (let i = 0; i < count; i++) {
    const ns = i % 2 ? 'a' : 'b';
    nodes.push({ data: { id: `w${i}`, nodeType: 'workload', namespace: ns, workload: `svc-${i}-v1`, parent: `box_${ns}`, health: i % 17 ? 'Healthy' : 'Degraded' } });
    if (i > 0) edges.push({ data: { id: `e${i}`, source: `w${Math.floor((i - 1) / 3)}`, target: `w${i}`, reporter: 'destination', traffic: { protocol: 'http', rates: { http: (i % 50) + 0.5 }, responses: {} } } });
  }
  return { timestamp: graph.timestamp, duration: 600, graphType: 'workload', namespaces: ['a', 'b'], elements: { nodes, edges } };
}
let graphBody = graph;
const axeSource = process.env.AXE_PATH ? await readFile(process.env.AXE_PATH, 'utf8') : null;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

async function view(name, query, { width = 1280, height = 800, graphStatus = 200, waitLayout = graphStatus === 200, act } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route('**/api/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/api/health') return route.fulfill({ json: health });
    if (url.pathname === '/api/namespaces') return route.fulfill({ json: namespaces });
    if (url.pathname === '/api/graph') {
      if (graphStatus !== 200) return route.fulfill({ status: graphStatus, body: '' });
      return route.fulfill({ json: graphBody });
    }
    return route.fulfill({ status: 404, json: { statusCode: 404, error: 'Not Found', message: `no route ${url.pathname}` } });
  });
  await page.goto(`${base}/${query}`);
  if (waitLayout) {
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 10000 }).catch(() => errors.push('layout not done'));
  } else {
    await page.waitForTimeout(1500);
  }
  if (act) await act(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`) });
  const info = await page.evaluate(() => {
    const cy = window.__meshlensCy;
    return cy ? { nodes: cy.nodes().length, edges: cy.edges().length, zoom: cy.zoom().toFixed(2), url: location.search } : null;
  });
  let violations = [];
  if (axeSource) {
    await page.addScriptTag({ content: axeSource });
    violations = await page.evaluate(async () => (await window.axe.run()).violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`));
  }
  console.log(name, JSON.stringify(info), errors.length ? `ERRORS: ${errors.join('; ')}` : '', axeSource ? `\n  axe: ${violations.length} violations${violations.map((v) => `\n  axe: ${v}`).join('')}` : '');
  await page.close();
}

await view('graph-default', '');
await view('graph-rates-edge-selected', '?namespaces=bookinfo&edgeLabels=requestRate&focus=e9');
await view('graph-node-selected-legend', '?namespaces=bookinfo&focus=svc_bookinfo_reviews&legend=true&find=ratings&edgeLabels=responseTime');
await view('graph-empty-selection', '?namespaces=', { waitLayout: false });
await view('graph-server-down', '?namespaces=bookinfo', { graphStatus: 502 });
await view('graph-wall', '?namespaces=bookinfo&edgeLabels=trafficShare', { width: 2560, height: 1440 });
await view('graph-grid', '?namespaces=bookinfo&layout=grid&hide=unknown');

await view('graph-concentric', '?namespaces=bookinfo&layout=concentric');
graphBody = bigGraph();
const started = Date.now();
await view('graph-1200-nodes', '?namespaces=a,b&graphType=workload');
console.log(`1200-node graph: loaded and laid out in ${Date.now() - started} ms (including page load and screenshot)`);

await browser.close();
server.close();

/**
 * Token login in a real browser, against `meshlens serve --in-cluster` (whose default is --auth token) over the
 * Kubernetes test API server: the login page, a bad token's error, the viewer's graph without the namespace it may
 * not read, and logout back to the login page. The TokenReview is answered by a front (`@meshlens/server/testing`)
 * because the test API server itself only reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { KubeObject } from '@meshlens/model';
import { generateTestTls, startTestApiServer, writeServiceAccountDir, type TestApiServer } from '@meshlens/sources/testing';
import { startAuthFront, type AuthFront } from '@meshlens/server/testing';
import { launchBrowser, pickerNamespaces, screenshot, startServer, type RunningServer } from './harness.js';

const SA_TOKEN = 'meshlens-sa-token';
const VIEWER_TOKEN = 'jane-viewer-token';

const svc = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels: { app: name } }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 9080 }] } });
const deploy = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${name}-v1`, namespace, labels: { app: name, version: 'v1' } },
  spec: { selector: { matchLabels: { app: name, version: 'v1' } }, template: { metadata: { labels: { app: name, version: 'v1' } }, spec: { containers: [{ name, image: `example/${name}:1.0` }] } } },
});
const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { 'istio-injection': 'enabled' } } },
  svc('bookinfo', 'productpage'), deploy('bookinfo', 'productpage'), svc('bookinfo', 'reviews'), deploy('bookinfo', 'reviews'),
  svc('payments', 'ledger'), deploy('payments', 'ledger'),
  // A running pod of reviews-v1 whose logs the viewer may not read (her Role leaves out pods/log in bookinfo).
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'reviews-v1-5b8c7d9f4-x2x7q', namespace: 'bookinfo', labels: { app: 'reviews', version: 'v1', 'pod-template-hash': '5b8c7d9f4' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v1-5b8c7d9f4', uid: '6f0c8a52-2d0e-4f7b-9a51-0c1d2e3f4a5b', controller: true }] },
    spec: { containers: [{ name: 'reviews', image: 'example/reviews:1.0' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.0' }] },
    status: { phase: 'Running', podIP: '10.244.1.17', hostIP: '172.18.0.3', containerStatuses: [{ name: 'reviews', ready: true, restartCount: 0 }, { name: 'istio-proxy', ready: true, restartCount: 0 }] },
  },
];

let api: TestApiServer;
let front: AuthFront;
let server: RunningServer;
let browser: Browser;
let page: Page;

async function graphNamespaces(): Promise<string[]> {
  return page.evaluate(() => {
    const cy = (window as unknown as { __meshlensCy: { nodes(): Array<{ data(k: string): unknown }> } }).__meshlensCy;
    return [...new Set(cy.nodes().map((n) => String(n.data('namespace'))))].sort();
  });
}

beforeAll(async () => {
  api = await startTestApiServer({
    tls: generateTestTls(),
    objects,
    identities: [
      { token: SA_TOKEN, user: 'system:serviceaccount:meshlens:meshlens' },
      { token: VIEWER_TOKEN, user: 'jane', deny: [{ resources: ['namespaces'] }, { namespaces: ['payments'] }, { allNamespaces: true }, { resources: ['pods/log'], namespaces: ['bookinfo'] }] },
    ],
  });
  front = await startAuthFront(api, { users: [{ token: SA_TOKEN, user: 'system:serviceaccount:meshlens:meshlens' }, { token: VIEWER_TOKEN, user: 'jane', groups: ['bookinfo-viewers'] }], reviewers: [SA_TOKEN] });
  const saDir = writeServiceAccountDir(front.server, SA_TOKEN);
  server = await startServer(['serve', '--in-cluster'], { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: new URL(front.url).port, MESHLENS_SA_DIR: saDir });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await front?.close();
  await api?.close();
});

describe('token login (in-cluster default)', () => {
  it('shows the login page, accessible, and the API refuses without a session', async () => {
    await page.goto(`${server.url}/graph?idle=true`);
    await page.getByRole('heading', { name: 'Log in with a Kubernetes token' }).waitFor();
    expect((await fetch(`${server.url}/api/namespaces`)).status).toBe(401);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await screenshot(page, 'auth-login');
  });

  it('a bad token gets a clear error and stays on the login page', async () => {
    await page.getByLabel('Bearer token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('The cluster did not accept this token (invalid bearer token). Paste a valid Kubernetes bearer token, for example the output of `kubectl create token <service-account> -n <namespace>`.');
    await screenshot(page, 'auth-bad-token');
  });

  it('the viewer logs in and sees the graph of bookinfo, without payments anywhere', async () => {
    await page.getByLabel('Bearer token').fill(VIEWER_TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('[data-testid="graph"][data-layout-done="true"]', { timeout: 30_000 });
    await page.waitForFunction(() => ((window as any).__meshlensCy?.nodes().length ?? 0) > 0, undefined, { timeout: 30_000 });
    expect(await graphNamespaces()).toEqual(['bookinfo']);
    const options = await pickerNamespaces(page);
    expect(options).toContain('bookinfo');
    expect(options.some((o) => o.includes('payments'))).toBe(false);
    expect(await page.getByTestId('user-menu').textContent()).toContain('jane');
    expect(await page.content()).not.toContain('payments');
    await screenshot(page, 'auth-viewer-graph');
  });

  it('the viewer sees neither the pages nor the logs of the namespace RBAC hides', async () => {
    await page.goto(`${server.url}/workloads`);
    await page.waitForSelector('[data-testid="entity-row"], [data-testid="list-empty"]', { timeout: 30_000 });
    const rows = await page.$$eval('[data-testid="entity-row"]', (els) => els.map((r) => `${(r as HTMLElement).dataset.namespace ?? ''}/${(r as HTMLElement).dataset.name ?? ''}`));
    expect(rows.map((r) => r.split('/')[1]).sort()).toEqual(['productpage-v1', 'reviews-v1']);
    expect(await page.content()).not.toContain('ledger');

    // The hidden workload's page says it cannot be shown, and shows nothing of it.
    await page.goto(`${server.url}/namespaces/payments/workloads/ledger-v1`);
    await page.getByTestId('detail-error').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="pod-row"], table').count()).toBe(0);

    // The API answers the same with the viewer's session: no detail, no logs, no list rows of payments.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'meshlens_session')!;
    const asViewer = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie: `meshlens_session=${cookie.value}` } });
    expect((await asViewer('/api/namespaces/payments/workloads/ledger-v1')).status).toBe(404);
    const logs = await asViewer('/api/namespaces/payments/pods/ledger-v1-0/logs?container=ledger');
    expect([403, 404]).toContain(logs.status);
    expect(await logs.text()).not.toMatch(/ledger-v1-0 .*INFO|accessLog/);
    const list = (await (await asViewer('/api/workloads')).json()) as { workloads: Array<{ namespace: string }> };
    expect([...new Set(list.workloads.map((w) => w.namespace))]).toEqual(['bookinfo']);
    await screenshot(page, 'auth-viewer-hidden-workload');
  });

  it('the logs tab of a visible workload whose logs RBAC withholds says which permission is missing', async () => {
    await page.goto(`${server.url}/namespaces/bookinfo/workloads/reviews-v1?tab=logs`);
    const problem = page.getByTestId('logs-error').first();
    await problem.waitFor({ timeout: 30_000 });
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain('Meshlens may not read these logs. Reading this log needs the RBAC verb "get" on the resource "pods/log" in namespace "bookinfo"');
    expect(text).toContain('kubectl auth can-i get pods/log -n bookinfo');
    // The API server's own refusal, naming the user and the pod, is passed on.
    expect(text).toMatch(/User "jane" cannot get resource "pods\/log" in API group "" in the namespace "bookinfo"/);
    await screenshot(page, 'auth-viewer-logs-forbidden');
  });

  it('logout returns to the login page, and the session no longer reads', async () => {
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'meshlens_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in with a Kubernetes token' }).waitFor();
    // The browser has dropped the session cookie, so its next request has no session. (The session is the sealed
    // cookie itself: a copy taken before logout stays valid until it expires; deploy/README.md.)
    expect((await page.context().cookies()).find((c) => c.name === 'meshlens_session')).toBeUndefined();
    expect(await page.evaluate(async () => (await fetch('/api/namespaces')).status)).toBe(401);
  });
});

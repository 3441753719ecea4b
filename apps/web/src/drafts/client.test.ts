/**
 * The page's side of the workers, with a stand-in Worker and server: the live objects are loaded once, a refresh is
 * a conditional GET (If-None-Match: the version) that changes nothing on a 304, and a new version is loaded into the
 * checks' worker and the graph worker before the next what-if graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphResponse } from '@meshlens/model';
import type { DraftBase } from './protocol';

const posted: Array<{ worker: string; kind: string; version?: string }> = [];
const asked: Array<string | null> = [];
let serverVersion = 'boot-1';

const base = (version: string): DraftBase => ({ source: 'Demo mesh', clusterDomain: 'cluster.local', objects: [], errors: [], version, simulation: { kind: 'none', reason: 'test' } });

class FakeWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  constructor(_url: URL, private readonly options: { name: string }) {}
  postMessage(m: { requestId: number; kind: string; base?: DraftBase }): void {
    posted.push({ worker: this.options.name, kind: m.kind, ...(m.base?.version ? { version: m.base.version } : {}) });
    const reply = m.kind === 'base' ? { ready: { objects: 0, ms: 1 } } : { result: { kind: 'predicted', graph: {}, changed: [], problems: [], note: 'n', ms: 1 } };
    queueMicrotask(() => this.onmessage?.({ data: { requestId: m.requestId, ...reply } }));
  }
}

beforeAll(() => {
  Object.assign(globalThis, {
    window: { location: { origin: 'http://meshlens.test', search: '', href: 'http://meshlens.test/graph' } },
    Worker: FakeWorker,
    fetch: async (url: string, init?: RequestInit) => {
      expect(url).toBe('/api/drafts/base');
      const conditional = new Headers(init?.headers).get('if-none-match');
      asked.push(conditional);
      if (conditional === `"${serverVersion}"`) return new Response(null, { status: 304 });
      return new Response(JSON.stringify(base(serverVersion)), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
});
afterAll(() => {
  for (const k of ['window', 'Worker', 'fetch']) delete (globalThis as Record<string, unknown>)[k];
});

describe('the drafts\' live objects follow the server', () => {
  it('loads once, refreshes with If-None-Match (a 304 changes nothing), and loads a new version into both workers', async () => {
    const client = await import('./client');
    await client.loadBase();
    await client.loadBase();
    expect(await client.refreshBase()).toBe(false);
    expect(client.currentBaseGeneration()).toBe(0);
    await client.whatIfGraph([], { timestamp: 1, duration: 600, graphType: 'app', namespaces: ['a'], elements: { nodes: [], edges: [] } } as GraphResponse, { graphType: 'app', namespaces: ['a'], includeIdle: false, showWaypoints: false, responseTimes: false, budget: 0, expand: [] });
    serverVersion = 'boot-2';
    expect(await client.refreshBase()).toBe(true);
    expect(client.currentBaseGeneration()).toBe(1);
    expect(asked).toEqual([null, '"boot-1"', '"boot-1"']);
    expect(posted).toEqual([
      { worker: 'meshlens-drafts', kind: 'base', version: 'boot-1' },
      { worker: 'meshlens-drafts-graph', kind: 'base', version: 'boot-1' },
      { worker: 'meshlens-drafts-graph', kind: 'graph' },
      { worker: 'meshlens-drafts', kind: 'base', version: 'boot-2' },
      { worker: 'meshlens-drafts-graph', kind: 'base', version: 'boot-2' },
    ]);
  });
});

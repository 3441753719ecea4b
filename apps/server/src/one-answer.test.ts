/**
 * One answer everywhere: `meshlens validate -f` on the demo's scenario files gives the findings the demo server
 * gives, and the same findings whatever order the files are named in (an object declared twice, seed 001's
 * istio-egressgateway, is resolved by path order, not by argument order).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createDemoSource } from '@meshlens/sources';
import type { Finding } from '@meshlens/model';
import { buildApp } from './app.js';
import { main } from './cli.js';

const SCENARIOS = fileURLToPath(new URL('../../../packages/demo/scenarios', import.meta.url));

async function validate(...args: string[]): Promise<{ code: number; findings: Finding[] }> {
  let out = '';
  const code = await main(['node', 'meshlens', 'validate', ...args, '-o', 'json'], { out: (s) => { out += s; }, err: () => undefined });
  // the CLI names files as given; the demo names them `scenarios/<file>`
  const text = out.split(`${SCENARIOS}/`).join('scenarios/');
  return { code, findings: (JSON.parse(text) as { findings: Finding[] }).findings };
}

const key = (f: Finding) => `${f.file ?? ''}:${f.line ?? 0}:${f.code}:${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}:${f.path}`;
const sorted = (fs: Finding[]) => [...fs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('one answer for the same objects', () => {
  it('the CLI gives the same findings whatever the order of the files, and reports seed 001\'s duplicate once', async () => {
    const files = readdirSync(SCENARIOS).filter((n) => n.endsWith('.yaml')).sort();
    const forward = await validate(...files.flatMap((n) => ['-f', join(SCENARIOS, n)]));
    const backward = await validate(...[...files].reverse().flatMap((n) => ['-f', join(SCENARIOS, n)]));
    const asDir = await validate('-f', SCENARIOS);
    expect(sorted(backward.findings)).toEqual(sorted(forward.findings));
    expect(sorted(asDir.findings)).toEqual(sorted(forward.findings));
    expect(backward.code).toBe(forward.code);

    // each duplicated object once, at the copy used: seed 001's file sorts after 00-istio-system.yaml
    const duplicates = forward.findings.filter((f) => f.code === 'MLS0000' && f.message.startsWith('duplicate object'));
    expect(duplicates.map((f) => `${f.object.kind} ${f.object.namespace}/${f.object.name} ${f.file}`)).toEqual([
      'Service istio-system/istio-egressgateway scenarios/egress-gateway-broken.yaml',
      'Deployment istio-system/istio-egressgateway scenarios/egress-gateway-broken.yaml',
    ]);
    expect(duplicates[0]!.message).toMatch(/^duplicate object: declared 2 times; this copy is used, not the copy at scenarios\/00-istio-system\.yaml:\d+\. /);
    expect(duplicates[0]!.severity).toBe('warning');
    expect(duplicates[0]!.fix).toContain('sorts last');
    // so the hand-written copy is the one checked: MLS1005 on both, naming the installed copy it overrides
    const shadow = forward.findings.filter((f) => f.code === 'MLS1005');
    expect(shadow.map((f) => `${f.object.kind} ${f.file}`)).toEqual(['Service scenarios/egress-gateway-broken.yaml', 'Deployment scenarios/egress-gateway-broken.yaml']);
    for (const f of shadow) expect(f.message).toMatch(/overrides the installed definition at scenarios\/00-istio-system\.yaml:\d+;/);
  });

  it('the demo server and `meshlens validate -f packages/demo/scenarios` give the same findings', async () => {
    const cli = await validate('-f', SCENARIOS);
    const app = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/findings' });
      expect(r.statusCode).toBe(200);
      const server = (r.json() as { findings: Finding[] }).findings;
      expect(server.length).toBeGreaterThan(20);
      expect(sorted(server)).toEqual(sorted(cli.findings));
    } finally {
      await app.close();
    }
  });
});

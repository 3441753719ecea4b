import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { main } from './cli.js';

// `meshlens validate|trace --with FILE`: a change set of drafts laid over the inventory (packages/mesh/src/drafts.ts).
const SCENARIOS = relative(process.cwd(), fileURLToPath(new URL('../../../packages/demo/scenarios', import.meta.url)));
const FIXES = relative(process.cwd(), fileURLToPath(new URL('../../../packages/mesh/src/drafts.seed-001-fixes.yaml', import.meta.url)));
const SEED_CODES = ['MLS1001', 'MLS1002', 'MLS1003', 'MLS1004', 'KIA0203'];

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'meshlens', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

/** `code Kind ns/name` of the findings in istio-system of a JSON report. */
function seedFindings(out: string): string[] {
  const body = JSON.parse(out) as { findings: Array<{ code: string; aliases?: string[]; object: { kind: string; namespace?: string; name: string } }> };
  return body.findings
    .filter((f) => f.object.namespace === 'istio-system' && [f.code, ...(f.aliases ?? [])].some((c) => SEED_CODES.includes(c)))
    .map((f) => `${f.code} ${f.object.kind} ${f.object.namespace}/${f.object.name}`);
}

describe('meshlens validate --with', () => {
  it('the seed-001 change set removes MLS1001-1004 and KIA0203 from the demo scenarios', async () => {
    const without = await run('validate', '-f', SCENARIOS, '-o', 'json');
    expect(seedFindings(without.out)).toEqual([
      'MLS1001 VirtualService istio-system/eg1',
      'MLS1002 VirtualService istio-system/eg1',
      'KIA0203 DestinationRule istio-system/egressgateway',
    ]);
    const withFixes = await run('validate', '-f', SCENARIOS, '--with', FIXES, '-o', 'json');
    expect(withFixes.err).toBe('');
    expect(seedFindings(withFixes.out)).toEqual([]);
    // the rest of the demo's findings are untouched
    const count = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings.length;
    expect(count(withFixes.out)).toBe(count(without.out) - 3);
  });

  it('a draft object with the annotation meshlens.io/draft: delete removes its namesake; a new object is checked like the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-with-'));
    writeFileSync(join(dir, 'base.yaml'), [
      'apiVersion: v1', 'kind: Service', 'metadata: {name: ratings, namespace: shop}', 'spec: {ports: [{name: http, port: 9080}], selector: {app: ratings}}',
      '---',
      'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: ratings, namespace: shop}',
      'spec: {hosts: [ratings], http: [{route: [{destination: {host: ratings}}]}]}', '',
    ].join('\n'));
    writeFileSync(join(dir, 'drafts.yaml'), [
      'apiVersion: v1', 'kind: Service', 'metadata: {name: ratings, namespace: shop, annotations: {meshlens.io/draft: delete}}',
      '---',
      'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: extra, namespace: shop}',
      'spec: {hosts: [nowhere], http: [{route: [{destination: {host: nowhere}}]}]}', '',
    ].join('\n'));
    expect((await run('validate', '-f', join(dir, 'base.yaml'))).code).toBe(0);
    const r = await run('validate', '-f', join(dir, 'base.yaml'), '--with', join(dir, 'drafts.yaml'));
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => / error /.test(l)).map((l) => l.split(' ').slice(0, 4).join(' '));
    // the deleted Service leaves VirtualService ratings without a host; the new VirtualService points at its draft's line
    expect(lines.some((l) => l.startsWith(`${join(dir, 'base.yaml')}:`) && l.includes('KIA1101'))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${join(dir, 'drafts.yaml')}:`) && l.includes('KIA1101'))).toBe(true);
  });

  it('a --with path that is not there is a usage error (exit 2)', async () => {
    const r = await run('validate', '-f', SCENARIOS, '--with', 'no/such/changes.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--with no/such/changes.yaml (no such file or directory)');
  });
});

describe('meshlens trace --with', () => {
  it('on the demo mesh, the seed-001 change set sends https://en.wikipedia.org from default/pod1 through the egress gateway', async () => {
    const now = await run('trace', 'https://en.wikipedia.org', '--from', 'default/pod1');
    expect(now.out).toMatch(/^path 1: 100\.0% → PassthroughCluster → en\.wikipedia\.org:443 — delivered/);
    const r = await run('trace', 'https://en.wikipedia.org', '--from', 'default/pod1', '--with', FIXES);
    expect(r.code).toBe(0);
    const steps = r.out.split('\n').filter((l) => /^ {2}\d+\. /.test(l));
    expect(steps).toEqual([
      '  1. workload default/pod1 (1 pod) → service istio-egressgateway.istio-system.svc.cluster.local:443 (subset wildcard) [https]',
      '  2. service istio-egressgateway.istio-system.svc.cluster.local:443 (subset wildcard) → gateway istio-system/istio-egressgateway:443 [https]',
      '  3. gateway istio-system/istio-egressgateway:443 → ServiceEntry istio-system/wikipedia → en.wikipedia.org:443 (MESH_EXTERNAL) [https]',
      '  4. ServiceEntry istio-system/wikipedia → en.wikipedia.org:443 (MESH_EXTERNAL) → external en.wikipedia.org:443 [https]',
    ]);
    expect(r.out).toMatch(/^path 1: 100\.0% → external en\.wikipedia\.org:443 — delivered/);
  });

  it('over manifests (-f) too', async () => {
    const r = await run('trace', 'https://en.wikipedia.org', '--from', 'default/pod1', '-f', SCENARIOS, '--with', FIXES, '-o', 'json');
    const result = JSON.parse(r.out) as { paths: Array<{ destination: unknown; hops: Array<{ to: { kind: string } }> }> };
    expect(result.paths.map((p) => [p.destination, p.hops.map((h) => h.to.kind)])).toEqual([
      [{ kind: 'external', host: 'en.wikipedia.org', port: 443 }, ['service', 'gateway', 'serviceEntry', 'external']],
    ]);
  });
});

/**
 * The Istio analyzer conformance runner: `npm run conformance -- DIR` loads each case of DIR/expectations.json,
 * runs every Meshlens check on it and compares the (Istio code, kind, namespace, name) multiset with the expected
 * one, as DIR/README.md's scoring rule says. The score is information: the exit code is 0 unless the runner fails.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildInventory, checkInventory, parseManifests } from '@meshlens/mesh';
import type { Finding, InventoryObject, LoadError } from '@meshlens/model';

export interface ConformanceCase {
  id: string;
  files: string[];
  meshConfig: string | null;
  codes: string[];
  expected: Array<{ code: string; kind: string; namespace: string | null; name: string; count: number }>;
}

export interface CaseResult {
  id: string;
  passed: boolean;
  missing: string[];
  extra: string[];
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** The inventory istioctl analyze --use-kube=false would build for a case (README "Inventory"). */
export function caseInventory(dir: string, c: ConformanceCase) {
  const objects: InventoryObject[] = [];
  const errors: LoadError[] = [];
  const load = (file: string, shown: string) => {
    const parsed = parseManifests(readFileSync(file, 'utf8'), { file: shown });
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  };
  load(join(dir, 'defaults', 'istio-ingressgateway.yaml'), 'defaults/istio-ingressgateway.yaml');
  for (const f of c.files) load(join(dir, 'testdata', f), f);
  if (c.meshConfig) {
    // The mesh config fragment is laid over the defaults the way the `istio` ConfigMap's data.mesh is.
    const text = readFileSync(join(dir, 'testdata', c.meshConfig), 'utf8');
    objects.push({
      ref: { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' },
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: text } },
      origin: { source: 'file', file: c.meshConfig, line: 1, column: 1 },
    });
  }
  const visible = objects.filter((o) => !SYSTEM_NAMESPACES.has(o.ref.namespace ?? '') && !(o.ref.kind === 'Namespace' && SYSTEM_NAMESPACES.has(o.ref.name)));
  return buildInventory(visible, errors);
}

function tuple(code: string, kind: string, namespace: string | null | undefined, name: string): string {
  return `${code} ${kind} ${namespace ?? 'default'}/${name}`;
}

/** Runs one case and compares multisets. */
export function runCase(dir: string, c: ConformanceCase): CaseResult & { findings: Finding[] } {
  const inv = caseInventory(dir, c);
  const codes = new Set(c.codes);
  const findings = checkInventory(inv).filter((f) => codes.has(f.code) || (f.istioCode !== undefined && codes.has(f.istioCode)));
  const got = new Map<string, number>();
  for (const f of findings) {
    const code = codes.has(f.code) ? f.code : f.istioCode!;
    const t = tuple(code, f.object.kind, f.object.namespace, f.object.name);
    got.set(t, (got.get(t) ?? 0) + 1);
  }
  const want = new Map<string, number>();
  for (const e of c.expected) {
    const t = tuple(e.code, e.kind, e.namespace, e.name);
    want.set(t, (want.get(t) ?? 0) + e.count);
  }
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [t, n] of want) if ((got.get(t) ?? 0) < n) missing.push(`${t} ×${n - (got.get(t) ?? 0)}`);
  for (const [t, n] of got) if ((want.get(t) ?? 0) < n) extra.push(`${t} ×${n - (want.get(t) ?? 0)}`);
  return { id: c.id, passed: missing.length === 0 && extra.length === 0, missing, extra, findings };
}

/** Runs every case of `dir`; prints per-case lines and the score through `out`. */
export function runConformance(dir: string, out: (s: string) => void, verbose = false): { passed: number; total: number; results: CaseResult[] } {
  const cases = JSON.parse(readFileSync(join(dir, 'expectations.json'), 'utf8')) as ConformanceCase[];
  const results: CaseResult[] = [];
  cases.forEach((c, i) => {
    const r = runCase(dir, c);
    results.push(r);
    out(`${r.passed ? 'PASS' : 'FAIL'} ${String(i + 1).padStart(2)} ${c.id}\n`);
    if (!r.passed) {
      for (const m of r.missing) out(`       missing: ${m}\n`);
      for (const x of r.extra) out(`       extra:   ${x}\n`);
    }
    if (verbose) for (const f of r.findings) out(`       finding: ${f.istioCode ?? f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path}: ${f.message}\n`);
  });
  const passed = results.filter((r) => r.passed).length;
  out(`\nConformance (${dir}): ${passed}/${cases.length} cases passed (${((100 * passed) / cases.length).toFixed(1)}%)\n`);
  return { passed, total: cases.length, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: npm run conformance -- DIR [--verbose]   (DIR holds expectations.json, testdata/ and defaults/)\n');
    process.exitCode = 2;
  } else {
    try {
      runConformance(resolve(dir), (s) => process.stdout.write(s), verbose);
    } catch (e) {
      process.stderr.write(`conformance: cannot run the suite in ${dir}: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  }
}

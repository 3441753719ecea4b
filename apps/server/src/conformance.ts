/**
 * The Istio analyzer conformance runner: `npm run conformance [-- DIR]` (DIR defaults to ../shared/conformance/istio
 * next to the repository) runs each case of DIR/expectations.json through `meshlens validate` exactly as a user
 * would run it, and compares the (Istio code, kind, namespace, name) multiset of its findings with the expected one,
 * as DIR/README.md's scoring rule says. The score is information: the exit code is 0 unless the runner fails.
 *
 * A case is its command line and nothing else: `meshlens validate -f <the suite's default ingress gateway> -f <each
 * case file> [--mesh-config <the case's mesh config>] --output json`, given to the same main() that bin/meshlens.js
 * calls. No object is added, dropped or rewritten here; what a user's `validate` reports is what is scored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Finding, FindingsResponse } from '@meshlens/model';
import { main } from './entry.js';

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

/** The suite next to the repository (the layout .ci/run uses). */
export const DEFAULT_SUITE = fileURLToPath(new URL('../../../../shared/conformance/istio', import.meta.url));

/**
 * The `meshlens validate` arguments of a case. Istio adds a stand-in ingress gateway to every files-only analysis
 * (README "Inventory"); the suite ships it as defaults/istio-ingressgateway.yaml, passed like any other file.
 */
export function caseArgs(dir: string, c: ConformanceCase): string[] {
  return [
    'validate',
    '-f', join(dir, 'defaults', 'istio-ingressgateway.yaml'),
    ...c.files.flatMap((f) => ['-f', join(dir, 'testdata', f)]),
    ...(c.meshConfig ? ['--mesh-config', join(dir, 'testdata', c.meshConfig)] : []),
    '--output', 'json',
  ];
}

/** The findings `meshlens validate` gives for a case, through the CLI's own entry point. */
export async function validateCase(dir: string, c: ConformanceCase): Promise<{ findings: Finding[]; exitCode: number; stderr: string }> {
  let out = '';
  let err = '';
  const exitCode = await main(['node', 'meshlens', ...caseArgs(dir, c)], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  // 0: nothing at or above --fail-on, 1: findings that are; anything else means validate could not run the case.
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`case "${c.id}": meshlens validate exited ${exitCode}: ${err.trim()}`);
  return { findings: (JSON.parse(out) as FindingsResponse).findings, exitCode, stderr: err };
}

function tuple(code: string, kind: string, namespace: string | null | undefined, name: string): string {
  return `${code} ${kind} ${namespace ?? 'default'}/${name}`;
}

/** Compares the findings that carry one of the case's codes with its expectations, as multisets (README "Scoring"). */
export function scoreCase(c: ConformanceCase, findings: Finding[]): CaseResult & { findings: Finding[] } {
  const codes = new Set(c.codes);
  const kept = findings.filter((f) => codes.has(f.code) || (f.istioCode !== undefined && codes.has(f.istioCode)));
  const got = new Map<string, number>();
  for (const f of kept) {
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
  return { id: c.id, passed: missing.length === 0 && extra.length === 0, missing, extra, findings: kept };
}

/** Runs one case through `meshlens validate` and scores it. */
export async function runCase(dir: string, c: ConformanceCase): Promise<CaseResult & { findings: Finding[] }> {
  return scoreCase(c, (await validateCase(dir, c)).findings);
}

/** The cases of a suite directory. */
export function loadCases(dir: string): ConformanceCase[] {
  return JSON.parse(readFileSync(join(dir, 'expectations.json'), 'utf8')) as ConformanceCase[];
}

/** Runs every case of `dir`; prints per-case lines and the score through `out`. */
export async function runConformance(dir: string, out: (s: string) => void, verbose = false): Promise<{ passed: number; total: number; results: CaseResult[] }> {
  const cases = loadCases(dir);
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const r = await runCase(dir, c);
    results.push(r);
    out(`${r.passed ? 'PASS' : 'FAIL'} ${String(i + 1).padStart(2)} ${c.id}\n`);
    if (!r.passed) {
      for (const m of r.missing) out(`       missing: ${m}\n`);
      for (const x of r.extra) out(`       extra:   ${x}\n`);
    }
    if (verbose) {
      out(`       meshlens ${caseArgs(dir, c).join(' ')}\n`);
      for (const f of r.findings) out(`       finding: ${f.istioCode ?? f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path}: ${f.message}\n`);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  out(`\nConformance (${dir}) through \`meshlens validate\`: ${passed}/${cases.length} cases passed (${((100 * passed) / cases.length).toFixed(1)}%)\n`);
  return { passed, total: cases.length, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const given = args.find((a) => !a.startsWith('--'));
  const dir = given ? resolve(given) : DEFAULT_SUITE;
  if (!given && !existsSync(join(dir, 'expectations.json'))) {
    process.stderr.write(`usage: npm run conformance -- [DIR] [--verbose]   (DIR holds expectations.json, testdata/ and defaults/; default ${DEFAULT_SUITE}, which is not there)\n`);
    process.exitCode = 2;
  } else {
    try {
      await runConformance(dir, (s) => process.stdout.write(s), verbose);
    } catch (e) {
      process.stderr.write(`conformance: cannot run the suite in ${dir}: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  }
}

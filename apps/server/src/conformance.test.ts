/**
 * The conformance harness is `meshlens validate` and nothing else: for every case of the Istio suite, the findings
 * the harness scores are the findings of the real executable (bin/meshlens.js, another process) run with the same
 * arguments, and the suite passes in full. Skipped when the suite is not next to the repository.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, FindingsResponse } from '@meshlens/model';
import { caseArgs, DEFAULT_SUITE, loadCases, scoreCase, validateCase, type ConformanceCase } from './conformance.js';

const bin = fileURLToPath(new URL('../bin/meshlens.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/entry.js', import.meta.url)));
const present = existsSync(`${DEFAULT_SUITE}/expectations.json`);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** What identifies a finding for the comparison: everything but the message wording, which is the same code anyway. */
function key(f: Finding): string {
  return JSON.stringify([f.code, f.istioCode, f.severity, f.object, f.path, f.line, f.column, f.message]);
}

describe.skipIf(!present || !built)('Istio conformance through meshlens validate', () => {
  const cases: ConformanceCase[] = present ? loadCases(DEFAULT_SUITE) : [];

  it('gives, on every case, the findings the meshlens executable prints for the same command line', async () => {
    const mismatches: string[] = [];
    // two processes at a time: the machine has two cores
    for (let i = 0; i < cases.length; i += 2) {
      await Promise.all(cases.slice(i, i + 2).map(async (c) => {
        const [harness, real] = await Promise.all([validateCase(DEFAULT_SUITE, c), cli(caseArgs(DEFAULT_SUITE, c))]);
        const printed = (JSON.parse(real.stdout) as FindingsResponse).findings;
        if (real.code !== harness.exitCode) mismatches.push(`${c.id}: exit ${real.code} from the executable, ${harness.exitCode} in the harness`);
        const a = harness.findings.map(key).sort();
        const b = printed.map(key).sort();
        if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push(`${c.id}: ${a.length} findings in the harness, ${b.length} printed`);
      }));
    }
    expect(mismatches).toEqual([]);
    expect(cases).toHaveLength(65);
  }, 300_000);

  it('passes 65 of 65 cases', async () => {
    const failed: string[] = [];
    for (const c of cases) {
      const r = scoreCase(c, (await validateCase(DEFAULT_SUITE, c)).findings);
      if (!r.passed) failed.push(`${c.id}: missing ${r.missing.join(', ') || '-'}; extra ${r.extra.join(', ') || '-'}`);
    }
    expect(failed).toEqual([]);
  }, 120_000);

  it('runs a case as a user would type it: the suite\'s default ingress gateway, the case files, its mesh config', () => {
    const c = cases.find((x) => x.meshConfig !== null)!;
    expect(caseArgs('/suite', c)).toEqual([
      'validate', '-f', '/suite/defaults/istio-ingressgateway.yaml', '-f', `/suite/testdata/${c.files[0]}`, '--mesh-config', `/suite/testdata/${c.meshConfig}`, '--output', 'json',
    ]);
  });
});

/**
 * The real `meshlens` CLI (node bin/meshlens.js, a child process) on e2e/fixtures/hostile: manifests whose names,
 * hosts and annotations hold markup, terminal escapes, bidi overrides and 10,000-character strings. Text output
 * carries no raw control or bidi character (they are written as \xNN / \uNNNN); JSON output keeps every string whole.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/meshlens.js', import.meta.url));
const FIXTURE = 'e2e/fixtures/hostile';

const ANSI = '\u001b[31mred-alert\u001b[0m';
const BIDI = 'invoice\u202Etxt.exe';
const ZW = 'pay\u200Bments\u200D';
const IMG = '<img src=x onerror=window.__pwned=1>';
const SVG = '"><svg onload=window.__pwned=1>';
const LONG_NAME = `long-${'abcdefghij'.repeat(999)}end00`;

/** C0 (but tab and newline), DEL, C1, bidi controls, line/paragraph separators, zero-width space, word joiner, BOM. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

function meshlens(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Raw control characters of `text`, with their line, for a readable failure. */
function rawControls(text: string): string[] {
  return text.split('\n').flatMap((line, i) => (RAW_CONTROL.test(line) ? [`line ${i + 1}: ${JSON.stringify(line.slice(0, 200))}`] : []));
}

describe('meshlens CLI on hostile manifests', { timeout: 60_000 }, () => {
  it('validate (text) reports the findings with escaped names and no raw control or bidi character', () => {
    const { code, stdout, stderr } = meshlens('validate', '-f', FIXTURE);
    // Errors exist (hosts that resolve to nothing), so exit code 1; nothing went to stderr (no file failed to load).
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(rawControls(stdout)).toEqual([]);
    // The escape sequence and the bidi override are there, written out.
    expect(stdout).toContain('VirtualService hostile-lab/legacy-routes The destination host "\\x1b[31mred-alert\\x1b[0m.nowhere.svc.cluster.local"');
    expect(stdout).toContain('The destination host "invoice\\u202etxt.exe.nowhere.svc.cluster.local"');
    expect(stdout).toContain('The destination host "pay\\u200bments\u200d.nowhere.svc.cluster.local"');
    // Markup is plain text in a terminal: printed as it is.
    expect(stdout).toContain(`No service account ${IMG} exists in namespace hostile-lab`);
    expect(stdout).toMatch(/^11 error\(s\), 4 warning\(s\), 0 info on 7 object\(s\)$/m);
  });

  it('validate -o json is valid JSON that keeps every string whole (escapes, bidi, 10,000 characters)', () => {
    const { code, stdout } = meshlens('validate', '-f', FIXTURE, '-o', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ code: string; message: string; object: { kind: string; namespace: string; name: string }; path: string }>; summary: unknown };
    expect(report.summary).toMatchObject({ error: 11, warning: 4, info: 0, objects: 7 });
    const hosts = report.findings
      .filter((f) => f.code === 'KIA1101' && f.object.name === 'legacy-routes')
      .map((f) => /The destination host "([^"]*)"/.exec(f.message)?.[1]);
    expect(hosts).toEqual([`${ANSI}.nowhere.svc.cluster.local`, `${BIDI}.nowhere.svc.cluster.local`, `${ZW}.nowhere.svc.cluster.local`]);
    // The 10,000-character principal is quoted whole, not cut.
    expect(report.findings.some((f) => f.message.includes(LONG_NAME))).toBe(true);
    expect(report.findings.filter((f) => f.message.startsWith(`No service account ${IMG} exists`)).map((f) => [f.object.name, f.path])).toEqual([['frontend-allow', 'spec.rules[0].from[0].source.principals[0]']]);
  });

  it('trace (text) through hostile routes prints the regex with the escape sequence written out', () => {
    const { code, stdout, stderr } = meshlens('trace', '-f', FIXTURE, '--from', 'hostile-lab/loadgen', 'http://frontend:8080/', '-H', `x-user: ${SVG}`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(rawControls(stdout)).toEqual([]);
    // Checked as booleans: a failing toContain would print the 10,000-character lines.
    const has = (needle: string) => stdout.includes(needle);
    expect(has("! regex '^/(\\x1b[31mred-alert\\x1b[0m)+$' is not valid RE2"), 'regex line escaped').toBe(true);
    expect(has(`no rule of DENY policy hostile-lab/${SVG} matched`), 'DENY policy named').toBe(true);
    // Both weighted routes: 90 % to frontend v1, 10 % to the workload with the 10,000-character name, whole.
    expect(/^path 1: 90\.0% → workload hostile-lab\/frontend-v1 /m.test(stdout), 'path 1').toBe(true);
    expect(has(`path 2: 10.0% → workload hostile-lab/${LONG_NAME} (1 pod)`), 'path 2 with the whole long name').toBe(true);
  });

  it('trace to a URL whose host holds a bidi override and an escape sequence refuses it, escaped, exit code 2', () => {
    for (const url of [`http://${BIDI}.example.net/`, `http://${ANSI}.example.net/`]) {
      const { code, stdout, stderr } = meshlens('trace', '-f', FIXTURE, '--from', 'hostile-lab/frontend-v1', url);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(rawControls(stderr)).toEqual([]);
      expect(stderr.split('\n')).toHaveLength(2);
    }
    const { stderr } = meshlens('trace', '-f', FIXTURE, '--from', 'hostile-lab/frontend-v1', `http://${BIDI}.example.net/`);
    expect(stderr).toBe('meshlens: "http://invoice\\u202etxt.exe.example.net/" is not a URL: write it like https://en.wikipedia.org or tcp://tcp-echo:9000\n');
  });

  it('trace -o json keeps hostile hosts and names whole', () => {
    const { code, stdout } = meshlens('trace', '-f', FIXTURE, '--from', 'hostile-lab/loadgen', '-o', 'json', 'http://frontend:8080/');
    expect(code).toBe(0);
    const text = JSON.stringify(JSON.parse(stdout));
    expect(text.includes(JSON.stringify(ANSI).slice(1, -1)), 'escape sequence kept (JSON-escaped)').toBe(true);
    expect(text.includes(LONG_NAME), 'long name whole').toBe(true);
  });

  it('a usage error that quotes a hostile argument escapes it', () => {
    const { code, stdout, stderr } = meshlens('trace', '-f', FIXTURE, '--from', `hostile-lab/${ANSI}${BIDI}`, 'http://frontend:8080/');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(rawControls(stderr)).toEqual([]);
    expect(stderr).toMatch(/^meshlens: --from hostile-lab\/\\x1b\[31mred-alert\\x1b\[0minvoice\\u202etxt\.exe: no workload or pod /);
  });
});

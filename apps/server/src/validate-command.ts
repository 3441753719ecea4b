/**
 * `meshlens validate`: checks manifests offline (no cluster) and prints findings as text, JSON or SARIF 2.1.0.
 * Exit 0 when nothing reaches --fail-on, 1 when something does, 2 for usage errors (bad option, no readable input).
 */
import type { Command } from 'commander';
import { buildInventory, checkInventory, CODES, summarize } from '@meshlens/mesh';
import { SEVERITIES, type Finding, type FindingsResponse, type Severity } from '@meshlens/model';
import { loadManifestPaths } from '@meshlens/sources';
import { VERSION } from './version.js';

export class ValidateUsageError extends Error {}

/** Thrown when findings reach the --fail-on threshold: main() turns it into exit code 1. */
export class ValidateFailedError extends Error {
  readonly exitCode = 1;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function location(f: { file?: string; line?: number; column?: number }): string {
  return `${f.file ?? '-'}:${f.line ?? 0}:${f.column ?? 0}`;
}

/** One line per finding (`file:line:col severity CODE Kind ns/name message`), the fix indented below. */
export function formatText(findings: Finding[]): string {
  const lines = findings.map((f) => {
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    const code = f.istioCode ? `${f.code}(${f.istioCode})` : f.code;
    return `${location(f)} ${f.severity} ${code} ${obj} ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`;
  });
  const s = summarize(findings);
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${s.error} error(s), ${s.warning} warning(s), ${s.info} info on ${s.objects} object(s)\n`;
}

/** SARIF 2.1.0: one rule per code used, one result per finding, references as related locations. */
export function formatSarif(findings: Finding[]): unknown {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const level = (s: Severity) => (s === 'info' ? 'note' : s);
  const physical = (file: string | undefined, line?: number, column?: number) => ({
    artifactLocation: { uri: (file ?? 'input').replace(/\\/g, '/') },
    region: { startLine: line ?? 1, ...(column ? { startColumn: column } : {}) },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'meshlens', version: VERSION, informationUri: 'https://github.com/meshlens/meshlens',
          rules: codes.map((c) => ({
            id: c,
            name: c,
            shortDescription: { text: CODES[c]?.title ?? c },
            help: { text: `${CODES[c]?.title ?? c}${CODES[c]?.istioCode ? ` (istioctl analyze ${CODES[c]!.istioCode})` : ''}` },
            defaultConfiguration: { level: level(CODES[c]?.severity ?? 'error') },
            ...(CODES[c]?.istioCode ? { properties: { istioCode: CODES[c]!.istioCode } } : {}),
          })),
        },
      },
      results: findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: codes.indexOf(f.code),
        level: level(f.severity),
        message: { text: `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}` },
        locations: [{ physicalLocation: physical(f.file, f.line, f.column), logicalLocations: [{ name: f.path || f.object.name, kind: 'object' }] }],
        ...(f.references.length ? {
          relatedLocations: f.references.map((r, i) => ({
            id: i + 1,
            physicalLocation: physical(r.file, r.line),
            message: { text: `${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name}${r.path ? ` ${r.path}` : ''}${r.note ? `: ${r.note}` : ''}` },
          })),
        } : {}),
      })),
    }],
  };
}

/** Registers `validate` on the root command. */
export function addValidateCommand(root: Command, io: { out: (s: string) => void; err: (s: string) => void }): void {
  root.command('validate')
    .description('check Istio and Kubernetes manifests offline and report configuration findings (text, json or sarif)')
    .requiredOption('-f, --filename <path>', 'manifest file or directory (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('-o, --output <format>', 'text, json or sarif', 'text')
    .option('--fail-on <severity>', 'exit 1 when a finding of this severity or worse exists: error, warning or info', 'error')
    .action(async (opts: { filename: string[]; output: string; failOn: string }) => {
      if (!['text', 'json', 'sarif'].includes(opts.output)) throw new ValidateUsageError(`--output "${opts.output}": expected text, json or sarif`);
      if (!(SEVERITIES as string[]).includes(opts.failOn)) throw new ValidateUsageError(`--fail-on "${opts.failOn}": expected error, warning or info`);
      const loaded = await loadManifestPaths(opts.filename);
      if (loaded.files.length === 0) {
        throw new ValidateUsageError(`no readable manifest in ${opts.filename.join(', ')}: ${loaded.errors.map((e) => `${e.file ?? ''} ${e.message}`).join('; ') || 'no .yaml, .yml or .json file found'}`);
      }
      const inv = buildInventory(loaded.objects, loaded.errors);
      const findings = checkInventory(inv);
      if (opts.output === 'json') {
        const body: FindingsResponse = { findings, summary: summarize(findings) };
        io.out(`${JSON.stringify(body, null, 2)}\n`);
      } else if (opts.output === 'sarif') {
        io.out(`${JSON.stringify(formatSarif(findings), null, 2)}\n`);
      } else {
        io.out(formatText(findings));
      }
      const threshold = RANK[opts.failOn as Severity];
      const failing = findings.filter((f) => RANK[f.severity] <= threshold).length;
      if (failing > 0) throw new ValidateFailedError(`${failing} finding(s) at or above ${opts.failOn}`);
    });
}

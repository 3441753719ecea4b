/**
 * `meshlens validate`: checks manifests offline (no cluster) and prints findings as text, JSON or SARIF 2.1.0.
 * Exit 0 when nothing reaches --fail-on, 1 when something does, 2 for usage errors (bad option, a named file that
 * is not there, no readable input, an unknown --namespace, a --mesh-config that is no MeshConfig).
 * Like `istioctl analyze --use-kube=false`: every object is loaded (references may cross namespaces), --namespace
 * only narrows what is reported, and --mesh-config plays istioctl's --meshConfigFile.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { buildInventory, catalogueMarkdown, catalogueText, checkCatalogue, checkInventory, CODES, draftedInventory, isDeleteMarker, parseManifests, summarize, type DraftSet } from '@meshlens/mesh';
import { SEVERITIES, type Finding, type FindingsResponse, type InventoryObject, type Severity } from '@meshlens/model';
import { loadManifestPaths } from '@meshlens/sources/files';
import { CommandFailedError, requireReadablePaths, terminalText, UsageError, type CliIo } from './cli-base.js';
import { VERSION } from './version.js';

export class ValidateUsageError extends UsageError {}

/** Thrown when findings reach the --fail-on threshold: main() turns it into exit code 1. */
export class ValidateFailedError extends CommandFailedError {}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function location(f: { file?: string; line?: number; column?: number }): string {
  return `${f.file ?? '-'}:${f.line ?? 0}:${f.column ?? 0}`;
}

/** One line per finding (`file:line:col severity CODE Kind ns/name message`), the fix indented below. */
export function formatText(findings: Finding[]): string {
  // Everything but the severity and the codes comes from the input: written terminal-safe (cli-base.ts).
  const t = terminalText;
  const lines = findings.map((f) => {
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    const code = f.istioCode ? `${f.code}(${f.istioCode})` : f.code;
    return `${t(location(f))} ${f.severity} ${code} ${t(obj)} ${t(f.message)}${f.fix ? `\n    fix: ${t(f.fix)}` : ''}`;
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * The mesh config `--mesh-config FILE` gives, as the `istio` ConfigMap the inventory reads it from: FILE holds a
 * MeshConfig (`defaultConfig: {proxyMetadata: …}`, what istioctl's --meshConfigFile takes) or the ConfigMap itself
 * (its `data.mesh`). Fields it does not set keep Istio's defaults.
 */
export async function meshConfigObject(file: string): Promise<InventoryObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ValidateUsageError(`--mesh-config ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a MeshConfig file' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ValidateUsageError(`--mesh-config ${file}: not valid YAML (${firstLine((e as Error).message)})`);
  }
  const expected = 'expected a MeshConfig (e.g. defaultConfig: {proxyMetadata: {ISTIO_META_DNS_AUTO_ALLOCATE: "true"}}) or the istio ConfigMap with data.mesh';
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) throw new ValidateUsageError(`--mesh-config ${file}: ${expected}`);
  const { kind } = (doc ?? {}) as { kind?: unknown };
  if (kind === 'ConfigMap') {
    const cm = parseManifests(text, { file }).objects.find((o) => o.ref.kind === 'ConfigMap');
    if (!cm || typeof cm.object.data?.mesh !== 'string') throw new ValidateUsageError(`--mesh-config ${file}: this ConfigMap has no data.mesh; ${expected}`);
    // whatever its name, it is the mesh config the flag asks for
    return cm.ref.name === 'istio' ? cm : { ...cm, ref: { ...cm.ref, name: 'istio' }, object: { ...cm.object, metadata: { ...cm.object.metadata, name: 'istio' } } };
  }
  if (typeof kind === 'string' && typeof (doc as { apiVersion?: unknown }).apiVersion === 'string') throw new ValidateUsageError(`--mesh-config ${file}: this is a ${kind}; ${expected}`);
  return {
    ref: { kind: 'ConfigMap', namespace: 'istio-system', name: 'istio' },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: text } },
    origin: { source: 'file', file, line: 1, column: 1 },
    positions: { 'data.mesh': { line: 1, column: 1 } },
  };
}

/** True for the mesh configs of the inventory (`istio` ConfigMaps with data.mesh), which --mesh-config replaces. */
function isMeshConfigMap(o: InventoryObject): boolean {
  return o.ref.kind === 'ConfigMap' && o.ref.name === 'istio' && typeof o.object.data?.mesh === 'string';
}

/** Findings on objects of `namespace` (and on the Namespace itself); those about unreadable input are always kept. */
function inNamespace(f: Finding, namespace: string): boolean {
  if (f.object.kind === 'File') return true;
  return f.object.namespace ? f.object.namespace === namespace : f.object.kind === 'Namespace' && f.object.name === namespace;
}

/**
 * `--with FILE…`: the drafts of a change set (what-if), read as manifests. Each object replaces the inventory's object
 * of the same kind/namespace/name or is added; one annotated `meshlens.io/draft: delete` removes its namesake.
 */
export async function loadDraftPaths(paths: string[]): Promise<DraftSet> {
  await requireReadablePaths(paths, '--with');
  const loaded = await loadManifestPaths(paths);
  const draft: DraftSet = { objects: [], deletes: [], errors: loaded.errors };
  for (const o of loaded.objects) (isDeleteMarker(o) ? draft.deletes.push({ ...o.ref }) : draft.objects.push(o));
  return draft;
}

interface ValidateOptions {
  filename?: string[];
  with?: string[];
  listChecks?: boolean;
  output: string;
  failOn: string;
  meshConfig?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

/** Registers `validate` on the root command. */
export function addValidateCommand(root: Command, io: CliIo): void {
  root.command('validate')
    .description('check Istio and Kubernetes manifests offline and report configuration findings (text, json or sarif)')
    .option('-f, --filename <path>', 'manifest file or directory (repeatable, required); a `kubectl get … -o yaml` dump works as it is', (v: string, p: string[] = []) => [...p, v])
    .option('-o, --output <format>', 'text, json or sarif (--list-checks: text, json or markdown)', 'text')
    .option('--list-checks', 'print every check code: Meshlens\'s and Kiali\'s, with istioctl aliases, severity, what it checks, and why a Kiali code is not emitted')
    .option('--fail-on <severity>', 'exit 1 when a finding of this severity or worse exists: error, warning or info', 'error')
    .option('--mesh-config <file>', 'the mesh config to check against: a MeshConfig YAML (as istioctl analyze --meshConfigFile) or the istio ConfigMap; replaces any in the manifests (default: the istio ConfigMap of the manifests, else Istio\'s defaults)')
    .option('-n, --namespace <namespace>', 'report only findings on objects of this namespace (every manifest is still loaded, for references across namespaces)')
    .option('-A, --all-namespaces', 'report findings of every namespace (the default)')
    .option('--with <file>', 'what-if: draft manifests laid over the -f manifests before checking (repeatable): same kind/namespace/name replaces, new objects are added, the annotation meshlens.io/draft: delete removes', (v: string, p: string[] = []) => [...p, v])
    .action(async (opts: ValidateOptions) => {
      if (opts.listChecks) {
        if (opts.filename) throw new ValidateUsageError('--list-checks prints the catalogue of checks: it takes no -f');
        if (opts.output === 'json') io.out(`${JSON.stringify(checkCatalogue(), null, 2)}\n`);
        else if (opts.output === 'markdown') io.out(`${catalogueMarkdown()}\n`);
        else if (opts.output === 'text') io.out(catalogueText());
        else throw new ValidateUsageError(`--output "${opts.output}" with --list-checks: expected text, json or markdown`);
        return;
      }
      if (!opts.filename || opts.filename.length === 0) throw new ValidateUsageError("required option '-f, --filename <path>' not specified (or --list-checks for the catalogue of checks)");
      const filename = opts.filename;
      if (!['text', 'json', 'sarif'].includes(opts.output)) throw new ValidateUsageError(`--output "${opts.output}": expected text, json or sarif`);
      if (!(SEVERITIES as string[]).includes(opts.failOn)) throw new ValidateUsageError(`--fail-on "${opts.failOn}": expected error, warning or info`);
      if (opts.namespace !== undefined && opts.allNamespaces) throw new ValidateUsageError('--namespace and --all-namespaces cannot be used together: choose one namespace or all of them');
      if (opts.namespace === '') throw new ValidateUsageError('--namespace: give a namespace name');
      await requireReadablePaths(filename, '-f');
      const meshConfig = opts.meshConfig === undefined ? undefined : await meshConfigObject(opts.meshConfig);
      const loaded = await loadManifestPaths(filename);
      if (loaded.files.length === 0) {
        throw new ValidateUsageError(`no readable manifest in ${filename.join(', ')}: ${loaded.errors.map((e) => `${e.file ?? ''} ${e.message}`).join('; ') || 'no .yaml, .yml or .json file found'}`);
      }
      const objects = meshConfig ? [...loaded.objects.filter((o) => !isMeshConfigMap(o)), meshConfig] : loaded.objects;
      const inv = opts.with ? draftedInventory({ objects, errors: loaded.errors }, [await loadDraftPaths(opts.with)]).inventory : buildInventory(objects, loaded.errors);
      if (opts.namespace !== undefined && !inv.namespaces.has(opts.namespace)) {
        const known = [...inv.namespaces.keys()].sort();
        throw new ValidateUsageError(`--namespace ${opts.namespace}: no object of the manifests is in this namespace (they use: ${known.join(', ') || 'none'})`);
      }
      const all = checkInventory(inv);
      const findings = opts.namespace === undefined ? all : all.filter((f) => inNamespace(f, opts.namespace!));
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

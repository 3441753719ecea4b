/** `meshlens trace`: where does this request go, and which rule decided each hop. */
import type { Command } from 'commander';
import { buildInventory, draftedInventory, traceRequest, type Inventory } from '@meshlens/mesh';
import { parseTraceIdentity, parseTraceSource, parseTraceTarget, TraceInputError, type Endpoint, type Outcome, type RuleRef, type TraceRequest, type TraceResult, type TraceSource } from '@meshlens/model';
import { loadManifestPaths, loadManifestTexts } from '@meshlens/sources';
import { loadDemoManifests } from '@meshlens/demo';
import { requireReadablePaths, terminalText, UsageError } from './cli-base.js';
import { loadDraftPaths } from './validate-command.js';

export class TraceUsageError extends UsageError {}

/** The shared readers of @meshlens/model, their sentences as usage errors (exit 2). */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof TraceInputError) throw new TraceUsageError(e.message);
    throw e;
  }
}

/** Parses `--from`: `ns/workload`, `gateway:ns/name`, or `outside`. */
export function parseSource(from: string): TraceSource {
  return usage(() => parseTraceSource(from));
}

/** Turns `https://en.wikipedia.org/wiki`, `tcp://tcp-echo:9000` or `reviews:9080/path` into a request. */
export function parseTarget(target: string, opts: { headers?: string[]; method?: string; sni?: string }): Omit<TraceRequest, 'source'> {
  return usage(() => parseTraceTarget(target, opts));
}

/** `--principal` and `--request-principal`, checked for their shape. */
export function parseIdentity(opts: { principal?: string; requestPrincipal?: string }): Pick<TraceRequest, 'principal' | 'requestPrincipal'> {
  return usage(() => parseTraceIdentity(opts));
}

/** `delivered`, `no-route (404 NR)`, `denied-by-policy (403 RBAC: access denied)`, `plaintext-refused (connection reset)`. */
export function outcomeText(o: Outcome): string {
  if (o.kind === 'delivered') return 'delivered';
  if (o.kind === 'denied-by-policy') return `denied-by-policy (${o.responseCode === 403 ? '403 RBAC: access denied' : 'connection closed'}${o.policy ? `, ${o.action} AuthorizationPolicy ${o.policy.namespace}/${o.policy.name}${o.ruleIndex !== undefined ? ` spec.rules[${o.ruleIndex}]` : ''}` : ', no ALLOW policy matched'})`;
  if (o.kind === 'plaintext-refused') return `plaintext-refused (${o.responseCode === 0 ? 'connection reset' : `${o.responseCode} ${o.responseFlags}`}: STRICT mTLS at ${o.enforcedBy})`;
  return `${o.kind} (${o.responseCode} ${o.responseFlags})`;
}

function endpoint(e: Endpoint): string {
  switch (e.kind) {
    case 'client': return e.description;
    case 'gateway': return `gateway ${e.namespace}/${e.workload}:${e.port}`;
    case 'service': return `service ${e.host}:${e.port}${e.subset ? ` (subset ${e.subset})` : ''}`;
    case 'workload': return `workload ${e.namespace}/${e.name} (${e.pods} pod${e.pods === 1 ? '' : 's'})`;
    case 'serviceEntry': return `ServiceEntry ${e.namespace}/${e.name} → ${e.host}:${e.port} (${e.location})`;
    case 'passthrough': return `PassthroughCluster → ${e.host ?? e.ip}:${e.port}`;
    case 'blackhole': return `BlackHoleCluster (${e.host ?? e.ip}:${e.port} dropped)`;
    case 'external': return `external ${e.host ?? e.ip}:${e.port}`;
  }
}

function rule(r: RuleRef): string {
  const at = r.file ? `${r.file}:${r.line ?? '?'}:${r.column ?? '?'}` : 'cluster';
  return `${at} ${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name} ${r.path}: ${r.note}`;
}

/** Formats a trace as text a person reads top to bottom. */
export function formatTrace(result: TraceResult): string {
  const lines: string[] = [];
  for (const p of result.problems) lines.push(`! ${p}`);
  result.paths.forEach((path, i) => {
    lines.push(`path ${i + 1}: ${(path.weight * 100).toFixed(1)}% → ${endpoint(path.destination)} — ${outcomeText(path.outcome)}`);
    path.hops.forEach((hop, j) => {
      lines.push(`  ${j + 1}. ${endpoint(hop.from)} → ${endpoint(hop.to)} [${hop.protocol}]`);
      lines.push(`     ${hop.explanation}`);
      for (const r of hop.decidedBy) lines.push(`     · ${rule(r)}`);
      for (const s of hop.security ?? []) {
        lines.push(`     ${s.kind === 'mtls' ? 'mTLS' : 'authorization'} ${s.verdict}: ${s.explanation}`);
        for (const r of s.decidedBy) lines.push(`       · ${rule(r)}`);
      }
    });
    if (path.fault?.delay) lines.push(`  fault: delay ${path.fault.delay.ms} ms on ${(path.fault.delay.fraction * 100).toFixed(0)}% (${rule(path.fault.delay.rule)})`);
    if (path.timeoutMs !== undefined) lines.push(`  timeout: ${path.timeoutMs} ms`);
    for (const m of path.mirrors ?? []) lines.push(`  mirror: ${(m.fraction * 100).toFixed(0)}% to ${endpoint(m.to)}`);
    if (path.connectionPool) lines.push(`  connection pool: ${JSON.stringify({ ...path.connectionPool, rule: undefined })}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The inventory to trace in, and the problems worth printing: those of the user's own files (-f, --with). The demo
 * mesh's are its scenarios (seed 001's hand-written egress gateway shadows the installed one on purpose; `meshlens
 * validate` reports it), not the user's to fix, and printed before every demo trace they read as an error.
 */
async function inventoryFor(opts: { filename?: string[]; demo?: boolean; with?: string[] }): Promise<{ inv: Inventory; problems: Inventory['errors'] }> {
  if (opts.filename) await requireReadablePaths(opts.filename, '-f');
  const demoFiles = opts.filename ? [] : loadDemoManifests();
  const loaded = opts.filename ? await loadManifestPaths(opts.filename) : loadManifestTexts(demoFiles, 'demo');
  // what-if: the change set's drafts over the manifests (or the demo mesh), by the engine's own overlay
  const inv = opts.with ? draftedInventory(loaded, [await loadDraftPaths(opts.with)]).inventory : buildInventory(loaded.objects, loaded.errors);
  const demo = new Set(demoFiles.map((f) => f.file));
  return { inv, problems: inv.errors.filter((e) => !e.file || !demo.has(e.file)) };
}

/**
 * A `--from` naming a workload (or pod, or gateway workload) the inventory does not have is a usage error: the
 * trace would have nothing to start from. The message lists what the namespace does have.
 */
export function requireSource(inv: Inventory, source: TraceSource, from: string, where: string): void {
  if (source.kind === 'outside') return;
  const { namespace, name } = source;
  if (inv.workloadsByKey.has(`${namespace}/${name}`) || inv.pods.some((p) => p.namespace === namespace && p.name === name)) return;
  const there = inv.workloads.filter((w) => w.namespace === namespace).map((w) => w.name).sort();
  const shown = there.length > 12 ? `${there.slice(0, 12).join(', ')}, … (${there.length} in all)` : there.join(', ');
  const what = source.kind === 'gateway' ? 'gateway workload' : 'workload or pod';
  throw new TraceUsageError(`--from ${from}: no ${what} ${name} in namespace ${namespace} of ${where} (${there.length ? `its workloads: ${shown}` : inv.namespaces.has(namespace) ? 'it has no workloads' : 'no such namespace'})`);
}

/** Adds the `trace` command to the CLI. */
export function addTraceCommand(root: Command, io: { out: (s: string) => void; err: (s: string) => void }): void {
  root.command('trace')
    .description('show where a request goes and which rule decides each hop (from manifests, or the demo mesh)')
    .argument('<url>', 'the request: http://host[:port]/path, https://host, tls://host:port, tcp://host:port, grpc://host:port')
    .requiredOption('--from <source>', 'who sends it: <namespace>/<workload>, gateway:<namespace>/<name>, or outside')
    .option('-f, --filename <path>', 'manifest file or directory (repeatable; default: the demo mesh)', (v: string, p: string[] = []) => [...p, v])
    .option('-H, --header <header>', 'request header "name: value" (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('--sni <name>', 'TLS server name (default: the URL host)')
    .option('--principal <identity>', "the caller's mTLS identity where it cannot be derived (from outside, or to try another): spiffe://cluster.local/ns/<ns>/sa/<sa> or <ns>/<sa>")
    .option('--request-principal <iss/sub>', "the request's JWT principal <issuer>/<subject>, valid where a RequestAuthentication accepts the issuer")
    .option('--with <file>', 'what-if: draft manifests laid over the inventory before tracing (repeatable): same kind/namespace/name replaces, new objects are added, the annotation meshlens.io/draft: delete removes', (v: string, p: string[] = []) => [...p, v])
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (url: string, opts: { from: string; filename?: string[]; with?: string[]; header?: string[]; method: string; sni?: string; principal?: string; requestPrincipal?: string; output: string }) => {
      if (opts.output !== 'text' && opts.output !== 'json') throw new TraceUsageError(`--output "${opts.output}": expected text or json`);
      const request: TraceRequest = { source: parseSource(opts.from), ...parseTarget(url, { headers: opts.header, method: opts.method, sni: opts.sni }), ...parseIdentity(opts) };
      const { inv, problems } = await inventoryFor(opts);
      for (const e of problems) io.err(`meshlens: ${terminalText(`${e.file ?? ''}${e.line ? `:${e.line}` : ''} ${e.object ? `${e.object}: ` : ''}${e.message}`)}\n`);
      requireSource(inv, request.source, opts.from, opts.filename ? 'the manifests' : 'the demo mesh');
      const result = traceRequest(inv, request);
      io.out(opts.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTrace(result).split('\n').map(terminalText).join('\n'));
    });
}

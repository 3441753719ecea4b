/**
 * Which findings and objects the graph's side panel shows for a node or an edge, and where each finding sits on its
 * object page. Pure: the panel's hooks fetch, this decides.
 */
import type { AppliedConfig, ConfigObjectResponse, Finding, NodeData, ObjectRef, RuleRef, Severity } from '@meshlens/model';
import { refKey } from '@meshlens/model';
import { findingConcerns } from '../config/graphFindings';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function bySeverity(a: Finding, b: Finding): number {
  // stable: within one object, the server's order (the order of the YAML)
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || refKey(a.object).localeCompare(refKey(b.object));
}

/** The findings the graph marks a node with (config/graphFindings.ts), worst first. */
export function nodeFindings(node: NodeData, findings: Finding[]): Finding[] {
  if (node.isBox) return [];
  return findings.filter((f) => findingConcerns(node, f)).sort(bySeverity);
}

/**
 * An edge's findings: those of the objects that route its traffic (a rule the tracer names, an object that applies to
 * the destination) and those that concern its destination node; worst first, each once.
 */
export function edgeFindings(target: NodeData | undefined, routing: ObjectRef[], findings: Finding[]): Finding[] {
  const keys = new Set(routing.map(refKey));
  return findings.filter((f) => keys.has(refKey(f.object)) || (target !== undefined && !target.isBox && findingConcerns(target, f))).sort(bySeverity);
}

/** One object that routes or applies, and how, for the panel's list. */
export interface RoutingObject {
  ref: ObjectRef;
  /** In words: "decides the route (spec.tls[0].route[0])", "applies to the destination: its hosts name the service". */
  how: string;
  /** The line to open its object page at (a rule's line), when known. */
  line?: number;
}

const VIA_WORDS: Record<AppliedConfig['via'], string> = {
  host: 'its hosts name the service, or route to it',
  selector: 'its workload selector selects the pods',
  namespace: 'namespace-wide (no selector)',
  mesh: 'mesh-wide (root namespace)',
  gateway: 'a gateway serving it',
};

/** The objects an entity's detail says apply to it, as the panel lists them. */
export function appliedObjects(applied: AppliedConfig[], what: string): RoutingObject[] {
  return applied.map((a) => ({ ref: a.ref, how: `Applies to ${what}: ${VIA_WORDS[a.via]}` }));
}

/** Kinds that change how a client's sidecar sends traffic out (the source side of an edge). */
const SOURCE_SIDE_KINDS = new Set(['Sidecar', 'EnvoyFilter']);

/**
 * The objects that route an edge: the rules the tracer names (with their lines), then the objects that apply to the
 * destination, then the source's Sidecars; each object once, the first reason kept.
 */
export function edgeRoutingObjects(
  rules: Array<{ rule: RuleRef; line?: number; role: 'decided' | 'meant' | 'limit' }>,
  targetApplied: AppliedConfig[],
  sourceApplied: AppliedConfig[],
): RoutingObject[] {
  const out = new Map<string, RoutingObject>();
  const add = (o: RoutingObject) => {
    if (!out.has(refKey(o.ref))) out.set(refKey(o.ref), o);
  };
  for (const r of rules) {
    const how = r.role === 'meant' ? `Meant to route it (${r.rule.path}), not applied` : r.role === 'limit' ? `Sets a limit on it (${r.rule.path})` : `Decides its route (${r.rule.path})`;
    add({ ref: r.rule.object, how, ...(r.line !== undefined ? { line: r.line } : {}) });
  }
  for (const o of appliedObjects(targetApplied, 'the destination')) add(o);
  for (const o of appliedObjects(sourceApplied.filter((a) => SOURCE_SIDE_KINDS.has(a.ref.kind)), 'the source')) add(o);
  return [...out.values()];
}

/** The key that matches a finding of `/api/findings` to the same finding on its object page. */
export function findingKey(f: Pick<Finding, 'object' | 'code' | 'path'>): string {
  return `${refKey(f.object)}#${f.code}#${f.path}`;
}

/** Each finding's line in its object page's YAML, from the object pages' answers. */
export function findingLines(objects: Array<ConfigObjectResponse | undefined>): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) {
    for (const f of o?.findings ?? []) if (f.yamlLine !== undefined && !out.has(findingKey(f))) out.set(findingKey(f), f.yamlLine);
  }
  return out;
}

/** Findings of several answers, each once (one finding can come in two namespaces' answers). */
export function mergeFindings(...lists: Array<Finding[] | undefined>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const list of lists) {
    for (const f of list ?? []) {
      const key = `${findingKey(f)}#${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

/** Namespaces of objects that are not among `known`: where more findings may be. */
export function otherNamespaces(refs: ObjectRef[], known: string[]): string[] {
  return [...new Set(refs.map((r) => r.namespace).filter((ns): ns is string => ns !== undefined && !known.includes(ns)))].sort();
}

/** The objects whose pages hold these findings (Files and Secrets have none). */
export function findingObjects(findings: Finding[]): ObjectRef[] {
  const out = new Map<string, ObjectRef>();
  for (const f of findings) if (f.object.kind !== 'File' && f.object.kind !== 'Secret') out.set(refKey(f.object), f.object);
  return [...out.values()];
}

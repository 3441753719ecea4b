/**
 * Each problem told once. Several checks can describe one problem from different sides (Kiali's KIA0203 "subset
 * selects no pod of the host" and Meshlens's MLS1004 "…but other pods carry the labels"; MLS1002 "nothing routes
 * traffic arriving at the gateway" and MLS1003 "mesh traffic is sent to that gateway and stops there"). Within one
 * object's findings, the findings that tell the same problem (their checks marked them with a shared problem key,
 * see tellsProblem) become one: the primary keeps its code, position and fix, and gains the others as `aliases`,
 * their sentences, fix additions, references and — as a reference to the object itself — their lines.
 *
 * Only findings of the same object are grouped, so the incremental engine (which re-validates objects one by one)
 * stays exact; and an alias never carries an istioctl code, so matching by istioctl codes counts what it did before.
 */
import { refKey, type Finding, type Severity } from '@meshlens/model';
import { codeInfo } from './codes.js';
import { compareFindings, tellingOf, type Telling } from './finding.js';

/** Which code tells a problem when these codes describe it together: the primary, then the codes folded into it. */
export const RELATED_CODES: ReadonlyArray<{ primary: string; aliases: readonly string[] }> = [
  // the subset selects no pod of its host (Kiali's and istioctl's finding) — and the labels sit on other pods
  { primary: 'KIA0203', aliases: ['MLS1004'] },
  // the VirtualService binds a gateway and routes nothing arriving there — while its mesh rule sends traffic there
  { primary: 'MLS1002', aliases: ['MLS1003'] },
  // the workload is enrolled in sidecar and ambient mode at once (labels) — and its pods show it (a sidecar in an
  // ambient namespace, a sidecar beside the ambient label, ztunnel redirecting an injected workload)
  { primary: 'KIA1311', aliases: ['KIA1314', 'KIA1315', 'KIA1316'] },
  // without the contradictory labels: a sidecar pod in an ambient namespace, seen on the pod and on the namespace
  { primary: 'KIA1316', aliases: ['KIA1315'] },
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function problems(t: Telling | undefined): string[] {
  if (!t) return [];
  return Array.isArray(t.problem) ? t.problem : [t.problem];
}

/**
 * The findings of one object with each problem told once. The result does not depend on the order of `findings`:
 * it is sorted (compareFindings), and a primary takes its aliases in that order.
 */
export function tellOnce(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const sorted = [...findings].sort(compareFindings);
  const consumed = new Set<Finding>();
  const merged = new Map<Finding, Finding>();
  for (const rel of RELATED_CODES) {
    for (const primary of sorted) {
      if (primary.code !== rel.primary || consumed.has(primary)) continue;
      const keys = new Set(problems(tellingOf(primary)));
      if (keys.size === 0) continue;
      const aliases = sorted.filter((f) => f !== primary && !consumed.has(f) && !merged.has(f) && rel.aliases.includes(f.code)
        && refKey(f.object) === refKey(primary.object)
        // an istioctl code stays a finding of its own: conformance and `istioctl analyze` users count it
        && f.istioCode === undefined && codeInfo(f.code).istioCode === undefined
        && problems(tellingOf(f)).some((k) => keys.has(k)));
      if (aliases.length === 0) continue;
      for (const a of aliases) consumed.add(a);
      merged.set(primary, fold(merged.get(primary) ?? primary, aliases));
    }
  }
  if (consumed.size === 0) return findings;
  return sorted.filter((f) => !consumed.has(f)).map((f) => merged.get(f) ?? f);
}

/** `primary` telling `aliases` too: one message, one fix, every object involved with its line. */
function fold(primary: Finding, aliases: Finding[]): Finding {
  const out: Finding = { ...primary, references: [...primary.references] };
  const codes = new Set(primary.aliases ?? []);
  let message = primary.message;
  let fix = primary.fix;
  const seen = new Set(out.references.map((r) => `${refKey(r.object)}|${r.path ?? ''}`));
  for (const a of aliases) {
    codes.add(a.code);
    const t = tellingOf(a);
    const sentence = (t?.sentence ?? a.message).trim().replace(/\.$/, '');
    message = `${message.trim()} ${sentence} (${a.code}).`;
    const more = t?.fix ?? a.fix; // '' adds nothing: the primary's fix covers it
    if (more && more.trim() && !(fix ?? '').includes(more.trim())) fix = fix ? `${fix.trim()} ${more.trim()}` : more.trim();
    if (RANK[a.severity] < RANK[out.severity]) out.severity = a.severity;
    // the alias's own field, when it is elsewhere in the object: its line stays one click away
    if (a.path !== primary.path && !seen.has(`${refKey(a.object)}|${a.path}`)) {
      seen.add(`${refKey(a.object)}|${a.path}`);
      const self: Finding['references'][number] = { object: { ...a.object }, path: a.path };
      if (a.file !== undefined) self.file = a.file;
      if (a.line !== undefined) self.line = a.line;
      self.note = `${a.code}: ${codeInfo(a.code).title.charAt(0).toLowerCase()}${codeInfo(a.code).title.slice(1)}`;
      out.references.push(self);
    }
    for (const r of a.references) {
      const key = `${refKey(r.object)}|${r.path ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.references.push(r);
    }
  }
  out.message = message;
  if (fix !== undefined) out.fix = fix;
  out.aliases = [...codes].sort();
  return out;
}

/** Where the YAML view puts its markers: findings grouped by line, each line with its worst severity. */
import type { Finding, Severity } from '@meshlens/model';
import { SEVERITY_LABEL } from '../../config/severity';

export type PlacedFinding = Finding & { yamlLine?: number };

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface LineFindings {
  line: number;
  severity: Severity;
  findings: PlacedFinding[];
}

/** Findings grouped by line, each line with its worst severity. */
export function findingsByLine(findings: PlacedFinding[], lineCount: number): LineFindings[] {
  const lines = new Map<number, PlacedFinding[]>();
  for (const f of findings) {
    if (f.yamlLine === undefined || f.yamlLine < 1 || f.yamlLine > lineCount) continue;
    lines.set(f.yamlLine, [...(lines.get(f.yamlLine) ?? []), f]);
  }
  return [...lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([line, list]) => ({ line, findings: list, severity: list.reduce<Severity>((w, f) => (RANK[f.severity] < RANK[w] ? f.severity : w), 'info') }));
}

/** Plain-text tooltip of a marker: one line per finding. */
export function markerTitle(entry: LineFindings): string {
  return entry.findings.map((f) => `${SEVERITY_LABEL[f.severity]} ${f.code}${f.istioCode ? ` (${f.istioCode})` : ''}: ${f.message}`).join('\n');
}


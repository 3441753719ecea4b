/**
 * The whole catalogue as `meshlens validate --list-checks` prints it (and the README's table, generated from the same
 * function): every code Meshlens emits (codes.ts) with its istioctl alias, and every Kiali code it does not emit, with
 * the reason — not applicable to Meshlens, or not yet implemented.
 */
import type { Severity } from '@meshlens/model';
import { CODES } from './codes.js';

export type CheckStatus = 'implemented' | 'not applicable' | 'not yet';

export interface CatalogueEntry {
  code: string;
  severity: Severity;
  /** The `istioctl analyze` code of the same check. */
  istioCode?: string;
  title: string;
  status: CheckStatus;
  /** Why a Kiali code is not emitted. */
  reason?: string;
}

/** Kiali's codes Meshlens does not emit: Kiali's severity ("unknown" read as info) and title, and why. */
const NOT_EMITTED: ReadonlyArray<Omit<CatalogueEntry, 'status'> & { status: Exclude<CheckStatus, 'implemented'> }> = [
  { code: 'KIA0107', severity: 'info', title: "Service account for this principal is on a remote cluster", status: 'not applicable', reason: 'Meshlens reads one cluster at a time (?cluster= picks one context), so it cannot tell a remote service account from a missing one; KIA0106 reports the missing ones' },
  { code: 'KIA1301', severity: 'warning', title: 'Workload not covered by any AuthorizationPolicy (Kiali ignores it by default)', status: 'not yet', reason: "Kiali ignores it by default (kiali_feature_flags.validations.ignore); Meshlens has no opt-in for checks yet, and on by default it would warn on every workload of a mesh without AuthorizationPolicies (the demo's included)" },
];

/** Every code: Meshlens's own and Kiali's, in code order (KIA before MLS). */
export function checkCatalogue(): CatalogueEntry[] {
  const emitted: CatalogueEntry[] = Object.entries(CODES).map(([code, info]) => ({
    code, severity: info.severity, ...(info.istioCode ? { istioCode: info.istioCode } : {}), title: info.title, status: 'implemented',
  }));
  const emittedCodes = new Set(emitted.map((e) => e.code));
  const rest = NOT_EMITTED.filter((e) => !emittedCodes.has(e.code));
  return [...emitted, ...rest].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The catalogue as a Markdown table (the README's, between its `checks` markers). */
export function catalogueMarkdown(entries = checkCatalogue()): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = entries.map((e) => `| ${e.code} | ${e.istioCode ?? ''} | ${e.severity} | ${cell(e.title)} | ${e.status === 'implemented' ? 'yes' : `${e.status}: ${cell(e.reason ?? '')}`} |`);
  return ['| Code | istioctl | Severity | Checks | Implemented |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The catalogue as text columns (`meshlens validate --list-checks`). */
export function catalogueText(entries = checkCatalogue()): string {
  const lines = entries.map((e) => `${e.code.padEnd(8)} ${(e.istioCode ?? '').padEnd(8)} ${e.severity.padEnd(8)} ${e.status === 'implemented' ? '' : `[${e.status}] `}${e.title}${e.reason ? ` (${e.reason})` : ''}`);
  const counts = (s: CheckStatus) => entries.filter((e) => e.status === s).length;
  const kiali = entries.filter((e) => e.code.startsWith('KIA'));
  return `${lines.join('\n')}\n\n${counts('implemented')} codes implemented (${kiali.filter((e) => e.status === 'implemented').length} of Kiali's ${kiali.length}); ${counts('not applicable')} not applicable; ${counts('not yet')} not yet.\n`;
}

/** Severity shown as a glyph plus a word (never colour alone), and counts per severity. */
import type { FindingsSummary, Severity } from '@meshlens/model';
import './severity.css';

export const SEVERITY_GLYPH: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };
export const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

export function SeverityIcon({ severity, withLabel = false }: { severity: Severity; withLabel?: boolean }) {
  return (
    <span className={`severity severity-${severity}`} data-severity={severity}>
      <span aria-hidden="true">{SEVERITY_GLYPH[severity]}</span>
      {withLabel ? <span className="severity-word">{SEVERITY_LABEL[severity]}</span> : <span className="visually-hidden">{SEVERITY_LABEL[severity]}</span>}
    </span>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2 errors, 1 warning" (zero counts left out; "no findings" when all are zero). */
export function summaryText(s: Pick<FindingsSummary, 'error' | 'warning' | 'info'>): string {
  const parts = [s.error ? plural(s.error, 'error') : '', s.warning ? plural(s.warning, 'warning') : '', s.info ? `${s.info} info` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no findings';
}

/** Compact per-severity counts, each with its glyph and a word for screen readers. */
export function SeverityCounts({ summary, testId }: { summary: Pick<FindingsSummary, 'error' | 'warning' | 'info'>; testId?: string }) {
  return (
    <span className="severity-counts" data-testid={testId} aria-label={summaryText(summary)} role="group">
      {(['error', 'warning', 'info'] as const).map((s) => (
        <span key={s} className={`severity-count severity-${s}${summary[s] === 0 ? ' zero' : ''}`} aria-hidden="true">
          {SEVERITY_GLYPH[s]} {summary[s]}
        </span>
      ))}
    </span>
  );
}

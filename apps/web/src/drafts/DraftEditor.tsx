/**
 * A draft being written: the YAML in an editor on the left, checked as the person types (in the what-if worker,
 * with every draft of the change set in place) and, on the right, what the check says: parse errors with their
 * line, the findings on this draft, the findings the change set removes and adds, and the whole mesh's counts.
 */
import { useMemo } from 'react';
import { formatRef, type Finding } from '@meshlens/model';
import { SeverityCounts, SeverityIcon } from '../config/severity';
import { CodeEditor, type LineDiagnostic } from './CodeEditor';
import { draftFile } from './protocol';
import { discardDraft, draftTitle, updateDraft, useDrafts, type Draft } from './store';
import { useDraftCheck } from './useDraftCheck';
import { lastTraceInput, TraceSummary } from './TraceWithDrafts';
import { traceRequestOf } from './traceRequest';
import './drafts.css';

function FindingItem({ f, testId }: { f: Finding; testId: string }) {
  return (
    <li className="draft-finding" data-testid={testId} data-code={f.code} data-object={formatRef(f.object)} data-path={f.path}>
      <SeverityIcon severity={f.severity} /> <strong>{f.code}</strong> <span className="draft-finding-object">{formatRef(f.object)}</span>
      {f.path && <code className="draft-finding-path">{f.path}</code>}
      <span className="draft-finding-message">{f.message.split('\n')[0]}</span>
    </li>
  );
}

function FindingList({ findings, testId, empty }: { findings: Finding[]; testId: string; empty: string }) {
  if (findings.length === 0) return <p className="muted" data-testid={`${testId}-none`}>{empty}</p>;
  return (
    <ul className="draft-findings" data-testid={testId}>
      {findings.slice(0, 200).map((f, i) => <FindingItem key={`${f.code}-${formatRef(f.object)}-${f.path}-${i}`} f={f} testId={`${testId}-item`} />)}
      {findings.length > 200 && <li className="muted">{`… and ${findings.length - 200} more`}</li>}
    </ul>
  );
}

export function DraftEditor({ draft, onClose, headingLevel = 3 }: { draft: Draft; onClose?: () => void; headingLevel?: 2 | 3 }) {
  const drafts = useDrafts();
  // the request last traced on the trace page is traced again after each edit, with and without the drafts
  const traced = useMemo(() => lastTraceInput(), []);
  const request = useMemo(() => (traced ? traceRequestOf(traced) : undefined), [traced]);
  const check = useDraftCheck(drafts, request);
  const report = check.result?.drafts.find((d) => d.id === draft.id);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const H4 = headingLevel === 2 ? 'h3' : 'h4';
  const file = draftFile(draft.id);

  const diagnostics = useMemo<LineDiagnostic[]>(() => {
    if (!report) return [];
    const fromErrors = report.errors.map((e) => ({ line: e.line ?? 1, column: e.column, severity: 'error' as const, message: e.message }));
    const fromFindings = report.findings.filter((f) => f.file === file && f.code !== 'MLS0000' && f.line).map((f) => ({ line: f.line!, column: f.column, severity: f.severity, message: `${f.code}: ${f.message}` }));
    return [...fromErrors, ...fromFindings];
  }, [report, file]);

  const named = draftTitle(draft);
  const title = draft.base ? `Draft of ${formatRef(draft.base.ref)}` : named === 'New draft' ? 'New draft' : `New draft: ${named}`;
  return (
    <section className="draft-editor" aria-labelledby={`draft-title-${draft.id}`} data-testid="draft-panel" data-draft-id={draft.id}>
      <div className="draft-head">
        <H id={`draft-title-${draft.id}`} className="draft-title">{title}</H>
        <span className="muted draft-note">Not applied: checked in your browser only.</span>
        <span className="draft-actions">
          <button type="button" className="link-button" data-testid="draft-discard" onClick={() => { discardDraft(draft.id); onClose?.(); }}>Discard draft</button>
          {onClose && <button type="button" className="link-button" data-testid="draft-close" onClick={onClose}>Close editor</button>}
        </span>
      </div>
      <div className="draft-body">
        <div className="draft-code-wrap">
          <CodeEditor initial={draft.text} label={`${title}, editable YAML`} diagnostics={diagnostics} onChange={(text) => updateDraft(draft.id, text)} />
        </div>
        <div className="draft-results" aria-live="polite">
          <p className="draft-status" data-testid="draft-status" data-checking={check.checking ? 'true' : 'false'} data-seq={check.seq}>
            {check.error ? <span role="alert">{`The check failed: ${check.error}`}</span>
              : !check.result ? 'Loading the live objects into the checker…'
                : `${check.checking ? 'Checking… ' : ''}Checked ${check.result.objects} objects with ${drafts.length === 1 ? 'this draft' : `the ${drafts.length} drafts`} in ${check.result.ms} ms.`}
          </p>
          {report && report.errors.length > 0 && (
            <div className="draft-errors" data-testid="draft-parse-errors">
              <H4>YAML errors</H4>
              <ul>
                {report.errors.map((e, i) => (
                  <li key={i} data-testid="draft-parse-error" data-line={e.line ?? ''}>
                    <SeverityIcon severity="error" /> {`Line ${e.line ?? '?'}${e.column ? `, column ${e.column}` : ''}: ${e.message.split('\n')[0]}`}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {check.result && (
            <>
              <H4>Findings the change set removes <span className="draft-count">({check.result.removed.length})</span></H4>
              <FindingList findings={check.result.removed} testId="removed-findings" empty="None." />
              <H4>Findings the change set adds <span className="draft-count">({check.result.added.length})</span></H4>
              <FindingList findings={check.result.added} testId="added-findings" empty="None." />
              <H4>On this draft's objects</H4>
              <FindingList findings={(report?.findings ?? []).filter((f) => f.code !== 'MLS0000')} testId="draft-findings" empty="No findings." />
              {traced && check.result.trace && (
                <>
                  <H4>{`The current trace: ${traced.from} → ${traced.url}`}</H4>
                  <p className="draft-trace-label">Now</p>
                  <TraceSummary result={check.result.trace.now} testId="draft-trace-now" />
                  <p className="draft-trace-label">With the drafts</p>
                  <TraceSummary result={check.result.trace.withDrafts} testId="draft-trace-drafted" />
                </>
              )}
              <H4>The whole mesh</H4>
              <p className="draft-summary" data-testid="draft-summary">
                <span>Now</span> <SeverityCounts summary={check.result.baseSummary} />
                <span aria-hidden="true"> → </span><span>with the drafts</span> <SeverityCounts summary={check.result.summary} testId="draft-summary-after" />
              </p>
            </>
          )}
        </div>
      </div>
    </section>
  );
}

/** One finding, explained: severity, codes, message, the field and its line, what to change, and the objects involved. */
import { formatRef, type InvolvingFinding } from '@meshlens/model';
import type { PlacedFinding } from './YamlView';
import { Link } from '@tanstack/react-router';
import { objectLink } from '../../router/links';
import { SeverityIcon } from '../../config/severity';

interface Props {
  finding: PlacedFinding;
  namespaces: string[] | null;
  focused?: boolean;
  onShowLine?: () => void;
  /** On the Config page the finding's own object is worth a link too. */
  showObject?: boolean;
  /**
   * The finding is on another object and involves the page's object this way (its field, line and why): the card
   * says so and links the finding's own object.
   */
  involvement?: InvolvingFinding['involvement'];
  /** Shows the involved field's line in the page's YAML. */
  onShowInvolvedLine?: () => void;
}

export function FindingCard({ finding: f, namespaces, focused, onShowLine, showObject, involvement, onShowInvolvedLine }: Props) {
  return (
    <li className={`finding-card severity-border-${f.severity}${focused ? ' focused' : ''}`} data-testid="finding" data-code={f.code} data-line={f.yamlLine ?? ''} data-aliases={f.aliases?.join(' ') || undefined}>
      <div className="finding-head">
        <SeverityIcon severity={f.severity} withLabel />
        <code className="finding-code">{f.code}</code>
        {f.istioCode && <code className="finding-code muted" title="istioctl analyze code">{f.istioCode}</code>}
        {f.aliases && f.aliases.length > 0 && (
          <span className="finding-aliases muted small" data-testid="finding-aliases" title="Other codes that describe this same problem, told here once">
            {'also '}{f.aliases.map((a, i) => <span key={a}>{i > 0 ? ', ' : ''}<code className="finding-code">{a}</code></span>)}
          </span>
        )}
        {onShowLine && f.yamlLine !== undefined && (
          <button type="button" className="link-button small" onClick={onShowLine} aria-label={`Show line ${f.yamlLine} in the YAML`}>
            line {f.yamlLine}
          </button>
        )}
      </div>
      {involvement && (
        <p className="finding-involves" data-testid="involvement">
          <strong>Involves this object</strong>
          {involvement.path && <> at <code>{involvement.path}</code></>}
          {involvement.yamlLine !== undefined && onShowInvolvedLine && (
            <>
              {' '}
              <button type="button" className="link-button small" onClick={onShowInvolvedLine} aria-label={`Show line ${involvement.yamlLine} in the YAML`}>
                line {involvement.yamlLine}
              </button>
            </>
          )}
          {involvement.note && <span>{` — ${involvement.note}`}</span>}
          {f.object.kind !== 'File' && (
            <>
              {'. Finding of '}
              <Link {...objectLink(f.object, namespaces)} activeOptions={{ exact: true }} data-testid="involving-object">{formatRef(f.object)}</Link>
            </>
          )}
        </p>
      )}
      {!involvement && showObject && f.object.kind !== 'File' && (
        <p className="finding-object">
          <Link {...objectLink(f.object, namespaces)} activeOptions={{ exact: true }}>{formatRef(f.object)}</Link>
        </p>
      )}
      <p className="finding-message">{f.message}</p>
      <dl className="facts finding-facts">
        {f.path && (
          <div className="fact">
            <dt>Field</dt>
            <dd><code>{f.path}</code></dd>
          </div>
        )}
        {f.file && (
          <div className="fact">
            <dt>Written at</dt>
            <dd className="break">{`${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`}</dd>
          </div>
        )}
        {f.fix && (
          <div className="fact">
            <dt>Fix</dt>
            <dd className="finding-fix">{f.fix}</dd>
          </div>
        )}
      </dl>
      {f.references.length > 0 && (
        <div className="finding-refs">
          <span className="muted">Involves:</span>
          <ul className="ref-list">
            {f.references.map((r, i) => (
              <li key={`${formatRef(r.object)}-${i}`}>
                {r.object.kind === 'Secret' ? (
                  <span>{formatRef(r.object)}</span>
                ) : (
                  <Link {...objectLink(r.object, namespaces)} activeOptions={{ exact: true }}>{formatRef(r.object)}</Link>
                )}
                {r.path && <> <code>{r.path}</code></>}
                {r.line !== undefined && <span className="muted">{` (${r.file ?? ''}:${r.line})`}</span>}
                {r.note && <span>{` — ${r.note}`}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}

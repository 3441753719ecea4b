/** One config object: its YAML with markers at each finding, the findings explained, and the objects it ties to. */
import { useCallback, useState } from 'react';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import type { ObjectRef } from '@meshlens/model';
import { formatRef, kindLabel } from '@meshlens/model';
import { ApiRequestError } from '../../api/client';
import { useConfigObject } from '../../config/api';
import { SeverityCounts } from '../../config/severity';
import { TextSkeleton } from '../../components/PageSkeleton';
import { configListLink, objectLink } from '../../router/links';
import { ObjectGraphLink } from './ObjectGraphLink';
import { FindingCard } from './FindingCard';
import { YamlView } from './YamlView';
import { EditAsDraftButton, ObjectDraftEditor } from '../../drafts/ObjectDraft';
import { UntrustedText } from '../../components/UntrustedText';
import './configPages.css';

const route = getRouteApi('/config/$kind/$namespace/$name');

function RefList({ refs, namespaces, emptyText, testId }: { refs: ObjectRef[]; namespaces: string[] | null; emptyText: string; testId: string }) {
  if (refs.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <ul className="ref-list" data-testid={testId}>
      {refs.map((r) => (
        <li key={formatRef(r)}>
          {r.kind === 'Secret' ? (
            <span><UntrustedText text={formatRef(r)} lines={2} /> <span className="muted">(metadata only)</span></span>
          ) : (
            <Link {...objectLink(r, namespaces)} activeOptions={{ exact: true }}><UntrustedText text={formatRef(r)} lines={2} /></Link>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ObjectPage() {
  const { kind, namespace, name } = route.useParams();
  // A new object is a new page: nothing of the previous one's state (its focused line) stays.
  return <ObjectView key={`${kind}/${namespace}/${name}`} kind={kind} namespace={namespace} name={name} />;
}

function ObjectView({ kind, namespace, name }: { kind: string; namespace: string; name: string }) {
  const search = route.useSearch();
  const navigate = useNavigate();
  const namespaces = search.namespaces && search.namespaces.length > 0 ? search.namespaces : null;
  const focusLine = search.line ?? null;
  const [editing, setEditing] = useState(false);
  const query = useConfigObject({ kind, namespace, name });
  const ref: ObjectRef = namespace === '-' ? { kind, name } : { kind, namespace, name };
  const title = formatRef(ref);
  const back = configListLink({ namespaces: namespaces ?? undefined });

  const setFocusLine = useCallback(
    (line: number | null) => void navigate({ from: '/config/$kind/$namespace/$name', to: '.', search: (prev) => ({ ...prev, line: line ?? undefined }), replace: true }),
    [navigate],
  );

  const data = query.data;
  // an older server answers without `involving`
  const involving = data?.involving ?? [];
  const summary = { error: 0, warning: 0, info: 0 };
  for (const f of data?.findings ?? []) summary[f.severity]++;

  return (
    <div className="page-scroll">
      <main className="page-main config-main object-page" aria-labelledby="object-title">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link {...back} activeOptions={{ exact: true }}>Config</Link> <span aria-hidden="true">›</span> <UntrustedText text={title} className="breadcrumb-current" />
        </nav>
        <div className="config-head">
          <h2 id="object-title" className="config-title">
            <span className="panel-kind">{kindLabel(kind)}</span>
            <UntrustedText text={ref.namespace ? `${ref.namespace}/${name}` : name} lines={2} testId="object-name" />
          </h2>
          {data && <SeverityCounts summary={summary} testId="object-counts" />}
          <ObjectGraphLink object={ref} references={data?.references} selection={namespaces} />
          <EditAsDraftButton object={ref} yaml={data?.yaml} editing={editing} onEdit={setEditing} />
        </div>
        <div className="progress-slot" role="status" aria-live="polite">
          {query.isFetching && (
            <>
              <progress className="progress" aria-label={data ? 'Refreshing the object' : 'Loading the object'} />
              <span className="visually-hidden">{data ? 'Refreshing the object' : 'Loading the object'}</span>
            </>
          )}
        </div>
        {query.error && (
          <div className="banner banner-error" role="alert" data-testid="object-error">
            <strong>{query.error instanceof ApiRequestError && query.error.status === 404 ? 'Not found. ' : 'Could not load this object. '}</strong>
            {query.error.message}{' '}
            <Link {...back}>Back to the Config list</Link>
          </div>
        )}
        {!data && query.isPending && (
          <div className="object-layout">
            <TextSkeleton lines={14} label="Loading the object…" />
            <TextSkeleton lines={6} label="" />
          </div>
        )}
        {data && editing && <ObjectDraftEditor object={ref} onClose={() => setEditing(false)} />}
        {data && !editing && (
          <div className="object-layout">
            <section className="object-yaml" aria-labelledby="yaml-heading">
              <h3 id="yaml-heading">YAML <span className="muted">({data.apiVersion})</span></h3>
              <YamlView yaml={data.yaml} findings={data.findings} label={`YAML of ${title}, read-only`} focusLine={focusLine} onMarkerClick={(l) => setFocusLine(l)} />
            </section>
            <div className="object-side">
              <section aria-labelledby="findings-heading">
                <h3 id="findings-heading">Findings</h3>
                {data.findings.length === 0 ? (
                  <p className="muted" data-testid="no-findings">
                    {involving.length === 0
                      ? "No findings: Meshlens's checks found nothing wrong with this object."
                      : `No findings on this object itself, but ${involving.length === 1 ? 'a finding of another object involves' : `${involving.length} findings of other objects involve`} it (below).`}
                  </p>
                ) : (
                  <ol className="finding-list" data-testid="findings">
                    {data.findings.map((f, i) => (
                      <FindingCard
                        key={`${f.code}-${f.path}-${i}`}
                        finding={f}
                        namespaces={namespaces}
                        focused={f.yamlLine !== undefined && f.yamlLine === focusLine}
                        onShowLine={f.yamlLine !== undefined ? () => setFocusLine(f.yamlLine!) : undefined}
                      />
                    ))}
                  </ol>
                )}
              </section>
              {involving.length > 0 && (
                <section aria-labelledby="involving-heading">
                  <h3 id="involving-heading">{`Involved in ${involving.length === 1 ? 'a finding' : `${involving.length} findings`} of other objects`}</h3>
                  <ol className="finding-list" data-testid="involving">
                    {involving.map((f, i) => (
                      <FindingCard
                        key={`${f.object.kind}/${f.object.namespace ?? ''}/${f.object.name}-${f.code}-${f.path}-${i}`}
                        finding={f}
                        namespaces={namespaces}
                        involvement={f.involvement}
                        onShowInvolvedLine={f.involvement.yamlLine !== undefined ? () => setFocusLine(f.involvement.yamlLine!) : undefined}
                      />
                    ))}
                  </ol>
                </section>
              )}
              <section aria-labelledby="refs-heading">
                <h3 id="refs-heading">Refers to</h3>
                <RefList refs={data.references} namespaces={namespaces} emptyText="No other object." testId="references" />
              </section>
              <section aria-labelledby="refby-heading">
                <h3 id="refby-heading">Referred to by</h3>
                <RefList refs={data.referencedBy} namespaces={namespaces} emptyText="No other object refers to this one." testId="referenced-by" />
              </section>
            </div>
          </div>
        )}
      </main>
    </div>
  );
}

/**
 * A trace's answer: each weighted path with its outcome (HTTP code and Envoy flag), its diagram, its steps — each
 * naming the rules that decided it, linked to the object's page at the rule's line, with the YAML path and the
 * rule's sentence — its limits (faults, timeout, retries, mirrors, connection pool, TLS), and next to it what the
 * window's telemetry shows from the same source, with the disagreement, when there is one, said in words.
 */
import { Fragment } from 'react';
import { Link } from '@tanstack/react-router';
import { formatRef, type PathTelemetry, type RuleRef, type TraceIntent, type TracePath, type TraceResponse, type TraceTelemetryEdge } from '@meshlens/model';
import { formatBytesPerSecond, formatPercent, formatRps } from '../../format/units';
import { objectLink } from '../../router/links';
import { formatMoment } from '../../time/clock';
import { PathDiagram } from './PathDiagram';
import { visibleText } from '../../components/untrustedText';
import { durationWords, endpointText, formatShare, outcomeView, pathLimits, ruleFile, ruleLine, securityStepView, shortHost, VERDICT_LABEL } from './traceModel';

interface Common {
  lines: Record<string, number>;
  namespaces: string[] | null;
}

function RuleLink({ rule, lines, namespaces }: { rule: RuleRef } & Common) {
  const line = ruleLine(rule, lines);
  return (
    <Link {...objectLink(rule.object, namespaces, line)} data-testid="trace-rule-link" title={line !== undefined ? `Open ${formatRef(rule.object)} at line ${line} of its YAML` : `Open ${formatRef(rule.object)}`}>
      {formatRef(rule.object)}
    </Link>
  );
}

function RuleItem({ rule, ...common }: { rule: RuleRef } & Common) {
  const file = ruleFile(rule);
  return (
    <li className="trace-rule" data-testid="trace-rule" data-kind={rule.object.kind} data-object={formatRef(rule.object)}>
      <span className="trace-rule-ref">
        <RuleLink rule={rule} {...common} />
        <code className="trace-yaml-path" data-testid="trace-yaml-path">{rule.path}</code>
        {file && <span className="muted small trace-rule-file">{file}</span>}
      </span>
      <span className="trace-rule-note">{rule.note}</span>
    </li>
  );
}

function windowWords(t: TraceResponse['telemetry'], live: boolean): string {
  return live ? `the last ${durationWords(t.duration)}` : `the ${durationWords(t.duration)} up to ${formatMoment(t.queryTime)}`;
}

function edgeRate(e: TraceTelemetryEdge): string {
  return e.protocol === 'tcp' ? formatBytesPerSecond(e.rate) : formatRps(e.rate);
}

/** `200 97%`, `503 3%`: each share on its own unbreakable run, largest first; `-` (no flag) left out when it is all. */
function Shares({ values, hideNone = false, wrap = false }: { values: Record<string, number>; hideNone?: boolean; wrap?: boolean }) {
  const entries = Object.entries(values).filter(([k]) => !(hideNone && k === '-')).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) return <>—</>;
  return (
    <>
      {entries.map(([k, v], i) => (
        <Fragment key={k}>
          <span className={wrap ? undefined : 'nowrap'}>{`${k === '-' ? 'none' : wrap ? shortHost(k) : k} ${formatPercent(v)}`}</span>
          {i < entries.length - 1 ? ', ' : ''}
        </Fragment>
      ))}
    </>
  );
}

function EdgeTable({ edges, caption }: { edges: TraceTelemetryEdge[]; caption: string }) {
  if (edges.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data-table trace-edges" data-testid="telemetry-edges">
        <caption className="trace-edges-caption">{caption}</caption>
        <colgroup>
          <col className="trace-col-peer" />
          <col className="trace-col-rate" />
          <col className="trace-col-responses" />
          <col className="trace-col-hosts" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">To</th>
            <th scope="col" className="num">Rate</th>
            <th scope="col">Responses</th>
            <th scope="col">Hosts</th>
          </tr>
        </thead>
        <tbody>
          {edges.map((e) => (
            <tr key={`${e.peer.id}|${e.protocol}`} data-testid="telemetry-edge" data-peer={e.peer.label}>
              <td className="trace-edge-peer" title={e.peer.id}>
                {e.peer.label}
                {e.peer.nodeType === 'service' && !e.peer.egressCluster && <span className="muted small">{e.peer.serviceEntry ? ' ServiceEntry' : ' Service'}</span>}
              </td>
              <td className="num nowrap">{`${edgeRate(e)} ${e.protocol === 'grpc' ? 'gRPC' : e.protocol.toUpperCase()}`}</td>
              <td>
                {e.protocol !== 'tcp' && <Shares values={e.responseCodes} />}
                {Object.keys(e.responseFlags).some((f) => f !== '-') && (
                  <span className="trace-edge-flags">{e.protocol !== 'tcp' ? ' · flags ' : 'flags '}<Shares values={e.responseFlags} hideNone /></span>
                )}
                {e.protocol === 'tcp' && !Object.keys(e.responseFlags).some((f) => f !== '-') && '—'}
              </td>
              <td className="trace-edge-hosts"><Shares values={e.hosts} wrap /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TelemetryBox({ telemetry, window, index }: { telemetry: PathTelemetry | undefined; window: string; index: number }) {
  const headingId = `trace-telemetry-${index}`;
  if (!telemetry) return null;
  return (
    <aside className={`trace-telemetry verdict-${telemetry.verdict}`} aria-labelledby={headingId} data-testid="trace-telemetry" data-verdict={telemetry.verdict}>
      <h4 id={headingId}>{`Telemetry of ${window}`}</h4>
      <p className="trace-verdict" data-testid="telemetry-verdict">{VERDICT_LABEL[telemetry.verdict]}</p>
      <p className="trace-telemetry-summary" data-testid="telemetry-summary">{telemetry.summary}</p>
      {telemetry.disagreement && (
        <div className="trace-disagreement" role="note" aria-label="Where the configuration and the telemetry differ" data-testid="trace-disagreement">
          <strong className="trace-disagreement-title">Configuration and telemetry differ</strong>
          <p>{telemetry.disagreement}</p>
        </div>
      )}
      <EdgeTable edges={telemetry.matching} caption={`To ${telemetry.expected?.label ?? 'the destination'}`} />
      <EdgeTable edges={telemetry.elsewhere} caption="Other edges of the source that may carry it" />
    </aside>
  );
}

function IntentNote({ intent, ...common }: { intent: TraceIntent } & Common) {
  return (
    <div className="trace-intent" data-testid="trace-intent">
      <strong>{`What ${formatRef(intent.rule.object)} meant: `}</strong>
      {intent.sentence}{' '}
      <span className="trace-rule-ref">
        <RuleLink rule={intent.rule} {...common} />
        <code className="trace-yaml-path">{intent.rule.path}</code>
      </span>
      <span className="muted">{` Not applied: ${intent.whyIgnored}`}</span>
    </div>
  );
}

function PathCard({ path, index, count, telemetry, intents, window, ...common }: { path: TracePath; index: number; count: number; telemetry: PathTelemetry | undefined; intents: TraceIntent[]; window: string } & Common) {
  const outcome = outcomeView(path.outcome);
  const limits = pathLimits(path);
  const titleId = `trace-path-${index}`;
  const diagramRows = [
    { caption: 'The configuration sends it', nodes: telemetry?.nodes ?? [] },
    ...(telemetry?.intended && intents[0] ? [{ caption: `${formatRef(intents[0].rule.object)} meant (not applied)`, nodes: telemetry.intended }] : []),
  ];
  return (
    <article className="trace-path" aria-labelledby={titleId} data-testid="trace-path" data-outcome={path.outcome.kind}>
      <header className="trace-path-head">
        <h3 id={titleId}>
          {count > 1 ? `Path ${index + 1} of ${count}` : 'The path'}
          <span className="trace-share">{` · ${formatShare(path.weight)} of requests`}</span>
        </h3>
        <span className={`trace-outcome tone-${outcome.tone}`} data-testid="trace-outcome">{outcome.title}</span>
        <span className="trace-destination" data-testid="trace-destination">{`to ${endpointText(path.destination)}`}</span>
      </header>
      <p className="trace-outcome-sentence">{outcome.sentence}</p>
      <PathDiagram rows={diagramRows} />
      <div className="trace-path-body">
        <div className="trace-steps">
          <h4>Steps</h4>
          <ol className="trace-step-list">
            {path.hops.map((hop, h) => (
              <li key={h} className="trace-step" data-testid="trace-step">
                <div className="trace-step-head">
                  <span>{endpointText(hop.from)}</span>
                  <span aria-hidden="true">{' → '}</span>
                  <span className="visually-hidden"> to </span>
                  <span>{endpointText(hop.to)}</span>
                  <span className="trace-protocol">{hop.protocol.toUpperCase()}</span>
                </div>
                <p className="trace-explanation" data-testid="trace-explanation">{hop.explanation}</p>
                {hop.decidedBy.length > 0 ? (
                  <>
                    <p className="trace-decided">Decided by</p>
                    <ul className="trace-rules">
                      {hop.decidedBy.map((r, k) => <RuleItem key={k} rule={r} {...common} />)}
                    </ul>
                  </>
                ) : (
                  <p className="muted small">No rule decided this step: Istio's defaults did.</p>
                )}
                {(hop.security ?? []).length > 0 && (
                  <ul className="trace-security" aria-label="What the server checked" data-testid="trace-security">
                    {(hop.security ?? []).map((s, k) => {
                      const view = securityStepView(s);
                      return (
                        <li key={k} className={`trace-security-step tone-${view.tone}`} data-testid="trace-security-step" data-verdict={s.verdict}>
                          <span className="trace-security-title">{view.title}</span>
                          <p className="trace-explanation">{s.explanation}</p>
                          {s.decidedBy.length > 0 && (
                            <ul className="trace-rules">
                              {s.decidedBy.map((r, j) => <RuleItem key={j} rule={r} {...common} />)}
                            </ul>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
                {intents.filter((i) => i.hopIndex === h).map((i, k) => <IntentNote key={k} intent={i} {...common} />)}
              </li>
            ))}
          </ol>
          {limits.length > 0 && (
            <>
              <h4>Limits on this path</h4>
              <dl className="facts trace-limits" data-testid="trace-limits">
                {limits.map((l, k) => (
                  <div className="fact" key={k}>
                    <dt>{l.label}</dt>
                    <dd>
                      {l.text}
                      {l.rule && (
                        <span className="trace-limit-rule">
                          {' · '}
                          <RuleLink rule={l.rule} {...common} /> <code className="trace-yaml-path">{l.rule.path}</code>
                        </span>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </div>
        <TelemetryBox telemetry={telemetry} window={window} index={index} />
      </div>
    </article>
  );
}

export function TraceResultView({ data, namespaces, live }: { data: TraceResponse; namespaces: string[] | null; live: boolean }) {
  const { result, telemetry } = data;
  const window = windowWords(telemetry, live);
  const common: Common = { lines: data.ruleLines, namespaces };
  const r = result.request;
  const what = `${r.method && (r.protocol === 'http' || r.protocol === 'http2' || r.protocol === 'grpc') ? `${r.method} ` : ''}${data.query.url}`;
  return (
    <section className="trace-result" aria-labelledby="trace-result-title" data-testid="trace-result">
      <h3 id="trace-result-title" className="trace-result-title">
        {`${what} from ${data.query.from}: ${result.paths.length === 0 ? 'no path' : result.paths.length === 1 ? 'one path' : `${result.paths.length} weighted paths`}`}
      </h3>
      {result.problems.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="trace-problems">
          <ul>{result.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      {(data.warnings ?? []).length > 0 || telemetry.note ? (
        <div className="banner banner-info" data-testid="trace-warnings">
          <ul>
            {(data.warnings ?? []).map((w) => <li key={w}><bdi>{visibleText(w)}</bdi></li>)}
            {telemetry.note && <li>{telemetry.note}</li>}
          </ul>
        </div>
      ) : null}
      {result.paths.length === 0 && (
        <p className="empty-note">The trace found no path for this request; the notes above say why.</p>
      )}
      {result.paths.map((p, i) => (
        <PathCard
          key={i} path={p} index={i} count={result.paths.length} telemetry={telemetry.paths[i]} intents={data.intents.filter((x) => x.pathIndex === i)} window={window} {...common}
        />
      ))}
    </section>
  );
}

/**
 * The logs tab: a pod and a container, the application container and `istio-proxy` side by side or merged by time,
 * tail lines / since / follow, a text filter, and Envoy access-log lines with their response code and flags
 * highlighted and explained (tooltips, and a legend of the flags on screen). Everything but the lines is in the URL.
 */
import type { PodDetail, ResponseFlagInfo, UnreachedEdge } from '@meshlens/model';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { ApiRequestError } from '../../api/client';
import { currentSnapshot } from '../../cluster/clusterParam';
import { useTimeOptions } from '../../time/useTimeOptions';
import { SINCE_OPTIONS, TAIL_OPTIONS, type DetailState, type LogLayout } from './detailSearch';
import { filterLines, flagsIn, lineSegments, mergeByTime, shortTime, type Segment, type ShownLine } from './logLines';
import { useContainerLogs, type ContainerLogs } from './useLogs';
import { durationLabel } from '../../time/clock';
import { UnreachedNote } from './UnreachedNote';

interface Props {
  namespace: string;
  pods: PodDetail[];
  /** A workload's requests that its callers' proxies answered (their lines are in the callers' logs). */
  unreached?: { workload: string; edges: UnreachedEdge[] };
  state: DetailState;
  set: (change: Partial<DetailState>, mode?: 'push' | 'replace') => void;
}

function SegmentView({ segment }: { segment: Segment }) {
  switch (segment.kind) {
    case 'text':
      return <>{segment.text}</>;
    case 'match':
      return <mark className="log-match">{segment.text}</mark>;
    case 'code':
      return <span className={`log-code code-${segment.status}`} data-testid="log-code">{segment.text}</span>;
    case 'flag':
      return (
        <abbr className="log-flag" title={`${segment.flag.flag} ${segment.flag.name}: ${segment.flag.meaning}`} data-testid="log-flag" data-flag={segment.flag.flag}>
          {segment.text}
        </abbr>
      );
  }
}

function LogLine({ line, filter, showContainer }: { line: ShownLine; filter: string; showContainer: boolean }) {
  const flagged = (line.accessLog?.responseFlags.length ?? 0) > 0;
  return (
    <div className={`log-line${flagged ? ' log-line-flagged' : ''}${line.accessLog ? ' log-line-access' : ''}`} data-testid="log-line" data-container={line.container}>
      <span className="log-time">{shortTime(line)}</span>
      {showContainer && <span className={`log-container${line.container === 'istio-proxy' ? ' is-proxy' : ''}`}>{line.container}</span>}
      <span className="log-message">
        {lineSegments(line, filter).map((s, i) => (
          <SegmentView key={i} segment={s} />
        ))}
      </span>
    </div>
  );
}

/** The server's own words, without the client's generic prefix. */
function serverWords(error: Error): string {
  return error.message.replace(/^The server (?:failed to answer|refused) this request: /, '');
}

function problemText(error: Error, namespace: string, pod: string, container: string): string {
  if (error instanceof ApiRequestError && error.status === 501) return `This source has no logs to read: ${serverWords(error)}`;
  if (error instanceof ApiRequestError && error.status === 403)
    // The server's message names the verb, the resource, the namespace and the API server's refusal.
    return `Meshlens may not read these logs. ${serverWords(error)} (To check an identity: kubectl auth can-i get pods/log -n ${namespace} --as <user>.)`;
  if (error instanceof ApiRequestError && error.status === 404) return `No logs for ${pod}/${container}: the pod or container is gone (it may have been replaced). Refresh the page for its current pods. ${serverWords(error)}`;
  return `The logs could not be read: ${error.message}`;
}

function LogPane({ title, logs, lines, filter, follow, showContainer, namespace, pod, testId }: { title: string; logs: ContainerLogs[]; lines: ShownLine[]; filter: string; follow: boolean; showContainer: boolean; namespace: string; pod: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // The newest lines are at the bottom: start there, and while following stay there unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines.length, follow]);
  const loading = logs.some((l) => l.loading);
  const errors = logs.filter((l) => l.error);
  return (
    <section className="log-pane" aria-label={title} data-testid={testId}>
      <h4 className="log-pane-title">
        {title}
        <span className="muted small">{` ${lines.length} line${lines.length === 1 ? '' : 's'}${filter ? ' matching' : ''}`}</span>
      </h4>
      {errors.map((l) => (
        <p key={l.container} className="log-problem" role="alert" data-testid="logs-error">{problemText(l.error!, namespace, pod, l.container)}</p>
      ))}
      {logs.filter((l) => l.ended && l.ended.reason !== 'stopped').map((l) => (
        <p key={l.container} className="muted small">{`${l.container}: the server stopped following (${l.ended!.reason}).`}</p>
      ))}
      <div
        ref={ref}
        className="log-lines"
        role="log"
        aria-label={`${title} lines`}
        aria-live={follow ? 'polite' : 'off'}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {loading && lines.length === 0 && (
          <div className="text-skeleton" data-testid="logs-loading">
            <span className="visually-hidden" role="status">Loading logs…</span>
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="skeleton skeleton-line" style={{ width: `${92 - ((i * 13) % 35)}%` }} aria-hidden="true" />
            ))}
          </div>
        )}
        {!loading && errors.length === 0 && lines.length === 0 && (
          <p className="muted log-empty">{filter ? 'No line matches the filter.' : follow ? 'Waiting for new lines…' : 'No lines in this range. Pick more tail lines or a longer "since".'}</p>
        )}
        {lines.map((line) => (
          <LogLine key={`${line.container}#${line.seq}`} line={line} filter={filter} showContainer={showContainer} />
        ))}
      </div>
    </section>
  );
}

function FlagLegend({ flags }: { flags: ResponseFlagInfo[] }) {
  if (flags.length === 0) return null;
  return (
    <section className="flag-legend" aria-labelledby="flag-legend-title" data-testid="flag-legend">
      <h4 id="flag-legend-title">Envoy response flags in these lines</h4>
      <dl>
        {flags.map((f) => (
          <div key={f.flag} className="flag-legend-item">
            <dt><span className="log-flag">{f.flag}</span>{` ${f.name}`}</dt>
            <dd>{f.meaning}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function LogsTab({ namespace, pods, unreached, state, set }: Props) {
  const { options } = useTimeOptions();
  const snapshot = options.frozen === true || currentSnapshot() !== null;
  const pod = pods.find((p) => p.name === state.pod) ?? pods[0];
  const appContainers = pod ? pod.containers.filter((c) => !c.isProxy) : [];
  const proxyContainer = pod?.containers.find((c) => c.isProxy);
  const main = (appContainers.find((c) => c.name === state.container) ?? appContainers[0] ?? proxyContainer)?.name ?? null;
  const withProxy = Boolean(proxyContainer && main !== proxyContainer.name && state.proxy);
  const base = pod && !snapshot ? { namespace, pod: pod.name, tailLines: state.tail, sinceSeconds: state.since ?? undefined } : null;
  const appRequest = base && main ? { ...base, container: main } : null;
  const proxyRequest = base && withProxy && proxyContainer ? { ...base, container: proxyContainer.name } : null;
  const logs = useContainerLogs(appRequest, proxyRequest, state.follow, base !== null);

  const appLines = useMemo(() => filterLines(logs.app?.lines ?? [], state.logFilter), [logs.app?.lines, state.logFilter]);
  const proxyLines = useMemo(() => filterLines(logs.proxy?.lines ?? [], state.logFilter), [logs.proxy?.lines, state.logFilter]);
  const merged = useMemo(() => (state.layout === 'merged' ? mergeByTime([appLines, proxyLines]) : []), [state.layout, appLines, proxyLines]);
  const flags = useMemo(() => flagsIn([...appLines, ...proxyLines]), [appLines, proxyLines]);

  if (snapshot)
    return (
      <div className="logs-unavailable" data-testid="logs-unavailable">
        <p><strong>Snapshots do not carry logs.</strong></p>
        <p className="muted">A snapshot holds the objects and telemetry of one moment, not what the pods printed. Close the snapshot (in the banner above) to read this workload&apos;s logs from the live source.</p>
      </div>
    );
  if (!pod)
    return (
      <div className="logs-unavailable" data-testid="logs-unavailable">
        <p><strong>No pods, so no logs.</strong></p>
        <p className="muted">The controller runs no pod right now (scaled to zero, or not created yet). The Overview tab shows its replicas.</p>
      </div>
    );

  const both = logs.app && logs.proxy;
  return (
    <div className="logs-tab">
      {unreached && unreached.edges.length > 0 && <UnreachedNote edges={unreached.edges} workload={unreached.workload} />}
      <form className="toolbar logs-controls" aria-label="Log options" onSubmit={(e) => e.preventDefault()}>
        <div className="toolbar-grid">
          <div className="field">
            <label htmlFor="log-pod">Pod</label>
            <select id="log-pod" data-testid="log-pod" value={pod.name} onChange={(e) => set({ pod: e.target.value, container: null })}>
              {pods.map((p) => (
                <option key={p.name} value={p.name}>{`${p.name} (${p.phase})`}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="log-container">Container</label>
            <select id="log-container" data-testid="log-container" value={main ?? ''} onChange={(e) => set({ container: e.target.value })}>
              {pod.containers.map((c) => (
                <option key={c.name} value={c.name}>{c.isProxy ? `${c.name} (proxy)` : c.name}</option>
              ))}
            </select>
          </div>
          {proxyContainer && main !== proxyContainer.name && (
            <label className="checkbox logs-proxy-toggle">
              <input type="checkbox" data-testid="log-proxy" checked={state.proxy} onChange={(e) => set({ proxy: e.target.checked })} />
              {`Also ${proxyContainer.name}`}
            </label>
          )}
          {both && (
            <div className="field">
              <label htmlFor="log-layout">Layout</label>
              <select id="log-layout" data-testid="log-layout" value={state.layout} onChange={(e) => set({ layout: e.target.value as LogLayout })}>
                <option value="split">Side by side</option>
                <option value="merged">Merged by time</option>
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="log-tail">Tail lines</label>
            <select id="log-tail" data-testid="log-tail" value={String(state.tail)} onChange={(e) => set({ tail: Number(e.target.value) })}>
              {TAIL_OPTIONS.map((n) => (
                <option key={n} value={String(n)}>{n}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="log-since">Since</label>
            <select id="log-since" data-testid="log-since" value={state.since === null ? '' : String(state.since)} onChange={(e) => set({ since: e.target.value ? Number(e.target.value) : null })}>
              <option value="">Any time</option>
              {SINCE_OPTIONS.map((s) => (
                <option key={s} value={String(s)}>{`Last ${durationLabel(s)}`}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="log-filter">Filter</label>
            <input id="log-filter" data-testid="log-filter" type="search" value={state.logFilter} placeholder="text, or a flag: UO" onChange={(e) => set({ logFilter: e.target.value }, 'replace')} />
          </div>
          <div className="field logs-actions">
            <span className="field-label" aria-hidden="true">&nbsp;</span>
            <span className="logs-buttons">
              <button type="button" className={`follow-button${state.follow ? ' on' : ''}`} aria-pressed={state.follow} data-testid="log-follow" onClick={() => set({ follow: !state.follow })}>
                {state.follow ? 'Following' : 'Follow'}
              </button>
              {!state.follow && (
                <button type="button" className="link-button" data-testid="log-refresh" onClick={logs.refetch} disabled={logs.fetching}>
                  Refresh
                </button>
              )}
            </span>
          </div>
        </div>
      </form>
      {state.layout === 'merged' && both ? (
        <div className="log-panes single">
          <LogPane title={`${logs.app!.container} and ${logs.proxy!.container}, by time`} logs={[logs.app!, logs.proxy!]} lines={merged} filter={state.logFilter} follow={state.follow} showContainer namespace={namespace} pod={pod.name} testId="log-pane-merged" />
        </div>
      ) : (
        <div className={`log-panes${both ? '' : ' single'}`}>
          {logs.app && <LogPane title={logs.app.container} logs={[logs.app]} lines={appLines} filter={state.logFilter} follow={state.follow} showContainer={false} namespace={namespace} pod={pod.name} testId="log-pane-app" />}
          {logs.proxy && <LogPane title={logs.proxy.container} logs={[logs.proxy]} lines={proxyLines} filter={state.logFilter} follow={state.follow} showContainer={false} namespace={namespace} pod={pod.name} testId="log-pane-proxy" />}
        </div>
      )}
      <FlagLegend flags={flags} />
    </div>
  );
}

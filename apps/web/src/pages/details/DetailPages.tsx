/**
 * The detail pages of a workload, a service and an application: a header (kind, name, health, the way back to its list
 * and to the graph focused on it, the window), and tabs in `?tab=` — overview, traffic, inbound and outbound
 * metrics, logs, Istio config.
 */
import { Link, useParams } from '@tanstack/react-router';
import type { MetricsTarget } from '@meshlens/model';
import { useMemo } from 'react';
import { ApiRequestError } from '../../api/client';
import { useEntityDetail, useEntityGraph } from '../../api/entities';
import { traceLink } from '../../router/links';
import { useUrlState } from '../../router/useUrlState';
import { TimeWindowProvider, type TimeWindow } from '../../time/TimeWindow';
import { serverNow, useTimeOptions } from '../../time/useTimeOptions';
import { UntrustedText } from '../../components/UntrustedText';
import { shortText } from '../../components/untrustedText';
import { HealthIcon } from '../lists/entityParts';
import { WindowControls } from '../lists/WindowControls';
import { ConfigTab } from './ConfigTab';
import { readDetailState, searchFromDetailState, TAB_LABEL, tabsOf, type DetailState, type EntityType } from './detailSearch';
import { entityListLink, graphFocusLink, KIND_OF_TYPE } from './entityLinks';
import { LogsTab } from './LogsTab';
import { MetricsTab } from './MetricsTab';
import { OverviewTab, rowOf } from './OverviewTab';
import { Tabs } from './Tabs';
import { TrafficTab } from './TrafficTab';
import '../lists/lists.css';
import './details.css';

const TYPE_TITLE: Record<EntityType, string> = { workload: 'Workload', service: 'Service', application: 'Application' };
const LIST_TITLE: Record<EntityType, string> = { workload: 'Workloads', service: 'Services', application: 'Applications' };

export function WorkloadPage() {
  return <EntityDetailPage type="workload" />;
}
export function ServicePage() {
  return <EntityDetailPage type="service" />;
}
export function ApplicationPage() {
  return <EntityDetailPage type="application" />;
}

function metricsTarget(type: EntityType, namespace: string, name: string): MetricsTarget {
  if (type === 'workload') return { namespace, workload: name };
  if (type === 'service') return { namespace, service: name };
  return { namespace, app: name };
}

function DetailSkeleton() {
  return (
    <div data-testid="detail-loading">
      <span className="visually-hidden" role="status">Loading…</span>
      <div className="detail-columns" aria-hidden="true">
        <div className="skeleton detail-skeleton" />
        <div className="skeleton detail-skeleton" />
      </div>
      <div className="skeleton detail-skeleton wide" aria-hidden="true" />
    </div>
  );
}

function EntityDetailPage({ type }: { type: EntityType }) {
  const { namespace, name } = useParams({ strict: false }) as { namespace: string; name: string };
  const [state, set] = useUrlState(readDetailState, searchFromDetailState);
  const kind = KIND_OF_TYPE[type];
  const win = { duration: state.duration, queryTime: state.queryTime };
  const detail = useEntityDetail(kind, namespace, name, win);
  // The node graph only for an entity that exists, and only on the tab that draws it.
  const graph = useEntityGraph(kind, namespace, name, win, state.tab === 'overview' && detail.data !== undefined);
  const { options } = useTimeOptions();
  const timeWindow: TimeWindow = useMemo(
    () => ({ duration: state.duration, queryTime: state.queryTime, refreshMs: 0, now: () => serverNow(options), scrapeInterval: options.scrapeInterval }),
    [state.duration, state.queryTime, options],
  );
  const tabs = tabsOf(type);
  const tab = tabs.includes(state.tab) ? state.tab : 'overview';
  const row = detail.data ? rowOf(type, detail.data) : null;
  const notFound = detail.error instanceof ApiRequestError && detail.error.status === 404;
  const what = TYPE_TITLE[type].toLowerCase();

  return (
    <div className="entity-page detail-page">
      <main className="entity-main" aria-labelledby="detail-title">
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <Link to="/overview">Overview</Link>
          <span aria-hidden="true">{' › '}</span>
          <Link {...entityListLink(kind, [namespace])}>{`${LIST_TITLE[type]} of ${namespace}`}</Link>
          <span aria-hidden="true">{' › '}</span>
          <span aria-current="page" className="breadcrumb-current"><UntrustedText text={name} /></span>
        </nav>
        <div className="entity-head detail-head">
          <h2 id="detail-title" className="entity-title">
            <span className="entity-kind">{`${TYPE_TITLE[type]} · ${namespace}`}</span>
            <UntrustedText text={name} lines={2} testId="detail-name" />
          </h2>
          {row && <HealthIcon status={row.health.status} reason={row.health.reason} testId="detail-status" />}
          <span className="detail-links">
            <Link {...graphFocusLink(type, namespace, name, state.namespaces, { idle: graph.data !== undefined && graph.data.elements.edges.length === 0 })} data-testid="detail-graph-link">
              Show in graph
            </Link>
            {type === 'workload' && (
              <>
                {' · '}
                <Link {...traceLink({ from: `${namespace}/${name}` })} data-testid="detail-trace-link">
                  Trace a request from here
                </Link>
              </>
            )}
          </span>
          <div className="detail-window">
            <WindowControls duration={state.duration} queryTime={state.queryTime} onChange={(change) => set(change as Partial<DetailState>)} />
          </div>
          <button type="button" className="link-button refresh-link" onClick={() => void detail.refetch()} disabled={detail.isFetching}>
            Refresh
          </button>
        </div>
        <div className="progress-line" role="status" aria-live="polite">
          {detail.isFetching && (
            <>
              <progress className="progress" aria-label={`Loading the ${what}`} />
              <span className="visually-hidden">{`Loading the ${what}`}</span>
            </>
          )}
        </div>
        {detail.error && (
          <div className="banner banner-error" role="alert" data-testid="detail-error">
            {notFound ? (
              <>
                <strong>Not found. </strong>
                {`${shortText(detail.error.message, 300)} It may have been deleted or renamed. `}
                <Link {...entityListLink(kind, [namespace])}>{`See the ${LIST_TITLE[type].toLowerCase()} of ${namespace}`}</Link>.
              </>
            ) : (
              <>
                <strong>{detail.data ? 'Refresh failed. ' : `The ${what} could not be loaded. `}</strong>
                {`${shortText(detail.error.message, 300)} `}
                {detail.data ? 'Showing the last answer.' : 'Press Refresh once the server is back.'}
              </>
            )}
          </div>
        )}
        {(detail.data?.warnings ?? []).length > 0 && (
          <div className="banner banner-warning" data-testid="detail-warnings">
            <ul>
              {detail.data!.warnings!.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        {!detail.data && detail.isPending && <DetailSkeleton />}
        {detail.data && (
          <TimeWindowProvider value={timeWindow}>
            <Tabs tabs={tabs} labels={TAB_LABEL} selected={tab} onSelect={(t) => set({ tab: t })} id="detail" label={`${TYPE_TITLE[type]} ${name}`}>
              {tab === 'overview' && <OverviewTab type={type} namespace={namespace} name={name} detail={detail.data} graph={graph} namespaces={state.namespaces} />}
              {tab === 'traffic' && <TrafficTab traffic={detail.data.traffic} kindWord={what} />}
              {(tab === 'inbound' || tab === 'outbound') && (
                <MetricsTab key={tab} target={metricsTarget(type, namespace, name)} direction={tab} what={`${what} ${namespace}/${name}`} />
              )}
              {tab === 'logs' && (
                <LogsTab namespace={namespace} pods={detail.data.pods} unreached={'unreached' in detail.data && detail.data.unreached ? { workload: name, edges: detail.data.unreached } : undefined} state={state} set={set} />
              )}
              {tab === 'config' && <ConfigTab objects={detail.data.istioConfig} findings={detail.data.findings} involving={detail.data.involving} namespaces={state.namespaces} namespace={namespace} what={what} />}
            </Tabs>
          </TimeWindowProvider>
        )}
      </main>
    </div>
  );
}

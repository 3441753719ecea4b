/**
 * The side panel's "over time" section for a node or an edge: request rate by code class, error %, latency
 * percentiles and TCP bytes over the graph's window, with loading skeletons, an empty state and errors that
 * say what to do.
 */
import type { EdgeData, MetricChart, NodeData } from '@meshlens/model';
import { useState } from 'react';
import { Section } from '../panel/parts';
import { durationLabel, formatMoment } from '../time/clock';
import { useTimeWindow } from '../time/TimeWindow';
import { chartModels } from './chartModel';
import { edgeCharts, edgeSubject, nodeSubject, type SubjectResult } from './metricsTarget';
import { UPlotChart } from './UPlotChart';
import { useMetrics } from './useMetrics';
import './charts.css';

function windowText(duration: number, queryTime: number | null): string {
  return queryTime === null ? `the last ${durationLabel(duration)}` : `the ${durationLabel(duration)} ending ${formatMoment(queryTime)}`;
}

function Skeleton() {
  return (
    <div className="chart-skeletons" data-testid="charts-loading">
      <span className="visually-hidden" role="status">
        Loading charts…
      </span>
      {[0, 1, 2].map((i) => (
        <div key={i} className="chart-skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

function Charts({ result, only, what }: { result: SubjectResult; only?: MetricChart[]; what: string }) {
  const w = useTimeWindow();
  const metrics = useMetrics(result.ok ? result.subject : null);
  const text = windowText(w.duration, w.queryTime);
  if (!result.ok) return <p className="muted small">{result.reason}</p>;
  if (metrics.isPending) return <Skeleton />;
  if (metrics.isError && !metrics.data) {
    return (
      <div className="chart-message" role="alert">
        <p>{`The charts could not load: ${metrics.error.message}`}</p>
        <button type="button" className="link-button" onClick={() => void metrics.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const response = metrics.data!;
  const models = chartModels(response, text, only);
  return (
    <div className="charts" data-testid="charts" aria-busy={metrics.isFetching}>
      {(response.warnings ?? []).map((warning) => (
        <p key={warning} className="chart-warning">
          {warning}
        </p>
      ))}
      {models.length === 0 && (response.warnings ?? []).length === 0 && (
        <p className="chart-message" data-testid="charts-empty">
          {`No traffic ${what} in ${text}. Try a longer duration or another time.`}
        </p>
      )}
      {models.map((model) => (
        <UPlotChart key={model.chart} model={model} timestamps={response.timestamps} />
      ))}
    </div>
  );
}

export function NodeCharts({ node }: { node: NodeData }) {
  const sends = node.nodeType !== 'service';
  const [direction, setDirection] = useState<'inbound' | 'outbound'>(node.isRoot ? 'outbound' : 'inbound');
  const w = useTimeWindow();
  const result = nodeSubject(node, direction);
  const effective = result.ok ? result.subject.direction : direction;
  return (
    <Section title={`Over time (${durationLabel(w.duration)})`}>
      {sends && result.ok && node.nodeType !== 'unknown' && (
        <div className="chart-direction" role="radiogroup" aria-label="Traffic direction">
          {(['inbound', 'outbound'] as const).map((d) => (
            <label key={d} className="checkbox">
              <input type="radio" name={`direction-${node.id}`} checked={effective === d} onChange={() => setDirection(d)} />
              {d === 'inbound' ? 'Received' : 'Sent'}
            </label>
          ))}
        </div>
      )}
      <Charts result={result} what={effective === 'inbound' ? 'received' : 'sent'} />
    </Section>
  );
}

export function EdgeCharts({ edge, source, target }: { edge: EdgeData; source: NodeData | undefined; target: NodeData | undefined }) {
  const w = useTimeWindow();
  return (
    <Section title={`Over time (${durationLabel(w.duration)})`}>
      <Charts result={edgeSubject(source, target)} only={edgeCharts(edge)} what="on this edge" />
    </Section>
  );
}

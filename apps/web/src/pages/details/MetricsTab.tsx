/**
 * The inbound / outbound metrics tabs: request rate, error share, latency and TCP bytes over the page's window,
 * from GET /api/metrics through the side panel's own chart pieces (charts/: useMetrics, chartModels, UPlotChart).
 */
import type { MetricsTarget } from '@meshlens/model';
import { chartModels } from '../../charts/chartModel';
import type { MetricsSubject } from '../../charts/metricsTarget';
import { UPlotChart } from '../../charts/UPlotChart';
import { useMetrics } from '../../charts/useMetrics';
import { durationLabel, formatMoment } from '../../time/clock';
import { useTimeWindow } from '../../time/TimeWindow';
import '../../charts/charts.css';

export function MetricsTab({ target, direction, what }: { target: MetricsTarget; direction: 'inbound' | 'outbound'; what: string }) {
  const subject: MetricsSubject = { target, direction };
  const w = useTimeWindow();
  const metrics = useMetrics(subject);
  const windowText = w.queryTime === null ? `the last ${durationLabel(w.duration)}` : `the ${durationLabel(w.duration)} ending ${formatMoment(w.queryTime)}`;
  if (metrics.isPending)
    return (
      <div className="chart-skeletons detail-charts" data-testid="charts-loading">
        <span className="visually-hidden" role="status">Loading charts…</span>
        {[0, 1, 2].map((i) => (
          <div key={i} className="chart-skeleton" aria-hidden="true" />
        ))}
      </div>
    );
  if (metrics.isError && !metrics.data)
    return (
      <div className="chart-message" role="alert">
        <p>{`The charts could not load: ${metrics.error.message}`}</p>
        <button type="button" className="link-button" onClick={() => void metrics.refetch()}>
          Try again
        </button>
      </div>
    );
  const response = metrics.data!;
  const models = chartModels(response, windowText);
  return (
    <div className="charts detail-charts" data-testid="charts" aria-busy={metrics.isFetching}>
      <p className="muted small">{`${direction === 'inbound' ? 'Requests received by' : 'Requests sent by'} ${what} over ${windowText}.`}</p>
      {(response.warnings ?? []).map((warning) => (
        <p key={warning} className="chart-warning">{warning}</p>
      ))}
      {models.length === 0 && (response.warnings ?? []).length === 0 && (
        <p className="chart-message" data-testid="charts-empty">
          {`No ${direction} traffic in ${windowText}. Pick a longer duration above, or open the Traffic tab to see its edges.`}
        </p>
      )}
      <div className="detail-chart-grid">
        {models.map((model) => (
          <UPlotChart key={model.chart} model={model} timestamps={response.timestamps} height={170} />
        ))}
      </div>
    </div>
  );
}

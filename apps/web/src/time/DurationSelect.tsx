/** The toolbar's duration choice, from what the telemetry can answer (`/api/time-options`). */
import type { SetView } from '../url/useViewState';
import type { ViewState } from '../url/viewState';
import { durationLabel } from './clock';
import { useTimeOptions } from './useTimeOptions';

export function DurationSelect({ view, setView }: { view: ViewState; setView: SetView }) {
  const { options, loading } = useTimeOptions();
  const choices = options.durations.map((d) => ({ value: d.seconds, label: `Last ${d.label}` }));
  // A duration from a link that this telemetry cannot answer stays visible until the app replaces it.
  if (!choices.some((c) => c.value === view.duration)) choices.push({ value: view.duration, label: `Last ${durationLabel(view.duration)} (not available)` });
  const limits = [
    options.retention !== undefined ? `retention ${durationLabel(options.retention)}` : '',
    `scrape every ${options.scrapeInterval}s`,
  ].filter(Boolean).join(', ');
  return (
    <div className="field">
      <label htmlFor="duration">Duration</label>
      <select
        id="duration"
        data-testid="duration"
        value={String(view.duration)}
        aria-busy={loading}
        title={options.fallback ? 'Built-in durations: the server did not say which windows its telemetry can answer.' : `Durations the telemetry can answer (${limits}).`}
        onChange={(event) => setView({ duration: Number(event.target.value) })}
      >
        {choices.map((c) => (
          <option key={c.value} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

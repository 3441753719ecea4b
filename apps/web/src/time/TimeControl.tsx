/**
 * The toolbar's time control: Live (the window ends now and refreshes) or a past moment typed in the user's
 * time zone (named beside the input), one-window steps back and forth, and the button that opens a replay.
 */
import { useEffect, useState } from 'react';
import type { SetView } from '../url/useViewState';
import { DEFAULT_VIEW, type ViewState } from '../url/viewState';
import { durationLabel, fromInputValue, toInputValue, zoneLabel } from './clock';
import { defaultInterval } from './replay';
import { serverNow, useTimeOptions } from './useTimeOptions';

export function TimeControl({ view, setView }: { view: ViewState; setView: SetView }) {
  const { options } = useTimeOptions();
  const now = serverNow(options);
  const replaying = view.replayStart !== null;
  const live = view.queryTime === null && !replaying;
  const shown = view.queryTime ?? now;
  const [draft, setDraft] = useState(() => toInputValue(shown));
  const [problem, setProblem] = useState('');
  const step = durationLabel(view.duration);

  // Follow the URL (steps, Back, replay frames) unless the user is mid-way through typing a different moment.
  useEffect(() => {
    if (view.queryTime !== null) setDraft(toInputValue(view.queryTime));
    setProblem('');
  }, [view.queryTime]);

  const goLive = () => setView({ queryTime: null, refresh: view.refresh === 0 ? DEFAULT_VIEW.refresh : view.refresh, replayStart: null, replayEnd: null, replayAt: null });
  const goTo = (t: number, mode: 'push' | 'replace' = 'push') => {
    if (t >= now) goLive();
    else setView({ queryTime: t }, mode);
  };
  const typed = (value: string) => {
    setDraft(value);
    const t = fromInputValue(value);
    if (t === null) return setProblem('Type a complete date and time.');
    if (t > now) return setProblem('That moment is in the future: pick one before now, or press Live.');
    if (options.earliest !== undefined && t - view.duration < options.earliest) {
      setProblem(`No data is kept before ${new Date(options.earliest * 1000).toLocaleString()}: the graph may be empty.`);
    } else setProblem('');
    setView({ queryTime: t }, 'replace');
  };
  const openReplay = () => {
    const interval = defaultInterval(view.queryTime, now, view.duration, options.earliest);
    if (!interval) return setProblem('The telemetry keeps too little history to replay this window.');
    setView({ replayStart: interval.start, replayEnd: interval.end, replayAt: interval.start, queryTime: interval.start });
  };

  const zone = zoneLabel(shown);
  return (
    <div className="field time-field" role="group" aria-labelledby="time-label">
      <span id="time-label" className="field-label">
        Time <span className="time-zone">({zone})</span>
      </span>
      <div className="time-row">
        <button type="button" className="toggle-button" aria-pressed={live} data-testid="time-live" onClick={goLive} title={options.frozen ? 'The window ends when the snapshot was taken: nothing after it was recorded' : 'The window ends now and refreshes'}>
          {options.frozen ? 'At capture' : 'Live'}
        </button>
        <label htmlFor="query-time" className="visually-hidden">{`End of the window, ${zone}`}</label>
        <input
          id="query-time"
          data-testid="query-time"
          type="datetime-local"
          step={1}
          value={live ? toInputValue(now) : draft}
          disabled={replaying}
          aria-describedby="query-time-problem"
          onChange={(event) => typed(event.target.value)}
        />
        <button type="button" className="step-button" data-testid="time-back" disabled={replaying} onClick={() => goTo(shown - view.duration)} aria-label={`One window earlier (${step})`} title={`One window earlier (${step})`}>
          {`− ${step}`}
        </button>
        <button type="button" className="step-button" data-testid="time-forward" disabled={replaying || live} onClick={() => goTo(shown + view.duration)} aria-label={`One window later (${step})`} title={`One window later (${step}); reaching now goes live`}>
          {`+ ${step}`}
        </button>
        <button type="button" className="toggle-button" aria-pressed={replaying} data-testid="replay-toggle" onClick={replaying ? () => setView({ replayStart: null, replayEnd: null, replayAt: null }) : openReplay}>
          Replay
        </button>
      </div>
      <span id="query-time-problem" className="time-problem" aria-live="polite">
        {problem}
      </span>
    </div>
  );
}

/**
 * The replay bar under the toolbar: play/pause, one frame back/forward, a scrubber over the frames, the speed,
 * and the interval in the user's time zone. Every change lands in the URL (`replayAt` with replace while
 * playing or scrubbing, so Back is not flooded), so a copied link reopens the same frame, paused.
 */
import { useEffect, useState } from 'react';
import type { GraphQuery } from '../api/client';
import type { SetView } from '../url/useViewState';
import type { ViewState } from '../url/viewState';
import { durationLabel, formatShortMoment, fromInputValue, toInputValue, zoneLabel } from './clock';
import { frameCount, frameIndex, framePeriodMs, frameTime, intervalProblems, nextFrame, previousFrame, replayStep, type ReplayInterval } from './replay';
import { REPLAY_SPEEDS, type ReplaySpeed } from './replayParams';
import { useReplayPlayer } from './useReplayPlayer';
import { serverNow, useTimeOptions } from './useTimeOptions';

interface Props {
  view: ViewState;
  setView: SetView;
  interval: ReplayInterval;
  /** The graph request of the frame on screen (the player prefetches the next one with the same key). */
  query: GraphQuery | null;
  /** True while the frame on screen is loading. */
  loading: boolean;
}

function IntervalInput({ id, label, value, onCommit }: { id: string; label: string; value: number; onCommit: (t: number) => void }) {
  const [draft, setDraft] = useState(toInputValue(value));
  useEffect(() => setDraft(toInputValue(value)), [value]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        type="datetime-local"
        step={1}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        // Commit when the user leaves the field or presses Enter, not on every keystroke: a half-typed year
        // would otherwise rebuild the replay (and its frames) many times.
        onBlur={() => {
          const t = fromInputValue(draft);
          if (t !== null && t !== value) onCommit(t);
          else setDraft(toInputValue(value));
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') (event.target as HTMLInputElement).blur();
        }}
      />
    </div>
  );
}

export function ReplayBar({ view, setView, interval, query, loading }: Props) {
  const { options } = useTimeOptions();
  const now = serverNow(options);
  const step = replayStep(interval, view.duration, options.scrapeInterval);
  const count = frameCount(interval, step);
  const at = view.replayAt ?? interval.start;
  const index = frameIndex(interval, step, at);
  const player = useReplayPlayer({ query, interval, step, at, speed: view.replaySpeed, setView });
  const problems = intervalProblems(interval, now, view.duration, options.earliest);
  const moment = formatShortMoment(at, now);
  const windowText = `${durationLabel(view.duration)} window ending ${moment}`;
  const goTo = (t: number | null) => {
    if (t === null) return;
    player.pause();
    setView({ replayAt: t, queryTime: t }, 'replace');
  };
  const [refused, setRefused] = useState('');
  const changeInterval = (next: ReplayInterval) => {
    // An inverted interval would read as "no replay" from the URL: keep the current one and say why.
    const wrong = intervalProblems(next, now, view.duration).filter((p) => p.startsWith('The replay start'));
    setRefused(wrong[0] ?? '');
    if (wrong.length > 0) return;
    player.pause();
    setView({ replayStart: next.start, replayEnd: next.end, replayAt: next.start, queryTime: next.start });
  };

  let status = `Frame ${index + 1} of ${count}: ${windowText}`;
  if (player.waiting || (loading && player.playing)) status += ' · loading the next frame…';
  else if (loading) status += ' · loading…';
  else if (!player.playing && index === count - 1) status += ' · end of replay';

  return (
    <section className="replay-bar" aria-label="Replay" data-testid="replay-bar">
      <div className="replay-row">
        <button type="button" className="replay-button" data-testid="replay-previous" onClick={() => goTo(previousFrame(interval, step, at))} disabled={index === 0} aria-label="Previous frame" title="Previous frame">
          |◀
        </button>
        <button
          type="button"
          className="replay-button replay-play"
          data-testid="replay-play"
          onClick={player.playing ? player.pause : player.play}
          aria-label={player.playing ? 'Pause replay' : 'Play replay'}
          title={player.playing ? 'Pause' : 'Play'}
        >
          {player.playing ? '❚❚' : '▶'}
        </button>
        <button type="button" className="replay-button" data-testid="replay-next" onClick={() => goTo(nextFrame(interval, step, at))} disabled={index === count - 1} aria-label="Next frame" title="Next frame">
          ▶|
        </button>
        <input
          className="replay-scrubber"
          data-testid="replay-scrubber"
          type="range"
          min={0}
          max={count - 1}
          step={1}
          value={index}
          aria-label="Replay position"
          aria-valuetext={`Frame ${index + 1} of ${count}, ${windowText}`}
          onChange={(event) => goTo(frameTime(interval, step, Number(event.target.value)))}
        />
        <p className="replay-status" data-testid="replay-position">
          {status}
        </p>
      </div>
      <div className="replay-row replay-details">
        <IntervalInput id="replay-start" label="From" value={interval.start} onCommit={(t) => changeInterval({ start: t, end: interval.end })} />
        <IntervalInput id="replay-end" label="To" value={interval.end} onCommit={(t) => changeInterval({ start: interval.start, end: Math.min(t, now) })} />
        <div className="field replay-speed">
          <label htmlFor="replay-speed">Speed</label>
          <select
            id="replay-speed"
            data-testid="replay-speed"
            value={String(view.replaySpeed)}
            onChange={(event) => setView({ replaySpeed: Number(event.target.value) as ReplaySpeed }, 'replace')}
          >
            {REPLAY_SPEEDS.map((s) => (
              <option key={s} value={String(s)}>{`${s}× (${s} frame${s === 1 ? '' : 's'}/s)`}</option>
            ))}
          </select>
        </div>
        <p className="replay-help">
          {`${zoneLabel(interval.start)} · each frame moves the window end by ${durationLabel(step)}; 1× shows a frame every ${framePeriodMs(1) / 1000} s and waits for frames that are still loading.`}
        </p>
        <button type="button" className="close-replay link-button" data-testid="replay-close" onClick={() => setView({ replayStart: null, replayEnd: null, replayAt: null })}>
          Close replay
        </button>
      </div>
      {(problems.length > 0 || refused) && (
        <ul className="replay-problems" role="status">
          {[...(refused ? [refused] : []), ...problems].map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <span className="visually-hidden" aria-live="polite">
        {player.playing ? 'Replay playing' : 'Replay paused'}
      </span>
    </section>
  );
}

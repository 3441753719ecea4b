/**
 * The graph page's time, derived from the URL: the `queryTime` the graph asks for (a replay's frame wins over
 * `queryTime`), whether it refreshes (only live views do), the replay interval, and the window shared with the
 * side panel's charts. Also replaces a duration from a link that this telemetry cannot answer.
 */
import { useEffect, useMemo } from 'react';
import type { SetView } from '../url/useViewState';
import type { ViewState } from '../url/viewState';
import { graphQueryTime } from '../graph/viewPath';
import { durationLabel } from './clock';
import type { ReplayInterval } from './replay';
import type { TimeWindow } from './TimeWindow';
import { serverNow, useTimeOptions } from './useTimeOptions';

export interface GraphTime {
  /** End of the graph's window; null = now. */
  queryTime: number | null;
  /** Graph refresh interval, ms: the view's setting when live, 0 for a past moment (its graph never changes). */
  refreshMs: number;
  replay: ReplayInterval | null;
  /** `last 10m`, for sentences such as "No traffic in … in the last 10m". */
  durationText: string;
  window: TimeWindow;
}

export function useGraphTime(view: ViewState, setView: SetView): GraphTime {
  const { options } = useTimeOptions();
  const replay = useMemo(
    () => (view.replayStart !== null && view.replayEnd !== null ? { start: view.replayStart, end: view.replayEnd } : null),
    [view.replayStart, view.replayEnd],
  );
  const queryTime = graphQueryTime(view);
  // A snapshot's "now" stands at its capture: nothing to refresh, and its charts cover the window ending there.
  const shownEnd = queryTime ?? (options.frozen ? options.now : null);
  const refreshMs = shownEnd === null ? view.refresh : 0;

  // A link may carry a duration this telemetry cannot answer (say 30d with 15 days of retention).
  useEffect(() => {
    if (options.fallback) return;
    if (!options.durations.some((d) => d.seconds === view.duration)) setView({ duration: options.defaultDuration }, 'replace');
  }, [options, view.duration, setView]);

  const { clockOffset, scrapeInterval, now, frozen } = options;
  const window = useMemo<TimeWindow>(
    () => ({ duration: view.duration, queryTime: shownEnd, refreshMs, now: () => serverNow({ clockOffset, now, frozen }), scrapeInterval }),
    [view.duration, shownEnd, refreshMs, clockOffset, now, frozen, scrapeInterval],
  );
  return { queryTime, refreshMs, replay, durationText: `last ${durationLabel(view.duration)}`, window };
}

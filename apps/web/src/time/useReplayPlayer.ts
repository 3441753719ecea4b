/**
 * Plays a replay: a timer at the chosen speed moves `replayAt` (and the graph's `queryTime`) one frame on, but
 * only to a frame whose graph is already in the query cache. The next frame is prefetched as soon as a frame is
 * shown, at most one request at a time, and cancelled on pause, so playback never piles up requests.
 */
import type { GraphResponse } from '@meshlens/model';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson, type GraphQuery } from '../api/client';
import { graphViewPath, type GraphViewQuery } from '../graph/viewPath';
import { queryKeys } from '../api/queryKeys';
import type { SetView } from '../url/useViewState';
import { framePeriodMs, nextFrame, play as playFrom, tick, type ReplayInterval } from './replay';

/** The same key as `useGraph`, so a prefetched frame is exactly what the graph view reads. */
const graphKey = (query: GraphQuery) => queryKeys.graph(query);

export interface ReplayPlayer {
  playing: boolean;
  /** Playing, but held because the next frame is still loading. */
  waiting: boolean;
  play: () => void;
  pause: () => void;
}

export function useReplayPlayer(args: { query: GraphQuery | null; interval: ReplayInterval | null; step: number; at: number; speed: number; setView: SetView }): ReplayPlayer {
  const { query, interval, step, at, speed, setView } = args;
  const client = useQueryClient();
  const [playing, setPlaying] = useState(false);
  const [waiting, setWaiting] = useState(false);
  // The timer reads the latest values through a ref so it is not restarted on every frame.
  const latest = useRef({ query, interval, step, at });
  latest.current = { query, interval, step, at };

  const isLoaded = useCallback(
    (t: number) => {
      const q = latest.current.query;
      if (!q) return false;
      const state = client.getQueryState(graphKey({ ...q, queryTime: t }));
      return state?.status === 'success' && state.data !== undefined;
    },
    [client],
  );

  const prefetch = useCallback(
    (t: number) => {
      const q = latest.current.query;
      if (!q) return;
      const key = graphKey({ ...q, queryTime: t });
      const state = client.getQueryState(key);
      // Already there or already on its way: never a second request for the same frame.
      if (state?.status === 'success' || state?.fetchStatus === 'fetching') return;
      void client.prefetchQuery({ queryKey: key, queryFn: ({ signal }) => getJson<GraphResponse>(graphViewPath({ ...(q as GraphViewQuery), queryTime: t }), signal), staleTime: Infinity });
    },
    [client],
  );

  // Prefetch the frame after the one on screen while playing.
  useEffect(() => {
    if (!playing || !interval) return;
    const next = nextFrame(interval, step, at);
    if (next !== null) prefetch(next);
  }, [playing, interval, step, at, prefetch]);

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      const { interval: iv, step: st, at: now } = latest.current;
      if (!iv) return;
      const result = tick({ at: now, playing: true, waiting: false }, iv, st, isLoaded);
      if (result.at !== now) setView({ replayAt: result.at, queryTime: result.at }, 'replace');
      setWaiting(result.waiting);
      if (!result.playing) setPlaying(false);
    }, framePeriodMs(speed));
    return () => window.clearInterval(timer);
  }, [playing, speed, isLoaded, setView]);

  const pause = useCallback(() => {
    setPlaying(false);
    setWaiting(false);
    const { query: q, interval: iv, step: st, at: t } = latest.current;
    const next = iv ? nextFrame(iv, st, t) : null;
    // A frame loading in the background is no longer needed.
    if (q && next !== null) void client.cancelQueries({ queryKey: graphKey({ ...q, queryTime: next }), exact: true });
  }, [client]);

  const play = useCallback(() => {
    const { interval: iv, step: st, at: t } = latest.current;
    if (!iv) return;
    const start = playFrom({ at: t, playing: false, waiting: false }, iv, st);
    if (start.at !== t) setView({ replayAt: start.at, queryTime: start.at }, 'replace');
    setPlaying(true);
  }, [setView]);

  // Closing the replay or changing its interval stops playback.
  useEffect(() => {
    if (!interval) setPlaying(false);
  }, [interval]);

  return { playing, waiting: playing && waiting, play, pause };
}

/**
 * Replay stepping, pure so it is unit-tested without a browser.
 *
 * A replay moves the graph's `queryTime` (the end of its window) from `start` to `end` in frames `step`
 * seconds apart; the last frame is always `end`. The step is a fifth of the window (at least the scrape
 * interval, whole seconds), so consecutive frames overlap by 80% and the graph changes smoothly; long
 * intervals get a larger step so there are never more than MAX_FRAMES frames.
 *
 * Speed N× shows N frames per second of wall-clock time. A frame is only shown once its graph has loaded:
 * when the next frame is still loading, playback waits (it never queues a second request), so on a slow
 * server the real rate is lower than N and the UI says it is waiting.
 */

export const MAX_FRAMES = 500;
/** Frames per replay interval opened from the toolbar: six windows, i.e. 30 steps of a fifth of a window. */
export const DEFAULT_INTERVAL_WINDOWS = 6;

export interface ReplayInterval {
  start: number;
  end: number;
}

/** Seconds between frames for an interval, a window length and the telemetry's scrape interval. */
export function replayStep(interval: ReplayInterval, duration: number, scrapeInterval: number): number {
  const length = interval.end - interval.start;
  let step = Math.max(1, Math.round(scrapeInterval), Math.round(duration / 5));
  if (length / step > MAX_FRAMES - 1) step = Math.ceil(length / (MAX_FRAMES - 1));
  return step;
}

/** Number of frames: start, start + step, … and always `end` last. */
export function frameCount(interval: ReplayInterval, step: number): number {
  const length = interval.end - interval.start;
  if (length <= 0) return 1;
  return Math.floor(length / step) + 1 + (length % step === 0 ? 0 : 1);
}

/** The `queryTime` of frame `index` (clamped to the interval). */
export function frameTime(interval: ReplayInterval, step: number, index: number): number {
  const last = frameCount(interval, step) - 1;
  const i = Math.min(Math.max(0, Math.round(index)), last);
  return i === last ? interval.end : interval.start + i * step;
}

/** Index of the frame nearest to `at` (a time outside the interval snaps to its first or last frame). */
export function frameIndex(interval: ReplayInterval, step: number, at: number): number {
  if (at <= interval.start) return 0;
  const last = frameCount(interval, step) - 1;
  if (at >= interval.end) return last;
  // Between frame i and i + 1 (the last gap may be shorter than a step): the nearer one, ties going forward.
  const i = Math.floor((at - interval.start) / step);
  const lo = interval.start + i * step;
  const hi = frameTime(interval, step, i + 1);
  return at - lo < hi - at ? i : i + 1;
}

/** The frame after the one at `at`, or null when `at` is the last frame. */
export function nextFrame(interval: ReplayInterval, step: number, at: number): number | null {
  const i = frameIndex(interval, step, at);
  return i >= frameCount(interval, step) - 1 ? null : frameTime(interval, step, i + 1);
}

/** The frame before the one at `at`, or null on the first frame. */
export function previousFrame(interval: ReplayInterval, step: number, at: number): number | null {
  const i = frameIndex(interval, step, at);
  return i <= 0 ? null : frameTime(interval, step, i - 1);
}

/** Milliseconds between frames at a speed. */
export function framePeriodMs(speed: number): number {
  return Math.round(1000 / speed);
}

export interface PlayerState {
  at: number;
  playing: boolean;
  /** True while playing but held on a frame because the next one has not loaded yet. */
  waiting: boolean;
}

/**
 * One tick of playback: move to the next frame when its graph has loaded, wait when it has not, stop on the last
 * frame. `isLoaded(t)` says whether the graph at `queryTime = t` is ready to show.
 */
export function tick(state: PlayerState, interval: ReplayInterval, step: number, isLoaded: (t: number) => boolean): PlayerState {
  if (!state.playing) return { ...state, waiting: false };
  const next = nextFrame(interval, step, state.at);
  if (next === null) return { at: state.at, playing: false, waiting: false };
  if (!isLoaded(next)) return { ...state, waiting: true };
  return { at: next, playing: nextFrame(interval, step, next) !== null, waiting: false };
}

/** Starting playback on the last frame restarts from the first, as media players do. */
export function play(state: PlayerState, interval: ReplayInterval, step: number): PlayerState {
  const atEnd = nextFrame(interval, step, state.at) === null;
  return { at: atEnd ? interval.start : state.at, playing: true, waiting: false };
}

/**
 * The interval a new replay opens on: the DEFAULT_INTERVAL_WINDOWS windows that end at the graph's time
 * (or now), not reaching before the oldest data (`earliest` is the oldest window start with data).
 * Null when not even one step of history is available.
 */
export function defaultInterval(queryTime: number | null, now: number, duration: number, earliest?: number): ReplayInterval | null {
  const end = Math.min(queryTime ?? now, now);
  let start = end - DEFAULT_INTERVAL_WINDOWS * duration;
  if (earliest !== undefined) start = Math.max(start, earliest + duration);
  return start < end ? { start, end } : null;
}

/** Problems with an interval typed by the user, as sentences that say what to change; empty when it is usable. */
export function intervalProblems(interval: ReplayInterval, now: number, duration: number, earliest?: number): string[] {
  const problems: string[] = [];
  if (interval.start >= interval.end) problems.push('The replay start must be before its end: pick an earlier start or a later end.');
  if (interval.end > now + 60) problems.push('The replay end is in the future: pick an end at or before now.');
  if (earliest !== undefined && interval.start - duration < earliest) {
    problems.push(`The telemetry keeps no data before ${new Date(earliest * 1000).toLocaleString()}: frames before ${new Date((earliest + duration) * 1000).toLocaleString()} show no traffic.`);
  }
  return problems;
}

/**
 * The replay's part of the URL: `replayStart`, `replayEnd` (unix seconds: the interval the graph's `queryTime`
 * moves through), `replaySpeed` (1, 2, 5 or 10) and `replayAt` (the frame on screen), so that a copied link
 * reopens the same moment, paused on that frame. Whether it is playing is not in the URL on purpose: a link
 * should never start moving by itself.
 */

export const REPLAY_SPEEDS = [1, 2, 5, 10] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

export interface ReplayParams {
  /** Both null when no replay is open; otherwise start < end. */
  replayStart: number | null;
  replayEnd: number | null;
  replaySpeed: ReplaySpeed;
  /** The frame shown (a `queryTime` inside [start, end]); null = the first frame. */
  replayAt: number | null;
}

export const DEFAULT_REPLAY: ReplayParams = { replayStart: null, replayEnd: null, replaySpeed: 1, replayAt: null };

function unixSeconds(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Reads the replay parameters; an incomplete or inverted interval means no replay, an `at` outside it the first frame. */
export function decodeReplay(p: Pick<URLSearchParams, 'get'>): ReplayParams {
  const start = unixSeconds(p.get('replayStart'));
  const end = unixSeconds(p.get('replayEnd'));
  const speed = Number(p.get('replaySpeed'));
  const replaySpeed = (REPLAY_SPEEDS as readonly number[]).includes(speed) ? (speed as ReplaySpeed) : DEFAULT_REPLAY.replaySpeed;
  if (start === null || end === null || start >= end) return { ...DEFAULT_REPLAY, replaySpeed };
  const at = unixSeconds(p.get('replayAt'));
  return { replayStart: start, replayEnd: end, replaySpeed, replayAt: at !== null && at >= start && at <= end ? at : null };
}

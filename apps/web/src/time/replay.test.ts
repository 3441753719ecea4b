import { describe, expect, it } from 'vitest';
import {
  defaultInterval,
  frameCount,
  frameIndex,
  frameTime,
  intervalProblems,
  MAX_FRAMES,
  nextFrame,
  play,
  previousFrame,
  replayStep,
  tick,
  type PlayerState,
} from './replay';

// 14:00 → 15:00 UTC on 2025-11-22, a 10 minute window: frames every 2 minutes.
const T0 = 1763820000;
const HOUR = { start: T0, end: T0 + 3600 };

describe('replay frames', () => {
  it('steps a fifth of the window, at least the scrape interval, capped at MAX_FRAMES frames', () => {
    expect(replayStep(HOUR, 600, 15)).toBe(120);
    expect(replayStep(HOUR, 60, 15)).toBe(15);
    expect(replayStep(HOUR, 60, 30)).toBe(30);
    // 30 days of 10 minute windows would be 21,600 frames
    const month = { start: T0, end: T0 + 30 * 86400 };
    const step = replayStep(month, 600, 15);
    expect(step).toBe(Math.ceil((30 * 86400) / (MAX_FRAMES - 1)));
    expect(frameCount(month, step)).toBeLessThanOrEqual(MAX_FRAMES);
  });

  it('lists start, start + step … and always ends on end', () => {
    expect(frameCount(HOUR, 120)).toBe(31);
    expect([0, 1, 2, 29, 30].map((i) => frameTime(HOUR, 120, i))).toEqual([T0, T0 + 120, T0 + 240, T0 + 3480, T0 + 3600]);
    // an interval that is not a whole number of steps gets a short last step
    const odd = { start: 0 + T0, end: T0 + 250 };
    expect(frameCount(odd, 100)).toBe(4);
    expect([0, 1, 2, 3, 4].map((i) => frameTime(odd, 100, i))).toEqual([T0, T0 + 100, T0 + 200, T0 + 250, T0 + 250]);
  });

  it('snaps any time to the nearest frame', () => {
    expect(frameIndex(HOUR, 120, T0 - 500)).toBe(0);
    expect(frameIndex(HOUR, 120, T0 + 59)).toBe(0);
    expect(frameIndex(HOUR, 120, T0 + 60)).toBe(1);
    expect(frameIndex(HOUR, 120, T0 + 3599)).toBe(30);
    expect(frameIndex(HOUR, 120, T0 + 9999)).toBe(30);
    const odd = { start: T0, end: T0 + 250 };
    expect(frameIndex(odd, 100, T0 + 224)).toBe(2);
    expect(frameIndex(odd, 100, T0 + 226)).toBe(3);
  });

  it('moves one frame forward and back, null at the ends', () => {
    expect(nextFrame(HOUR, 120, T0)).toBe(T0 + 120);
    expect(nextFrame(HOUR, 120, T0 + 3480)).toBe(T0 + 3600);
    expect(nextFrame(HOUR, 120, T0 + 3600)).toBeNull();
    expect(previousFrame(HOUR, 120, T0 + 120)).toBe(T0);
    expect(previousFrame(HOUR, 120, T0)).toBeNull();
  });
});

describe('playback', () => {
  const loadedUpTo = (t: number) => (x: number) => x <= t;

  it('advances only to loaded frames and waits otherwise', () => {
    const s: PlayerState = { at: T0, playing: true, waiting: false };
    expect(tick(s, HOUR, 120, loadedUpTo(T0 + 120))).toEqual({ at: T0 + 120, playing: true, waiting: false });
    expect(tick(s, HOUR, 120, loadedUpTo(T0))).toEqual({ at: T0, playing: true, waiting: true });
    expect(tick({ ...s, playing: false }, HOUR, 120, loadedUpTo(Infinity))).toEqual({ at: T0, playing: false, waiting: false });
  });

  it('plays every frame once and stops on the last', () => {
    let s: PlayerState = play({ at: T0, playing: false, waiting: false }, HOUR, 120);
    const seen = [s.at];
    for (let i = 0; i < 100 && s.playing; i++) {
      s = tick(s, HOUR, 120, () => true);
      seen.push(s.at);
    }
    expect(seen).toEqual(Array.from({ length: 31 }, (_, i) => T0 + i * 120));
    expect(s).toEqual({ at: T0 + 3600, playing: false, waiting: false });
  });

  it('restarts from the first frame when play is pressed on the last', () => {
    expect(play({ at: T0 + 3600, playing: false, waiting: false }, HOUR, 120)).toEqual({ at: T0, playing: true, waiting: false });
    expect(play({ at: T0 + 600, playing: false, waiting: false }, HOUR, 120)).toEqual({ at: T0 + 600, playing: true, waiting: false });
  });
});

describe('replay interval', () => {
  it('opens on six windows ending at the graph time, or now, within the retention', () => {
    expect(defaultInterval(null, T0, 600)).toEqual({ start: T0 - 3600, end: T0 });
    expect(defaultInterval(T0 - 600, T0, 600)).toEqual({ start: T0 - 4200, end: T0 - 600 });
    expect(defaultInterval(null, T0, 600, T0 - 2000)).toEqual({ start: T0 - 1400, end: T0 });
    expect(defaultInterval(null, T0, 600, T0 - 500)).toBeNull();
  });

  it('explains what to change in a bad interval', () => {
    expect(intervalProblems(HOUR, T0 + 7200, 600)).toEqual([]);
    expect(intervalProblems({ start: T0 + 10, end: T0 }, T0 + 7200, 600)).toEqual(['The replay start must be before its end: pick an earlier start or a later end.']);
    expect(intervalProblems(HOUR, T0, 600)).toEqual(['The replay end is in the future: pick an end at or before now.']);
    expect(intervalProblems(HOUR, T0 + 7200, 600, T0)).toHaveLength(1);
    expect(intervalProblems(HOUR, T0 + 7200, 600, T0)[0]).toMatch(/^The telemetry keeps no data before /);
  });
});

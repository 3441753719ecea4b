import { describe, expect, it } from 'vitest';
import { decodeViewState, DEFAULT_VIEW, encodeViewState } from '../url/viewState';

describe('time in the URL', () => {
  it('round-trips a replay paused on a frame, with the graph time', () => {
    const view = { ...DEFAULT_VIEW, namespaces: ['bookinfo'], queryTime: 1763820240, replayStart: 1763820000, replayEnd: 1763823600, replaySpeed: 5 as const, replayAt: 1763820240 };
    const query = encodeViewState(view);
    expect(query).toBe('namespaces=bookinfo&queryTime=1763820240&replayStart=1763820000&replayEnd=1763823600&replaySpeed=5&replayAt=1763820240');
    expect(decodeViewState(`?${query}`)).toEqual(view);
  });

  it('leaves the replay out of the URL when none is open, and speed 1× as the default', () => {
    expect(encodeViewState({ ...DEFAULT_VIEW, namespaces: ['a'], replaySpeed: 1 })).toBe('namespaces=a');
    expect(encodeViewState({ ...DEFAULT_VIEW, namespaces: ['a'], replayStart: 100, replayEnd: 200 })).toBe('namespaces=a&replayStart=100&replayEnd=200');
    expect(decodeViewState('')).toMatchObject({ replayStart: null, replayEnd: null, replaySpeed: 1, replayAt: null });
  });

  it('ignores broken replay links rather than failing', () => {
    const none = { replayStart: null, replayEnd: null, replayAt: null };
    expect(decodeViewState('?replayStart=200&replayEnd=100')).toMatchObject(none);
    expect(decodeViewState('?replayStart=100')).toMatchObject(none);
    expect(decodeViewState('?replayStart=1e3&replayEnd=2000')).toMatchObject(none);
    expect(decodeViewState('?replayStart=-5&replayEnd=2000')).toMatchObject(none);
    expect(decodeViewState('?replayStart=100&replayEnd=200&replaySpeed=3')).toMatchObject({ replayStart: 100, replayEnd: 200, replaySpeed: 1 });
    // a frame outside the interval falls back to the first frame
    expect(decodeViewState('?replayStart=100&replayEnd=200&replayAt=250')).toMatchObject({ replayStart: 100, replayEnd: 200, replayAt: null });
    expect(decodeViewState('?replayStart=100&replayEnd=200&replayAt=150&replaySpeed=10')).toMatchObject({ replayAt: 150, replaySpeed: 10 });
  });

  it('accepts every duration the server may offer, up to 30 days, and nothing else', () => {
    expect(decodeViewState('?duration=2592000').duration).toBe(2592000);
    expect(decodeViewState('?duration=43200').duration).toBe(43200);
    expect(decodeViewState('?duration=1234').duration).toBe(DEFAULT_VIEW.duration);
  });
});

import { describe, expect, it } from 'vitest';
import { serverNow } from './useTimeOptions';

describe('serverNow', () => {
  it('follows the server clock when it runs, and stands at a snapshot\'s capture when frozen', () => {
    const browser = Math.floor(Date.now() / 1000);
    expect(Math.abs(serverNow({ clockOffset: 3600, now: 0 }) - (browser + 3600))).toBeLessThanOrEqual(1);
    expect(serverNow({ clockOffset: -999_999, now: 1_763_776_800, frozen: true })).toBe(1_763_776_800);
  });
});

import { describe, expect, it } from 'vitest';
import { durationLabel, formatMoment, formatShortMoment, fromInputValue, toInputValue, utcOffset } from './clock';

describe('clock', () => {
  it('round-trips a moment through a datetime-local value in the local zone', () => {
    const t = 1763821935;
    expect(toInputValue(t)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(fromInputValue(toInputValue(t))).toBe(t);
    // Chromium omits seconds when they are zero
    expect(fromInputValue(toInputValue(1763821920).slice(0, 16))).toBe(1763821920);
    expect(fromInputValue('')).toBeNull();
    expect(fromInputValue('yesterday')).toBeNull();
  });

  it('names the offset of the zone', () => {
    expect(utcOffset(1763821935)).toMatch(/^UTC[+−]\d{2}:\d{2}$/);
  });

  it('writes moments in local time, with the date unless it is today', () => {
    const local = new Date(2025, 10, 2, 7, 5, 9); // 2 Nov 2025, 07:05:09 in the test's zone
    const t = local.getTime() / 1000;
    expect(formatMoment(t)).toBe('2 Nov 2025, 07:05:09');
    expect(formatShortMoment(t, t + 60)).toBe('07:05:09');
    expect(formatShortMoment(t, t + 86400)).toBe('2 Nov 07:05:09');
  });

  it('labels durations with their largest whole unit', () => {
    expect([60, 300, 600, 3600, 10800, 43200, 86400, 604800, 2592000, 90].map(durationLabel)).toEqual(['1m', '5m', '10m', '1h', '3h', '12h', '1d', '7d', '30d', '90s']);
  });
});

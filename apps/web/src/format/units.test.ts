import { describe, expect, it } from 'vitest';
import { formatBytesPerSecond, formatMs, formatPercent, formatRatio, formatRps } from './units';

describe('unit formatting', () => {
  it('formats rates with two significant digits', () => {
    expect(formatRps(0)).toBe('0 rps');
    expect(formatRps(0.2549)).toBe('0.25 rps');
    expect(formatRps(12.34)).toBe('12 rps');
    expect(formatRps(1534.2)).toBe('1534 rps');
  });

  it('formats percentages with one decimal', () => {
    expect(formatPercent(33.333)).toBe('33.3%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0.04)).toBe('0%');
    expect(formatRatio(0.125)).toBe('12.5%');
  });

  it('formats bytes per second in binary units', () => {
    expect(formatBytesPerSecond(512)).toBe('512 B/s');
    expect(formatBytesPerSecond(1536)).toBe('1.5 KiB/s');
    expect(formatBytesPerSecond(5 * 1024 * 1024)).toBe('5 MiB/s');
  });

  it('formats latencies in ms and s', () => {
    expect(formatMs(4.56)).toBe('4.6 ms');
    expect(formatMs(87.4)).toBe('87 ms');
    expect(formatMs(1234)).toBe('1.2 s');
  });
});

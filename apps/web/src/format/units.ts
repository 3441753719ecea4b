/** Human formatting of the graph's numbers: the same rules everywhere (labels, side panel, legend). */

/** Two significant digits as Kiali does for rates, without trailing zeros ("0.25", "12", "1500"). */
function significant(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toString();
  return Number(value.toPrecision(2)).toString();
}

/** Requests per second. */
export function formatRps(rps: number): string {
  return `${significant(rps)} rps`;
}

/** A percentage with one decimal, dropping ".0" ("33.3%", "100%"). */
export function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

const BYTE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];

/** Bytes per second in binary units ("512 B/s", "1.5 KiB/s"). */
export function formatBytesPerSecond(bytesPerSecond: number): string {
  let value = bytesPerSecond;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${significant(value)} ${BYTE_UNITS[unit]}`;
}

/** Milliseconds, or seconds from 1000 ms on ("87 ms", "1.2 s"), as in Kiali's response-time labels. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${significant(ms / 1000)} s`;
  return `${ms >= 10 ? Math.round(ms) : significant(ms)} ms`;
}

/** Error ratio 0..1 as a percentage. */
export function formatRatio(ratio: number): string {
  return formatPercent(ratio * 100);
}

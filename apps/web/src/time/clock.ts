/**
 * Times as the user reads and types them: in the browser's time zone, with the zone named next to every
 * input, because "14:00" alone is ambiguous when a link crosses time zones (the URL itself holds unix seconds).
 */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Unix seconds → the value of an `<input type="datetime-local" step="1">` in the local zone. */
export function toInputValue(unix: number): string {
  const d = new Date(unix * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The value of a datetime-local input (local zone) → unix seconds; null when empty or invalid. */
export function fromInputValue(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const t = d.getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}

/** UTC offset of the local zone at a moment, as `UTC+01:00` (it changes with daylight saving time). */
export function utcOffset(unix: number): string {
  const minutes = -new Date(unix * 1000).getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The local zone's name and offset: `Europe/Paris, UTC+01:00`. */
export function zoneLabel(unix: number): string {
  let name = '';
  try {
    name = Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    name = '';
  }
  return name ? `${name}, ${utcOffset(unix)}` : utcOffset(unix);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * Written by hand rather than with toLocaleString: the first Intl date format of a page costs 100-170 ms in
 * Chromium (ICU set-up), on the critical path of every page with a window end in its toolbar. The console is in
 * English, so its moments are too (local time zone, 24-hour clock).
 */
const timeText = (d: Date) => `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
const dayText = (d: Date) => `${d.getDate()} ${MONTHS[d.getMonth()]}`;

/** A moment for display: `22 Nov 2025, 14:32:00` (local time). */
export function formatMoment(unix: number): string {
  const d = new Date(unix * 1000);
  return `${dayText(d)} ${d.getFullYear()}, ${timeText(d)}`;
}

/** A moment for tight spots (scrubber, chart axis): `14:32:00`, with the date when it is not today. */
export function formatShortMoment(unix: number, now: number): string {
  const d = new Date(unix * 1000);
  const sameDay = d.toDateString() === new Date(now * 1000).toDateString();
  return sameDay ? timeText(d) : `${dayText(d)} ${timeText(d)}`;
}

const UNITS: Array<[number, string]> = [[86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];

/** Seconds → the toolbar's short label: `10m`, `1h`, `1d`, `90s` (the largest unit that divides it). */
export function durationLabel(seconds: number): string {
  for (const [size, unit] of UNITS) if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

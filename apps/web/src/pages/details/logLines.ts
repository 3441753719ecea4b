/**
 * Log lines for display, pure: which container a line came from, merging containers by time, the text filter, and
 * the pieces of an Envoy access-log line to highlight (response code, each response flag with its meaning).
 */
import type { PodLogLine, ResponseFlagInfo } from '@meshlens/model';

/** A line with the container it came from and its place in that container's output (for a stable merge). */
export interface ShownLine extends PodLogLine {
  container: string;
  seq: number;
}

export function tagLines(lines: readonly PodLogLine[], container: string): ShownLine[] {
  return lines.map((l, seq) => ({ ...l, container, seq }));
}

/**
 * An RFC 3339 timestamp as [milliseconds of its whole second, fraction of a second]: the kubelet writes nanoseconds,
 * more than a double holds next to a unix time, so the fraction is compared on its own. Null when absent or bad.
 */
export function timeKey(line: PodLogLine): [number, number] | null {
  const ts = line.timestamp ?? line.accessLog?.startTime;
  if (!ts) return null;
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(ts);
  const whole = m ? Date.parse(`${m[1]}${m[3] ?? 'Z'}`) : Date.parse(ts);
  if (Number.isNaN(whole)) return null;
  return [whole, m?.[2] ? Number(`0${m[2]}`) : 0];
}

/** Milliseconds since the epoch (sub-millisecond digits dropped); NaN without a time. */
export function timeOf(line: PodLogLine): number {
  const k = timeKey(line);
  return k ? k[0] + Math.floor(k[1] * 1000) : Number.NaN;
}

/**
 * Merges several containers' lines by time. Lines without a time keep their place after the line before them in
 * their own container; equal times keep the containers' order, then each container's own order.
 */
export function mergeByTime(groups: ReadonlyArray<readonly ShownLine[]>): ShownLine[] {
  const keyed = groups.flatMap((lines, g) => {
    let last: [number, number] = [Number.NEGATIVE_INFINITY, 0];
    return lines.map((line) => {
      last = timeKey(line) ?? last;
      return { line, t: last, g };
    });
  });
  keyed.sort((a, b) => a.t[0] - b.t[0] || a.t[1] - b.t[1] || a.g - b.g || a.line.seq - b.line.seq);
  return keyed.map((k) => k.line);
}

/** Lines containing every word of `filter` (case-insensitive), in the message or a flag's name. */
export function filterLines<L extends PodLogLine>(lines: readonly L[], filter: string): L[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...lines];
  return lines.filter((l) => {
    const text = `${l.message} ${(l.accessLog?.responseFlags ?? []).map((f) => f.name).join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'match'; text: string }
  | { kind: 'code'; text: string; status: 'ok' | 'client-error' | 'server-error' | 'none' }
  | { kind: 'flag'; text: string; flag: ResponseFlagInfo };

/** Splits text around the (case-insensitive) occurrences of the filter's words. */
export function markMatches(text: string, filter: string): Segment[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 || text === '') return text ? [{ kind: 'text', text }] : [];
  const lower = text.toLowerCase();
  const hit = new Array<boolean>(text.length).fill(false);
  for (const w of words) {
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) hit.fill(true, i, i + w.length);
  }
  const out: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hit[i] !== hit[start]) {
      out.push({ kind: hit[start] ? 'match' : 'text', text: text.slice(start, i) });
      start = i;
    }
  }
  return out;
}

function codeStatus(code: number): 'ok' | 'client-error' | 'server-error' | 'none' {
  if (code === 0) return 'none';
  if (code >= 500) return 'server-error';
  if (code >= 400) return 'client-error';
  return 'ok';
}

// `[start] "METHOD PATH PROTO" CODE FLAGS …`: the code and flags follow the first quoted field.
const ACCESS_LOG_HEAD = /^(\[[^\]]*\]\s+"(?:[^"\\]|\\.)*"\s+)(\d+)(\s+)(\S+)/;

/**
 * The segments of a line: for an access-log line, its response code and each response flag as their own segments
 * (flags carry their long name and meaning for a tooltip); the rest, and any other line, split around the filter's
 * matches.
 */
export function lineSegments(line: PodLogLine, filter = ''): Segment[] {
  const log = line.accessLog;
  const m = log ? ACCESS_LOG_HEAD.exec(line.message) : null;
  if (!log || !m) return markMatches(line.message, filter);
  const [head, prefix, code, gap, flagsText] = m as unknown as [string, string, string, string, string];
  const out: Segment[] = [...markMatches(prefix, filter), { kind: 'code', text: code, status: codeStatus(Number(code)) }, { kind: 'text', text: gap }];
  if (flagsText === '-' || log.responseFlags.length === 0) out.push(...markMatches(flagsText, filter));
  else {
    const known = new Map(log.responseFlags.map((f) => [f.flag, f]));
    flagsText.split(',').forEach((flag, i) => {
      if (i > 0) out.push({ kind: 'text', text: ',' });
      const info = known.get(flag);
      out.push(info ? { kind: 'flag', text: flag, flag: info } : { kind: 'text', text: flag });
    });
  }
  out.push(...markMatches(line.message.slice(head.length), filter));
  return out;
}

/** The distinct response flags of some lines, in order of first appearance, for the legend. */
export function flagsIn(lines: readonly PodLogLine[]): ResponseFlagInfo[] {
  const seen = new Map<string, ResponseFlagInfo>();
  for (const l of lines) for (const f of l.accessLog?.responseFlags ?? []) if (!seen.has(f.flag)) seen.set(f.flag, f);
  return [...seen.values()];
}

/** The hh:mm:ss.mmm of a line's timestamp, in the browser's zone; '' without one. */
export function shortTime(line: PodLogLine): string {
  const t = timeOf(line);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

import { describe, expect, it } from 'vitest';
import type { PodLogLine } from '@meshlens/model';
import { filterLines, flagsIn, lineSegments, markMatches, mergeByTime, tagLines } from './logLines';

const UO = { flag: 'UO', name: 'UpstreamOverflow', meaning: 'Circuit breaking: the connection pool was full.' };
const URX = { flag: 'URX', name: 'UpstreamRetryLimitExceeded', meaning: 'Retries exhausted.' };
const accessLine =
  '[2026-05-01T10:00:00.123Z] "GET /get HTTP/1.1" 503 UO,URX upstream_reset_before_response_started{overflow} - "-" 0 81 0 - "-" "fortio.org/fortio-1.60" "abc" "httpbin:8000" "-" outbound|8000||httpbin.circuit-breaking.svc.cluster.local - 10.0.0.5:8000 10.0.0.9:51234 - default';

function access(message: string, flags = [UO, URX], code = 503): PodLogLine {
  return {
    timestamp: '2026-05-01T10:00:00.123456789Z',
    message,
    accessLog: { startTime: '2026-05-01T10:00:00.123Z', method: 'GET', path: '/get', protocol: 'HTTP/1.1', responseCode: code, responseFlags: flags, bytesReceived: 0, bytesSent: 81, durationMs: 0 },
  };
}

describe('access-log highlighting', () => {
  it('splits out the response code and each flag, with its meaning', () => {
    const segments = lineSegments(access(accessLine));
    expect(segments.slice(0, 6)).toEqual([
      { kind: 'text', text: '[2026-05-01T10:00:00.123Z] "GET /get HTTP/1.1" ' },
      { kind: 'code', text: '503', status: 'server-error' },
      { kind: 'text', text: ' ' },
      { kind: 'flag', text: 'UO', flag: UO },
      { kind: 'text', text: ',' },
      { kind: 'flag', text: 'URX', flag: URX },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(accessLine);
  });

  it('leaves `-` flags as text, and marks 4xx and 2xx codes', () => {
    const ok = '[2026-05-01T10:00:00.000Z] "GET /status/200 HTTP/1.1" 200 - via_upstream - "-" 0 0 3 2 "-" "curl" "id" "httpbin:8000" "10.0.0.5:80" inbound|80|| - - - - default';
    const seg = lineSegments(access(ok, [], 200));
    expect(seg[1]).toEqual({ kind: 'code', text: '200', status: 'ok' });
    expect(seg.some((s) => s.kind === 'flag')).toBe(false);
    expect(seg.map((s) => s.text).join('')).toBe(ok);
    const nr = ok.replace('200 -', '404 NR');
    expect(lineSegments(access(nr, [{ flag: 'NR', name: 'NoRouteFound', meaning: 'No route.' }], 404))[1]).toMatchObject({ status: 'client-error' });
  });

  it('marks the filter words, in plain lines and around the highlighted fields', () => {
    expect(markMatches('GET /Status/418 teapot', 'status tea')).toEqual([
      { kind: 'text', text: 'GET /' },
      { kind: 'match', text: 'Status' },
      { kind: 'text', text: '/418 ' },
      { kind: 'match', text: 'tea' },
      { kind: 'text', text: 'pot' },
    ]);
    const seg = lineSegments(access(accessLine), 'fortio');
    expect(seg.filter((s) => s.kind === 'match').map((s) => s.text)).toEqual(['fortio', 'fortio']);
    expect(lineSegments({ message: 'plain line' })).toEqual([{ kind: 'text', text: 'plain line' }]);
  });

  it('filters lines by message or flag name, and lists the flags for the legend', () => {
    const lines = [access(accessLine), { message: 'started server' }, access(accessLine.replace('UO,URX', 'UO'), [UO])];
    expect(filterLines(lines, 'overflow').length).toBe(2);
    expect(filterLines(lines, 'UpstreamRetryLimit').length).toBe(1);
    expect(filterLines(lines, '').length).toBe(3);
    expect(flagsIn(lines)).toEqual([UO, URX]);
  });
});

describe('merging containers by time', () => {
  it('interleaves by timestamp, keeping each container order and untimed lines in place', () => {
    const app = tagLines([
      { timestamp: '2026-05-01T10:00:01.000000001Z', message: 'a1' },
      { message: 'a1 continued' },
      { timestamp: '2026-05-01T10:00:03Z', message: 'a3' },
    ], 'httpbin');
    const proxy = tagLines([
      { timestamp: '2026-05-01T10:00:01.000000000Z', message: 'p1' },
      { timestamp: '2026-05-01T10:00:02Z', message: 'p2' },
      { timestamp: '2026-05-01T10:00:03Z', message: 'p3' },
    ], 'istio-proxy');
    expect(mergeByTime([app, proxy]).map((l) => `${l.container}:${l.message}`)).toEqual([
      'istio-proxy:p1', 'httpbin:a1', 'httpbin:a1 continued', 'istio-proxy:p2', 'httpbin:a3', 'istio-proxy:p3',
    ]);
  });
});

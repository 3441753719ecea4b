import { describe, expect, it } from 'vitest';
import { explainFlags, formatAccessLog, parseAccessLog, RESPONSE_FLAGS, splitLogTimestamp } from './access-log.js';

// The example of Istio's "Envoy Access Logs" task (sleep → httpbin /status/418), client side.
const TASK_LINE = '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default';

describe('Envoy access-log lines in Istio\'s default format', () => {
  it('parses every field of a line', () => {
    expect(parseAccessLog(TASK_LINE)).toEqual({
      startTime: '2020-11-25T21:26:18.409Z', method: 'GET', path: '/status/418', protocol: 'HTTP/1.1',
      responseCode: 418, responseFlags: [], responseCodeDetails: 'via_upstream',
      bytesReceived: 0, bytesSent: 135, durationMs: 4, upstreamServiceTimeMs: 4,
      userAgent: 'curl/7.73.0-DEV', requestId: '84961386-6d84-929d-98bd-c5aee93b5c88', authority: 'httpbin:8000',
      upstreamHost: '10.44.1.27:80', upstreamCluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
      upstreamLocalAddress: '10.44.1.23:37652', downstreamLocalAddress: '10.0.45.184:8000', downstreamRemoteAddress: '10.44.1.23:46520',
      routeName: 'default', direction: 'outbound',
    });
  });

  it('explains response flags: circuit breaking, no route, faults, and several at once', () => {
    const uo = parseAccessLog('[2026-11-22T03:56:40.002Z] "GET /get HTTP/1.1" 503 UO upstream_reset_before_response_started{overflow} - "-" 0 81 0 - "-" "fortio.org/fortio-1.66.0" "9d8c7b6a-5f4e-4d3c-8b2a-19f8e7d6c5b4" "httpbin:8000" "-" outbound|8000||httpbin.circuit-breaking.svc.cluster.local - 10.96.12.40:8000 10.244.1.17:40112 - default')!;
    expect([uo.responseCode, uo.responseFlags, uo.upstreamHost, uo.upstreamServiceTimeMs]).toEqual([503, [{ flag: 'UO', name: 'UpstreamOverflow', meaning: RESPONSE_FLAGS.UO!.meaning }], undefined, undefined]);
    expect(explainFlags('UT,DI').map((f) => f.flag + ' ' + f.name)).toEqual(['UT UpstreamRequestTimeout', 'DI DelayInjected']);
    expect(explainFlags('-')).toEqual([]);
    expect(explainFlags('XYZ')).toEqual([{ flag: 'XYZ', name: 'XYZ', meaning: "Response flag XYZ is not in Meshlens's list of Envoy flags; see Envoy's access-log documentation." }]);
    for (const flag of ['UH', 'UF', 'UO', 'NR', 'URX', 'NC', 'DT', 'DC', 'LH', 'UT', 'LR', 'UR', 'UC', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'IH', 'SI', 'DPE', 'UPE', 'UMSDR', 'OM', 'DF']) {
      expect(RESPONSE_FLAGS[flag]?.meaning, flag).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('reads TCP and inbound lines, and leaves anything else alone', () => {
    const tcp = parseAccessLog('[2026-11-22T03:57:00.120Z] "- - -" 0 - - - "-" 780 83667 1204 - "-" "-" "-" "-" "203.0.113.71:443" PassthroughCluster 10.244.3.5:53149 203.0.113.71:443 10.244.3.5:35418 en.wikipedia.org allow_any')!;
    expect(tcp).toEqual({
      startTime: '2026-11-22T03:57:00.120Z', responseCode: 0, responseFlags: [], bytesReceived: 780, bytesSent: 83667, durationMs: 1204,
      upstreamHost: '203.0.113.71:443', upstreamCluster: 'PassthroughCluster', upstreamLocalAddress: '10.244.3.5:53149', downstreamLocalAddress: '203.0.113.71:443',
      downstreamRemoteAddress: '10.244.3.5:35418', requestedServerName: 'en.wikipedia.org', routeName: 'allow_any', direction: 'outbound',
    });
    expect(parseAccessLog('[2026-11-22T03:57:00.120Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 295 12 11 "-" "python-requests/2.31.0" "5a1c" "reviews:9080" "10.244.1.17:9080" inbound|9080|| 127.0.0.6:46113 10.244.1.17:9080 10.244.1.12:52344 outbound_.9080_._.reviews.bookinfo.svc.cluster.local default')?.direction).toBe('inbound');
    expect(parseAccessLog('2026-11-22T03:57:00.120Z\tinfo\tEnvoy proxy is ready')).toBeUndefined();
    expect(parseAccessLog('{"start_time":"2026-11-22T03:57:00.120Z","response_code":200}')).toBeUndefined();
    // A line cut short is not an access-log line.
    expect(parseAccessLog(TASK_LINE.slice(0, 120))).toBeUndefined();
  });

  it('writes what it reads', () => {
    const parsed = parseAccessLog(TASK_LINE)!;
    expect(formatAccessLog({ ...parsed, responseFlags: '-' })).toBe(TASK_LINE);
    const quoted = formatAccessLog({ startTime: '2026-11-22T03:57:00.120Z', method: 'GET', path: '/', protocol: 'HTTP/1.1', responseCode: 200, bytesReceived: 0, bytesSent: 5, durationMs: 1, userAgent: 'a "quoted" agent' });
    expect(parseAccessLog(quoted)?.userAgent).toBe('a "quoted" agent');
  });

  it('splits the kubelet\'s timestamp from the message', () => {
    expect(splitLogTimestamp(`2026-11-22T03:57:00.120734512Z ${TASK_LINE}`)).toEqual({ timestamp: '2026-11-22T03:57:00.120734512Z', message: TASK_LINE });
    expect(splitLogTimestamp('no timestamp here')).toEqual({ message: 'no timestamp here' });
  });
});

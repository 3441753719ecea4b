import { describe, expect, it } from 'vitest';
import { escapeRegex, matches, matchesAll, oneOf, or, quote, selector, type LabelMatcher } from './promql.js';
import { graphQueries, namespaceSelections } from './graph-queries.js';
import { parsePromDuration, scrapeIntervalFromConfig } from './time-info.js';

const PAIR = 'reporter,source_cluster,source_workload_namespace,source_workload,source_canonical_service,source_canonical_revision,destination_cluster,destination_workload_namespace,destination_workload,destination_canonical_service,destination_canonical_revision,destination_service,destination_service_name,destination_service_namespace,request_protocol,destination_port';

describe('or', () => {
  it('nests to the right, so the first (largest) operand is hashed by one or only', () => {
    expect(or(['a'])).toBe('a');
    expect(or(['a', 'b'])).toBe('(a) or (b)');
    expect(or(['a', 'b', 'c', 'd'])).toBe('(a) or ((b) or ((c) or (d)))');
  });
});

describe('graph queries', () => {
  it('selects one namespace by equality, in three disjoint selections joined by or', () => {
    const [requests] = graphQueries(['bookinfo'], 600);
    expect(requests).toEqual({
      family: 'istio_requests_total',
      promql:
        `(sum by (${PAIR},response_code,grpc_response_status,response_flags,connection_security_policy) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace="bookinfo"}[600s])) > 0)`
        + ` or ((sum by (${PAIR},response_code,grpc_response_status,response_flags,connection_security_policy) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace!="bookinfo",destination_workload_namespace="bookinfo"}[600s])) > 0)`
        + ` or (sum by (${PAIR},response_code,grpc_response_status,response_flags,connection_security_policy) (rate(istio_requests_total{reporter=~"source|destination|waypoint",source_workload_namespace!="bookinfo",destination_workload_namespace!="bookinfo",destination_service_namespace="bookinfo"}[600s])) > 0))`,
    });
  });

  it('costs the same 8 queries for 1 or 50 namespaces, with the namespaces in one regex', () => {
    const one = graphQueries(['a'], 60);
    const many = graphQueries(Array.from({ length: 50 }, (_, i) => `team-${i}`), 60);
    expect(one.map((q) => q.family)).toEqual([
      'istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds_count',
      'istio_request_bytes_sum', 'istio_response_bytes_sum', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total',
    ]);
    expect(many.map((q) => q.family)).toEqual(one.map((q) => q.family));
    expect(many[1]!.promql.split(' or ')[0]).toBe(
      `(sum by (${PAIR},le) (rate(istio_request_duration_milliseconds_bucket{reporter=~"source|destination|waypoint",source_workload_namespace=~"${Array.from({ length: 50 }, (_, i) => `team-${i}`).join('|')}"}[60s])) > 0)`,
    );
    expect(graphQueries([], 60)).toEqual([]);
  });

  it('leaves out the three duration-histogram queries when response times are not wanted', () => {
    expect(graphQueries(['a', 'b'], 600, { responseTimes: false }).map((q) => q.family)).toEqual([
      'istio_requests_total', 'istio_request_bytes_sum', 'istio_response_bytes_sum', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total',
    ]);
    expect(graphQueries(['a', 'b'], 600, { responseTimes: true })).toEqual(graphQueries(['a', 'b'], 600));
  });

  it('groups TCP bytes by flags, security policy and app (ztunnel tells itself by it), byte sums by the pair only', () => {
    const q = graphQueries(['a', 'b'], 3600);
    expect(q[6]!.promql.split(' or ')[1]).toBe(
      `((sum by (${PAIR},response_flags,connection_security_policy,app) (rate(istio_tcp_sent_bytes_total{reporter=~"source|destination|waypoint",source_workload_namespace!~"a|b",destination_workload_namespace=~"a|b"}[3600s])) > 0)`,
    );
    expect(q[4]!.promql).toContain(`sum by (${PAIR}) (rate(istio_request_bytes_sum{`);
  });

  it('makes every series fall in exactly one selection', () => {
    const sel = namespaceSelections(['a', 'b']);
    const series = [
      { source_workload_namespace: 'a', destination_workload_namespace: 'a', destination_service_namespace: 'a' },
      { source_workload_namespace: 'x', destination_workload_namespace: 'b', destination_service_namespace: 'b' },
      { source_workload_namespace: 'x', destination_workload_namespace: 'unknown', destination_service_namespace: 'a' },
      { source_workload_namespace: 'a', destination_workload_namespace: 'x', destination_service_namespace: 'x' },
    ];
    expect(series.map((m) => sel.filter((ms) => matchesAll(m, ms)).length)).toEqual([1, 1, 1, 1]);
    expect(sel.some((ms) => matchesAll({ source_workload_namespace: 'x', destination_workload_namespace: 'y', destination_service_namespace: 'y' }, ms))).toBe(false);
  });
});

describe('PromQL building blocks', () => {
  it('escapes label values and regex metacharacters', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(escapeRegex('reviews.default.svc')).toBe('reviews\\.default\\.svc');
    expect(selector('m', [oneOf('destination_service', ['a.b', 'c'])])).toBe('m{destination_service=~"a\\\\.b|c"}');
  });

  it('matches label sets as Prometheus does: anchored regexes, missing labels empty', () => {
    expect(matchesAll({ ns: 'team-1' }, [oneOf('ns', ['team-1', 'team-2'])])).toBe(true);
    expect(matchesAll({ ns: 'team-10' }, [oneOf('ns', ['team-1', 'team-2'])])).toBe(false);
    expect(matchesAll({}, [{ label: 'x', op: '=', value: '' }])).toBe(true);
  });
});

describe('label regexes over simulated and snapshot samples (RE2, as Prometheus)', () => {
  const re = (value: string): LabelMatcher => ({ label: 'destination_workload', op: '=~', value });
  const notRe = (value: string): LabelMatcher => ({ label: 'destination_workload', op: '!~', value });
  const at = (workload: string) => ({ destination_workload: workload, destination_workload_namespace: 'bookinfo' });

  it('takes linear time on a pattern that backtracks for seconds in a JS RegExp', () => {
    // `^(?:(a+)+)$` against 30 a's and a dash took ~5 s with RegExp; patterns carry names from requests and bundles
    const t0 = performance.now();
    expect([matches(at(`${'a'.repeat(30)}-v1`), re('(a+)+')), matches(at(`${'a'.repeat(30)}-v1`), notRe('(a+)+')), matches(at('a'.repeat(30)), re('(a+)+'))]).toEqual([false, true, true]);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('matches the whole value, with RE2 syntax', () => {
    expect(['reviews-v1', 'reviews-v12', 'reviews-v1-canary', 'my-reviews-v1', ''].map((w) => matches(at(w), re('reviews-v[0-9]+')))).toEqual([true, true, false, false, false]);
    expect(['reviews-v1', 'ratings-v1'].map((w) => matches(at(w), notRe('reviews-.*')))).toEqual([false, true]);
    expect(['Reviews-v1', 'reviews-v1'].map((w) => matches(at(w), re('(?i)REVIEWS-v1')))).toEqual([true, true]);
  });

  it('reads escaped names as the names themselves (oneOf), with no regex run', () => {
    const names = oneOf('destination_workload', ['details.v1', 'reviews-(v2)', 'a|b']);
    expect(names).toEqual({ label: 'destination_workload', op: '=~', value: 'details\\.v1|reviews-\\(v2\\)|a\\|b' });
    expect(['details.v1', 'detailsXv1', 'reviews-(v2)', 'reviews-v2', 'a|b', 'a', 'b', ''].map((w) => matches(at(w), names))).toEqual([true, false, true, false, true, false, false, false]);
    expect(matches(at(''), re(''))).toBe(true);
    expect(matches(at('x'), re(''))).toBe(false);
  });

  it('selects nothing with a pattern RE2 cannot compile, whichever the operator (Prometheus refuses the query)', () => {
    for (const bad of ['(?=reviews)reviews-v1', '(reviews)\\1', '[unclosed', 'a{1001}']) {
      expect([matches(at('reviews-v1'), re(bad)), matches(at('reviews-v1'), notRe(bad))]).toEqual([false, false]);
    }
  });
});

describe('time info', () => {
  it('parses Prometheus durations and the global scrape interval', () => {
    expect([parsePromDuration('15s'), parsePromDuration('1h30m'), parsePromDuration('30d'), parsePromDuration('0s'), parsePromDuration('10GiB')]).toEqual([15, 5400, 2592000, undefined, undefined]);
    expect(scrapeIntervalFromConfig('global:\n  scrape_interval: 30s\n  evaluation_interval: 1m\nscrape_configs:\n- job_name: x\n  scrape_interval: 5s\n')).toBe(30);
    expect(scrapeIntervalFromConfig('global:\n  evaluation_interval: 1m\n')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseTrafficFile } from './parse.js';

const good = `# traffic for scenario shop
scenario: shop
classes:
  - name: sleep to reviews
    source: {kind: workload, namespace: shop, name: sleep}
    request: {protocol: http, host: reviews, port: 9080, path: /reviews/0, headers: {end-user: jason}}
    rps: 10
    concurrency: 2
    calls:
      - request: {protocol: http, host: ratings, port: 9080}
        perRequest: 0.5
        onlyFromVersions: [v2, v3]
incidents:
  - name: ratings slow
    target: {namespace: shop, workload: ratings-v1}
    everyMinutes: 30
    lastMinutes: 5
    latencyFactor: 4
`;

describe('parseTrafficFile', () => {
  it('reads classes and incidents with defaults and where each is written', () => {
    const { traffic, errors } = parseTrafficFile(good, 'traffic/shop.yaml');
    expect(errors).toEqual([]);
    expect(traffic).toEqual({
      scenario: 'shop',
      file: 'traffic/shop.yaml',
      classes: [{
        scenario: 'shop', name: 'sleep to reviews',
        source: { kind: 'workload', namespace: 'shop', name: 'sleep' },
        request: { protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } },
        rps: 10, bytes: { request: 0, response: 0 }, latencyMs: { p50: 10, p95: 50 }, errorRate: 0, concurrency: 2,
        calls: [{
          request: { protocol: 'http', host: 'ratings', port: 9080 }, perRequest: 0.5, latencyMs: { p50: 10, p95: 50 },
          bytes: { request: 0, response: 0 }, errorRate: 0, onlyFromVersions: ['v2', 'v3'], calls: [],
          at: { file: 'traffic/shop.yaml', line: 10, column: 9 },
        }],
        at: { file: 'traffic/shop.yaml', line: 4, column: 5 },
      }],
      incidents: [{
        scenario: 'shop', name: 'ratings slow', target: { namespace: 'shop', workload: 'ratings-v1' },
        everyMinutes: 30, lastMinutes: 5, latencyFactor: 4, at: { file: 'traffic/shop.yaml', line: 14, column: 5 },
      }],
    });
  });

  it('skips bad entries with an error at their line and keeps the rest', () => {
    const text = `scenario: broken
classes:
  - name: fine
    source: {kind: outside}
    request: {protocol: http, host: example.com, port: 80}
    rps: 1
  - name: bad port
    source: {kind: workload, namespace: a, name: b}
    request: {protocol: http, host: x, port: 99999}
    rps: 1
  - name: bad protocol
    source: {kind: workload, namespace: a, name: b}
    request: {protocol: quic, host: x, port: 80}
    rps: 1
  - name: typo
    source: {kind: workload, namespace: a, name: b}
    request: {protocol: http, host: x, port: 80}
    rsp: 1
incidents:
  - name: nothing happens
    target: {namespace: a, workload: b}
    everyMinutes: 10
    lastMinutes: 20
`;
    const { traffic, errors } = parseTrafficFile(text, 'traffic/broken.yaml');
    expect(traffic.classes.map((c) => c.name)).toEqual(['fine']);
    expect(traffic.incidents).toEqual([]);
    expect(errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`)).toEqual([
      'traffic/broken.yaml:9:40 classes[1].request.port: expected a value in [1, 65535], got 99999',
      'traffic/broken.yaml:13:15 classes[2].request.protocol: expected one of http, http2, grpc, https, tls, tcp, got "quic"',
      'traffic/broken.yaml:18:5 classes[3].rsp: unknown field "rsp" is ignored (known: name, description, source, request, rps, bytes, latencyMs, errorRate, concurrency, calls)',
      'traffic/broken.yaml:15:5 classes[3].rps: expected a number',
      'traffic/broken.yaml:23:5 incidents[0].lastMinutes: expected a value in [1, 10], got 20',
    ]);
  });

  it('reports invalid YAML at its line and loads nothing from that file', () => {
    const { traffic, errors } = parseTrafficFile('classes:\n  - name: [unclosed\n', 'traffic/x.yaml');
    expect(traffic.classes).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'traffic/x.yaml', message: expect.stringContaining('invalid YAML') });
  });
});

/** How the simulator reports the routing core's security outcomes: a policy's 403, STRICT mTLS resetting plaintext, and no-healthy-upstream's own code and flag. */
import { describe, expect, it } from 'vitest';
import type { TracePath } from '@meshlens/model';
import { httpSlices, tcpSlices, type ServerBehaviour } from './outcomes.js';

const behaviour: ServerBehaviour = {
  latencyMs: { p50: 10, p95: 40 }, latencyFactor: 1, errorRate: 0, burstErrorRate: 0, responseBytes: 500, downstream: [], concurrency: 1, applyAbortFraction: false,
};
const path = (outcome: TracePath['outcome']): TracePath => ({ weight: 1, hops: [], outcome, destination: { kind: 'workload', namespace: 'shop', name: 'orders', pods: 2 } });
const view = (slices: ReturnType<typeof httpSlices>) => slices.map((s) => ({ share: s.share, code: s.code, flags: s.flags, upstreamKnown: s.upstreamKnown, reached: s.reached, responseBytes: s.responseBytes, connected: s.connected }));

describe('security outcomes as telemetry', () => {
  it("an AuthorizationPolicy's denial is response_code 403 with flag '-': the server's sidecar answered, the application never saw it", () => {
    const denied = path({ kind: 'denied-by-policy', responseCode: 403, responseFlags: '-', action: 'DENY', policy: { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'deny-admin' }, ruleIndex: 0, enforcedBy: 'the sidecar of shop/orders' });
    expect(view(httpSlices(denied, behaviour, false, 'http'))).toEqual([{ share: 1, code: '403', flags: '-', upstreamKnown: true, reached: false, responseBytes: 19, connected: undefined }]);
    expect(view(tcpSlices({ ...denied, outcome: { ...denied.outcome, responseCode: 0 } as TracePath['outcome'] }, behaviour))).toEqual([{ share: 1, code: '', flags: '-', upstreamKnown: true, reached: false, responseBytes: 0, connected: true }]);
  });

  it('STRICT mTLS refusing plaintext is a connection failure: 503 UC from a client sidecar, no response (code 0) without one', () => {
    const refused = (responseCode: 503 | 0, responseFlags: 'UC' | '-') => path({ kind: 'plaintext-refused', responseCode, responseFlags, enforcedBy: 'the sidecar of shop/orders' });
    expect(view(httpSlices(refused(503, 'UC'), behaviour, false, 'http'))).toEqual([{ share: 1, code: '503', flags: 'UC', upstreamKnown: false, reached: false, responseBytes: 95, connected: undefined }]);
    expect(view(httpSlices(refused(0, '-'), behaviour, false, 'http'))).toEqual([{ share: 1, code: '0', flags: '-', upstreamKnown: false, reached: false, responseBytes: 0, connected: undefined }]);
    expect(view(tcpSlices(refused(503, 'UC'), behaviour))).toEqual([{ share: 1, code: '', flags: 'UC', upstreamKnown: false, reached: false, responseBytes: 0, connected: false }]);
  });

  it("no-healthy-upstream reports the code and flag the routing core decided (503 UH, Gateway API's 500 NC and 500)", () => {
    expect([
      httpSlices(path({ kind: 'no-healthy-upstream', responseCode: 503, responseFlags: 'UH' }), behaviour, false, 'http'),
      httpSlices(path({ kind: 'no-healthy-upstream', responseCode: 500, responseFlags: 'NC' }), behaviour, false, 'http'),
      httpSlices(path({ kind: 'no-healthy-upstream', responseCode: 500, responseFlags: '-' }), behaviour, false, 'http'),
    ].map((s) => `${s[0]!.code} ${s[0]!.flags}`)).toEqual(['503 UH', '500 NC', '500 -']);
  });
});

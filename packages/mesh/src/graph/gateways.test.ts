import { describe, expect, it } from 'vitest';
import { parseEgressLine } from './index.js';

describe('parseEgressLine (OpenShift egress router EGRESS_DESTINATION)', () => {
  it('reads `<port> <proto> <ip> [<targetPort>]`, a lone IP as the fallback for every port, and skips comments', () => {
    expect(parseEgressLine('80   tcp 203.0.113.25')).toEqual({ port: 80, protocol: 'tcp', targetIP: '203.0.113.25', targetPort: 80 });
    expect(parseEgressLine('8443 tcp 203.0.113.26 443 # TLS')).toEqual({ port: 8443, protocol: 'tcp', targetIP: '203.0.113.26', targetPort: 443 });
    expect(parseEgressLine('203.0.113.27')).toEqual({ port: 0, protocol: 'tcp', targetIP: '203.0.113.27', targetPort: 0 });
    expect(parseEgressLine('#203.0.113.27')).toBeUndefined();
    expect(parseEgressLine('   ')).toBeUndefined();
    expect(parseEgressLine('http tcp')).toBeUndefined();
  });
});

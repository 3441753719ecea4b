/** Reading Istio's standard metric labels: what counts as a real value, and how hosts and addresses are spelled. */

/** Label values Istio writes when it does not know (`unknown`) or left out. */
export function isOK(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== 'unknown';
}

/** Canonical revisions default to `latest` when a workload has no version label, which is not a real version. */
export function isOKVersion(value: string | undefined): value is string {
  return isOK(value) && value !== 'latest';
}

/** The label, or '' when absent, so keys built from labels never read `undefined`. */
export function label(metric: Record<string, string>, name: string): string {
  return metric[name] ?? '';
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/**
 * Splits `203.0.113.25:80`, `203.0.113.25`, `[2001:db8::1]:443` or a bare IPv6 literal into ip and port,
 * or returns undefined when the value is a host name (the usual case for `destination_service`).
 */
export function parseIPAddress(value: string): { ip: string; port?: number } | undefined {
  const v = value.trim();
  const bracket = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(v);
  if (bracket) return withPort(bracket[1]!, bracket[2]);
  const hostPort = /^([^:]+):(\d{1,5})$/.exec(v);
  if (hostPort && IPV4.test(hostPort[1]!)) return withPort(hostPort[1]!, hostPort[2]);
  if (IPV4.test(v)) return { ip: v };
  if (v.includes(':') && /^[0-9a-fA-F:]+$/.test(v) && v.split(':').length >= 3) return { ip: v };
  return undefined;
}

function withPort(ip: string, port: string | undefined): { ip: string; port?: number } {
  return port === undefined ? { ip } : { ip, port: Number(port) };
}

/** `name.ns.svc.<domain>` → {name, namespace}; anything else (external hosts) → undefined. */
export function parseServiceFQDN(host: string, clusterDomain: string): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return undefined;
  return { name: parts[0]!, namespace: parts[1]! };
}

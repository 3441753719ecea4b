/**
 * The whole catalogue as `meshlens validate --list-checks` prints it (and the README's table, generated from the same
 * function): every code Meshlens emits (codes.ts) with its istioctl alias, and every Kiali code it does not emit, with
 * the reason — not applicable to Meshlens, or not yet implemented (those read Gateway API objects or ambient
 * enrollment, which the engine learns with the Gateway API and ambient work).
 */
import type { Severity } from '@meshlens/model';
import { CODES } from './codes.js';

export type CheckStatus = 'implemented' | 'not applicable' | 'not yet';

export interface CatalogueEntry {
  code: string;
  severity: Severity;
  /** The `istioctl analyze` code of the same check. */
  istioCode?: string;
  title: string;
  status: CheckStatus;
  /** Why a Kiali code is not emitted. */
  reason?: string;
}

const AMBIENT = 'needs ambient enrollment and waypoints in the inventory (Gateway API and ambient support, in progress)';
const GATEWAY_API = 'needs the Kubernetes Gateway API kinds in the inventory (Gateway API support, in progress)';

/** Kiali's codes Meshlens does not emit: Kiali's severity ("unknown" read as info) and title, and why. */
const NOT_EMITTED: ReadonlyArray<Omit<CatalogueEntry, 'status'> & { status: Exclude<CheckStatus, 'implemented'> }> = [
  { code: 'KIA0107', severity: 'info', title: "Service account for this principal is on a remote cluster", status: 'not applicable', reason: 'Meshlens reads one cluster at a time (?cluster= picks one context), so it cannot tell a remote service account from a missing one; KIA0106 reports the missing ones' },
  { code: 'KIA0109', severity: 'warning', title: 'L7 AuthorizationPolicy in an ambient namespace requires waypoint enrollment (istio.io/use-waypoint)', status: 'not yet', reason: AMBIENT },
  { code: 'KIA0110', severity: 'warning', title: 'L7 AuthorizationPolicy in ambient requires targetRefs to a Service or Gateway; waypoints ignore selector policies', status: 'not yet', reason: AMBIENT },
  { code: 'KIA0210', severity: 'warning', title: 'L7 DestinationRule features in an ambient namespace require waypoint enrollment', status: 'not yet', reason: AMBIENT },
  { code: 'KIA0211', severity: 'warning', title: 'L7 DestinationRule targets a service not enrolled to use a waypoint', status: 'not yet', reason: AMBIENT },
  { code: 'KIA0212', severity: 'warning', title: 'L7 DestinationRule should be in the namespace of the ambient destination service', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1109', severity: 'warning', title: 'L7 VirtualService for mesh traffic in an ambient namespace requires waypoint enrollment', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1110', severity: 'warning', title: 'RequestAuthentication in an ambient namespace requires waypoint enrollment', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1111', severity: 'warning', title: 'WasmPlugin in an ambient namespace requires waypoint enrollment', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1112', severity: 'warning', title: 'L7 Telemetry in an ambient namespace requires waypoint enrollment', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1113', severity: 'warning', title: 'L7 VirtualService targets a service not enrolled to use a waypoint', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1114', severity: 'warning', title: 'L7 VirtualService should be in the namespace of the ambient destination service', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1115', severity: 'warning', title: 'RequestAuthentication in ambient requires targetRefs; waypoints ignore selector policies', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1116', severity: 'warning', title: 'WasmPlugin in ambient requires targetRefs; waypoints ignore selector policies', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1117', severity: 'warning', title: 'Telemetry in ambient requires targetRefs; waypoints ignore selector policies', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1301', severity: 'warning', title: 'Workload not covered by any AuthorizationPolicy (Kiali ignores it by default)', status: 'not yet', reason: 'to come with the ambient workload checks it is listed with (KIA1311-1317); off by default in Kiali' },
  { code: 'KIA1311', severity: 'error', title: 'Workload with both sidecar and ambient labels', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1312', severity: 'warning', title: 'Workload with waypoint labels but not in ambient', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1313', severity: 'error', title: 'Workload names a waypoint that does not exist or is misconfigured', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1314', severity: 'error', title: 'Workload with a sidecar label and ambient redirection', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1315', severity: 'error', title: 'Workload with a pod that has a sidecar container and ambient labels', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1316', severity: 'warning', title: 'Workload with a sidecar in an ambient-enabled namespace', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1317', severity: 'warning', title: 'Workload with L7 AuthorizationPolicies but no waypoint', status: 'not yet', reason: AMBIENT },
  { code: 'KIA1401', severity: 'error', title: 'HTTPRoute or GRPCRoute points to a Gateway that does not exist or may not be referenced', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1402', severity: 'error', title: 'HTTPRoute or GRPCRoute backend is not a Service that exists', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1501', severity: 'warning', title: 'More than one Gateway API Gateway for the same host and port', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1502', severity: 'warning', title: 'More than one Gateway API Gateway for the same address and type', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1503', severity: 'error', title: 'Listeners must have unique hostname, port and protocol', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1504', severity: 'error', title: 'GatewayClass not found', status: 'not yet', reason: GATEWAY_API },
  { code: 'KIA1601', severity: 'error', title: 'ReferenceGrant namespace not found', status: 'not yet', reason: GATEWAY_API },
];

/** Every code: Meshlens's own and Kiali's, in code order (KIA before MLS). */
export function checkCatalogue(): CatalogueEntry[] {
  const emitted: CatalogueEntry[] = Object.entries(CODES).map(([code, info]) => ({
    code, severity: info.severity, ...(info.istioCode ? { istioCode: info.istioCode } : {}), title: info.title, status: 'implemented',
  }));
  const emittedCodes = new Set(emitted.map((e) => e.code));
  const rest = NOT_EMITTED.filter((e) => !emittedCodes.has(e.code));
  return [...emitted, ...rest].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The catalogue as a Markdown table (the README's, between its `checks` markers). */
export function catalogueMarkdown(entries = checkCatalogue()): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = entries.map((e) => `| ${e.code} | ${e.istioCode ?? ''} | ${e.severity} | ${cell(e.title)} | ${e.status === 'implemented' ? 'yes' : `${e.status}: ${cell(e.reason ?? '')}`} |`);
  return ['| Code | istioctl | Severity | Checks | Implemented |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The catalogue as text columns (`meshlens validate --list-checks`). */
export function catalogueText(entries = checkCatalogue()): string {
  const lines = entries.map((e) => `${e.code.padEnd(8)} ${(e.istioCode ?? '').padEnd(8)} ${e.severity.padEnd(8)} ${e.status === 'implemented' ? '' : `[${e.status}] `}${e.title}${e.reason ? ` (${e.reason})` : ''}`);
  const counts = (s: CheckStatus) => entries.filter((e) => e.status === s).length;
  const kiali = entries.filter((e) => e.code.startsWith('KIA'));
  return `${lines.join('\n')}\n\n${counts('implemented')} codes implemented (${kiali.filter((e) => e.status === 'implemented').length} of Kiali's ${kiali.length}); ${counts('not applicable')} not applicable; ${counts('not yet')} not yet.\n`;
}
